//! Leaving, or keeping a copy: everything of a site written out, page by page (memory stays
//! flat whatever the site's size).
//!
//! - `jirga`: the JSON lines of `crate::jirga` (threads, authors, comments in every state
//!   with their moderation reasons, scores and votes), which `jirga import --format jirga`
//!   reads back.
//! - `disqus`: Disqus's XML, which Disqus and the other peers import. Published comments as
//!   they are; deleted ones as `isDeleted` placeholders; rejected ones as `isSpam`; held ones
//!   with `<isApproved>false</isApproved>` (Jirga reads that back as held; a system that
//!   ignores the element would publish them, which `--published-only` prevents).

use crate::jirga::{Line, VERSION, VoteLine};
use chrono::{SecondsFormat, Utc};
use jirga_domain::{AuthorId, CommentId, CommentStatus, SiteId, ThreadId};
use jirga_store::{ExportAuthor, Store, StoreError, StoredComment, VoteRecord};
use std::collections::HashMap;
use std::io::Write;

/// Rows read per query.
const PAGE: u32 = 500;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("writing the export: {0}")]
    Write(#[from] std::io::Error),
    #[error("no site {0}")]
    NoSite(String),
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Written {
    pub threads: u64,
    pub authors: u64,
    pub comments: u64,
    pub votes: u64,
    /// Comments left out (a Disqus export with `published_only`).
    pub left_out: u64,
}

/// The site in Jirga's JSON lines.
pub async fn jirga(
    store: &dyn Store,
    site: &SiteId,
    out: &mut dyn Write,
) -> Result<Written, ExportError> {
    let name = store
        .site(site)
        .await?
        .ok_or_else(|| ExportError::NoSite(site.to_string()))?
        .name;
    let mut written = Written::default();
    line(
        out,
        &Line::JirgaExport {
            version: VERSION,
            site: site.to_string(),
            name,
            exported_at: Utc::now(),
        },
    )?;
    all(
        ThreadId(0),
        |t: &jirga_store::Thread| t.id,
        async |after| store.export_threads(site, after, PAGE).await,
        |t| {
            written.threads += 1;
            line(
                out,
                &Line::Thread {
                    id: t.id.get(),
                    key: t.key.to_string(),
                    title: t.title,
                    url: t.url,
                    text: t.text,
                    closed: t.closed,
                    created_at: t.created_at,
                },
            )
        },
    )
    .await?;
    all(
        AuthorId(0),
        |a: &ExportAuthor| a.id,
        async |after| store.export_authors(site, after, PAGE).await,
        |a| {
            written.authors += 1;
            line(
                out,
                &Line::Author {
                    id: a.id.get(),
                    name: a.name,
                    email: a.email,
                    affiliation: a.affiliation,
                    verified: a.verified,
                    account: a.account,
                    created_at: a.created_at,
                },
            )
        },
    )
    .await?;
    all(
        CommentId(0),
        |(c, _): &(StoredComment, Vec<VoteRecord>)| c.id,
        async |after| store.export_comments(site, after, PAGE).await,
        |(c, votes)| {
            written.comments += 1;
            written.votes += votes.len() as u64;
            line(
                out,
                &Line::Comment {
                    id: c.id.get(),
                    thread: c.thread_id.get(),
                    parent: c.parent_id.map(CommentId::get),
                    author: c.author.id.get(),
                    status: c.status.as_str().to_owned(),
                    reasons: c.reasons,
                    body: c.body_markdown,
                    created_at: c.created_at,
                    edited_at: c.edited_at,
                    abuse_score: c.abuse_score,
                    on_topic_score: c.on_topic_score,
                    votes: votes
                        .into_iter()
                        .map(|v| VoteLine {
                            voter: v.voter,
                            value: v.value,
                            created_at: v.created_at,
                        })
                        .collect(),
                },
            )
        },
    )
    .await?;
    out.flush()?;
    Ok(written)
}

/// Every row a paged query answers, in order: `page(after)` with the last row's key each time,
/// until it answers none.
async fn all<T, K: Copy>(
    mut after: K,
    key: impl Fn(&T) -> K,
    mut page: impl AsyncFnMut(K) -> Result<Vec<T>, StoreError>,
    mut each: impl FnMut(T) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    loop {
        let rows = page(after).await?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = key(last);
        for row in rows {
            each(row)?;
        }
    }
}

fn line(out: &mut dyn Write, line: &Line) -> Result<(), ExportError> {
    serde_json::to_writer(&mut *out, line).map_err(|e| ExportError::Write(e.into()))?;
    out.write_all(b"\n")?;
    Ok(())
}

/// The site in Disqus's XML. `published_only` leaves held and rejected comments out.
pub async fn disqus(
    store: &dyn Store,
    site: &SiteId,
    published_only: bool,
    out: &mut dyn Write,
) -> Result<Written, ExportError> {
    if store.site(site).await?.is_none() {
        return Err(ExportError::NoSite(site.to_string()));
    }
    let mut written = Written::default();
    let forum = escape(site.as_str());
    writeln!(out, r#"<?xml version="1.0" encoding="utf-8"?>"#)?;
    writeln!(
        out,
        r#"<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
    )?;
    writeln!(
        out,
        r#"  <category dsq:id="1"><forum>{forum}</forum><title>General</title><isDefault>true</isDefault></category>"#
    )?;
    all(
        ThreadId(0),
        |t: &jirga_store::Thread| t.id,
        async |after| store.export_threads(site, after, PAGE).await,
        |t| {
        written.threads += 1;
        // Disqus needs a link; a thread made without a URL has its path.
        let link = t.url.clone().unwrap_or_else(|| t.key.to_string());
        writeln!(
            out,
            "  <thread dsq:id=\"{id}\"><id>{key}</id><forum>{forum}</forum><category dsq:id=\"1\"/>\
             <link>{link}</link><title>{title}</title><message/><createdAt>{at}</createdAt>\
             <author><name>{forum}</name><isAnonymous>false</isAnonymous></author>\
             <isClosed>{closed}</isClosed><isDeleted>false</isDeleted></thread>",
            id = t.id,
            key = escape(t.key.as_str()),
            link = escape(&link),
            title = escape(&t.title),
            at = date(t.created_at),
            closed = t.closed,
        )?;
            Ok(())
        },
    )
    .await?;
    // Posts name their author inline: the site's authors first, by id.
    let mut authors: HashMap<AuthorId, ExportAuthor> = HashMap::new();
    all(
        AuthorId(0),
        |a: &ExportAuthor| a.id,
        async |after| store.export_authors(site, after, PAGE).await,
        |a| {
            authors.insert(a.id, a);
            Ok(())
        },
    )
    .await?;
    written.authors = authors.len() as u64;
    all(
        CommentId(0),
        |(c, _): &(StoredComment, Vec<VoteRecord>)| c.id,
        async |after| store.export_comments(site, after, PAGE).await,
        |(c, _)| {
        if published_only && matches!(c.status, CommentStatus::Held | CommentStatus::Rejected) {
            written.left_out += 1;
            return Ok(());
        }
        written.comments += 1;
        let author = authors.get(&c.author.id);
        let email = author
            .and_then(|a| a.email.as_deref())
            .map(|e| format!("<email>{}</email>", escape(e)))
            .unwrap_or_default();
        let parent = c
            .parent_id
            .map(|p| format!("<parent dsq:id=\"{p}\"/>"))
            .unwrap_or_default();
        let approved = if c.status == CommentStatus::Held {
            "<isApproved>false</isApproved>"
        } else {
            ""
        };
        writeln!(
            out,
            "  <post dsq:id=\"{id}\"><id>{id}</id><message>{message}</message><createdAt>{at}</createdAt>\
             <isDeleted>{deleted}</isDeleted><isSpam>{spam}</isSpam>{approved}\
             <author>{email}<name>{name}</name><isAnonymous>{anonymous}</isAnonymous></author>\
             <thread dsq:id=\"{thread}\"/>{parent}</post>",
            id = c.id,
            message = escape(&c.body_html),
            at = date(c.created_at),
            deleted = c.status == CommentStatus::Deleted,
            spam = c.status == CommentStatus::Rejected,
            name = escape(&c.author.name),
            anonymous = !author.is_some_and(|a| a.account),
            thread = c.thread_id,
        )?;
            Ok(())
        },
    )
    .await?;
    writeln!(out, "</disqus>")?;
    out.flush()?;
    Ok(written)
}

fn date(at: chrono::DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(text)
}
