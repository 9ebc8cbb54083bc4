//! Readers' accounts: signing up, resetting a password, deleting the account. The account
//! pages (`accounts/`) render what these return.

use crate::auth::{check_password, hash_password, new_token, password_matches, token_hash};
use crate::error::ApiError;
use crate::state::AppState;
use chrono::{Duration, Utc};
use jirga_domain::{AccountId, ThreadId};
use jirga_domain::{AuthorName, CommentStatus, Email, SiteId};
use jirga_store::{AccountChange, AccountKey, EventKind, NewAccount, StoreError, TokenPurpose};

/// Why an account action was refused.
pub enum Refused {
    /// Bad input: a code (`name_empty`, `password_too_short`) the form says in words.
    Form(String),
    /// The link was expired or already used.
    LinkExpired,
    Api(ApiError),
}

impl From<ApiError> for Refused {
    fn from(e: ApiError) -> Self {
        Refused::Api(e)
    }
}

impl From<StoreError> for Refused {
    fn from(e: StoreError) -> Self {
        Refused::Api(e.into())
    }
}

/// Confirms an account's address with the mailed token; `LinkExpired` when the token is
/// unknown, used or too old.
pub async fn verify_email(state: &AppState, token: &str) -> Result<(), Refused> {
    let taken = state
        .store
        .take_account_token(&token_hash(token), TokenPurpose::Verify, Utc::now())
        .await?;
    let id = taken.ok_or(Refused::LinkExpired)?;
    let change = AccountChange {
        email_verified: Some(true),
        ..AccountChange::default()
    };
    state.store.update_account(id, change).await?;
    Ok(())
}

/// Makes an account and mails its verification link; the address it was mailed to. An address
/// that has an account already gets a warning by mail instead, and the caller is told the same
/// as for a new one (so the form does not tell who has an account here).
pub async fn sign_up(
    state: &AppState,
    name: &str,
    email: &str,
    password: String,
) -> Result<Email, Refused> {
    let name = AuthorName::parse(name).map_err(|e| Refused::Form(e.code()))?;
    let email = Email::parse(email.trim()).map_err(|e| Refused::Form(e.code()))?;
    check_password(&password).map_err(|code| Refused::Form(code.into()))?;
    let hash = hash_password(password).await?;
    let made = state
        .store
        .create_account(NewAccount {
            email: Some(email.as_str().to_owned()),
            name: name.as_str().to_owned(),
            password_hash: Some(hash.into()),
            email_verified: false,
            oidc: None,
        })
        .await;
    match made {
        Ok(account) => mail_link(state, account.id, email.as_str(), TokenPurpose::Verify).await?,
        Err(StoreError::Conflict(_)) => state
            .mailer
            .send(
                email.as_str(),
                "Someone tried to sign up with your address",
                format!(
                    "Someone tried to make a comments account with this address, which already has one.\n\
                     If it was you and you forgot your password, reset it here: {}/account/reset\n",
                    state.public_url
                ),
            )
            .await
            .map_err(|e| ApiError::Internal(format!("cannot send mail: {e}")))?,
        Err(e) => return Err(e.into()),
    }
    Ok(email)
}

/// What a reader's email and password open.
pub enum SignIn {
    /// A verified account whose password matches.
    Account(AccountId),
    /// The password matches but the address is not confirmed yet: a new link went to it.
    Unverified(String),
    /// No such account, or the wrong password (the reader is told the same).
    Wrong,
}

/// Checks a reader's email and password (Argon2 on a blocking thread). Rate limits and the
/// form's origin are the caller's, checked before this.
pub async fn sign_in(state: &AppState, email: &str, password: String) -> Result<SignIn, ApiError> {
    let Some(account) = state.store.account(AccountKey::Email(email.trim())).await? else {
        return Ok(SignIn::Wrong);
    };
    let Some(hash) = account
        .password_hash
        .as_ref()
        .map(|h| h.expose().to_owned())
    else {
        return Ok(SignIn::Wrong);
    };
    if !password_matches(password, hash).await {
        return Ok(SignIn::Wrong);
    }
    if !account.email_verified {
        let to = account.email.clone().unwrap_or_default();
        mail_link(state, account.id, &to, TokenPurpose::Verify).await?;
        return Ok(SignIn::Unverified(to));
    }
    Ok(SignIn::Account(account.id))
}

/// Sets a new password with a mailed reset link's token; every session of the account ends.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    password: String,
) -> Result<(), Refused> {
    check_password(&password).map_err(|code| Refused::Form(code.into()))?;
    let id = state
        .store
        .take_account_token(&token_hash(token), TokenPurpose::Reset, Utc::now())
        .await?
        .ok_or(Refused::LinkExpired)?;
    let change = AccountChange {
        password_hash: Some(hash_password(password).await?.into()),
        // The link reached the mailbox, so the address is the reader's.
        email_verified: Some(true),
    };
    state.store.update_account(id, change).await?;
    // Whoever knew the old password is signed out too.
    state.store.end_account_sessions(id, None).await?;
    Ok(())
}

/// Deletes an account. Each site decides what happens to its comments: removed, or kept as
/// "deleted user". How many were removed.
pub async fn delete(state: &AppState, account_id: AccountId) -> Result<usize, ApiError> {
    let Some(data) = state.store.account_data(account_id).await? else {
        return Ok(0);
    };
    let mut remove_on: Vec<SiteId> = Vec::new();
    for (site, _) in &data.authors {
        if let Some(s) = state.store.site(site).await?
            && s.policy.remove_deleted_accounts_comments
        {
            remove_on.push(s.id);
        }
    }
    let removed = state
        .store
        .delete_account(account_id, &remove_on, Utc::now())
        .await?;
    for c in &removed {
        let mut gone = c.clone();
        gone.status = CommentStatus::Deleted;
        state.comment_changed(Some(c.status), &gone).await;
    }
    // Kept comments now show "deleted user": every thread they are in changed.
    let threads: std::collections::BTreeSet<ThreadId> =
        data.comments.iter().map(|c| c.thread_id).collect();
    for thread in threads {
        state.changed(thread, EventKind::Updated, None).await;
    }
    Ok(removed.len())
}

/// Makes a single-use token for the account and mails its link.
pub async fn mail_link(
    state: &AppState,
    account_id: AccountId,
    to: &str,
    purpose: TokenPurpose,
) -> Result<(), ApiError> {
    let (token, hash) = new_token();
    let (path, hours, subject, intro) = match purpose {
        TokenPurpose::Verify => (
            "/account/verify",
            24,
            "Confirm your email address",
            "Someone, probably you, made a comments account with this address. Open this link to confirm it (it works once, for 24 hours):",
        ),
        TokenPurpose::Reset => (
            "/account/reset/confirm",
            1,
            "Reset your password",
            "Someone asked to reset the password of the comments account with this address. If it was you, open this link (it works once, for one hour):",
        ),
    };
    state
        .store
        .create_account_token(
            &hash,
            account_id,
            purpose,
            Utc::now() + Duration::hours(hours),
        )
        .await?;
    let body = format!(
        "{intro}\n\n{}{path}?token={token}\n\nIf it was not you, ignore this mail.\n",
        state.public_url
    );
    state
        .mailer
        .send(to, subject, body)
        .await
        .map_err(|e| ApiError::Internal(format!("cannot send mail: {e}")))
}
