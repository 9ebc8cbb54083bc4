//! Moderators signing in: the password checked off the async threads, a session made.

use crate::auth::{password_matches, token_hash};
use crate::error::ApiError;
use crate::state::AppState;
use chrono::{Duration, Utc};
use rand::RngCore;

/// The session token of a moderator whose email and password match, `None` when they do not
/// (the same answer for an unknown email and a wrong password). Rate limits are the caller's:
/// they are checked before this, per address and per account.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: String,
    session_hours: i64,
) -> Result<Option<String>, ApiError> {
    let Some(moderator) = state.store.moderator_by_email(email.trim()).await? else {
        return Ok(None);
    };
    // Argon2 takes tens of milliseconds of CPU: on a blocking thread, not the runtime's.
    if !password_matches(password, moderator.password_hash.expose().to_owned()).await {
        return Ok(None);
    }
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    state
        .store
        .create_session(
            &token_hash(&token),
            moderator.id,
            Utc::now() + Duration::hours(session_hours),
        )
        .await?;
    Ok(Some(token))
}
