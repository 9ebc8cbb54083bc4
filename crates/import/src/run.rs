//! An import run: records from a reader stored as one batch (or, in a dry run, only counted).
//!
//! Every comment read ends in a state or in a counted skip reason:
//!
//! | source says | Jirga |
//! |---|---|
//! | approved / visible | published |
//! | pending, unapproved, flagged | held (reason `import_held`) |
//! | spam | rejected (reason `spam`) |
//! | deleted, trash | deleted (its text is not kept); its replies stay under the placeholder |
//! | pingback, trackback | skipped (`pingback`), unless `pingbacks` is set |
//! | under a thread the source deleted | held (reason `import_thread_deleted`) |
//!
//! Imported comments are not run through the models unless `Options::moderate` is set
//! (`--moderate`): then a comment the source published that the abuse models would hold or
//! reject is held, with their reasons; an import never rejects or removes anything. Re-running the same file adds nothing (`Imported::Existing`), and
//! `undo` removes exactly one batch.

use crate::urls::{self, MapRule};
use crate::{Format, Record, SourceBody, SourceComment, SourceState, SourceThread};
use jirga_domain::{
    BodyLimits, CommentBody, CommentStatus, ModerationDecision, Reason, SiteId, SitePolicy,
    ThreadId, ThreadKey,
};
use jirga_store::{
    Event, EventKind, ImportAuthor, ImportComment, Imported, Store, StoreError, ThreadUpdate,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// How many comments go to the database in one transaction.
const BATCH: usize = 1_000;
/// Longest body an import keeps (new comments have the site's limit; old ones are kept whole).
const MAX_IMPORTED_CHARS: usize = 100_000;
/// Problems listed in the report (all are counted).
const MAX_PROBLEMS: usize = 200;

#[derive(Debug, Clone)]
pub struct Options {
    pub site: SiteId,
    pub format: Format,
    /// The file's name, kept with the batch.
    pub file_name: String,
    pub maps: Vec<MapRule>,
    pub dry_run: bool,
    /// Import WordPress pingbacks and trackbacks as comments.
    pub pingbacks: bool,
    /// Run the comments the source published through the abuse models (`--moderate`).
    pub moderate: Option<Moderate>,
}

/// The models an import with `--moderate` runs: a comment they would hold or reject is held
/// for a moderator with their reasons (never rejected or removed by an import), and every
/// comment keeps its scores. Only abuse counts here: whether an old comment was on topic is
/// not judged (the article's text is usually not in the export).
#[derive(Clone)]
pub struct Moderate {
    pipeline: std::sync::Arc<jirga_moderation::Pipeline>,
    policy: SitePolicy,
}

impl Moderate {
    /// The site's abuse thresholds, word lists and link limit; no pre-moderation, no hold for
    /// new authors, no on-topic hold.
    pub fn new(pipeline: std::sync::Arc<jirga_moderation::Pipeline>, site: &SitePolicy) -> Self {
        Self {
            pipeline,
            policy: SitePolicy {
                premoderate: false,
                hold_new_authors: 0,
                hold_off_topic: f32::NEG_INFINITY,
                hold_off_topic_z: f32::INFINITY,
                reject_abuse: f32::INFINITY,
                ..site.clone()
            },
        }
    }
}

impl std::fmt::Debug for Moderate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Moderate").finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// The batch to pass to `undo` (none in a dry run).
    pub batch: Option<i64>,
    pub dry_run: bool,
    /// Comments read from the file (skipped ones included).
    pub comments_read: u64,
    /// Comments stored by this run.
    pub imported: u64,
    /// Comments an earlier run of the same source had stored already.
    pub already_imported: u64,
    /// Replies among the comments stored.
    pub replies: u64,
    /// By Jirga state, of the comments this run stored (would store, in a dry run).
    pub states: BTreeMap<String, u64>,
    /// By reason, records of the file that did not become comments.
    pub skipped: BTreeMap<String, u64>,
    /// Where and why, for the first skipped records.
    pub problems: Vec<String>,
    pub threads: Vec<ThreadReport>,
    /// Source URLs (after the map rules) that match none of the site's threads: new threads
    /// are made for them. An address here that should have matched needs a `--map` rule.
    pub unmatched_urls: Vec<String>,
    /// Replies whose parent came later in the file (linked at the end).
    pub linked_later: u64,
    /// Replies whose parent is not in the file (kept as top-level comments).
    pub orphans: u64,
    /// Comments the source published that the models held (`--moderate`).
    pub held_by_models: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThreadReport {
    /// The source's URL for it, after the map rules.
    pub url: Option<String>,
    /// The Jirga thread key its comments go under.
    pub key: String,
    /// Whether the site had this thread already.
    pub existing: bool,
    pub comments: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl Report {
    /// A comment this run stored (or, in a dry run, would store).
    fn count_new(&mut self, item: &ImportComment) {
        self.imported += 1;
        self.replies += u64::from(item.parent.is_some());
        *self
            .states
            .entry(item.status.as_str().to_owned())
            .or_default() += 1;
    }

    fn skip(&mut self, reason: &str, detail: impl FnOnce() -> String) {
        *self.skipped.entry(reason.to_owned()).or_default() += 1;
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(detail());
        }
    }
}

/// The thread a source thread's comments go to, resolved at its first comment.
struct Slot {
    source: SourceThread,
    target: Option<Result<Target, String>>,
}

#[derive(Clone)]
struct Target {
    /// `None` until the thread is made (with the next flush; never in a dry run).
    id: Option<ThreadId>,
    /// Its line in the report.
    index: usize,
    key: ThreadKey,
    update: ThreadUpdate,
    made_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The article's title and text, for `--moderate`.
    article: Article,
}

type Article = std::sync::Arc<(String, String)>;

struct Run<'a> {
    store: &'a dyn Store,
    opts: &'a Options,
    report: Report,
    threads: HashMap<String, Slot>,
    /// Comments waiting for the next flush, with their source thread's id.
    pending: Vec<(String, ImportComment)>,
    /// Source threads to make at the next flush whether or not comments come for them.
    bare: Vec<String>,
}

