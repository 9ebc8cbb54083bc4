//! Jirga's own export: JSON lines, one object per line, each with a `type`.
//!
//! ```text
//! {"type":"jirga_export","version":1,"site":"daily","name":"The Daily","exported_at":"…"}
//! {"type":"thread","id":1,"key":"/2026/11/budget/","title":"…","url":"https://…","text":"…","closed":false,"created_at":"…"}
//! {"type":"author","id":7,"name":"Amna","email":"amna@example.com","affiliation":null,"verified":false,"account":true,"created_at":"…"}
//! {"type":"comment","id":42,"thread":1,"parent":null,"author":7,"status":"published","reasons":[],"body":"Markdown…","created_at":"…","edited_at":null,"abuse_score":0.02,"on_topic_score":0.91,"votes":[{"voter":"…","value":1,"created_at":"…"}]}
//! ```
//!
//! The header comes first, then every thread, every author, every comment (ids are the
//! exporting database's and only tie the lines together). Version 1 is what this file
//! describes; a reader meets a newer version with an error instead of a guess. README.md
//! ("Moving from…") documents the same for publishers.

use crate::{
    Native, Position, Record, SkipReason, SourceAuthor, SourceBody, SourceComment, SourceState,
    SourceThread,
};
use chrono::{DateTime, Utc};
use jirga_domain::{CommentStatus, Reason};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::BufRead;

