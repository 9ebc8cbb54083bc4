//! A site's webhooks, for its admins: add one (its secret shown once), remove it, send it a
//! test event, and read the last deliveries with the receivers' answers.

use crate::error::ApiError;
use crate::service::sites::{self, WebhookIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jirga_domain::{SiteId, WebhookId};
use jirga_store::{Delivery, WEBHOOK_EVENTS, Webhook};
use serde::Deserialize;

use super::session::{Chrome, Session, admin_site, internal, render};

#[derive(Template)]
#[template(path = "moderate/webhooks.html")]
pub(super) struct WebhooksPage {
    chrome: Chrome,
    site: String,
    hooks: Vec<Webhook>,
    deliveries: Vec<Delivery>,
    events: &'static [&'static str],
    /// A new webhook's secret, shown once.
    secret: Option<String>,
    error: Option<String>,
    done: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct PageQuery {
    done: Option<String>,
}

async fn page(
    state: &AppState,
    session: &Session,
    site: &SiteId,
    secret: Option<String>,
    error: Option<String>,
    done: Option<String>,
) -> Result<WebhooksPage, Response> {
    let hooks = state.store.webhooks(site).await.map_err(internal)?;
    let deliveries = state.store.deliveries(site, 30).await.map_err(internal)?;
    Ok(WebhooksPage {
        chrome: session.chrome(),
        site: site.to_string(),
        hooks,
        deliveries,
        events: &WEBHOOK_EVENTS,
        secret,
        error,
        done,
    })
}

pub(super) async fn webhooks_page(
    State(state): State<AppState>,
    session: Session,
    Path(site): Path<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    let site = match admin_site(&session, &site) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    let done = match q.done.as_deref() {
        Some("removed") => Some(session.l.t("dash-hook-removed")),
        Some("tested") => Some(session.l.t("dash-hook-tested")),
        _ => None,
    };
    match page(&state, &session, &site, None, None, done).await {
        Ok(p) => render(&p, StatusCode::OK),
        Err(r) => r,
    }
}

#[derive(Deserialize)]
pub(super) struct AddForm {
    csrf: String,
    url: String,
    format: String,
    /// Each ticked event (the form repeats the field).
    #[serde(default)]
    event: Vec<String>,
}

pub(super) async fn add(
    State(state): State<AppState>,
    session: Session,
    Path(site): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    // Ticked boxes repeat a field: read with serde_html_form, which gathers them.
    let form: AddForm = match serde_html_form::from_bytes(&body) {
        Ok(f) => f,
        Err(e) => return ApiError::InvalidRequest(e.to_string()).into_response(),
    };
    if let Err(r) = session.check(&form.csrf) {
        return r.into_response();
    }
    let site = match admin_site(&session, &site) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    let hook = WebhookIn {
        url: form.url,
        events: form.event,
        format: form.format,
    };
    let (secret, error, status) =
        match sites::add_webhook(&state, &session.moderator, &site, hook).await {
            Ok(Ok(made)) => (Some(made.secret.expose().to_owned()), None, StatusCode::OK),
            Ok(Err(code)) => {
                let l = session.l;
                let why = match code.strip_prefix("event:") {
                    Some(event) => l.t1("dash-hook-error-event", "event", event),
                    None => l.keyed("dash-hook-error-", &code),
                };
                (None, Some(why), StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(e) => return e.into_response(),
        };
    match page(&state, &session, &site, secret, error, None).await {
        Ok(p) => render(&p, status),
        Err(r) => r,
    }
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: String,
}

pub(super) async fn remove(
    State(state): State<AppState>,
    session: Session,
    Path((site, hook)): Path<(String, WebhookId)>,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Response {
    let site = match checked(&session, &site, &form.csrf) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    match sites::remove_webhook(&state, &session.moderator, &site, hook).await {
        Ok(()) => back(&site, "removed"),
        Err(e) => e.into_response(),
    }
}

pub(super) async fn test(
    State(state): State<AppState>,
    session: Session,
    Path((site, hook)): Path<(String, WebhookId)>,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Response {
    let site = match checked(&session, &site, &form.csrf) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    match sites::test_webhook(&state, &session.moderator, &site, hook).await {
        Ok(()) => back(&site, "tested"),
        Err(e) => e.into_response(),
    }
}

/// The form's token, then the admin.
fn checked(session: &Session, site: &str, csrf: &str) -> Result<SiteId, Box<Response>> {
    session
        .check(csrf)
        .map_err(|d| Box::new(d.into_response()))?;
    admin_site(session, site)
}

fn back(site: &SiteId, done: &str) -> Response {
    Redirect::to(&format!("/moderate/webhooks/{site}?done={done}")).into_response()
}
