//! Readers' accounts: sign-up with email and password (verified by a mailed link), sign-in,
//! password reset by mail, sessions in the database behind an HttpOnly cookie, sign-out here or
//! everywhere, the reader's data as JSON, and account deletion. OpenID Connect sign-in is in
//! `oidc`. The pages live on Jirga's own origin under `/account`; the widget links to them and
//! learns who is signed in from `GET /api/v1/me`.
//!
//! CSRF: every form of a signed-in reader carries a token derived from the session; every
//! POST from a page must come from this origin (the Origin header, which browsers send); API
//! writes made with a session cookie must carry the token in `x-jirga-csrf`, which a page can
//! only learn through `/api/v1/me`, readable from allowed origins alone.

use crate::auth::{
    COOKIE, Reader, check_password, cookie, hash_password, new_token, password_matches, reader,
    same_origin_post, token_hash, with_cookie,
};
use crate::error::ApiError;
use crate::http::ClientIp;
use crate::state::{AppState, Limit};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{Duration, Utc};
use jirga_domain::{AuthorName, Email, SiteId};
use jirga_store::{
    Account, AccountChange, AccountKey, EventKind, NewAccount, StoreError, TokenPurpose,
};
use serde::Deserialize;
use tower_http::set_header::SetResponseHeaderLayer;

pub fn router(settings: &crate::config::Settings) -> Router<AppState> {
    let timed = crate::http::body_timeout(settings);
    Router::new()
        .route("/account", get(home))
        .route(
            "/account/sign-up",
            post(sign_up).layer(timed).get(sign_up_page),
        )
        .route("/account/verify", get(verify))
        .route(
            "/account/sign-in",
            post(sign_in).layer(timed).get(sign_in_page),
        )
        .route("/account/reset", post(reset).layer(timed).get(reset_page))
        .route(
            "/account/reset/confirm",
            post(reset_confirm).layer(timed).get(reset_confirm_page),
        )
        .route("/account/sign-out", post(sign_out).layer(timed))
        .route(
            "/account/sign-out-everywhere",
            post(sign_out_everywhere).layer(timed),
        )
        .route("/account/export", get(export))
        .route("/account/delete", post(delete).layer(timed))
        .route("/account/oidc/start", get(crate::oidc::start))
        .route("/account/oidc/callback", get(crate::oidc::callback))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(crate::pages::CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// Starts a session for the account and sends the reader on to `to`.
pub async fn signed_in(state: &AppState, account_id: i64, to: &str) -> Response {
    let (token, hash) = new_token();
    let days = state.settings.account_session_days.max(1);
    if let Err(e) = state
        .store
        .create_account_session(&hash, account_id, Utc::now() + Duration::days(days))
        .await
    {
        return ApiError::from(e).into_response();
    }
    // Back to a page of another origin (the article) by a page of our own, not a redirect:
    // the CSP's form-action 'self' also governs where a form's redirects may go.
    let onward = if to.starts_with('/') {
        Redirect::to(to).into_response()
    } else {
        let mut page = FormPage::message(
            "Signed in",
            "You are signed in; taking you back to the article.".into(),
            vec![link(to, "Back to the article")],
        );
        page.refresh = Some(to.to_owned());
        render(&page, StatusCode::OK)
    };
    with_cookie(onward, cookie(state, COOKIE, &token, "/", days * 86_400))
}

fn signed_out(state: &AppState, resp: Response) -> Response {
    with_cookie(resp, cookie(state, COOKIE, "", "/", 0))
}

/// Where to go after signing in: a path here, or a page on an origin some site allows.
pub async fn safe_return(state: &AppState, raw: Option<&str>) -> String {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return "/account".into();
    };
    if raw.starts_with('/') && !raw.starts_with("//") && !raw.starts_with("/\\") {
        return raw.to_owned();
    }
    let origin = raw
        .split_once("://")
        .map(|(scheme, rest)| {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            format!("{scheme}://{host}")
        })
        .unwrap_or_default();
    if (origin.starts_with("https://") || origin.starts_with("http://"))
        && (origin == state.public_url || state.origin_known(&origin).await)
    {
        raw.to_owned()
    } else {
        "/account".into()
    }
}

pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub value: String,
    pub autocomplete: &'static str,
}

fn field(name: &'static str, label: &'static str, kind: &'static str, auto: &'static str) -> Field {
    Field {
        name,
        label,
        kind,
        value: String::new(),
        autocomplete: auto,
    }
}

