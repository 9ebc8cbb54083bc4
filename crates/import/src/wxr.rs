//! WordPress's export (WXR 1.0–1.2): an RSS `<item>` per post with its `<wp:comment>`s.
//! Namespaces are matched by local name only (WordPress.com exports use prefixes they never
//! declare). Dates come from `comment_date_gmt`; when that is missing or zero, from the local
//! `comment_date` in the site's time zone (`ReadOptions::timezone`).

use crate::xml::{Chunks, Element, unescape};
use crate::{
    Position, Record, SkipReason, SourceAuthor, SourceBody, SourceComment, SourceState,
    SourceThread,
};
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use std::collections::VecDeque;
use std::io::BufRead;

pub struct Wxr<R> {
    chunks: Chunks<R>,
    timezone: FixedOffset,
    queue: VecDeque<Record>,
}

impl<R: BufRead> Wxr<R> {
    pub fn new(input: R, timezone: FixedOffset) -> Self {
        Self {
            chunks: Chunks::new(input, &["item"]),
            timezone,
            queue: VecDeque::new(),
        }
    }
}

impl<R: BufRead> Iterator for Wxr<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            if let Some(r) = self.queue.pop_front() {
                return Some(r);
            }
            match self.chunks.next_element()? {
                Ok((item, at, _)) => self.item(&item, at),
                Err(skipped) => return Some(skipped),
            }
        }
    }
}

impl<R> Wxr<R> {
    fn item(&mut self, item: &Element, at: Position) {
        let comments: Vec<&Element> = item.children_named("comment").collect();
        if comments.is_empty() {
            return; // a post, page or attachment nobody commented on
        }
        let url = item.text_of("link");
        let Some(id) = item.text_of("post_id").or_else(|| url.clone()) else {
            self.queue.push_back(Record::Skipped {
                at,
                reason: SkipReason::NoId,
                detail: format!(
                    "an <item> with {} comments has no post_id or link",
                    comments.len()
                ),
            });
            return;
        };
        self.queue.push_back(Record::Thread(SourceThread {
            key: None,
            text: None,
            created_at: None,
            id: id.clone(),
            url,
            title: item
                .child("title")
                .map(|t| {
                    if t.cdata {
                        unescape(t.text.trim())
                    } else {
                        t.text.trim().to_owned()
                    }
                })
                .filter(|t| !t.is_empty()),
            closed: item.text_of("comment_status").as_deref() == Some("closed"),
            deleted: item.text_of("status").as_deref() == Some("trash"),
        }));
        for c in comments {
            let record = self.comment(c, &id, at);
            self.queue.push_back(record);
        }
    }

    fn comment(&self, c: &Element, thread: &str, at: Position) -> Record {
        let Some(id) = c.text_of("comment_id") else {
            return Record::Skipped {
                at,
                reason: SkipReason::NoId,
                detail: format!("a comment on post {thread} has no comment_id"),
            };
        };
        let Some(created_at) = date(c, self.timezone) else {
            return Record::Skipped {
                at,
                reason: SkipReason::Malformed,
                detail: format!(
                    "comment {id}: no readable comment_date_gmt or comment_date ({:?})",
                    c.text_of("comment_date_gmt")
                ),
            };
        };
        // Names and emails in CDATA hold WordPress's HTML entities (`&#039;`): decoded once.
        let field = |name: &str| {
            let el = c.child(name)?;
            let text = el.text.trim();
            let text = if el.cdata {
                unescape(text)
            } else {
                text.to_owned()
            };
            (!text.is_empty()).then_some(text)
        };
        let name = field("comment_author").unwrap_or_else(|| "Guest".into());
        let email = field("comment_author_email");
        let key = match (field("comment_user_id").filter(|u| u != "0"), &email) {
            (Some(user), _) => Some(format!("user:{user}")),
            (None, Some(email)) => Some(format!("email:{}", email.to_lowercase())),
            (None, None) => None,
        };
        let kind = field("comment_type").unwrap_or_default();
        let state = if kind == "pingback" || kind == "trackback" {
            SourceState::Pingback
        } else {
            match field("comment_approved").as_deref() {
                Some("1" | "approve" | "approved") => SourceState::Published,
                Some("spam") => SourceState::Spam,
                Some("trash" | "post-trashed") => SourceState::Deleted,
                _ => SourceState::Held,
            }
        };
        // Comment ids are unique per WordPress site, but exports that merge sites (and the
        // peers' fixtures) repeat them across posts: ids are kept per post.
        Record::Comment(SourceComment {
            native: None,
            id: format!("{thread}:{id}"),
            thread: thread.to_owned(),
            parent: field("comment_parent")
                .filter(|p| p != "0")
                .map(|p| format!("{thread}:{p}")),
            author: SourceAuthor::new(key, name, email),
            body: SourceBody::HtmlWithBreaks(
                c.child("comment_content")
                    .map(|b| b.text.trim().to_owned())
                    .unwrap_or_default(),
            ),
            created_at,
            state,
        })
    }
}

fn date(c: &Element, timezone: FixedOffset) -> Option<DateTime<Utc>> {
    let read = |name: &str| {
        let raw = c.text_of(name)?;
        NaiveDateTime::parse_from_str(&raw, "%Y-%m-%d %H:%M:%S").ok()
    };
    if let Some(utc) = read("comment_date_gmt") {
        return Some(utc.and_utc());
    }
    let local = read("comment_date")?;
    timezone
        .from_local_datetime(&local)
        .single()
        .map(|d| d.with_timezone(&Utc))
}
