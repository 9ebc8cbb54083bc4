//! Jirga's domain: the values a comment section is made of, parsed so that an invalid one
//! cannot exist, and the pure logic that arranges them (thread assembly, paging cursors,
//! relative times). Nothing here does I/O.
#![doc = include_str!("../README.md")]

pub mod author;
pub mod body;
pub mod comment;
pub mod cursor;
pub mod ids;
pub mod policy;
pub mod relative_time;
pub mod secret;
pub mod tree;

pub use author::{Affiliation, AuthorName, Email};
pub use body::{BodyLimits, CommentBody};
pub use comment::{CommentStatus, ReportReason, Sort, Vote};
pub use cursor::Cursor;
pub use ids::{
    AccountId, AuthorId, CommentId, ModeratorId, SiteId, ThreadId, ThreadKey, WebhookId,
};
pub use policy::{ModerationDecision, Reason, SitePolicy, Span};
pub use secret::Secret;

/// Why a value from outside was refused. Each variant maps to one stable machine code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("{field} must not be empty")]
    Empty { field: &'static str },
    #[error("{field} is {len} characters long; the limit is {max}")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error("{field} is not valid: {why}")]
    Invalid {
        field: &'static str,
        why: &'static str,
    },
}

impl ParseError {
    /// The stable machine-readable code for this error, as the API reports it.
    pub fn code(&self) -> String {
        match self {
            ParseError::Empty { field } => format!("{field}_empty"),
            ParseError::TooLong { field, .. } => format!("{field}_too_long"),
            ParseError::Invalid { field, .. } => format!("{field}_invalid"),
        }
    }
}

/// Trims, refuses control characters (other than newlines and tabs where `multiline`) and
/// checks the length in characters. Shared by every free-text value.
pub(crate) fn clean_text(
    field: &'static str,
    raw: &str,
    max: usize,
    multiline: bool,
) -> Result<String, ParseError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(ParseError::Empty { field });
    }
    let len = text.chars().count();
    if len > max {
        return Err(ParseError::TooLong { field, len, max });
    }
    let bad = |c: char| c.is_control() && !(multiline && (c == '\n' || c == '\t' || c == '\r'));
    if text.chars().any(bad) {
        return Err(ParseError::Invalid {
            field,
            why: "it contains control characters",
        });
    }
    Ok(text.to_owned())
}
