//! A site's imports, for its admins: upload another system's export (Disqus, WordPress,
//! Remark42, Commento, Isso, Jirga), follow it while it runs, read its report, undo a batch.
//! The work is `service::imports`; the page refreshes itself while an import runs, so it
//! needs no script.

use crate::error::ApiError;
use crate::service::imports::{self, Choices, JobState, Refused};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jirga_domain::SiteId;
use jirga_import::run::Report;
use jirga_store::ImportBatch;
use tokio::io::AsyncWriteExt;

use super::session::{Chrome, Denied, Session, admin_site, internal, render};

#[derive(Template)]
#[template(path = "moderate/imports.html")]
pub(super) struct ImportsPage {
    chrome: Chrome,
    site: String,
    batches: Vec<ImportBatch>,
    job: Option<JobView>,
    error: Option<String>,
    max_mb: u64,
}

/// The latest import on this instance, as the page shows it.
pub(super) struct JobView {
    file_name: String,
    running: bool,
    percent: u64,
    report: Option<Report>,
    /// "published 120, held 3", and the same for skip reasons.
    states: String,
    skipped: String,
    failed: Option<String>,
}

fn list(counts: &std::collections::BTreeMap<String, u64>) -> String {
    counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn page(
    state: &AppState,
    session: &Session,
    site: &SiteId,
    error: Option<String>,
) -> Result<ImportsPage, Response> {
    let batches = state.store.import_batches(site).await.map_err(internal)?;
    let job = state.imports.latest(site).map(|job| {
        let (running, report, failed) = match job.state() {
            JobState::Running(r) => (true, Some(r), None),
            JobState::Done(r) => (false, Some(r), None),
            JobState::Failed(why) => (false, None, Some(why)),
        };
        JobView {
            file_name: job.file_name.clone(),
            running,
            percent: if running { job.percent() } else { 100 },
            states: report.as_ref().map(|r| list(&r.states)).unwrap_or_default(),
            skipped: report
                .as_ref()
                .map(|r| list(&r.skipped))
                .unwrap_or_default(),
            report,
            failed,
        }
    });
    Ok(ImportsPage {
        chrome: session.chrome(),
        site: site.to_string(),
        batches,
        job,
        error,
        max_mb: state.settings.import_upload_max_mb,
    })
}

pub(super) async fn imports_page(
    State(state): State<AppState>,
    session: Session,
    Path(site): Path<String>,
) -> Response {
    let site = match admin_site(&session, &site) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    match page(&state, &session, &site, None).await {
        Ok(p) => render(&p, StatusCode::OK),
        Err(r) => r,
    }
}

/// The upload: the form's token must come before the file (the form puts it first), so
/// nothing is written to disk for a forged request.
pub(super) async fn upload(
    State(state): State<AppState>,
    session: Session,
    Path(site): Path<String>,
    mut form: Multipart,
) -> Response {
    let site = match admin_site(&session, &site) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    let mut choices = Choices::default();
    let mut checked = false;
    let mut file = None;
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return e.into_response(),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            if !checked {
                return Denied(super::session::Why::StaleForm, session.l).into_response();
            }
            let file_name = field.file_name().unwrap_or("upload").to_owned();
            let saved = match save(&state, &mut field).await {
                Ok(s) => s,
                Err(e) => return e,
            };
            file = Some((saved, file_name));
            continue;
        }
        let value = match field.text().await {
            Ok(v) => v,
            Err(e) => return e.into_response(),
        };
        match name.as_str() {
            "csrf" => {
                if let Err(d) = session.check(&value) {
                    return d.into_response();
                }
                checked = true;
            }
            "format" => choices.format = value,
            "maps" => choices.maps = value,
            "dry_run" => choices.dry_run = true,
            "moderate" => choices.moderate = true,
            "pingbacks" => choices.pingbacks = true,
            _ => {}
        }
    }
    let refused = match file {
        None => Refused::Unreadable(session.l.t("dash-import-no-file")),
        Some((saved, file_name)) => {
            match imports::start(&state, &site, saved, file_name, choices).await {
                Ok(Ok(())) => {
                    return Redirect::to(&format!("/moderate/imports/{site}")).into_response();
                }
                Ok(Err(refused)) => refused,
                Err(e) => return e.into_response(),
            }
        }
    };
    let l = session.l;
    let said = match &refused {
        Refused::Busy => l.t("dash-import-busy"),
        Refused::UnknownFormat => l.t("dash-import-unknown-format"),
        Refused::BadFormat(f) => l.t1("dash-import-bad-format", "format", f),
        Refused::BadMap(rule, why) => l.t2("dash-import-bad-map", "rule", rule, "why", why),
        Refused::Unreadable(why) => l.t1("dash-import-unreadable", "why", why),
    };
    match page(&state, &session, &site, Some(said)).await {
        Ok(p) => render(&p, StatusCode::UNPROCESSABLE_ENTITY),
        Err(r) => r,
    }
}

/// Streams the file part to a temporary file beside the data (removed when the import ends).
async fn save(
    state: &AppState,
    field: &mut axum::extract::multipart::Field<'_>,
) -> Result<tempfile::TempPath, Response> {
    let cannot =
        |e: std::io::Error| internal(ApiError::Internal(format!("cannot keep the upload: {e}")));
    let (file, path) = tempfile::NamedTempFile::new_in(&state.settings.data)
        .map_err(cannot)?
        .into_parts();
    let mut out = tokio::fs::File::from_std(file);
    while let Some(bytes) = field.chunk().await.map_err(IntoResponse::into_response)? {
        out.write_all(&bytes).await.map_err(cannot)?;
    }
    out.flush().await.map_err(cannot)?;
    Ok(path)
}

#[derive(serde::Deserialize)]
pub(super) struct CsrfForm {
    csrf: String,
}

pub(super) async fn undo(
    State(state): State<AppState>,
    session: Session,
    Path((site, batch)): Path<(String, i64)>,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Response {
    if let Err(d) = session.check(&form.csrf) {
        return d.into_response();
    }
    let site = match admin_site(&session, &site) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    match imports::undo(&state, &site, batch).await {
        Ok(_) => Redirect::to(&format!("/moderate/imports/{site}")).into_response(),
        Err(e) => e.into_response(),
    }
}
