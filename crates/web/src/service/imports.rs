//! Imports started from the dashboard: an admin uploads another system's export, it runs in
//! the background (one at a time per site) while the page shows its progress, and its batch
//! can be undone from the same page. The same `jirga_import::run` as `jirga import`.
//!
//! The progress lives in this instance's memory: behind a load balancer the page that shows
//! it must reach the instance that took the upload (the batches themselves are in the
//! database, and every instance lists them).

use crate::error::ApiError;
use crate::state::AppState;
use jirga_domain::SiteId;
use jirga_import::run::{Moderate, Options, Report};
use jirga_import::urls::MapRule;
use jirga_import::{Format, ReadOptions};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// What the upload form chose.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// A format name, or `auto`.
    pub format: String,
    pub dry_run: bool,
    pub moderate: bool,
    pub pingbacks: bool,
    /// One `FROM TO` rule per line.
    pub maps: String,
}

/// One import in progress or finished.
pub struct Job {
    pub file_name: String,
    pub size: u64,
    read: Arc<AtomicU64>,
    state: Mutex<JobState>,
}

#[derive(Clone)]
pub enum JobState {
    Running(Report),
    Done(Report),
    Failed(String),
}

impl Job {
    /// The share of the file read, 0 to 100.
    pub fn percent(&self) -> u64 {
        (self.read.load(Ordering::Relaxed) * 100)
            .checked_div(self.size)
            .unwrap_or(100)
            .min(100)
    }

    pub fn state(&self) -> JobState {
        lock(&self.state).clone()
    }

    fn set(&self, to: JobState) {
        *lock(&self.state) = to;
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Each site's latest import on this instance.
#[derive(Default)]
pub struct Jobs(Mutex<HashMap<SiteId, Arc<Job>>>);

impl Jobs {
    pub fn latest(&self, site: &SiteId) -> Option<Arc<Job>> {
        lock(&self.0).get(site).cloned()
    }
}

/// Why an upload is not imported (the page says so; nothing was stored).
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("An import into this site is still running; wait for it to finish.")]
    Busy,
    #[error("Cannot tell the format of this file from its first bytes: choose it in the list.")]
    UnknownFormat,
    #[error("Unknown format {0:?}.")]
    BadFormat(String),
    #[error("Map rule {0:?}: {1}")]
    BadMap(String, String),
    #[error("Cannot read the upload: {0}")]
    Unreadable(String),
}

/// Starts importing the uploaded file (which the job deletes when it is done). Answers at
/// once; `Jobs::latest` follows it.
pub async fn start(
    state: &AppState,
    site: &SiteId,
    upload: tempfile::TempPath,
    file_name: String,
    choices: Choices,
) -> Result<Result<(), Refused>, ApiError> {
    if let Some(job) = state.imports.latest(site)
        && matches!(job.state(), JobState::Running(_))
    {
        return Ok(Err(Refused::Busy));
    }
    let Some(site_row) = state.store.site(site).await? else {
        return Err(ApiError::UnknownSite);
    };
    let maps = match choices
        .maps
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| MapRule::parse(l).map_err(|e| Refused::BadMap(l.to_owned(), e)))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(m) => m,
        Err(r) => return Ok(Err(r)),
    };
    let path: PathBuf = upload.to_path_buf();
    let opened = match jirga_import::input::open(&path) {
        Ok(o) => o,
        Err(e) => return Ok(Err(Refused::Unreadable(e.to_string()))),
    };
    let format = match choices.format.as_str() {
        "" | "auto" => match opened.sniffed {
            Some(f) => f,
            None => return Ok(Err(Refused::UnknownFormat)),
        },
        other => match Format::parse(other) {
            Some(f) => f,
            None => return Ok(Err(Refused::BadFormat(other.to_owned()))),
        },
    };
    let opts = Options {
        site: site.clone(),
        format,
        file_name: file_name.clone(),
        maps,
        dry_run: choices.dry_run,
        pingbacks: choices.pingbacks,
        moderate: choices
            .moderate
            .then(|| Moderate::new(state.pipeline.clone(), &site_row.policy)),
    };
    let job = Arc::new(Job {
        file_name,
        size: opened.size,
        read: opened.read.clone(),
        state: Mutex::new(JobState::Running(Report::default())),
    });
    lock(&state.imports.0).insert(site.clone(), job.clone());
    let records = match jirga_import::records(format, opened, &path, &ReadOptions::default()).await
    {
        Ok(r) => r,
        Err(e) => {
            job.set(JobState::Failed(e.clone()));
            return Ok(Err(Refused::Unreadable(e)));
        }
    };
    let store = state.store.clone();
    let runtime = tokio::runtime::Handle::current();
    // Reading and converting is CPU work on a blocking thread, not on the request workers.
    tokio::task::spawn_blocking(move || {
        let progress = |r: &Report| job.set(JobState::Running(r.clone()));
        let result = runtime.block_on(jirga_import::run::import(
            store.as_ref(),
            records,
            &opts,
            &progress,
        ));
        job.set(match result {
            Ok(report) => JobState::Done(report),
            Err(e) => {
                tracing::warn!("dashboard import into {} failed: {e}", opts.site);
                JobState::Failed(format!(
                    "{e}. What was stored before the failure stays, as one batch listed below."
                ))
            }
        });
        drop(upload);
    });
    Ok(Ok(()))
}

/// Undoes one of the site's batches; how many comments went.
pub async fn undo(state: &AppState, site: &SiteId, batch: i64) -> Result<u64, ApiError> {
    // The undo announces a resync, which empties every instance's read cache.
    jirga_import::run::undo(state.store.as_ref(), site, batch)
        .await
        .map_err(|jirga_import::run::ImportError::Store(e)| ApiError::from(e))
}