fn hidden(name: &'static str, value: &str) -> Field {
    Field {
        name,
        label: "",
        kind: "hidden",
        value: value.to_owned(),
        autocomplete: "off",
    }
}

/// Every account page but the signed-in home: a message, maybe a form, maybe links.
#[derive(Template)]
#[template(path = "account/form.html")]
pub struct FormPage {
    pub title: &'static str,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub action: &'static str,
    pub fields: Vec<Field>,
    pub submit: &'static str,
    pub links: Vec<(String, String)>,
    pub providers: Vec<(String, String)>,
    /// Where the page sends the browser on by itself.
    pub refresh: Option<String>,
}

impl FormPage {
    fn message(title: &'static str, notice: String, links: Vec<(String, String)>) -> Self {
        FormPage {
            title,
            notice: Some(notice),
            error: None,
            action: "",
            fields: Vec::new(),
            submit: "",
            links,
            providers: Vec::new(),
            refresh: None,
        }
    }
}

pub fn render(t: &impl Template, status: StatusCode) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => ApiError::Internal(format!("template: {e}")).into_response(),
    }
}

fn link(href: &str, label: &str) -> (String, String) {
    (href.to_owned(), label.to_owned())
}

fn forbidden_origin() -> Response {
    (
        StatusCode::FORBIDDEN,
        "This form was sent from another site's page; nothing was changed.",
    )
        .into_response()
}

/// What every form that signs in, signs up or mails a link passes first: it must come from a
/// page of this origin, within the sign-in rate of the client's address and of the email.
/// `Some` is the refusal to send.
fn gate(
    state: &AppState,
    headers: &HeaderMap,
    ip: std::net::IpAddr,
    email: &str,
) -> Option<Response> {
    if !same_origin_post(state, headers) {
        return Some(forbidden_origin());
    }
    state
        .check_rate(Limit::SignIn, ip)
        .and_then(|()| state.check_sign_in_account(email))
        .err()
        .map(IntoResponse::into_response)
}

