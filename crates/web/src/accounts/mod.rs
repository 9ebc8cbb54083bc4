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

use crate::auth::reader;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jirga_domain::SiteId;
use tower_http::set_header::SetResponseHeaderLayer;

mod forms;
mod home;
mod mail;
mod oidc;
mod sign;

pub use forms::{FormPage, enc, render, safe_return, signed_in};
use forms::{ReturnQuery, providers_for};

pub fn router(settings: &crate::config::Settings) -> Router<AppState> {
    let timed = crate::http::body_timeout(settings);
    Router::new()
        .route("/account", get(home::home))
        .route(
            "/account/sign-up",
            post(sign::sign_up).layer(timed).get(sign::sign_up_page),
        )
        .route("/account/verify", get(sign::verify))
        .route(
            "/account/sign-in",
            post(sign::sign_in).layer(timed).get(sign::sign_in_page),
        )
        .route(
            "/account/reset",
            post(sign::reset).layer(timed).get(sign::reset_page),
        )
        .route(
            "/account/reset/confirm",
            post(sign::reset_confirm)
                .layer(timed)
                .get(sign::reset_confirm_page),
        )
        .route("/account/sign-out", post(home::sign_out).layer(timed))
        .route(
            "/account/sign-out-everywhere",
            post(home::sign_out_everywhere).layer(timed),
        )
        .route("/account/export", get(home::export))
        .route("/account/delete", post(home::delete).layer(timed))
        .route("/account/oidc/start", get(oidc::start))
        .route("/account/oidc/callback", get(oidc::callback))
        .route("/mail/confirm", get(mail::confirm))
        .route(
            "/mail/unsubscribe",
            post(mail::unsubscribe_now)
                .layer(timed)
                .get(mail::unsubscribe),
        )
        .route("/mail/subscribe", post(mail::subscribe).layer(timed))
        .route(
            "/mail/appeal",
            post(mail::appeal).layer(timed).get(mail::appeal_page),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(crate::pages::CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// `GET /api/v1/me`: who is signed in, for the widget (with the token its writes must carry).
#[utoipa::path(get, path = "/api/v1/me", tag = "readers", params(("site" = Option<String>, Query)),
    responses((status = 200, description = "`{signed_in: true, name, csrf, account_url}` or `{signed_in: false, guests_allowed, sign_in_url, sign_up_url, providers}`", body = Object)))]
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
    let l = crate::i18n::from_headers(None, &headers);
    let providers: Vec<_> = providers_for(&state, l, q.site.as_deref(), "")
        .into_iter()
        .map(|(href, label)| serde_json::json!({"url": format!("{base}{href}"), "label": label}))
        .collect();
    let mut body = match reader(&state, &headers).await? {
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
    // A moderator of the site, signed in to the dashboard in this browser, moderates from
    // the widget too (`POST /api/v1/comments/{id}/decision` with this token).
    if let Some(site) = &site
        && let Some(m) = crate::dashboard::Session::from_headers(&state, &headers).await?
        && m.moderator.sites.contains(&site.id)
    {
        body["moderator"] = serde_json::json!({"name": m.moderator.name, "csrf": m.csrf});
    }
    Ok(([(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response())
}