/// The version this build writes and the newest it reads.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Line {
    JirgaExport {
        version: u32,
        site: String,
        name: String,
        exported_at: DateTime<Utc>,
    },
    Thread {
        id: i64,
        key: String,
        title: String,
        url: Option<String>,
        #[serde(default)]
        text: String,
        #[serde(default)]
        closed: bool,
        created_at: DateTime<Utc>,
    },
    Author {
        id: i64,
        name: String,
        email: Option<String>,
        affiliation: Option<String>,
        #[serde(default)]
        verified: bool,
        /// A reader's account stood behind it (accounts themselves are not exported).
        #[serde(default)]
        account: bool,
        created_at: DateTime<Utc>,
    },
    Comment {
        id: i64,
        thread: i64,
        parent: Option<i64>,
        author: i64,
        status: String,
        #[serde(default)]
        reasons: Vec<Reason>,
        /// Markdown, as the author wrote it (empty for a deleted comment).
        body: String,
        created_at: DateTime<Utc>,
        edited_at: Option<DateTime<Utc>>,
        abuse_score: Option<f32>,
        on_topic_score: Option<f32>,
        #[serde(default)]
        votes: Vec<VoteLine>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoteLine {
    pub voter: String,
    pub value: i64,
    pub created_at: DateTime<Utc>,
}

/// Reads an export line by line; a line that is not one of the above is reported with its
/// number and the reader goes on with the next.
pub struct Reader<R> {
    input: R,
    line: u64,
    buf: String,
    authors: HashMap<i64, SourceAuthor>,
    done: bool,
}

impl<R: BufRead> Reader<R> {
    pub fn new(input: R) -> Self {
        Self {
            input,
            line: 0,
            buf: String::new(),
            authors: HashMap::new(),
            done: false,
        }
    }

    fn skipped(&self, reason: SkipReason, detail: String) -> Record {
        Record::Skipped {
            at: Position::Line(self.line),
            reason,
            detail,
        }
    }

    fn record(&mut self, line: Line) -> Option<Record> {
        match line {
            // A newer format is not guessed at: the file is not read further.
            Line::JirgaExport { version, .. } => (version > VERSION).then(|| {
                    self.done = true;
                    self.skipped(
                        SkipReason::Malformed,
                        format!(
                            "written by a newer Jirga (format version {version}; this one reads up to {VERSION}): upgrade to import it"
                        ),
                    )
                }),
            Line::Thread {
                id,
                key,
                title,
                url,
                text,
                closed,
                created_at,
            } => Some(Record::Thread(SourceThread {
                id: id.to_string(),
                key: Some(key),
                text: Some(text),
                created_at: Some(created_at),
                url,
                title: Some(title),
                closed,
                deleted: false,
            })),
            Line::Author {
                id,
                name,
                email,
                affiliation,
                verified,
                ..
            } => {
                self.authors.insert(
                    id,
                    SourceAuthor {
                        key: Some(format!("author:{id}")),
                        name,
                        email,
                        affiliation,
                        verified,
                    },
                );
                None
            }
            Line::Comment {
                id,
                thread,
                parent,
                author,
                status,
                reasons,
                body,
                created_at,
                edited_at,
                abuse_score,
                on_topic_score,
                votes,
            } => {
                let Some(status) = CommentStatus::parse(&status) else {
                    return Some(self.skipped(
                        SkipReason::Malformed,
                        format!("comment {id}: unknown status {status:?}"),
                    ));
                };
                let Some(author) = self.authors.get(&author).cloned() else {
                    return Some(self.skipped(
                        SkipReason::Malformed,
                        format!("comment {id}: its author {author} is not in the file"),
                    ));
                };
                let state = match status {
                    CommentStatus::Published => SourceState::Published,
                    CommentStatus::Held => SourceState::Held,
                    CommentStatus::Rejected => SourceState::Spam,
                    CommentStatus::Deleted => SourceState::Deleted,
                };
                Some(Record::Comment(SourceComment {
                    id: id.to_string(),
                    thread: thread.to_string(),
                    parent: parent.map(|p| p.to_string()),
                    author,
                    body: SourceBody::Markdown(body),
                    created_at,
                    state,
                    native: Some(Box::new(Native {
                        status,
                        reasons,
                        edited_at,
                        abuse_score,
                        on_topic_score,
                        votes: votes
                            .into_iter()
                            .map(|v| jirga_store::VoteRecord {
                                voter: v.voter,
                                value: v.value.signum(),
                                created_at: v.created_at,
                            })
                            .filter(|v| v.value != 0)
                            .collect(),
                    })),
                }))
            }
        }
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        while !self.done {
            self.buf.clear();
            self.line += 1;
            match self.input.read_line(&mut self.buf) {
                Ok(0) => self.done = true,
                Ok(_) => {}
                // A line that is not UTF-8 is skipped; a failing stream ends the file.
                Err(e) => {
                    self.done = e.kind() != std::io::ErrorKind::InvalidData;
                    return Some(self.skipped(SkipReason::Malformed, format!("cannot read: {e}")));
                }
            }
            let text = self.buf.trim();
            if text.is_empty() {
                continue;
            }
            let record = match serde_json::from_str::<Line>(text) {
                Ok(line) => self.record(line),
                Err(e) => Some(self.skipped(SkipReason::Malformed, e.to_string())),
            };
            if record.is_some() {
                return record;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Record> {
        Reader::new(text.as_bytes()).collect()
    }

    #[test]
    fn a_bad_line_is_reported_by_number_and_reading_goes_on() {
        let records = read(concat!(
            r#"{"type":"jirga_export","version":1,"site":"a","name":"A","exported_at":"2026-11-30T10:00:00Z"}"#,
            "\n",
            r#"{"type":"thread","id":1,"key":"/a/","title":"A","url":null,"created_at":"2026-11-30T10:00:00Z"}"#,
            "\n{\"type\":\"comment\",\"id\":\n\n",
            r#"{"type":"author","id":3,"name":"Sana","email":null,"affiliation":null,"created_at":"2026-11-30T10:00:00Z"}"#,
            "\n",
            r#"{"type":"comment","id":9,"thread":1,"parent":null,"author":3,"status":"held","body":"Hi","created_at":"2026-11-30T10:00:00Z","edited_at":null,"abuse_score":0.5,"on_topic_score":null}"#,
            "\n",
            r#"{"type":"comment","id":10,"thread":1,"parent":null,"author":4,"status":"published","body":"Who?","created_at":"2026-11-30T10:00:00Z","edited_at":null,"abuse_score":null,"on_topic_score":null}"#,
        ));
        assert_eq!(records.len(), 4, "{records:?}");
        assert!(matches!(&records[0], Record::Thread(t) if t.key.as_deref() == Some("/a/")));
        assert!(matches!(
            &records[1],
            Record::Skipped {
                at: Position::Line(3),
                reason: SkipReason::Malformed,
                ..
            }
        ));
        let Record::Comment(c) = &records[2] else {
            panic!("a comment: {:?}", records[2]);
        };
        assert_eq!(c.author.key.as_deref(), Some("author:3"));
        assert_eq!(c.state, SourceState::Held);
        assert_eq!(
            c.native.as_ref().map(|n| n.status),
            Some(CommentStatus::Held)
        );
        assert!(matches!(
            &records[3],
            Record::Skipped { at: Position::Line(7), detail, .. } if detail.contains("author 4")
        ));
    }

    #[test]
    fn a_newer_version_is_refused_in_words() {
        let records = read(concat!(
            r#"{"type":"jirga_export","version":2,"site":"a","name":"A","exported_at":"2026-11-30T10:00:00Z"}"#,
            "\n",
            r#"{"type":"thread","id":1,"key":"/a/","title":"A","url":null,"created_at":"2026-11-30T10:00:00Z"}"#,
        ));
        assert!(matches!(
            &records[..],
            [Record::Skipped { detail, .. }] if detail.contains("newer Jirga")
        ));
    }
}