/// Reads every record and stores the comments (or counts them, in a dry run). `progress` is
/// called every thousand comments with the report so far.
pub async fn import(
    store: &dyn Store,
    records: impl Iterator<Item = Record>,
    opts: &Options,
    progress: &(dyn Fn(&Report) + Sync),
) -> Result<Report, ImportError> {
    let mut run = Run {
        store,
        opts,
        report: Report {
            dry_run: opts.dry_run,
            ..Report::default()
        },
        threads: HashMap::new(),
        pending: Vec::new(),
        bare: Vec::new(),
    };
    if !opts.dry_run {
        run.report.batch = Some(
            store
                .create_import_batch(&opts.site, opts.format.as_str(), &opts.file_name)
                .await?,
        );
    }
    for record in records {
        match record {
            Record::Thread(t) => {
                let id = t.id.clone();
                // A Jirga export's threads come over even without comments.
                let whole = t.key.is_some();
                run.threads.insert(
                    id.clone(),
                    Slot {
                        source: t,
                        target: None,
                    },
                );
                if whole && run.thread(&id).await?.is_ok() {
                    run.bare.push(id);
                }
            }
            Record::Comment(c) => {
                run.report.comments_read += 1;
                run.comment(c).await?;
                if run.report.comments_read.is_multiple_of(1_000) {
                    progress(&run.report);
                }
            }
            Record::Skipped { at, reason, detail } => {
                run.report
                    .skip(reason.as_str(), || format!("{at}: {detail}"));
            }
        }
        if run.pending.len() >= BATCH {
            run.flush().await?;
        }
    }
    run.flush().await?;
    if let Some(batch) = run.report.batch {
        let report =
            serde_json::to_string(&run.report).map_err(|e| StoreError::Backend(e.to_string()))?;
        let links = store.finish_import(batch, &report).await?;
        run.report.linked_later = links.linked;
        run.report.orphans = links.orphans;
        resync(store, &opts.site).await?;
    }
    progress(&run.report);
    Ok(run.report)
}

