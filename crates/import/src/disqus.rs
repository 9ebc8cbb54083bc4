//! Disqus's XML export: `<thread dsq:id>` elements, then `<post dsq:id>` elements that name
//! their thread and parent by `dsq:id`. Every field may be missing (2023 exports have no
//! email, guests no user name); dates are UTC (`…Z`) and read as such.

use crate::xml::{Chunks, Element};
use crate::{
    Position, Record, SkipReason, SourceAuthor, SourceBody, SourceComment, SourceState,
    SourceThread,
};
use chrono::{DateTime, Utc};
use std::io::BufRead;

pub struct Disqus<R> {
    chunks: Chunks<R>,
}

impl<R: BufRead> Disqus<R> {
    pub fn new(input: R) -> Self {
        Self {
            chunks: Chunks::new(input, &["thread", "post"]),
        }
    }
}

impl<R: BufRead> Iterator for Disqus<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        let (el, at, name) = match self.chunks.next_element()? {
            Ok(read) => read,
            Err(skipped) => return Some(skipped),
        };
        Some(match name.as_str() {
            "thread" => thread(&el, at),
            _ => post(&el, at),
        })
    }
}

fn flag(el: &Element, name: &str) -> bool {
    el.text_of(name)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

fn thread(el: &Element, at: Position) -> Record {
    let Some(id) = el.attr("id").filter(|id| !id.is_empty()) else {
        return Record::Skipped {
            at,
            reason: SkipReason::NoId,
            detail: "<thread> without dsq:id".into(),
        };
    };
    Record::Thread(SourceThread {
        key: None,
        text: None,
        created_at: el.text_of("createdAt").and_then(|d| d.parse().ok()),
        id: id.to_owned(),
        url: el.text_of("link"),
        title: el.text_of("title"),
        closed: flag(el, "isClosed"),
        deleted: flag(el, "isDeleted"),
    })
}

fn post(el: &Element, at: Position) -> Record {
    // The legacy `<id>` is a fallback for posts without `dsq:id`.
    let Some(id) = el
        .attr("id")
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .or_else(|| el.text_of("id"))
    else {
        return Record::Skipped {
            at,
            reason: SkipReason::NoId,
            detail: "<post> without dsq:id or <id>".into(),
        };
    };
    let Some(thread) = el.child("thread").and_then(|t| t.attr("id")) else {
        return Record::Skipped {
            at,
            reason: SkipReason::Malformed,
            detail: format!("post {id} names no thread"),
        };
    };
    let created_at = match el.text_of("createdAt").map(|d| d.parse::<DateTime<Utc>>()) {
        Some(Ok(d)) => d,
        other => {
            return Record::Skipped {
                at,
                reason: SkipReason::Malformed,
                detail: format!(
                    "post {id}: createdAt {:?} is not a date",
                    other.map(|_| el.text_of("createdAt").unwrap_or_default())
                ),
            };
        }
    };
    let author = el.child("author");
    let text = |name: &str| author.and_then(|a| a.text_of(name));
    let anonymous = author.is_some_and(|a| flag(a, "isAnonymous"));
    let name = text("name").unwrap_or_else(|| "Guest".into());
    let email = text("email");
    let key = match (text("username").filter(|_| !anonymous), &email) {
        (Some(user), _) => Some(format!("user:{user}")),
        (None, Some(email)) => Some(format!("email:{}", email.to_lowercase())),
        (None, None) => None,
    };
    let state = if flag(el, "isSpam") {
        SourceState::Spam
    } else if flag(el, "isDeleted") {
        SourceState::Deleted
    } else if el
        .text_of("isApproved")
        .is_some_and(|v| v.eq_ignore_ascii_case("false"))
    {
        // Not in Disqus's own exports; Jirga's Disqus export marks held comments so.
        SourceState::Held
    } else {
        SourceState::Published
    };
    Record::Comment(SourceComment {
        native: None,
        id,
        thread: thread.to_owned(),
        parent: el
            .child("parent")
            .and_then(|p| p.attr("id"))
            .filter(|p| !p.is_empty())
            .map(str::to_owned),
        author: SourceAuthor::new(key, name, email),
        body: SourceBody::Html(
            el.child("message")
                .map(|m| m.text.clone())
                .unwrap_or_default(),
        ),
        created_at,
        state,
    })
}
