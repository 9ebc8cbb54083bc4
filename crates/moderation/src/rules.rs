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
                if t.text.contains('*') {
                    masked_match(&t.text, w, e.prefix && i == n - 1)
                } else if e.prefix && i == n - 1 {
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
        self.matches_tokens(text, &tokens(text))
    }

    /// `matches` in a text already tokenised (`toks` are `text::tokens(text)`).
    pub fn matches_tokens(&self, text: &str, toks: &[Token]) -> (Vec<Span>, Vec<Span>) {
        (
            find(&self.banned, toks, text),
            find(&self.watched, toks, text),
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

/// Whether a masked word ("f*ck", each `*` standing for one hidden letter) could be
/// `word`, or with `prefix` could begin with it ("scam*" against "sc*mmers").
fn masked_match(masked: &str, word: &str, prefix: bool) -> bool {
    fn go(m: &[char], w: &[char], prefix: bool) -> bool {
        if prefix && w.is_empty() {
            return true;
        }
        match m.first() {
            None => w.is_empty(),
            Some('*') => !w.is_empty() && go(&m[1..], &w[1..], prefix),
            Some(c) => w.first() == Some(c) && go(&m[1..], &w[1..], prefix),
        }
    }
    let m: Vec<char> = masked.chars().collect();
    let w: Vec<char> = word.chars().collect();
    go(&m, &w, prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_words_match_what_they_hide() {
        let lists = WordLists::new(&["fuck".into()], &[]);
        for text in ["f*ck this", "F(*k you", "what the f#@%!"] {
            let (banned, _) = lists.matches(text);
            assert_eq!(banned.len(), 1, "{text}");
        }
        assert!(lists.matches("fork this").0.is_empty());
        assert!(lists.matches("f*ctory prices").0.is_empty());
    }
}
