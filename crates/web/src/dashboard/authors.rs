//! A site's commenters: search, affiliations and verified marks.

use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jirga_domain::SiteId;
use jirga_store::{AuthorRow, ModAction};
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
                done: q.done.filter(|d| d == "saved").map(|_| "Saved.".to_owned()),
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
    Path((site, author)): Path<(String, i64)>,
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
    let affiliation: Option<String> = form
        .affiliation
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| a.chars().take(120).collect());
    let verified = form.verified.is_some();
    match state
        .store
        .set_badges(&id, author, affiliation.clone(), verified)
        .await
    {
        Ok(()) => {}
        Err(jirga_store::StoreError::NotFound(_)) => {
            return ApiError::UnknownComment.into_response();
        }
        Err(e) => return internal(e),
    }
    let mut entry = session.entry(&id, ModAction::Badges);
    entry.author_id = Some(author);
    entry.note = Some(format!(
        "verified: {}; affiliation: {}",
        if verified { "yes" } else { "no" },
        affiliation.as_deref().unwrap_or("none")
    ));
    if let Err(e) = state.store.log(entry).await {
        return internal(e);
    }
    // The author's name line changed wherever they commented: drop cached pages.
    state.cache.clear();
    Redirect::to(&format!("/moderate/authors/{id}?done=saved")).into_response()
}
