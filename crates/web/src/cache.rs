//! A cache of serialised read responses (thread pages and counts), so a popular thread is
//! served from memory. Every write that changes what readers see marks its thread as written;
//! a cached page is used only while its thread has not been written since the page was built,
//! so a held, rejected or deleted comment is never served from here.
//!
//! Generations: a global counter ticks on every write; a thread remembers the tick of its
//! last write. A page remembers the tick read *before* it was built, so a write racing the
//! build makes the page stale at once.

use bytes::Bytes;
use jirga_domain::ThreadId;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

const MAX_ENTRIES: usize = 20_000;

#[derive(Default)]
pub struct ReadCache {
    tick: AtomicU64,
    threads: Mutex<HashMap<ThreadId, u64>>,
    /// By kind, then by the request's query string as sent (no key is built for a lookup).
    pages: Mutex<[HashMap<String, Page>; 2]>,
}

/// Which answer a cached body is: the same query string means different things to each.
#[derive(Clone, Copy)]
pub enum Kind {
    ThreadPage = 0,
    Counts = 1,
}

struct Page {
    /// `None`: depends on every thread (counts).
    thread: Option<ThreadId>,
    built_at: u64,
    /// The thread's stamp when the page was built (shared stores; see `Thread::stamp`).
    stamp: Option<String>,
    body: Bytes,
}

/// A cached page that no write seen by this process has made stale. With a `stamp`, the
/// caller must also check it against the database (another instance may have written).
pub struct Hit {
    pub body: Bytes,
    pub thread: Option<ThreadId>,
    pub stamp: Option<String>,
}

impl ReadCache {
    /// The tick to pass to `put` for a response about to be built.
    pub fn now(&self) -> u64 {
        self.tick.load(Ordering::SeqCst)
    }

    /// Records a write to a thread.
    pub fn written(&self, thread: ThreadId) {
        let t = self.tick.fetch_add(1, Ordering::SeqCst) + 1;
        self.threads
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(thread, t);
    }

    /// Forgets every page (events may have been missed).
    pub fn clear(&self) {
        self.tick.fetch_add(1, Ordering::SeqCst);
        let mut pages = self.pages.lock().unwrap_or_else(|p| p.into_inner());
        pages.iter_mut().for_each(HashMap::clear);
    }

    pub fn get(&self, kind: Kind, key: &str) -> Option<Hit> {
        let pages = self.pages.lock().unwrap_or_else(|p| p.into_inner());
        let page = pages[kind as usize].get(key)?;
        let fresh = match page.thread {
            Some(thread) => {
                let threads = self.threads.lock().unwrap_or_else(|p| p.into_inner());
                threads.get(&thread).is_none_or(|&w| w <= page.built_at)
            }
            None => self.now() <= page.built_at,
        };
        fresh.then(|| Hit {
            body: page.body.clone(),
            thread: page.thread,
            stamp: page.stamp.clone(),
        })
    }

    pub fn put(
        &self,
        kind: Kind,
        key: String,
        thread: Option<ThreadId>,
        built_at: u64,
        stamp: Option<String>,
        body: Bytes,
    ) {
        let mut pages = self.pages.lock().unwrap_or_else(|p| p.into_inner());
        let pages = &mut pages[kind as usize];
        if pages.len() >= MAX_ENTRIES {
            pages.clear();
        }
        pages.insert(
            key,
            Page {
                thread,
                built_at,
                stamp,
                body,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_to_the_thread_makes_its_pages_stale() {
        let c = ReadCache::default();
        let t0 = c.now();
        c.put(
            Kind::ThreadPage,
            "a".into(),
            Some(ThreadId(1)),
            t0,
            None,
            Bytes::from_static(b"page"),
        );
        c.put(
            Kind::Counts,
            "n".into(),
            None,
            t0,
            None,
            Bytes::from_static(b"counts"),
        );
        assert_eq!(
            c.get(Kind::ThreadPage, "a").map(|h| h.body).as_deref(),
            Some(&b"page"[..])
        );
        c.written(ThreadId(2));
        assert!(
            c.get(Kind::ThreadPage, "a").is_some(),
            "another thread's write leaves it"
        );
        assert!(
            c.get(Kind::Counts, "n").is_none(),
            "counts depend on every thread"
        );
        c.written(ThreadId(1));
        assert!(c.get(Kind::ThreadPage, "a").is_none());
    }

    #[test]
    fn a_write_during_the_build_is_not_hidden() {
        let c = ReadCache::default();
        let before = c.now();
        c.written(ThreadId(1)); // lands while the page is being built from older rows
        c.put(
            Kind::ThreadPage,
            "a".into(),
            Some(ThreadId(1)),
            before,
            None,
            Bytes::from_static(b"old"),
        );
        assert!(c.get(Kind::ThreadPage, "a").is_none());
    }

    #[test]
    fn one_query_string_is_two_entries_for_two_kinds() {
        let c = ReadCache::default();
        let t0 = c.now();
        c.put(
            Kind::Counts,
            "site=s".into(),
            None,
            t0,
            None,
            Bytes::from_static(b"counts"),
        );
        assert!(c.get(Kind::ThreadPage, "site=s").is_none());
        assert_eq!(
            c.get(Kind::Counts, "site=s").map(|h| h.body).as_deref(),
            Some(&b"counts"[..])
        );
    }
}
