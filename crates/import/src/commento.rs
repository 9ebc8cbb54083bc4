//! Commento's (and Commento++'s) export: one JSON object `{version: 1, comments: [...],
//! commenters: [...]}`. The commenters may follow the comments, so the object is read whole
//! (Commento exports are small; a site with a large archive would have left through Disqus
//! or WordPress). `state` is honoured: unapproved and flagged comments are held, not
//! published.

use crate::{
    Position, Record, SkipReason, SourceAuthor, SourceBody, SourceComment, SourceState,
    SourceThread,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::io::BufRead;

#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    comments: Vec<Comment>,
    #[serde(default)]
    commenters: Vec<Commenter>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Comment {
    #[serde(default)]
    comment_hex: String,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    commenter_hex: String,
    #[serde(default)]
    markdown: String,
    #[serde(default)]
    parent_hex: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    creation_date: String,
    #[serde(default)]
    deleted: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Commenter {
    #[serde(default)]
    commenter_hex: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
}

pub fn read<'a, R: BufRead + Send + 'a>(input: R) -> crate::Records<'a> {
    let export: Export = match serde_json::from_reader(input) {
        Ok(e) => e,
        Err(e) => {
            return Box::new(std::iter::once(Record::Skipped {
                at: Position::Line(e.line() as u64),
                reason: SkipReason::Malformed,
                detail: format!("not a Commento export: {e}"),
            }));
        }
    };
    let people: HashMap<String, Commenter> = export
        .commenters
        .into_iter()
        .map(|c| (c.commenter_hex.clone(), c))
        .collect();
    let mut threads = HashSet::new();
    let mut out = Vec::new();
    for (i, c) in export.comments.into_iter().enumerate() {
        let at = Position::Line(i as u64 + 1);
        let url = format!("https://{}{}", c.domain, c.url);
        if threads.insert(url.clone()) {
            out.push(Record::Thread(SourceThread {
                key: None,
                text: None,
                created_at: None,
                id: url.clone(),
                url: Some(url.clone()),
                title: None,
                closed: false,
                deleted: false,
            }));
        }
        if c.comment_hex.is_empty() {
            out.push(Record::Skipped {
                at,
                reason: SkipReason::NoId,
                detail: format!("comment {} of the export has no commentHex", i + 1),
            });
            continue;
        }
        let Ok(created_at) = c.creation_date.parse::<DateTime<Utc>>() else {
            out.push(Record::Skipped {
                at,
                reason: SkipReason::Malformed,
                detail: format!(
                    "comment {}: creationDate {:?}",
                    c.comment_hex, c.creation_date
                ),
            });
            continue;
        };
        let who = people.get(&c.commenter_hex);
        let author = match who {
            Some(p) => SourceAuthor {
                affiliation: None,
                verified: false,
                key: Some(format!("commenter:{}", p.commenter_hex)),
                name: if p.name.is_empty() {
                    "Guest".into()
                } else {
                    p.name.clone()
                },
                email: (!p.email.is_empty()).then(|| p.email.clone()),
            },
            // "anonymous", or a commenter the export does not list: a guest, not a loss.
            None => SourceAuthor {
                affiliation: None,
                verified: false,
                key: None,
                name: "Anonymous".into(),
                email: None,
            },
        };
        let state = if c.deleted {
            SourceState::Deleted
        } else {
            match c.state.as_str() {
                "approved" => SourceState::Published,
                _ => SourceState::Held,
            }
        };
        out.push(Record::Comment(SourceComment {
            native: None,
            id: c.comment_hex,
            thread: url,
            parent: (c.parent_hex != "root" && !c.parent_hex.is_empty()).then_some(c.parent_hex),
            author,
            body: SourceBody::Markdown(c.markdown),
            created_at,
            state,
        }));
    }
    Box::new(out.into_iter())
}
