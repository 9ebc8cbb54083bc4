//! Publisher single sign-on over the API: the widget exchanges the token the publisher's page
//! gave it for a session (`POST /sso/session`) and signs out (`POST /sso/sign-out`).

use super::site;
use crate::auth::{COOKIE, api_reader, cookie, csrf_for, reader, with_cookie};
use crate::error::{ApiError, ApiJson};
use crate::http::ClientIp;
use crate::service::Caller;
use crate::service::sso;
use crate::state::{AppState, Limit};
use crate::views::{ErrorJson, SignedOutJson, SsoSessionJson};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SignInBody {
    site: String,
    token: String,
}

/// Exchanges a token the publisher's backend signed for a session of the reader it names.
#[utoipa::path(post, path = "/api/v1/sso/session", tag = "readers", request_body = SignInBody,
    responses((status = 200, body = SsoSessionJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)))]
pub(super) async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(body): ApiJson<SignInBody>,
) -> Result<Response, ApiError> {
    state.check_rate(Limit::Action, ip)?;
    sso::config(&state, &body.site)?;
    let s = site(&state, &body.site).await?;
    Caller::of(None, ip, &headers).check_origin(&state, &s)?;
    let previous = reader(&state, &headers).await?;
    let signed = sso::sign_in(&state, &body.site, &body.token, previous.as_ref()).await?;
    let max_age = (signed.until - Utc::now()).num_seconds().max(1);
    let answer = Json(SsoSessionJson {
        signed_in: true,
        name: signed.account.name,
        csrf: csrf_for(&signed.token),
        expires_at: crate::views::time(signed.until),
    });
    let session = cookie(&state, COOKIE, &signed.token, "/", max_age);
    Ok(with_cookie(answer.into_response(), session))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SignOutBody {
    site: String,
    /// The publisher's token, revoked so that it cannot sign in again.
    token: Option<String>,
}

/// Ends the reader's session and revokes the publisher's token.
#[utoipa::path(post, path = "/api/v1/sso/sign-out", tag = "readers", request_body = SignOutBody,
    responses((status = 200, body = SignedOutJson), (status = 403, body = ErrorJson)))]
pub(super) async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<SignOutBody>,
) -> Result<Response, ApiError> {
    // With a session cookie, the CSRF token is required, as for every write.
    let reader = api_reader(&state, &headers).await?;
    sso::sign_out(&state, &body.site, body.token.as_deref(), reader.as_ref()).await?;
    let cleared = cookie(&state, COOKIE, "", "/", 0);
    let answer = Json(SignedOutJson { signed_in: false });
    Ok(with_cookie(answer.into_response(), cleared))
}
