//! Moving to Jirga: other comment systems' exports read as a stream of records, and the run
//! that stores them as one import batch.
//!
//! Each reader (`disqus`, `wxr`, `remark42`, `commento`) turns a file into `Record`s while
//! holding one record in memory at a time (Commento's export is one JSON object and is read
//! whole). A record that cannot be read becomes a `Record::Skipped` with its position and
//! the reader goes on. `run::import` maps threads to the site's articles by canonical URL
//! (`urls`), turns bodies into Jirga's Markdown (`html`) and stores them through the `Store`.

pub mod commento;
pub mod disqus;
pub mod export;
pub mod html;
pub mod input;
pub mod isso;
pub mod jirga;
pub mod remark42;
pub mod run;
pub mod urls;
pub mod wxr;
pub mod xml;

use chrono::{DateTime, Utc};

/// The formats `jirga import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Disqus,
    Wxr,
    Remark42,
    Commento,
    /// Isso's SQLite database file.
    Isso,
    /// Jirga's own export (`jirga export`): JSON lines.
    Jirga,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Disqus,
        Format::Wxr,
        Format::Remark42,
        Format::Commento,
        Format::Isso,
        Format::Jirga,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw)
    }

    /// The name on the command line and the `source` of imported records.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Disqus => "disqus",
            Format::Wxr => "wxr",
            Format::Remark42 => "remark42",
            Format::Commento => "commento",
            Format::Isso => "isso",
            Format::Jirga => "jirga",
        }
    }

    /// Guesses the format from the first bytes of a (decompressed) file.
    pub fn sniff(head: &[u8]) -> Option<Self> {
        if head.starts_with(isso::MAGIC) {
            return Some(Format::Isso);
        }
        let head = String::from_utf8_lossy(head);
        let start = head.trim_start_matches(|c: char| c != '<' && c != '{');
        if start.starts_with('<') {
            if head.contains("<disqus") {
                return Some(Format::Disqus);
            }
            if head.contains("<rss") && head.contains("wordpress.org/export") {
                return Some(Format::Wxr);
            }
            return None;
        }
        if head.contains("\"type\":\"jirga_export\"") {
            return Some(Format::Jirga);
        }
        if head.contains("\"commentHex\"") || head.contains("\"commenters\"") {
            return Some(Format::Commento);
        }
        if start.starts_with('{') && (head.contains("\"locator\"") || head.contains("\"posts\"")) {
            return Some(Format::Remark42);
        }
        None
    }
}

/// An article as the source knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceThread {
    /// The source's id for it, which its comments refer to.
    pub id: String,
    /// The Jirga thread key, where the source knows it (a Jirga export): used as it is
    /// instead of one made from the URL.
    pub key: Option<String>,
    /// The article's text, for the on-topic check (a Jirga export).
    pub text: Option<String>,
    /// When the source made it, where it says (a Jirga export).
    pub created_at: Option<DateTime<Utc>>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub closed: bool,
    pub deleted: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourceComment {
    pub id: String,
    /// The `SourceThread::id` it belongs to.
    pub thread: String,
    pub parent: Option<String>,
    pub author: SourceAuthor,
    pub body: SourceBody,
    pub created_at: DateTime<Utc>,
    pub state: SourceState,
    /// What only a Jirga export says: the comment exactly as Jirga stored it.
    pub native: Option<Box<Native>>,
}

