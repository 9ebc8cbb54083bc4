//! A site's commenters: search, affiliations and verified marks.

use crate::error::ApiError;
use crate::service::sites;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jirga_domain::AuthorId;
use jirga_domain::SiteId;
use jirga_store::AuthorRow;
use serde::Deserialize;

use super::session::{Chrome, Session, internal, render};

#[derive(Template)]
#[template(path = "moderate/authors.html")]
pub(super) struct AuthorsPage {
    chrome: Chrome,
    site: String,
    query: String,
    authors: Vec<AuthorRow>,
    done: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct AuthorsQuery {
    q: Option<String>,
    done: Option<String>,
}

pub(super) async fn authors_page(
    State(state): State<AppState>,
    session: Session,
    Path(site): Path<String>,
    axum::extract::Query(q): axum::extract::Query<AuthorsQuery>,
) -> Response {
    let Ok(id) = SiteId::parse(&site) else {
        return ApiError::UnknownSite.into_response();
    };
    if let Err(r) = session.admin(&id) {
        return r.into_response();
    }
    let query: String = q.q.unwrap_or_default().trim().chars().take(100).collect();
    match state.store.site_authors(&id, &query, 200).await {
        Ok(authors) => render(
            &AuthorsPage {
                chrome: session.chrome(),
                site: id.to_string(),
                query,
                authors,
                done: q
                    .done
                    .filter(|d| d == "saved")
                    .map(|_| session.l.t("dash-saved")),
            },
            StatusCode::OK,
        ),
        Err(e) => internal(e),
    }
}

#[derive(Deserialize)]
pub(super) struct BadgeForm {
    csrf: String,
    affiliation: Option<String>,
    verified: Option<String>,
}

pub(super) async fn save_badges(
    State(state): State<AppState>,
    session: Session,
    Path((site, author)): Path<(String, AuthorId)>,
    axum::Form(form): axum::Form<BadgeForm>,
) -> Response {
    if let Err(r) = session.check(&form.csrf) {
        return r.into_response();
    }
    let Ok(id) = SiteId::parse(&site) else {
        return ApiError::UnknownSite.into_response();
    };
    if let Err(r) = session.admin(&id) {
        return r.into_response();
    }
    let affiliation = form.affiliation.as_deref();
    let verified = form.verified.is_some();
    match sites::set_badges(
        &state,
        &session.moderator,
        &id,
        author,
        affiliation,
        verified,
    )
    .await
    {
        Ok(()) => Redirect::to(&format!("/moderate/authors/{id}?done=saved")).into_response(),
        Err(e) => internal(e),
    }
}