/// Makes a single-use token for the account and mails its link.
async fn mail_link(
    state: &AppState,
    account_id: i64,
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

#[derive(Deserialize, Default)]
pub struct ReturnQuery {
    #[serde(rename = "return")]
    return_to: Option<String>,
    site: Option<String>,
    token: Option<String>,
}

fn providers_for(state: &AppState, site: Option<&str>, return_to: &str) -> Vec<(String, String)> {
    state
        .settings
        .oidc
        .iter()
        .filter(|p| site.is_none_or(|s| s == p.site))
        .map(|p| {
            (
                format!(
                    "/account/oidc/start?site={}&provider={}&return={}",
                    enc(&p.site),
                    enc(&p.id),
                    enc(return_to)
                ),
                format!("Sign in with {}", p.name),
            )
        })
        .collect()
}

pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn sign_up_form(error: Option<String>, return_to: &str) -> FormPage {
    FormPage {
        title: "Create an account",
        notice: None,
        error,
        action: "/account/sign-up",
        fields: vec![
            field("name", "Name shown with your comments", "text", "nickname"),
            field("email", "Email", "email", "email"),
            field(
                "password",
                "Password (10 characters or more)",
                "password",
                "new-password",
            ),
            hidden("return", return_to),
        ],
        submit: "Create account",
        links: vec![link("/account/sign-in", "I have an account: sign in")],
        providers: Vec::new(),
        refresh: None,
    }
}

async fn sign_up_page(Query(q): Query<ReturnQuery>) -> Response {
    render(
        &sign_up_form(None, q.return_to.as_deref().unwrap_or_default()),
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
struct SignUpForm {
    name: String,
    email: String,
    password: String,
    #[serde(rename = "return")]
    return_to: Option<String>,
}

async fn sign_up(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    axum::Form(form): axum::Form<SignUpForm>,
) -> Response {
    // Per address too: each sign-up mails the address, which must not become a mail bomb.
    if let Some(refused) = gate(&state, &headers, ip, &form.email) {
        return refused;
    }
    let return_to = form.return_to.clone().unwrap_or_default();
    let bad = |msg: String| {
        render(
            &sign_up_form(Some(msg), &return_to),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let name = match AuthorName::parse(&form.name) {
        Ok(n) => n,
        Err(e) => return bad(e.to_string()),
    };
    let email = match Email::parse(form.email.trim()) {
        Ok(e) => e,
        Err(e) => return bad(e.to_string()),
    };
    if let Err(msg) = check_password(&form.password) {
        return bad(msg);
    }
    let hash = match hash_password(form.password).await {
        Ok(h) => h,
        Err(e) => return e.into_response(),
    };
    let made = state
        .store
        .create_account(NewAccount {
            email: Some(email.as_str().to_owned()),
            name: name.as_str().to_owned(),
            password_hash: Some(hash),
            email_verified: false,
            oidc: None,
        })
        .await;
    let sent = match made {
        Ok(account) => mail_link(&state, account.id, email.as_str(), TokenPurpose::Verify).await,
        // The address has an account: say the same as for a new one (so the form does not
        // tell who has an account here), and tell the owner by mail.
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
            .map_err(|e| ApiError::Internal(format!("cannot send mail: {e}"))),
        Err(e) => Err(e.into()),
    };
    if let Err(e) = sent {
        return e.into_response();
    }
    render(
        &FormPage::message(
            "Check your mail",
            format!(
                "We sent a link to {}. Open it to confirm your address, then sign in.",
                email.as_str()
            ),
            vec![link(
                &format!("/account/sign-in?return={}", enc(&return_to)),
                "Sign in",
            )],
        ),
        StatusCode::OK,
    )
}

async fn verify(State(state): State<AppState>, Query(q): Query<ReturnQuery>) -> Response {
    let token = q.token.unwrap_or_default();
    let taken = state
        .store
        .take_account_token(&token_hash(&token), TokenPurpose::Verify, Utc::now())
        .await;
    match taken {
        Ok(Some(id)) => {
            let change = AccountChange {
                email_verified: Some(true),
                ..AccountChange::default()
            };
            if let Err(e) = state.store.update_account(id, change).await {
                return ApiError::from(e).into_response();
            }
            render(
                &FormPage::message(
                    "Email confirmed",
                    "Your address is confirmed. You can sign in now.".into(),
                    vec![link("/account/sign-in", "Sign in")],
                ),
                StatusCode::OK,
            )
        }
        Ok(None) => render(
            &FormPage::message(
                "Link expired",
                "This link has expired or was already used. Sign in to get a new one.".into(),
                vec![link("/account/sign-in", "Sign in")],
            ),
            StatusCode::BAD_REQUEST,
        ),
        Err(e) => ApiError::from(e).into_response(),
    }
}

fn sign_in_form(
    state: &AppState,
    error: Option<String>,
    notice: Option<String>,
    return_to: &str,
    site: Option<&str>,
) -> FormPage {
    FormPage {
        title: "Sign in",
        notice,
        error,
        action: "/account/sign-in",
        fields: vec![
            field("email", "Email", "email", "username"),
            field("password", "Password", "password", "current-password"),
            hidden("return", return_to),
        ],
        submit: "Sign in",
        links: vec![
            link(
                &format!("/account/sign-up?return={}", enc(return_to)),
                "Create an account",
            ),
            link("/account/reset", "Forgot your password?"),
        ],
        providers: providers_for(state, site, return_to),
        refresh: None,
    }
}

async fn sign_in_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ReturnQuery>,
) -> Response {
    if let Ok(Some(_)) = reader(&state, &headers).await {
        return Redirect::to(&safe_return(&state, q.return_to.as_deref()).await).into_response();
    }
    render(
        &sign_in_form(
            &state,
            None,
            None,
            q.return_to.as_deref().unwrap_or_default(),
            q.site.as_deref(),
        ),
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
struct SignInForm {
    email: String,
    password: String,
    #[serde(rename = "return")]
    return_to: Option<String>,
}

async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    axum::Form(form): axum::Form<SignInForm>,
) -> Response {
    if let Some(refused) = gate(&state, &headers, ip, &form.email) {
        return refused;
    }
    let return_to = form.return_to.clone().unwrap_or_default();
    let fail = |msg: &str| {
        render(
            &sign_in_form(&state, Some(msg.to_owned()), None, &return_to, None),
            StatusCode::UNAUTHORIZED,
        )
    };
    let account = match state
        .store
        .account(AccountKey::Email(form.email.trim()))
        .await
    {
        Ok(Some(a)) => a,
        Ok(None) => return fail("Wrong email or password."),
        Err(e) => return ApiError::from(e).into_response(),
    };
    let Some(hash) = account.password_hash.clone() else {
        return fail("Wrong email or password.");
    };
    if !password_matches(form.password, hash).await {
        return fail("Wrong email or password.");
    }
    if !account.email_verified {
        let to = account.email.clone().unwrap_or_default();
        if let Err(e) = mail_link(&state, account.id, &to, TokenPurpose::Verify).await {
            return e.into_response();
        }
        return render(
            &sign_in_form(
                &state,
                Some(format!(
                    "Confirm your address first: we sent a new link to {to}."
                )),
                None,
                &return_to,
                None,
            ),
            StatusCode::FORBIDDEN,
        );
    }
    let to = safe_return(&state, Some(&return_to)).await;
    signed_in(&state, account.id, &to).await
}

fn reset_form(error: Option<String>) -> FormPage {
    FormPage {
        title: "Reset your password",
        notice: Some("We will mail you a link to choose a new password.".into()),
        error,
        action: "/account/reset",
        fields: vec![field("email", "Email", "email", "username")],
        submit: "Send the link",
        links: vec![link("/account/sign-in", "Sign in")],
        providers: Vec::new(),
        refresh: None,
    }
}

async fn reset_page() -> Response {
    render(&reset_form(None), StatusCode::OK)
}

#[derive(Deserialize)]
struct EmailForm {
    email: String,
}

async fn reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    axum::Form(form): axum::Form<EmailForm>,
) -> Response {
    if let Some(refused) = gate(&state, &headers, ip, &form.email) {
        return refused;
    }
    match state
        .store
        .account(AccountKey::Email(form.email.trim()))
        .await
    {
        Ok(Some(account)) => {
            let to = account.email.clone().unwrap_or_default();
            if let Err(e) = mail_link(&state, account.id, &to, TokenPurpose::Reset).await {
                return e.into_response();
            }
        }
        Ok(None) => {}
        Err(e) => return ApiError::from(e).into_response(),
    }
    render(
        &FormPage::message(
            "Check your mail",
            "If an account has this address, we sent it a link to choose a new password.".into(),
            vec![link("/account/sign-in", "Sign in")],
        ),
        StatusCode::OK,
    )
}

fn reset_confirm_form(token: &str, error: Option<String>) -> FormPage {
    FormPage {
        title: "Choose a new password",
        notice: None,
        error,
        action: "/account/reset/confirm",
        fields: vec![
            field(
                "password",
                "New password (10 characters or more)",
                "password",
                "new-password",
            ),
            hidden("token", token),
        ],
        submit: "Set the password",
        links: Vec::new(),
        providers: Vec::new(),
        refresh: None,
    }
}

async fn reset_confirm_page(Query(q): Query<ReturnQuery>) -> Response {
    render(
        &reset_confirm_form(q.token.as_deref().unwrap_or_default(), None),
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
struct ResetConfirmForm {
    token: String,
    password: String,
}

async fn reset_confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ResetConfirmForm>,
) -> Response {
    if !same_origin_post(&state, &headers) {
        return forbidden_origin();
    }
    if let Err(msg) = check_password(&form.password) {
        return render(
            &reset_confirm_form(&form.token, Some(msg)),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let id = match state
        .store
        .take_account_token(&token_hash(&form.token), TokenPurpose::Reset, Utc::now())
        .await
    {
        Ok(Some(id)) => id,
        Ok(None) => {
            return render(
                &FormPage::message(
                    "Link expired",
                    "This link has expired or was already used; ask for a new one.".into(),
                    vec![link("/account/reset", "Reset your password")],
                ),
                StatusCode::BAD_REQUEST,
            );
        }
        Err(e) => return ApiError::from(e).into_response(),
    };
    let hash = match hash_password(form.password).await {
        Ok(h) => h,
        Err(e) => return e.into_response(),
    };
    let change = AccountChange {
        password_hash: Some(hash),
        // The link reached the mailbox, so the address is the reader's.
        email_verified: Some(true),
    };
    let done = async {
        state.store.update_account(id, change).await?;
        // Whoever knew the old password is signed out too.
        state.store.end_account_sessions(id, None).await
    }
    .await;
    if let Err(e) = done {
        return ApiError::from(e).into_response();
    }
    signed_out(
        &state,
        render(
            &FormPage::message(
                "Password changed",
                "Your password is changed and every session was signed out. Sign in with the new one."
                    .into(),
                vec![link("/account/sign-in", "Sign in")],
            ),
            StatusCode::OK,
        ),
    )
}

#[derive(Template)]
#[template(path = "account/home.html")]
struct HomePage {
    account: Account,
    csrf: String,
    sessions: usize,
    /// (site, affiliation, verified) of the author records with a badge.
    badges: Vec<(String, Option<String>, bool)>,
    comments: usize,
    notice: Option<String>,
}

#[derive(Deserialize)]
struct NoticeQuery {
    done: Option<String>,
}

async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<NoticeQuery>,
) -> Response {
    let r = match reader(&state, &headers).await {
        Ok(Some(r)) => r,
        Ok(None) => return Redirect::to("/account/sign-in").into_response(),
        Err(e) => return e.into_response(),
    };
    let data = match data_of(&state, &r).await {
        Ok(d) => d,
        Err(resp) => return resp,
    };
    let notice = q.done.map(|d| match d.as_str() {
        "everywhere" => "Every other session was signed out.".to_owned(),
        _ => String::new(),
    });
    render(
        &HomePage {
            account: r.account,
            csrf: r.csrf,
            sessions: data.sessions.len(),
            badges: data
                .authors
                .iter()
                .filter(|(_, a)| a.verified || a.affiliation.is_some())
                .map(|(s, a)| (s.to_string(), a.affiliation.clone(), a.verified))
                .collect(),
            comments: data.comments.len(),
            notice: notice.filter(|n| !n.is_empty()),
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
    confirm: Option<String>,
}

/// The signed-in reader, if the form carries their token and came from this origin.
async fn form_reader(
    state: &AppState,
    headers: &HeaderMap,
    csrf: &str,
) -> Result<Reader, Response> {
    if !same_origin_post(state, headers) {
        return Err(forbidden_origin());
    }
    match reader(state, headers).await {
        Ok(Some(r)) if r.csrf == csrf => Ok(r),
        Ok(Some(_)) => Err((
            StatusCode::FORBIDDEN,
            "The form was stale or came from another site; reload the page.",
        )
            .into_response()),
        Ok(None) => Err(Redirect::to("/account/sign-in").into_response()),
        Err(e) => Err(e.into_response()),
    }
}

async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Response {
    let r = match form_reader(&state, &headers, &form.csrf).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    if let Err(e) = state
        .store
        .end_account_sessions(r.account.id, Some(&r.token_hash))
        .await
    {
        return ApiError::from(e).into_response();
    }
    signed_out(&state, Redirect::to("/").into_response())
}

async fn sign_out_everywhere(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Response {
    let r = match form_reader(&state, &headers, &form.csrf).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    if let Err(e) = state.store.end_account_sessions(r.account.id, None).await {
        return ApiError::from(e).into_response();
    }
    signed_out(&state, Redirect::to("/").into_response())
}

/// Everything held about the signed-in reader (the account may have just been deleted
/// elsewhere: then to the sign-in page).
async fn data_of(state: &AppState, r: &Reader) -> Result<jirga_store::AccountData, Response> {
    match state.store.account_data(r.account.id).await {
        Ok(Some(d)) => Ok(d),
        Ok(None) => Err(Redirect::to("/account/sign-in").into_response()),
        Err(e) => Err(ApiError::from(e).into_response()),
    }
}

fn time(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

async fn export(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let r = match reader(&state, &headers).await {
        Ok(Some(r)) => r,
        Ok(None) => return Redirect::to("/account/sign-in").into_response(),
        Err(e) => return e.into_response(),
    };
    let data = match data_of(&state, &r).await {
        Ok(d) => d,
        Err(resp) => return resp,
    };
    let a = &data.account;
    let body = serde_json::json!({
        "exported_at": time(Utc::now()),
        "account": {
            "id": a.id,
            "email": a.email,
            "name": a.name,
            "email_verified": a.email_verified,
            "signs_in_with": if a.oidc_issuer.is_some() { "openid_connect" } else { "password" },
            "openid_issuer": a.oidc_issuer,
            "created_at": time(a.created_at),
        },
        "author_records": data.authors.iter().map(|(site, au)| serde_json::json!({
            "site": site, "id": au.id, "name": au.name,
            "affiliation": au.affiliation, "verified": au.verified,
        })).collect::<Vec<_>>(),
        "comments": data.comments.iter().map(|c| serde_json::json!({
            "id": c.id, "site": c.site_id, "thread_id": c.thread_id, "parent_id": c.parent_id,
            "status": c.status.as_str(), "body_markdown": c.body_markdown, "votes": c.votes,
            "created_at": time(c.created_at), "edited_at": c.edited_at.map(time),
        })).collect::<Vec<_>>(),
        "votes": data.votes.iter().map(|(id, v, at)| serde_json::json!({
            "comment_id": id, "value": v, "at": time(*at),
        })).collect::<Vec<_>>(),
        "reports": data.reports.iter().map(|(id, reason, note, at)| serde_json::json!({
            "comment_id": id, "reason": reason, "note": note, "at": time(*at),
        })).collect::<Vec<_>>(),
        "sessions": data.sessions.iter().map(|(from, until)| serde_json::json!({
            "signed_in_at": time(*from), "expires_at": time(*until),
        })).collect::<Vec<_>>(),
        "not_kept": "Passwords are kept only as Argon2 hashes and are not exported; addresses \
                     are kept only as salted hashes that change every period, and cannot be tied to you.",
    });
    let text = serde_json::to_string_pretty(&body).unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"jirga-account-{}.json\"", a.id),
            ),
        ],
        text,
    )
        .into_response()
}

async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Response {
    let r = match form_reader(&state, &headers, &form.csrf).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    if form.confirm.as_deref().map(str::trim) != Some("delete") {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Type the word delete in the box to delete your account; nothing was changed.",
        )
            .into_response();
    }
    let data = match data_of(&state, &r).await {
        Ok(d) => d,
        Err(resp) => return resp,
    };
    // Each site decides what happens to the comments: removed, or kept as "deleted user".
    let mut remove_on: Vec<SiteId> = Vec::new();
    for (site, _) in &data.authors {
        match state.store.site(site).await {
            Ok(Some(s)) if s.policy.remove_deleted_accounts_comments => remove_on.push(s.id),
            Ok(_) => {}
            Err(e) => return ApiError::from(e).into_response(),
        }
    }
    let removed = match state
        .store
        .delete_account(r.account.id, &remove_on, Utc::now())
        .await
    {
        Ok(removed) => removed,
        Err(e) => return ApiError::from(e).into_response(),
    };
    for c in &removed {
        let mut gone = c.clone();
        gone.status = jirga_domain::CommentStatus::Deleted;
        state.comment_changed(Some(c.status), &gone).await;
    }
    // Kept comments now show "deleted user": every thread they are in changed.
    let threads: std::collections::BTreeSet<i64> =
        data.comments.iter().map(|c| c.thread_id).collect();
    for thread in threads {
        state.changed(thread, EventKind::Updated, None).await;
    }
    signed_out(
        &state,
        render(
            &FormPage::message(
                "Account deleted",
                format!(
                    "Your account is deleted. {} of your comments were removed; the others, if any, \
                     now show \"{}\".",
                    removed.len(),
                    jirga_store::DELETED_USER
                ),
                vec![link("/", "Back to the articles")],
            ),
            StatusCode::OK,
        ),
    )
}

/// `GET /api/v1/me`: who is signed in, for the widget (with the token its writes must carry).
pub async fn me(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ReturnQuery>,
) -> Result<Response, ApiError> {
    let site = match q.site.as_deref() {
        Some(raw) => Some(
            state
                .store
                .site(&SiteId::parse(raw)?)
                .await?
                .ok_or(ApiError::UnknownSite)?,
        ),
        None => None,
    };
    let base = &state.public_url;
    let providers: Vec<_> = providers_for(&state, q.site.as_deref(), "")
        .into_iter()
        .map(|(href, label)| serde_json::json!({"url": format!("{base}{href}"), "label": label}))
        .collect();
    let body = match reader(&state, &headers).await? {
        Some(r) => serde_json::json!({
            "signed_in": true,
            "name": r.account.name,
            "csrf": r.csrf,
            "account_url": format!("{base}/account"),
        }),
        None => serde_json::json!({
            "signed_in": false,
            "guests_allowed": site.as_ref().is_none_or(|s| s.policy.guests_allowed),
            "sign_in_url": format!("{base}/account/sign-in"),
            "sign_up_url": format!("{base}/account/sign-up"),
            "providers": providers,
        }),
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response())
}
