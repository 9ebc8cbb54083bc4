//! The JSON shapes of the public API. Emails and token hashes have no field here, so no
//! response can carry them.

use chrono::{DateTime, SecondsFormat, Utc};
use jirga_domain::CommentId;
use jirga_domain::tree::Branch;
use jirga_moderation::Reason;
use jirga_store::{StoredComment, Thread};
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuthorJson {
    pub name: String,
    pub affiliation: Option<String>,
    pub verified: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommentJson {
    pub id: CommentId,
    pub parent_id: Option<CommentId>,
    /// `null` on a tombstone (a deleted or hidden comment kept for the replies under it).
    pub author: Option<AuthorJson>,
    pub body_html: String,
    pub status: &'static str,
    pub created_at: String,
    pub edited_at: Option<String>,
    pub votes: i64,
    #[schema(no_recursion)]
    pub replies: Vec<CommentJson>,
    pub more_replies: usize,
    pub replies_cursor: Option<String>,
}

/// Text for XML or HTML content and attributes; characters XML 1.0 forbids are dropped.
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

pub fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl CommentJson {
    /// The comment as its author may see it, whatever its status.
    pub fn own(c: &StoredComment) -> Self {
        Self {
            id: c.id,
            parent_id: c.parent_id,
            author: Some(AuthorJson {
                name: c.author.name.clone(),
                affiliation: c.author.affiliation.clone(),
                verified: c.author.verified,
            }),
            body_html: c.body_html.clone(),
            status: c.status.as_str(),
            created_at: time(c.created_at),
            edited_at: c.edited_at.map(time),
            votes: c.votes,
            replies: Vec::new(),
            more_replies: 0,
            replies_cursor: None,
        }
    }

    /// A branch as readers see it: tombstones carry no author and no text.
    pub fn public(b: Branch<StoredComment>) -> Self {
        let mut json = if b.tombstone {
            Self {
                author: None,
                body_html: String::new(),
                status: "deleted",
                ..Self::own(&b.comment)
            }
        } else {
            Self::own(&b.comment)
        };
        json.replies = b.replies.into_iter().map(Self::public).collect();
        json.more_replies = b.more_replies;
        json.replies_cursor = b.replies_cursor.map(|c| c.encode());
        json
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ThreadJson {
    pub key: String,
    pub title: String,
    pub url: Option<String>,
    pub closed: bool,
    /// Published comments, replies included.
    pub count: i64,
}

impl From<&Thread> for ThreadJson {
    fn from(t: &Thread) -> Self {
        Self {
            key: t.key.as_str().to_owned(),
            title: t.title.clone(),
            url: t.url.clone(),
            closed: t.closed,
            count: t.published_count,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ThreadPageJson {
    pub site: String,
    pub thread: ThreadJson,
    pub sort: &'static str,
    pub comments: Vec<CommentJson>,
    pub next_cursor: Option<String>,
}

/// What the author gets back from a create or an edit.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OwnCommentJson {
    pub comment: CommentJson,
    pub status: &'static str,
    /// Why the comment is not published; empty when it is.
    pub reasons: Vec<Reason>,
    /// Proves authorship for edits and deletion; shown once, at creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edit_token: Option<String>,
    pub editable_until: String,
}

/// What `POST /comments/check` answers: what would happen to the comment now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CheckJson {
    pub status: &'static str,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VoteJson {
    pub id: CommentId,
    /// The comment's total after the vote.
    pub votes: i64,
    /// 1, -1 or 0.
    pub your_vote: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportedJson {
    pub id: CommentId,
    pub reported: bool,
    pub reason: jirga_domain::ReportReason,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CountsJson {
    pub site: String,
    /// Published comments per thread key asked for (0 for a key with no thread).
    pub counts: std::collections::BTreeMap<String, i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SsoSessionJson {
    pub signed_in: bool,
    pub name: String,
    /// Goes with every write of this session, as `X-Jirga-CSRF`.
    pub csrf: String,
    pub expires_at: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SignedOutJson {
    pub signed_in: bool,
}

/// Every error: a stable code and a sentence.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorJson {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}
