//! The states a comment moves through and the small enums readers send about comments.

use serde::{Deserialize, Serialize};

/// Where a comment stands. Readers see only `Published`; its author also sees `Held`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentStatus {
    Published,
    Held,
    Rejected,
    Deleted,
}

impl CommentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CommentStatus::Published => "published",
            CommentStatus::Held => "held",
            CommentStatus::Rejected => "rejected",
            CommentStatus::Deleted => "deleted",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "published" => CommentStatus::Published,
            "held" => CommentStatus::Held,
            "rejected" => CommentStatus::Rejected,
            "deleted" => CommentStatus::Deleted,
            _ => return None,
        })
    }
}

/// The order of a thread's top-level comments. Replies always read oldest first, as a
/// conversation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Sort {
    #[default]
    Oldest,
    Newest,
    Top,
}

impl Sort {
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Oldest => "oldest",
            Sort::Newest => "newest",
            Sort::Top => "top",
        }
    }
}

/// Why a reader reports a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReportReason {
    Abusive,
    OffTopic,
    Spam,
    Other,
}

impl ReportReason {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::Abusive => "abusive",
            ReportReason::OffTopic => "off_topic",
            ReportReason::Spam => "spam",
            ReportReason::Other => "other",
        }
    }
}

/// A reader's vote on a comment; `Clear` withdraws an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vote {
    Up,
    Down,
    Clear,
}

impl Vote {
    pub fn from_value(value: i64) -> Option<Self> {
        match value {
            1 => Some(Vote::Up),
            -1 => Some(Vote::Down),
            0 => Some(Vote::Clear),
            _ => None,
        }
    }

    pub fn value(self) -> i64 {
        match self {
            Vote::Up => 1,
            Vote::Down => -1,
            Vote::Clear => 0,
        }
    }
}