/// A comment's Jirga state, moderation and votes, as a Jirga export carries them.
#[derive(Debug, Clone, PartialEq)]
pub struct Native {
    pub status: jirga_domain::CommentStatus,
    pub reasons: Vec<jirga_domain::Reason>,
    pub edited_at: Option<DateTime<Utc>>,
    pub abuse_score: Option<f32>,
    pub on_topic_score: Option<f32>,
    pub votes: Vec<jirga_store::VoteRecord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourceAuthor {
    /// What identifies the commenter in the source (user name, user id, email), when it says.
    pub key: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub affiliation: Option<String>,
    /// The verified mark (a Jirga export).
    pub verified: bool,
}

impl SourceAuthor {
    /// A commenter as most sources know them: no affiliation line, no verified mark.
    pub fn new(key: Option<String>, name: String, email: Option<String>) -> Self {
        Self {
            key,
            name,
            email,
            affiliation: None,
            verified: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum SourceBody {
    /// HTML where whitespace is layout (Disqus, Remark42's rendered text).
    Html(String),
    /// HTML where a blank line is a paragraph and a newline a line break (WordPress).
    HtmlWithBreaks(String),
    Markdown(String),
}

/// What the source says of a comment's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceState {
    Published,
    /// Pending, unapproved or flagged.
    Held,
    Spam,
    /// Deleted or trashed.
    Deleted,
    /// A WordPress pingback or trackback (a link from another blog, not a comment).
    Pingback,
}

/// Where a record sits in its file, for error reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Byte(u64),
    Line(u64),
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Position::Byte(b) => write!(f, "byte {b}"),
            Position::Line(l) => write!(f, "line {l}"),
        }
    }
}

/// Why a record of the file was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    /// Not well-formed (XML or JSON syntax), or a value that cannot be read (a date).
    Malformed,
    /// No id to refer to it by (and so no way to import it only once).
    NoId,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Malformed => "malformed",
            SkipReason::NoId => "no_id",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Thread(SourceThread),
    Comment(SourceComment),
    Skipped {
        at: Position,
        reason: SkipReason,
        detail: String,
    },
}

/// A record reader over a file.
pub type Records<'a> = Box<dyn Iterator<Item = Record> + Send + 'a>;

/// The reader for a format that is read as a stream of bytes (all but Isso's database).
pub fn reader<'a, R: std::io::BufRead + Send + 'a>(
    format: Format,
    input: R,
    options: &ReadOptions,
) -> Records<'a> {
    match format {
        Format::Disqus => Box::new(disqus::Disqus::new(input)),
        Format::Wxr => Box::new(wxr::Wxr::new(input, options.timezone)),
        Format::Remark42 => Box::new(remark42::Remark42::new(input)),
        Format::Commento => commento::read(input),
        Format::Jirga => Box::new(jirga::Reader::new(input)),
        Format::Isso => Box::new(std::iter::once(Record::Skipped {
            at: Position::Byte(0),
            reason: SkipReason::Malformed,
            detail: "an Isso database is a file, not a stream: open it with `records`".into(),
        })),
    }
}

/// The records of an opened export at `path`, in any format.
pub async fn records(
    format: Format,
    opened: input::Opened,
    path: &std::path::Path,
    options: &ReadOptions,
) -> Result<Records<'static>, String> {
    match format {
        Format::Isso => isso::read(path).await,
        other => Ok(reader(other, opened.reader, options)),
    }
}

/// Choices a reader needs.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// The site's time zone, for WordPress comments whose UTC date is missing.
    pub timezone: chrono::FixedOffset,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            timezone: chrono::Offset::fix(&chrono::Utc),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_sniffed_from_their_first_bytes() {
        assert_eq!(
            Format::sniff(b"`<?xml version=\"1.0\"?>\n<disqus xmlns=\"http://disqus.com\">"),
            Some(Format::Disqus)
        );
        assert_eq!(
            Format::sniff(b"\n<rss version=\"2.0\" xmlns:wp=\"http://wordpress.org/export/1.2/\">"),
            Some(Format::Wxr)
        );
        assert_eq!(
            Format::sniff(b"{\"version\":1,\"users\":[],\"posts\":[]}\n{\"id\":\"a\""),
            Some(Format::Remark42)
        );
        assert_eq!(
            Format::sniff(b"{\n  \"version\": 1,\n  \"comments\": [{\"commentHex\": \"e7\""),
            Some(Format::Commento)
        );
        assert_eq!(Format::sniff(b"<html><body>"), None);
    }
}
