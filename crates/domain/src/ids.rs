//! Identifiers: those chosen by publishers (the site's id, the publisher's key for an
//! article) and the numbers the database gives to each row, one type per table so that an
//! author's id cannot be passed where a comment's is meant.

use crate::{ParseError, clean_text};
use serde::{Deserialize, Serialize};

/// A row id given by the database. On the wire (JSON, forms, paths) it is a plain number; in
/// SQL it binds and reads as an `i64` (the `sqlx` feature, which the stores turn on).
macro_rules! row_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }
    };
}

row_id!(
    /// A comment's id.
    CommentId
);
row_id!(
    /// A thread's (an article's) id.
    ThreadId
);
row_id!(
    /// An author record's id: a guest's or a reader account's name on one site.
    AuthorId
);
row_id!(
    /// A reader account's id.
    AccountId
);
row_id!(
    /// A moderator's id.
    ModeratorId
);
row_id!(
    /// A webhook subscription's id.
    WebhookId
);

/// A site's id, chosen by its administrator: 1 to 64 of `a-z`, `0-9`, `-`, `_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct SiteId(String);

impl SiteId {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(ParseError::Empty { field: "site" });
        }
        if raw.len() > 64 {
            return Err(ParseError::TooLong {
                field: "site",
                len: raw.len(),
                max: 64,
            });
        }
        let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
        if !raw.chars().all(ok) {
            return Err(ParseError::Invalid {
                field: "site",
                why: "use lower-case letters, digits, '-' and '_'",
            });
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for SiteId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The publisher's key for an article: its URL path or its own id (up to 512 characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct ThreadKey(String);

impl ThreadKey {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        clean_text("thread", raw, 512, false).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ThreadKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_ids_are_slugs() {
        assert!(SiteId::parse("daily-news_2").is_ok());
        assert_eq!(
            SiteId::parse("Daily News").map_err(|e| e.code()),
            Err("site_invalid".into())
        );
        assert_eq!(
            SiteId::parse(" ").map_err(|e| e.code()),
            Err("site_empty".into())
        );
    }

    #[test]
    fn thread_keys_are_trimmed_paths() {
        let key = ThreadKey::parse(" /world/2026/11/talks ").expect("valid key");
        assert_eq!(key.as_str(), "/world/2026/11/talks");
        assert!(ThreadKey::parse("a\u{0}b").is_err());
    }
}
