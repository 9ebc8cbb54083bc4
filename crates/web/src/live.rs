//! Live updates. Every write that readers would see is announced through the store
//! (`Store::publish`: in-process on SQLite, `NOTIFY` on PostgreSQL, so every instance hears
//! every other). Each instance runs one hub task that, per event, drops the thread's cached
//! pages and, for a comment that became visible or changed, reads it once and passes the
//! public JSON to its readers connected to `GET /api/v1/events` (Server-Sent Events).

use crate::error::ApiError;
use crate::state::{AppState, Live, LiveSender};
use crate::views::CommentJson;
use axum::extract::State;
use axum::http::Uri;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::Stream;
use jirga_domain::{CommentId, ThreadId};
use jirga_domain::{CommentStatus, SiteId, ThreadKey};
use jirga_store::{Event, EventKind, StoredComment};
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

/// What a reader's browser receives, as the data of an SSE event named `comment`.
#[derive(Debug, Serialize)]
pub struct LiveJson {
    pub kind: EventKind,
    pub comment_id: Option<CommentId>,
    /// The thread's published count after the change.
    pub count: i64,
    /// The comment as readers see it (for `published` and `edited`).
    pub comment: Option<CommentJson>,
}

/// What a write did to a comment that readers may see, judged from its status before and
/// after. `None`: nothing readers see changed.
pub fn kind_of(before: Option<CommentStatus>, after: CommentStatus) -> Option<EventKind> {
    let was = before == Some(CommentStatus::Published);
    let is = after == CommentStatus::Published;
    match (was, is) {
        (false, true) => Some(EventKind::Published),
        (true, true) => Some(EventKind::Edited),
        (true, false) => Some(EventKind::Removed),
        (false, false) => None,
    }
}

impl AppState {
    /// After a write to a thread: this instance's cached pages of it go at once, and the
    /// change is announced to every instance (this one included). A failed announcement is
    /// logged, not returned: the write itself has succeeded.
    pub async fn changed(
        &self,
        thread_id: ThreadId,
        kind: EventKind,
        comment_id: Option<CommentId>,
    ) {
        self.cache.written(thread_id);
        let thread = match self.store.thread_by_id(thread_id).await {
            Ok(Some(t)) => t,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!("cannot announce a change to thread {thread_id}: {e}");
                return;
            }
        };
        let event = Event {
            site: thread.site_id.to_string(),
            thread: thread.key.to_string(),
            thread_id,
            kind,
            comment_id,
            count: thread.published_count,
        };
        if let Err(e) = self.store.publish(&event).await {
            tracing::warn!("cannot announce a change to thread {thread_id}: {e}");
        }
    }

    /// After a write to a comment whose status was `before`.
    pub async fn comment_changed(&self, before: Option<CommentStatus>, after: &StoredComment) {
        match kind_of(before, after.status) {
            Some(kind) => self.changed(after.thread_id, kind, Some(after.id)).await,
            None => self.cache.written(after.thread_id),
        }
    }
}

/// The hub: runs for the life of the server.
pub async fn hub(state: AppState, mut events: broadcast::Receiver<Event>, live: LiveSender) {
    loop {
        let event = match events.recv().await {
            Ok(e) => e,
            Err(broadcast::error::RecvError::Lagged(_)) => {
                state.cache.clear();
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        if event.kind == EventKind::Resync {
            state.cache.clear();
            continue;
        }
        state.cache.written(event.thread_id);
        if live.receiver_count() == 0 {
            continue;
        }
        let comment = match (event.kind, event.comment_id) {
            (EventKind::Published | EventKind::Edited, Some(id)) => {
                match state.store.comment(id).await {
                    // Read again now: only what is published at this moment goes out.
                    Ok(Some(c)) if c.status == CommentStatus::Published => {
                        Some(CommentJson::own(&c))
                    }
                    Ok(_) => continue,
                    Err(e) => {
                        tracing::warn!("live update for comment {id}: {e}");
                        continue;
                    }
                }
            }
            _ => None,
        };
        let data = match serde_json::to_string(&LiveJson {
            kind: event.kind,
            comment_id: event.comment_id,
            count: event.count,
            comment,
        }) {
            Ok(d) => d,
            Err(_) => continue,
        };
        let _ = live.send(Arc::new(Live {
            site: event.site,
            thread: event.thread,
            data,
        }));
    }
}

#[derive(Deserialize)]
struct EventsQuery {
    site: String,
    thread: String,
}

/// `GET /api/v1/events?site=S&thread=T`: a stream of `comment` events for one thread, with
/// a comment line every 15 seconds to keep proxies from closing it.
#[utoipa::path(get, path = "/api/v1/events", tag = "threads",
    params(("site" = String, Query), ("thread" = String, Query)),
    responses((status = 200, description = "Server-sent events: `comment` with {kind, comment_id, count}", content_type = "text/event-stream"),
              (status = 404, body = crate::views::ErrorJson)))]
pub async fn events(
    State(state): State<AppState>,
    uri: Uri,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let q: EventsQuery = serde_html_form::from_str(uri.query().unwrap_or_default())
        .map_err(|e| ApiError::InvalidQuery(e.to_string()))?;
    let site = SiteId::parse(&q.site)?;
    let key = ThreadKey::parse(&q.thread)?;
    state
        .store
        .site(&site)
        .await?
        .ok_or(ApiError::UnknownSite)?;
    let (site, key) = (site.to_string(), key.to_string());
    let stream = BroadcastStream::new(state.live.subscribe()).filter_map(move |item| match item {
        Ok(live) if live.site == site && live.thread == key => Some(Ok(SseEvent::default()
            .event("comment")
            .data(live.data.clone()))),
        Ok(_) => None,
        // This reader fell behind: tell the widget to reload rather than miss changes.
        Err(_) => Some(Ok(SseEvent::default().event("resync").data("{}"))),
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_changes_map_to_what_readers_see() {
        use CommentStatus::*;
        assert_eq!(kind_of(None, Published), Some(EventKind::Published));
        assert_eq!(kind_of(None, Held), None);
        assert_eq!(kind_of(Some(Held), Published), Some(EventKind::Published));
        assert_eq!(kind_of(Some(Published), Published), Some(EventKind::Edited));
        assert_eq!(kind_of(Some(Published), Held), Some(EventKind::Removed));
        assert_eq!(kind_of(Some(Published), Deleted), Some(EventKind::Removed));
        assert_eq!(kind_of(Some(Held), Rejected), None);
    }
}