/// Removes one batch; answers how many comments went.
pub async fn undo(store: &dyn Store, site: &SiteId, batch: i64) -> Result<u64, ImportError> {
    let removed = store.undo_import(site, batch).await?;
    resync(store, site).await?;
    Ok(removed)
}

/// Tells every instance to drop what it cached: an import touches many threads at once.
async fn resync(store: &dyn Store, site: &SiteId) -> Result<(), StoreError> {
    store
        .publish(&Event {
            site: site.to_string(),
            thread: String::new(),
            thread_id: ThreadId(0),
            kind: EventKind::Resync,
            comment_id: None,
            count: 0,
        })
        .await
}

impl Run<'_> {
    async fn comment(&mut self, c: SourceComment) -> Result<(), ImportError> {
        if c.state == SourceState::Pingback && !self.opts.pingbacks {
            self.report.skip("pingback", || {
                format!(
                    "comment {}: a pingback or trackback (--pingbacks imports them)",
                    c.id
                )
            });
            return Ok(());
        }
        let (index, thread_deleted, article) = match self.thread(&c.thread).await? {
            Ok(t) => t,
            Err(why) => {
                self.report
                    .skip(why.0, || format!("comment {}: {}", c.id, why.1));
                return Ok(());
            }
        };
        // A Jirga export says exactly; other sources say it in their own terms.
        let (mut status, mut reasons) = match &c.native {
            Some(n) => (n.status, n.reasons.clone()),
            None => self.standing(c.state, thread_deleted),
        };
        let (markdown, html) = if status == CommentStatus::Deleted {
            (String::new(), String::new())
        } else {
            let markdown = match &c.body {
                SourceBody::Html(h) => crate::html::to_markdown(h, false),
                SourceBody::HtmlWithBreaks(h) => crate::html::to_markdown(h, true),
                SourceBody::Markdown(m) => m.clone(),
            };
            match CommentBody::parse(
                &markdown,
                BodyLimits {
                    max_chars: MAX_IMPORTED_CHARS,
                },
            ) {
                Ok(body) => (body.markdown().to_owned(), body.html().to_owned()),
                Err(e) => {
                    self.report
                        .skip("empty_body", || format!("comment {}: {e}", c.id));
                    return Ok(());
                }
            }
        };
        let mut scores = (None, None);
        if let Some(m) = &self.opts.moderate
            && status == CommentStatus::Published
        {
            let input = jirga_moderation::ModerationInput::text(
                &article.0, &article.1, None, &markdown, &m.policy,
            );
            let assessed = m.pipeline.assess(&input);
            scores = (assessed.abuse, assessed.on_topic);
            if assessed.decision != ModerationDecision::Publish {
                status = CommentStatus::Held;
                reasons = assessed.decision.reasons().to_vec();
                self.report.held_by_models += 1;
            }
        }
        if let Some(t) = self.report.threads.get_mut(index) {
            t.comments += 1;
        }
        let name: String = c.author.name.trim().chars().take(100).collect();
        let name = if name.is_empty() {
            "Guest".to_owned()
        } else {
            name
        };
        let key = c
            .author
            .key
            .clone()
            .unwrap_or_else(|| format!("name:{name}"));
        let source_thread = c.thread;
        let native = c.native.map(|n| *n);
        self.pending.push((
            source_thread,
            ImportComment {
                external_id: c.id,
                thread_id: ThreadId(0), // set at the flush, once the thread exists
                parent: c.parent,
                author: ImportAuthor {
                    key,
                    name,
                    email: c.author.email.filter(|e| e.contains('@')),
                    affiliation: c.author.affiliation,
                    verified: c.author.verified,
                },
                text_hash: jirga_moderation::text_hash(&markdown),
                body_markdown: markdown,
                body_html: html,
                status,
                reasons,
                created_at: c.created_at,
                edited_at: native.as_ref().and_then(|n| n.edited_at),
                abuse_score: native.as_ref().and_then(|n| n.abuse_score).or(scores.0),
                on_topic_score: native.as_ref().and_then(|n| n.on_topic_score).or(scores.1),
                votes: native.map(|n| n.votes).unwrap_or_default(),
            },
        ));
        Ok(())
    }

    /// The Jirga state and reasons for what another system says of a comment.
    fn standing(&self, state: SourceState, thread_deleted: bool) -> (CommentStatus, Vec<Reason>) {
        match (state, thread_deleted) {
            (SourceState::Deleted, _) => (CommentStatus::Deleted, vec![]),
            (SourceState::Spam, _) => (
                CommentStatus::Rejected,
                vec![reason(
                    "spam",
                    format!("Marked as spam in {}.", self.source_name()),
                )],
            ),
            (_, true) => (
                CommentStatus::Held,
                vec![reason(
                    "import_thread_deleted",
                    format!("Its article was deleted in {}.", self.source_name()),
                )],
            ),
            (SourceState::Held, _) => (
                CommentStatus::Held,
                vec![reason(
                    "import_held",
                    format!(
                        "Waiting for a moderator in {} when it was exported.",
                        self.source_name()
                    ),
                )],
            ),
            (SourceState::Published | SourceState::Pingback, _) => {
                (CommentStatus::Published, vec![])
            }
        }
    }

    fn source_name(&self) -> &'static str {
        match self.opts.format {
            Format::Disqus => "Disqus",
            Format::Wxr => "WordPress",
            Format::Remark42 => "Remark42",
            Format::Commento => "Commento",
            Format::Isso => "Isso",
            Format::Jirga => "Jirga",
        }
    }

    /// The line in the report for a source thread id and whether the source deleted it; or
    /// why its comments are skipped.
    async fn thread(
        &mut self,
        source_id: &str,
    ) -> Result<Result<(usize, bool, Article), (&'static str, String)>, ImportError> {
        let Some(slot) = self.threads.get(source_id) else {
            return Ok(Err((
                "unknown_thread",
                format!("its thread {source_id} is not in the file"),
            )));
        };
        let deleted = slot.source.deleted;
        let target = match &slot.target {
            Some(target) => target.clone(),
            None => {
                let source = slot.source.clone();
                let target = self.resolve(&source).await?;
                if let Some(slot) = self.threads.get_mut(source_id) {
                    slot.target = Some(target.clone());
                }
                target
            }
        };
        Ok(target
            .map(|t| (t.index, deleted, t.article))
            .map_err(|why| ("no_url", why)))
    }

    async fn resolve(&mut self, t: &SourceThread) -> Result<Result<Target, String>, ImportError> {
        let url = t.url.as_deref().map(|u| urls::remap(&self.opts.maps, u));
        // The key a Jirga export names, else the one the URL makes.
        let Some(key) = t
            .key
            .clone()
            .or_else(|| url.as_deref().and_then(urls::thread_key))
        else {
            return Ok(Err(match &url {
                None => format!("thread {} has no URL", t.id),
                Some(url) => format!(
                    "thread {}: {url:?} is neither an http(s) URL nor a path",
                    t.id
                ),
            }));
        };
        let Ok(key) = ThreadKey::parse(&key) else {
            return Ok(Err(format!(
                "thread {}: {key:?} cannot be a thread key",
                t.id
            )));
        };
        // The site's thread under this path, with or without its trailing slash (a key a
        // Jirga export names is taken as it is).
        let spellings = if t.key.is_some() {
            vec![key.to_string()]
        } else {
            key_spellings(key.as_str())
        };
        let mut found = None;
        for candidate in spellings {
            let Ok(candidate) = ThreadKey::parse(&candidate) else {
                continue;
            };
            if let Some(thread) = self.store.thread(&self.opts.site, &candidate).await? {
                found = Some(thread);
                break;
            }
        }
        if found.is_none() {
            self.report
                .unmatched_urls
                .push(url.clone().unwrap_or_else(|| key.to_string()));
        }
        self.report.threads.push(ThreadReport {
            url: url.clone(),
            key: found
                .as_ref()
                .map_or_else(|| key.to_string(), |f| f.key.to_string()),
            existing: found.is_some(),
            comments: 0,
        });
        Ok(Ok(Target {
            id: found.as_ref().map(|f| f.id),
            index: self.report.threads.len() - 1,
            key,
            update: ThreadUpdate {
                title: t.title.clone(),
                url,
                text: t.text.clone(),
                closed: Some(t.closed),
            },
            made_at: t.created_at,
            article: std::sync::Arc::new(match &found {
                Some(f) => (f.title.clone(), f.text.clone()),
                None => (
                    t.title.clone().unwrap_or_default(),
                    t.text.clone().unwrap_or_default(),
                ),
            }),
        }))
    }

    /// Makes the threads the waiting comments need (one transaction) and gives each comment
    /// its thread's id.
    async fn place(&mut self, batch: i64) -> Result<(), ImportError> {
        let mut wanted: Vec<String> = Vec::new();
        let bare = std::mem::take(&mut self.bare);
        for source in bare.iter().chain(self.pending.iter().map(|(s, _)| s)) {
            let unmade = self
                .threads
                .get(source)
                .and_then(|s| s.target.as_ref())
                .and_then(|t| t.as_ref().ok())
                .is_some_and(|t| t.id.is_none());
            if unmade && !wanted.contains(source) {
                wanted.push(source.clone());
            }
        }
        if !wanted.is_empty() {
            let specs: Vec<_> = wanted
                .iter()
                .filter_map(|w| {
                    let t = self.threads.get(w)?.target.as_ref()?.as_ref().ok()?;
                    Some((t.key.clone(), t.update.clone(), t.made_at))
                })
                .collect();
            let ids = self
                .store
                .import_threads(batch, &self.opts.site, &specs)
                .await?;
            for (w, id) in wanted.iter().zip(ids) {
                if let Some(Some(Ok(t))) = self.threads.get_mut(w).map(|s| s.target.as_mut()) {
                    t.id = Some(id);
                }
            }
        }
        for (source, item) in &mut self.pending {
            if let Some(id) = self
                .threads
                .get(source)
                .and_then(|s| s.target.as_ref())
                .and_then(|t| t.as_ref().ok())
                .and_then(|t| t.id)
            {
                item.thread_id = id;
            }
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), ImportError> {
        if self.pending.is_empty() && self.bare.is_empty() {
            return Ok(());
        }
        let Some(batch) = self.report.batch else {
            // A dry run: everything read would be new.
            self.bare.clear();
            for (_, item) in std::mem::take(&mut self.pending) {
                self.report.count_new(&item);
            }
            return Ok(());
        };
        self.place(batch).await?;
        let items: Vec<ImportComment> = std::mem::take(&mut self.pending)
            .into_iter()
            .map(|(_, c)| c)
            .collect();
        if items.is_empty() {
            return Ok(());
        }
        let done = self
            .store
            .import_comments(batch, &self.opts.site, self.opts.format.as_str(), &items)
            .await?;
        for (result, item) in done.iter().zip(&items) {
            match result {
                Imported::New(_) => self.report.count_new(item),
                Imported::Existing(_) => self.report.already_imported += 1,
            }
        }
        Ok(())
    }
}

fn reason(code: &str, message: String) -> Reason {
    Reason {
        code: code.to_owned(),
        message,
        kind: None,
        spans: vec![],
    }
}

/// A path key as written, and with its trailing slash added or removed.
fn key_spellings(key: &str) -> Vec<String> {
    let (path, query) = key
        .split_once('?')
        .map_or((key, None), |(p, q)| (p, Some(q)));
    let other = if path.len() > 1 && path.ends_with('/') {
        path.trim_end_matches('/').to_owned()
    } else {
        format!("{path}/")
    };
    let with = |p: &str| match query {
        Some(q) => format!("{p}?{q}"),
        None => p.to_owned(),
    };
    vec![with(path), with(&other)]
}
