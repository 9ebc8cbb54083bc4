//! The site's own rules: banned and watched words (matched on folded text, so disguises do
//! not slip through) and a limit on links.

use crate::model::Span;
use crate::text::{Token, fold, tokens};

struct Entry {
    words: Vec<String>,
    /// The last word may have any ending (`scam*`).
    prefix: bool,
}

pub struct WordLists {
    banned: Vec<Entry>,
    watched: Vec<Entry>,
}

fn entries(list: &[String]) -> Vec<Entry> {
    list.iter()
        .filter_map(|raw| {
            let prefix = raw.trim_end().ends_with('*');
            let words: Vec<String> = fold(raw.trim_end().trim_end_matches('*'))
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect();
            (!words.is_empty()).then_some(Entry { words, prefix })
        })
        .collect()
}

fn find(entries: &[Entry], toks: &[Token], text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for e in entries {
        let n = e.words.len();
        for start in 0..toks.len().saturating_sub(n - 1) {
            let window = &toks[start..start + n];
            let hit = window.iter().zip(&e.words).enumerate().all(|(i, (t, w))| {
                if e.prefix && i == n - 1 {
                    t.text.starts_with(w.as_str())
                } else {
                    t.text == *w
                }
            });
            if hit {
                let (s, end) = (window[0].start, window[n - 1].end);
                out.push(Span {
                    start: s,
                    end,
                    text: text[s..end].to_owned(),
                });
            }
        }
    }
    out.sort_by_key(|s| s.start);
    out.dedup();
    out
}

impl WordLists {
    pub fn new(banned: &[String], watched: &[String]) -> Self {
        Self {
            banned: entries(banned),
            watched: entries(watched),
        }
    }

    /// (banned, watched) spans found in `text`.
    pub fn matches(&self, text: &str) -> (Vec<Span>, Vec<Span>) {
        if self.banned.is_empty() && self.watched.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let toks = tokens(text);
        (
            find(&self.banned, &toks, text),
            find(&self.watched, &toks, text),
        )
    }
}

/// Links in a comment: URLs with a scheme, and bare `www.` addresses.
pub fn count_links(text: &str) -> usize {
    let lower = text.to_lowercase();
    lower.matches("http://").count()
        + lower.matches("https://").count()
        + lower
            .split_whitespace()
            .filter(|w| w.trim_start_matches(['(', '[', '<']).starts_with("www."))
            .count()
}
