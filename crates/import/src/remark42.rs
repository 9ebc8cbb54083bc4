//! Remark42's backup: a stream of JSON values, the first a meta value (`version`, `users`,
//! `posts`), then one comment per value; a value may span lines. Read value by value, so a
//! value that is not JSON costs only itself: the reader reports its line and goes on at the
//! next line that starts a value.

use crate::{
    Position, Record, SkipReason, SourceAuthor, SourceBody, SourceComment, SourceState,
    SourceThread,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::{HashSet, VecDeque};
use std::io::BufRead;

pub struct Remark42<R> {
    input: R,
    line: u64,
    seen_meta: bool,
    threads: HashSet<String>,
    queue: VecDeque<Record>,
    done: bool,
}

impl<R: BufRead> Remark42<R> {
    pub fn new(input: R) -> Self {
        Self {
            input,
            line: 0,
            seen_meta: false,
            threads: HashSet::new(),
            queue: VecDeque::new(),
            done: false,
        }
    }

    /// The next JSON value's text and its first line; lines are added until the value is
    /// complete or cannot be.
    fn next_value(&mut self) -> Option<Result<(serde_json::Value, u64), (String, u64)>> {
        let mut text = String::new();
        let mut start = 0;
        loop {
            let mut line = String::new();
            match self.input.read_line(&mut line) {
                Ok(0) => {
                    self.done = true;
                    return (!text.trim().is_empty())
                        .then(|| Err(("the file ends inside a value".to_owned(), start)));
                }
                Ok(_) => self.line += 1,
                Err(e) => {
                    self.done = true;
                    return Some(Err((format!("the file could not be read: {e}"), self.line)));
                }
            }
            if text.trim().is_empty() {
                if line.trim().is_empty() {
                    continue;
                }
                text.clear();
                start = self.line;
            }
            text.push_str(&line);
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(v) => return Some(Ok((v, start))),
                Err(e) if e.is_eof() => continue,
                Err(e) => return Some(Err((e.to_string(), start))),
            }
        }
    }
}

#[derive(Deserialize)]
struct Comment {
    id: String,
    #[serde(default)]
    pid: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    orig: Option<String>,
    user: User,
    locator: Locator,
    time: String,
    #[serde(default)]
    delete: bool,
    #[serde(default)]
    title: Option<String>,
}

#[derive(Deserialize)]
struct User {
    #[serde(default)]
    name: String,
    #[serde(default)]
    id: String,
}

#[derive(Deserialize)]
struct Locator {
    #[serde(default)]
    url: String,
}

impl<R: BufRead> Iterator for Remark42<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            if let Some(r) = self.queue.pop_front() {
                return Some(r);
            }
            if self.done {
                return None;
            }
            let (value, line) = match self.next_value()? {
                Ok(v) => v,
                Err((detail, line)) => {
                    return Some(Record::Skipped {
                        at: Position::Line(line),
                        reason: SkipReason::Malformed,
                        detail,
                    });
                }
            };
            let at = Position::Line(line);
            if !self.seen_meta && value.get("locator").is_none() {
                self.seen_meta = true; // the meta value: the posts come with their comments
                continue;
            }
            self.seen_meta = true;
            let c: Comment = match serde_json::from_value(value) {
                Ok(c) => c,
                Err(e) => {
                    return Some(Record::Skipped {
                        at,
                        reason: SkipReason::Malformed,
                        detail: format!("not a comment: {e}"),
                    });
                }
            };
            let Ok(created_at) = c.time.parse::<DateTime<Utc>>() else {
                return Some(Record::Skipped {
                    at,
                    reason: SkipReason::Malformed,
                    detail: format!("comment {}: time {:?} is not a date", c.id, c.time),
                });
            };
            if c.id.is_empty() {
                return Some(Record::Skipped {
                    at,
                    reason: SkipReason::NoId,
                    detail: "a comment without id".into(),
                });
            }
            if self.threads.insert(c.locator.url.clone()) {
                self.queue.push_back(Record::Thread(SourceThread {
                    key: None,
                    text: None,
                    created_at: None,
                    id: c.locator.url.clone(),
                    url: Some(c.locator.url.clone()),
                    title: c.title.clone().filter(|t| !t.is_empty()),
                    closed: false,
                    deleted: false,
                }));
            }
            let body = match c.orig.filter(|o| !o.trim().is_empty()) {
                Some(markdown) => SourceBody::Markdown(markdown),
                None => SourceBody::Html(c.text),
            };
            self.queue.push_back(Record::Comment(SourceComment {
                native: None,
                id: c.id,
                thread: c.locator.url,
                parent: (!c.pid.is_empty()).then_some(c.pid),
                author: SourceAuthor {
                    affiliation: None,
                    verified: false,
                    key: (!c.user.id.is_empty()).then(|| format!("user:{}", c.user.id)),
                    name: if c.user.name.is_empty() {
                        "Guest".into()
                    } else {
                        c.user.name
                    },
                    email: None,
                },
                body,
                created_at,
                state: if c.delete {
                    SourceState::Deleted
                } else {
                    SourceState::Published
                },
            }));
        }
    }
}
