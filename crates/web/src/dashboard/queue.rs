//! The queues (held comments, reported comments), a moderator's decision on one, and the modlog.

use crate::error::ApiError;
use crate::service::moderation::{self, Decision};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use jirga_domain::CommentId;
use jirga_store::{BanScope, QueueItem};
use serde::Deserialize;

use super::session::{Chrome, Denied, Flash, Session, internal, render};
use crate::i18n::{Locale, english};

/// A comment laid out for a moderator: its text with the flagged words marked.
pub struct Card {
    pub id: CommentId,
    pub site: String,
    pub article: String,
    pub article_key: String,
    /// The article's address, for the link to the comment in its thread.
    pub article_url: Option<String>,
    pub author: String,
    pub when: String,
    pub parent: Option<String>,
    /// (text, marked) pieces of the comment as written.
    pub pieces: Vec<(String, bool)>,
    pub abuse: String,
    pub on_topic: String,
    pub reasons: Vec<String>,
    pub reports: Vec<String>,
    /// The author's record on the site, in words ("3 published, 1 rejected, reported twice").
    pub history: String,
}

/// An author's record in a few words; a first comment says so.
fn history(l: &Locale, h: &jirga_store::AuthorHistory) -> String {
    let mut parts = Vec::new();
    for (n, key) in [
        (h.published, "dash-history-published"),
        (h.held, "dash-history-held"),
        (h.rejected, "dash-history-rejected"),
    ] {
        if n > 0 {
            parts.push(l.t1(key, "n", n));
        }
    }
    if h.published + h.rejected == 0 && h.held <= 1 {
        parts = vec![l.t("dash-history-first")];
    }
    if h.reports > 0 {
        parts.push(l.t1("dash-history-reported", "n", h.reports));
    }
    if h.bans > 0 {
        parts.push(l.t1("dash-history-banned", "n", h.bans));
    }
    parts.join(&l.t("dash-list-separator"))
}

fn pieces(text: &str, spans: &[(usize, usize)]) -> Vec<(String, bool)> {
    let mut spans: Vec<(usize, usize)> = spans
        .iter()
        .copied()
        .filter(|(s, e)| {
            s < e && *e <= text.len() && text.is_char_boundary(*s) && text.is_char_boundary(*e)
        })
        .collect();
    spans.sort_unstable();
    let mut out = Vec::new();
    let mut at = 0;
    for (s, e) in spans {
        if s < at {
            continue;
        }
        if s > at {
            out.push((text[at..s].to_owned(), false));
        }
        out.push((text[s..e].to_owned(), true));
        at = e;
    }
    if at < text.len() {
        out.push((text[at..].to_owned(), false));
    }
    out
}

fn card(l: &Locale, item: QueueItem) -> Card {
    let c = &item.comment;
    let spans: Vec<(usize, usize)> = c
        .reasons
        .iter()
        .flat_map(|r| r.spans.iter().map(|s| (s.start, s.end)))
        .collect();
    let score = |v: Option<f32>| {
        v.map_or(l.t("dash-score-none"), |v| {
            l.t1("dash-percent", "n", (v * 100.0).round())
        })
    };
    Card {
        id: c.id,
        site: c.site_id.to_string(),
        article: item.thread_title,
        article_key: item.thread_key,
        article_url: item
            .thread_url
            .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
        author: c.author.name.clone(),
        when: l.date_time(c.created_at),
        parent: item.parent.map(|p| p.body_markdown),
        pieces: pieces(&c.body_markdown, &spans),
        abuse: score(c.abuse_score),
        on_topic: score(c.on_topic_score),
        reasons: c.reasons.iter().map(|r| l.reason(r)).collect(),
        reports: item
            .reports
            .iter()
            .map(|(reason, n)| {
                let key = format!("dash-report-{reason}");
                let name = if english().has(&key) {
                    l.t(&key)
                } else {
                    reason.to_string()
                };
                format!("{name} \u{d7} {n}")
            })
            .collect(),
        history: history(l, &item.history),
    }
}

#[derive(Template)]
#[template(path = "moderate/queue.html")]
pub(super) struct QueuePage {
    chrome: Chrome,
    cards: Vec<Card>,
    reports: bool,
    flash: Option<String>,
    /// How often this moderator is mailed the queue (hours; 0: never).
    digest: i64,
}

pub(super) async fn queue(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Query(f): axum::extract::Query<Flash>,
) -> Response {
    let items = state.store.held_queue(&session.moderator.sites, 100).await;
    queue_page(items, &session, f, false)
}

pub(super) async fn reports(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Query(f): axum::extract::Query<Flash>,
) -> Response {
    let items = state
        .store
        .report_queue(&session.moderator.sites, 100)
        .await;
    queue_page(items, &session, f, true)
}

fn queue_page(
    items: jirga_store::StoreResult<Vec<QueueItem>>,
    session: &Session,
    f: Flash,
    reports: bool,
) -> Response {
    match items {
        Ok(items) => render(
            &QueuePage {
                chrome: session.chrome(),
                cards: items.into_iter().map(|i| card(session.l, i)).collect(),
                reports,
                flash: f
                    .done
                    .map(|d| format!("dash-done-{d}"))
                    .filter(|k| english().has(k))
                    .map(|k| session.l.t(&k)),
                digest: session.moderator.digest_hours,
            },
            StatusCode::OK,
        ),
        Err(e) => internal(e),
    }
}

