//! A signed-in moderator: the session cookie, the form token, what they may do, and the
//! page chrome and responses every dashboard page shares.

use crate::auth::{cookie_value, token_hash};
use crate::error::ApiError;
use crate::i18n::Locale;
use crate::state::AppState;
use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use jirga_domain::SiteId;
use jirga_store::Moderator;
use serde::Deserialize;

pub(super) const COOKIE: &str = "jirga_mod";
pub(super) const SESSION_HOURS: i64 = 12;

/// What every dashboard page shows around its content: who is signed in, the form token,
/// and the sites in the navigation.
pub struct Chrome {
    /// The language the dashboard is drawn in (the moderator's choice, else the browser's).
    pub l: &'static Locale,
    pub me: String,
    pub csrf: String,
    pub sites: Vec<String>,
    /// The sites where this moderator is an admin.
    pub admin_of: Vec<String>,
}

/// Why a signed-in moderator's request is refused.
pub enum Why {
    StaleForm,
    NotYourSite,
    NotAdmin,
}

/// A refusal, said in the moderator's language.
pub struct Denied(pub Why, pub &'static Locale);

impl IntoResponse for Denied {
    fn into_response(self) -> Response {
        let key = match self.0 {
            Why::StaleForm => "dash-denied-stale",
            Why::NotYourSite => "dash-denied-site",
            Why::NotAdmin => "dash-denied-admin",
        };
        (StatusCode::FORBIDDEN, self.1.t(key)).into_response()
    }
}

/// A signed-in moderator. Pages that need one redirect to the sign-in page otherwise.
pub struct Session {
    pub moderator: Moderator,
    /// The language the dashboard speaks to this moderator.
    pub l: &'static Locale,
    /// Goes into every form; a request without it changes nothing.
    pub csrf: String,
    pub(super) token_hash: String,
}

impl Session {
    pub(super) fn check(&self, csrf: &str) -> Result<(), Denied> {
        if csrf == self.csrf {
            Ok(())
        } else {
            Err(Denied(Why::StaleForm, self.l))
        }
    }

    pub(super) fn may(&self, site: &SiteId) -> Result<(), Denied> {
        if self.moderator.sites.contains(site) {
            Ok(())
        } else {
            Err(Denied(Why::NotYourSite, self.l))
        }
    }

    pub(super) fn admin(&self, site: &SiteId) -> Result<(), Denied> {
        if self.moderator.admin_of.contains(site) {
            Ok(())
        } else {
            Err(Denied(Why::NotAdmin, self.l))
        }
    }

    pub(super) fn chrome(&self) -> Chrome {
        Chrome {
            l: self.l,
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
}

impl Session {
    /// The moderator signed in to the dashboard in this browser, if any. The cookie is
    /// SameSite=Strict: it comes with requests from pages of Jirga's own site only (the
    /// widget on an article served from the same site: `comments.daily.example` under
    /// `www.daily.example`).
    pub async fn from_headers(
        state: &AppState,
        headers: &axum::http::HeaderMap,
    ) -> Result<Option<Session>, ApiError> {
        let Some(token) = cookie_value(headers, COOKIE) else {
            return Ok(None);
        };
        let hash = token_hash(&token);
        Ok(state
            .store
            .session_moderator(&hash, Utc::now())
            .await?
            .map(|moderator| Session {
                moderator,
                l: crate::i18n::from_headers(None, headers),
                csrf: token_hash(&format!("csrf:{token}")),
                token_hash: hash,
            }))
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let mut session = Session::from_headers(state, &parts.headers)
            .await
            .map_err(IntoResponse::into_response)?
            .ok_or_else(|| Redirect::to("/moderate/login").into_response())?;
        session.l = crate::i18n::from_headers(parts.uri.query(), &parts.headers);
        Ok(session)
    }
}

pub(super) fn render(t: &impl Template, status: StatusCode) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => ApiError::Internal(format!("template: {e}")).into_response(),
    }
}

/// The site in the path, if this moderator is its admin.
pub(super) fn admin_site(session: &Session, raw: &str) -> Result<SiteId, Box<Response>> {
    let id = SiteId::parse(raw).map_err(|_| Box::new(ApiError::UnknownSite.into_response()))?;
    session
        .admin(&id)
        .map_err(|d| Box::new(d.into_response()))?;
    Ok(id)
}

pub(super) fn internal(e: impl Into<ApiError>) -> Response {
    e.into().into_response()
}

#[derive(Deserialize)]
pub(super) struct Flash {
    pub(super) done: Option<String>,
}
