//! The moderators' dashboard, server-rendered: sign-in, the queue of held comments, the
//! queue of reader reports, the modlog, per-site settings and charts. Every action is a
//! form POST carrying a CSRF token derived from the session, and writes a modlog line in the
//! same transaction as the change it records.

use crate::auth::{cookie_value, same_origin_post, token_hash};
use crate::error::ApiError;
use crate::http::ClientIp;
use crate::pages::CSP;
use crate::service::moderation::{self};
use crate::state::{AppState, Limit};
use argon2::{Argon2, PasswordVerifier};
use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{Duration, Utc};
use jirga_domain::SiteId;
use jirga_store::{ModAction, Moderator, NewModlogEntry};
use rand::RngCore;
use serde::Deserialize;
use tower_http::set_header::SetResponseHeaderLayer;

const COOKIE: &str = "jirga_mod";
const SESSION_HOURS: i64 = 12;

mod authors;
mod charts;
mod queue;
mod settings;

pub use settings::{CurveRow, site_model_file, threshold_curve};

pub fn router(settings: &crate::config::Settings) -> Router<AppState> {
    // Forms carry a body: they get the body timeout (see `http::body_timeout`).
    let timed = crate::http::body_timeout(settings);
    Router::new()
        .route("/moderate", get(queue::queue))
        .route("/moderate/login", post(login).layer(timed).get(login_page))
        .route("/moderate/logout", post(logout).layer(timed))
        .route(
            "/moderate/comments/{id}/decision",
            post(queue::decide).layer(timed),
        )
        .route("/moderate/reports", get(queue::reports))
        .route("/moderate/log", get(queue::modlog))
        .route(
            "/moderate/settings/{site}",
            post(settings::save_settings)
                .layer(timed)
                .get(settings::settings_page),
        )
        .route("/moderate/charts", get(charts::charts))
        .route("/moderate/authors/{site}", get(authors::authors_page))
        .route(
            "/moderate/authors/{site}/{id}",
            post(authors::save_badges).layer(timed),
        )
        .route("/dashboard.js", get(|| async { script() }))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../../assets/dashboard.js"),
    )
}

/// What every dashboard page shows around its content: who is signed in, the form token,
/// and the sites in the navigation.
pub struct Chrome {
    pub me: String,
    pub csrf: String,
    pub sites: Vec<String>,
    /// The sites where this moderator is an admin.
    pub admin_of: Vec<String>,
}

/// Why a signed-in moderator's request is refused.
pub enum Denied {
    StaleForm,
    NotYourSite,
    NotAdmin,
}

impl IntoResponse for Denied {
    fn into_response(self) -> Response {
        let why = match self {
            Denied::StaleForm => "The form was stale or came from another site; reload the page.",
            Denied::NotYourSite => "You are not a moderator of this site.",
            Denied::NotAdmin => "Only an admin of this site may do this.",
        };
        (StatusCode::FORBIDDEN, why).into_response()
    }
}

/// A signed-in moderator. Pages that need one redirect to the sign-in page otherwise.
pub struct Session {
    pub moderator: Moderator,
    /// Goes into every form; a request without it changes nothing.
    pub csrf: String,
    token_hash: String,
}

impl Session {
    fn check(&self, csrf: &str) -> Result<(), Denied> {
        if csrf == self.csrf {
            Ok(())
        } else {
            Err(Denied::StaleForm)
        }
    }

    fn may(&self, site: &SiteId) -> Result<(), Denied> {
        if self.moderator.sites.contains(site) {
            Ok(())
        } else {
            Err(Denied::NotYourSite)
        }
    }

    fn admin(&self, site: &SiteId) -> Result<(), Denied> {
        if self.moderator.admin_of.contains(site) {
            Ok(())
        } else {
            Err(Denied::NotAdmin)
        }
    }

    fn chrome(&self) -> Chrome {
        Chrome {
            admin_of: self
                .moderator
                .admin_of
                .iter()
                .map(ToString::to_string)
                .collect(),
            me: self.moderator.name.clone(),
            csrf: self.csrf.clone(),
            sites: self
                .moderator
                .sites
                .iter()
                .map(ToString::to_string)
                .collect(),
        }
    }

    fn entry(&self, site: &SiteId, action: ModAction) -> NewModlogEntry {
        moderation::entry(&self.moderator, site, action)
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let to_login = || Redirect::to("/moderate/login").into_response();
        let token = cookie_value(&parts.headers, COOKIE).ok_or_else(to_login)?;
        let hash = token_hash(&token);
        let moderator = state
            .store
            .session_moderator(&hash, Utc::now())
            .await
            .map_err(|e| ApiError::from(e).into_response())?
            .ok_or_else(to_login)?;
        Ok(Session {
            moderator,
            csrf: token_hash(&format!("csrf:{token}")),
            token_hash: hash,
        })
    }
}

fn render(t: &impl Template, status: StatusCode) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => ApiError::Internal(format!("template: {e}")).into_response(),
    }
}

fn internal(e: impl Into<ApiError>) -> Response {
    e.into().into_response()
}

#[derive(Template)]
#[template(path = "moderate/login.html")]
struct LoginPage {
    error: Option<String>,
}

async fn login_page() -> Response {
    render(&LoginPage { error: None }, StatusCode::OK)
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: axum::http::HeaderMap,
    axum::Form(form): axum::Form<LoginForm>,
) -> Response {
    // Login CSRF: the form must come from a page of this server.
    if !same_origin_post(&state, &headers) {
        return (
            StatusCode::FORBIDDEN,
            "The form came from another site's page.",
        )
            .into_response();
    }
    // Per address and per account: guessing passwords from many addresses for one account,
    // or for many accounts from one address, is slowed down either way.
    if let Err(e) = state
        .check_rate(Limit::SignIn, ip)
        .and_then(|()| state.check_sign_in_account(&form.email))
    {
        return e.into_response();
    }
    let fail = || {
        render(
            &LoginPage {
                error: Some("Wrong email or password.".into()),
            },
            StatusCode::UNAUTHORIZED,
        )
    };
    let moderator = match state.store.moderator_by_email(form.email.trim()).await {
        Ok(Some(m)) => m,
        Ok(None) => return fail(),
        Err(e) => return internal(e),
    };
    if Argon2::default()
        .verify_password(form.password.as_bytes(), moderator.password_hash.as_str())
        .is_err()
    {
        return fail();
    }
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    if let Err(e) = state
        .store
        .create_session(
            &token_hash(&token),
            moderator.id,
            Utc::now() + Duration::hours(SESSION_HOURS),
        )
        .await
    {
        return internal(e);
    }
    let secure = if state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        SESSION_HOURS * 3600
    );
    let mut resp = Redirect::to("/moderate").into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    session: Session,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Response {
    if let Err(r) = session.check(&form.csrf) {
        return r.into_response();
    }
    if let Err(e) = state.store.delete_session(&session.token_hash).await {
        return internal(e);
    }
    let mut resp = Redirect::to("/moderate/login").into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("jirga_mod=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    resp
}

#[derive(Deserialize)]
pub(super) struct Flash {
    done: Option<String>,
}
