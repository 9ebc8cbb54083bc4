//! Moderators' decisions on comments. Each is one value of [`Decision`], checked, applied and
//! logged by [`decide`] in one transaction (a ban rejects the comment in the same one), then
//! announced to readers.

use crate::error::ApiError;
use crate::notify::MODERATOR_NOTE;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use jirga_domain::{CommentId, Reason};
use jirga_domain::{CommentStatus, SiteId};
use jirga_store::{BanScope, ModAction, Moderator, NewModlogEntry, StoredComment};

/// What a moderator decides about a comment.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Approve,
    Reject,
    /// The reports were wrong: the comment stays as it is.
    DismissReports,
    /// Bans the comment's author (and, as `scope` says, their email and the comment's address)
    /// until a time or for good, and rejects the comment.
    Ban {
        until: Option<DateTime<Utc>>,
        scope: BanScope,
    },
}

impl Decision {
    /// The modlog line's action.
    pub fn action(&self) -> ModAction {
        match self {
            Decision::Approve => ModAction::Approve,
            Decision::Reject => ModAction::Reject,
            Decision::DismissReports => ModAction::DismissReports,
            Decision::Ban { scope, .. } if scope.shadow => ModAction::ShadowBan,
            Decision::Ban { .. } => ModAction::Ban,
        }
    }

    /// What the moderator is told afterwards.
    pub fn done(&self) -> &'static str {
        match self {
            Decision::Approve => "approved",
            Decision::Reject => "rejected",
            Decision::DismissReports => "dismissed",
            Decision::Ban { .. } => "banned",
        }
    }
}

/// A modlog line by `by` on `site`.
pub fn entry(by: &Moderator, site: &SiteId, action: ModAction) -> NewModlogEntry {
    NewModlogEntry {
        site_id: site.clone(),
        moderator_id: Some(by.id),
        moderator: by.name.clone(),
        action,
        comment_id: None,
        author_id: None,
        note: None,
    }
}

/// Applies a moderator's decision to a comment of a site they moderate; the comment after it.
/// With `note_to_author`, a rejection's note is added to the reasons its author is shown (in
/// the widget and the mail).
pub async fn decide(
    state: &AppState,
    by: &Moderator,
    comment_id: CommentId,
    decision: Decision,
    note: Option<String>,
    note_to_author: bool,
) -> Result<StoredComment, ApiError> {
    let note = note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(1_000).collect::<String>());
    let comment = state
        .store
        .comment(comment_id)
        .await?
        .ok_or(ApiError::UnknownComment)?;
    if !by.sites.contains(&comment.site_id) {
        return Err(ApiError::NotYourSite);
    }
    let mut line = entry(by, &comment.site_id, decision.action());
    line.comment_id = Some(comment.id);
    line.author_id = Some(comment.author.id);
    line.note = note.clone();
    let shadow = matches!(&decision, Decision::Ban { scope, .. } if scope.shadow);
    let mut after = match &decision {
        Decision::Approve => {
            state
                .store
                .moderate(comment.id, CommentStatus::Published, line)
                .await?
        }
        Decision::Reject => {
            state
                .store
                .moderate(comment.id, CommentStatus::Rejected, line)
                .await?
        }
        Decision::DismissReports => {
            state.store.dismiss_reports(comment.id, line).await?;
            comment.clone()
        }
        Decision::Ban { until, scope } => {
            let mut reject = line.clone();
            reject.action = ModAction::Reject;
            line.note = Some(ban_note(*until, *scope, line.note.as_deref()));
            state
                .store
                .ban(comment.id, *scope, *until, line, reject)
                .await?
        }
    };
    if let Some(note) = note.filter(|_| note_to_author && !shadow)
        && after.status == CommentStatus::Rejected
    {
        after.reasons.retain(|r| r.code != MODERATOR_NOTE);
        after.reasons.push(Reason::new(
            MODERATOR_NOTE,
            &format!("A note from the moderator: \u{201c}{note}\u{201d}"),
        ));
        state.store.set_reasons(after.id, &after.reasons).await?;
    }
    if after.status != comment.status {
        state.comment_changed(Some(comment.status), &after).await;
        crate::notify::decided(state, &after, !shadow).await;
    }
    state.webhook_wake.notify_one();
    Ok(after)
}

/// "until 2027-01-31; also by email and address; <the moderator's note>".
fn ban_note(until: Option<DateTime<Utc>>, scope: BanScope, note: Option<&str>) -> String {
    let mut out = until.map_or("no expiry".to_owned(), |u| {
        format!("until {}", u.format("%Y-%m-%d"))
    });
    if let Some(n) = note {
        out.push_str(&format!("; {n}"));
    }
    let what = [
        scope.email.then_some("email"),
        scope.address.then_some("address"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" and ");
    if !what.is_empty() {
        out.push_str(&format!("; also by {what}"));
    }
    out
}