#[derive(Deserialize)]
pub(super) struct DecisionForm {
    csrf: String,
    action: String,
    note: Option<String>,
    /// Send the note to the author with the rejection.
    note_to_author: Option<String>,
    /// For bans: days, or empty for no expiry.
    ban_days: Option<String>,
    /// For bans: also ban the author's email, the comment's address; make it a shadow-ban.
    ban_email: Option<String>,
    ban_address: Option<String>,
    shadow: Option<String>,
    /// Where to go back to.
    back: Option<String>,
}

impl DecisionForm {
    /// The form's buttons and ban options as a decision.
    fn decision(&self) -> Result<Decision, &'static str> {
        // The error is a message key.
        Ok(match self.action.as_str() {
            "approve" => Decision::Approve,
            "reject" => Decision::Reject,
            "dismiss" => Decision::DismissReports,
            "ban" => {
                let days = self
                    .ban_days
                    .as_deref()
                    .map(str::trim)
                    .filter(|d| !d.is_empty());
                let until = match days.map(str::parse::<i64>) {
                    None => None,
                    Some(Ok(d)) if (1..=3650).contains(&d) => Some(Utc::now() + Duration::days(d)),
                    Some(_) => {
                        return Err("dash-error-ban-days");
                    }
                };
                Decision::Ban {
                    until,
                    scope: BanScope {
                        email: self.ban_email.is_some(),
                        address: self.ban_address.is_some(),
                        shadow: self.shadow.is_some(),
                    },
                }
            }
            _ => return Err("dash-error-action"),
        })
    }
}

pub(super) async fn decide(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<CommentId>,
    axum::Form(form): axum::Form<DecisionForm>,
) -> Response {
    if let Err(r) = session.check(&form.csrf) {
        return r.into_response();
    }
    let decision = match form.decision() {
        Ok(d) => d,
        Err(why) => return (StatusCode::UNPROCESSABLE_ENTITY, session.l.t(why)).into_response(),
    };
    let done = decision.done();
    match moderation::decide(
        &state,
        &session.moderator,
        id,
        decision,
        form.note,
        form.note_to_author.is_some(),
    )
    .await
    {
        Ok(_) => {
            let back = match form.back.as_deref() {
                Some("/moderate/reports") => "/moderate/reports",
                _ => "/moderate",
            };
            Redirect::to(&format!("{back}?done={done}")).into_response()
        }
        Err(ApiError::NotYourSite) => {
            Denied(super::session::Why::NotYourSite, session.l).into_response()
        }
        Err(e) => internal(e),
    }
}

#[derive(Deserialize)]
pub(super) struct DigestForm {
    csrf: String,
    hours: i64,
}

/// How often the moderator is mailed the queue.
pub(super) async fn digest(
    State(state): State<AppState>,
    session: Session,
    axum::Form(form): axum::Form<DigestForm>,
) -> Response {
    if let Err(r) = session.check(&form.csrf) {
        return r.into_response();
    }
    if ![0, 1, 24].contains(&form.hours) {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            session.l.t("dash-error-digest"),
        )
            .into_response();
    }
    match state
        .store
        .set_digest(session.moderator.id, form.hours)
        .await
    {
        Ok(()) => Redirect::to("/moderate?done=digest").into_response(),
        Err(e) => internal(e),
    }
}

#[derive(Template)]
#[template(path = "moderate/log.html")]
pub(super) struct LogPage {
    chrome: Chrome,
    rows: Vec<jirga_store::ModlogEntry>,
}

pub(super) async fn modlog(State(state): State<AppState>, session: Session) -> Response {
    match state.store.modlog(&session.moderator.sites, 500).await {
        Ok(rows) => render(
            &LogPage {
                chrome: session.chrome(),
                rows,
            },
            StatusCode::OK,
        ),
        Err(e) => internal(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_authors_history_reads_in_a_few_words() {
        use jirga_store::AuthorHistory;
        let first = AuthorHistory {
            held: 1,
            ..AuthorHistory::default()
        };
        let en = english();
        assert_eq!(history(en, &first), "first comment here");
        let known = AuthorHistory {
            published: 3,
            held: 1,
            rejected: 2,
            reports: 4,
            bans: 1,
        };
        assert_eq!(
            history(en, &known),
            "3 published, 1 held, 2 rejected, reported 4 times, banned once before"
        );
    }

    #[test]
    fn pieces_mark_the_flagged_words() {
        let p = pieces("you are a fool, a fool", &[(10, 14), (18, 22)]);
        assert_eq!(
            p,
            vec![
                ("you are a ".to_owned(), false),
                ("fool".to_owned(), true),
                (", a ".to_owned(), false),
                ("fool".to_owned(), true)
            ]
        );
        // Bad offsets are ignored rather than panicking.
        assert_eq!(pieces("é", &[(0, 1)]), vec![("é".to_owned(), false)]);
    }
}
