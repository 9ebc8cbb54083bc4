//! Imported HTML turned into the Markdown Jirga stores, so that an imported body goes through
//! exactly the renderer and allow-list a new comment does (`CommentBody::parse`).
//!
//! Kept: paragraphs, line breaks, links (http, https, mailto), emphasis, strong, strikethrough,
//! code, preformatted blocks, quotes and list items. Everything else keeps its text and loses
//! its tag; `script` and `style` lose their text too. Entities are decoded here, once; the
//! text is then escaped for Markdown, so `*`, `_` or `&lt;` written by a commenter stay as
//! written.

use crate::xml::unescape;

/// `breaks`: a newline in the text is a line break and a blank line a paragraph
/// (WordPress's `wpautop` convention); otherwise whitespace is layout, as in HTML.
pub fn to_markdown(html: &str, breaks: bool) -> String {
    let mut w = Writer::default();
    let mut rest = html;
    let mut skip_until: Option<&'static str> = None;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skip_until.is_none() {
                w.text(&unescape(rest), breaks);
            }
            break;
        };
        if lt > 0 && skip_until.is_none() {
            w.text(&unescape(&rest[..lt]), breaks);
        }
        rest = &rest[lt..];
        let Some(tag) = Tag::read(rest) else {
            // A lone `<`: text.
            if skip_until.is_none() {
                w.text("<", breaks);
            }
            rest = &rest[1..];
            continue;
        };
        rest = &rest[tag.len..];
        if let Some(end) = skip_until {
            if tag.closing && tag.name == end {
                skip_until = None;
            }
            continue;
        }
        match (tag.name.as_str(), tag.closing) {
            ("script" | "style", false) => {
                skip_until = Some(if tag.name == "script" {
                    "script"
                } else {
                    "style"
                })
            }
            ("p" | "div" | "ul" | "ol" | "table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6", _) => {
                w.paragraph()
            }
            ("br", _) => w.line_break(),
            ("li", false) => {
                w.paragraph_soft();
                w.raw("- ");
            }
            ("blockquote", false) => {
                w.paragraph();
                w.quote += 1;
            }
            ("blockquote", true) => {
                w.paragraph();
                w.quote = w.quote.saturating_sub(1);
            }
            ("em" | "i", _) => w.raw("*"),
            ("strong" | "b", _) => w.raw("**"),
            ("del" | "s" | "strike", _) => w.raw("~~"),
            ("code", false) if !w.pre => {
                w.raw("`");
                w.code = true;
            }
            ("code", true) if !w.pre => {
                w.code = false;
                w.raw("`");
            }
            ("pre", false) => {
                w.paragraph();
                w.raw("```\n");
                w.pre = true;
            }
            ("pre", true) => {
                w.raw("\n```");
                w.pre = false;
                w.paragraph();
            }
            ("a", false) => {
                let href = tag.href.filter(|h| {
                    let h = h.to_ascii_lowercase();
                    h.starts_with("http://")
                        || h.starts_with("https://")
                        || h.starts_with("mailto:")
                });
                w.links.push(href.clone());
                if href.is_some() {
                    w.raw("[");
                }
            }
            ("a", true) => {
                if let Some(Some(href)) = w.links.pop() {
                    w.raw("](");
                    w.raw(
                        &href
                            .replace(' ', "%20")
                            .replace(')', "%29")
                            .replace('(', "%28"),
                    );
                    w.raw(")");
                }
            }
            _ => {}
        }
    }
    w.finish()
}

struct Tag {
    name: String,
    closing: bool,
    href: Option<String>,
    /// Bytes the tag takes in the input.
    len: usize,
}

impl Tag {
    fn read(s: &str) -> Option<Tag> {
        let bytes = s.as_bytes();
        let mut i = 1;
        if s[i..].starts_with("!--") {
            let end = s.find("-->").map_or(s.len(), |e| e + 3);
            return Some(Tag {
                name: "!--".into(),
                closing: false,
                href: None,
                len: end,
            });
        }
        let closing = bytes.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            return None;
        }
        let name_end = s[i..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(s.len(), |e| e + i);
        let name = s[i..name_end].to_ascii_lowercase();
        // The end of the tag, quotes respected.
        let mut quote = None;
        let mut end = None;
        for (j, c) in s[name_end..].char_indices() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), _) if q == c => quote = None,
                (None, '>') => {
                    end = Some(name_end + j + 1);
                    break;
                }
                _ => {}
            }
        }
        let len = end?;
        let href = attr(&s[name_end..len], "href").map(|h| unescape(&h));
        Some(Tag {
            name,
            closing,
            href,
            len,
        })
    }
}

/// An attribute's value in a tag's text (quoted or not).
fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name) {
        let start = from + at;
        from = start + name.len();
        let before = lower[..start].chars().next_back();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        return Some(match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or_default().to_owned(),
            _ => rest
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or_default()
                .to_owned(),
        });
    }
    None
}

#[derive(Default)]
struct Writer {
    out: String,
    /// Blockquote depth.
    quote: usize,
    pre: bool,
    code: bool,
    links: Vec<Option<String>>,
    /// A paragraph break is due before the next text.
    pending_break: Option<&'static str>,
}

impl Writer {
    fn prefix(&self) -> String {
        "> ".repeat(self.quote)
    }

    fn flush_break(&mut self) {
        if let Some(b) = self.pending_break.take() {
            if !self.out.trim().is_empty() {
                let trimmed = self.out.trim_end_matches([' ', '\n']).len();
                self.out.truncate(trimmed);
                self.out.push_str(b);
                let prefix = self.prefix();
                self.out.push_str(&prefix);
            } else {
                self.out.clear();
                let prefix = self.prefix();
                self.out.push_str(&prefix);
            }
        }
    }

    fn paragraph(&mut self) {
        self.pending_break = Some("\n\n");
    }

    /// A list item's line: a new line, or a paragraph if one was due.
    fn paragraph_soft(&mut self) {
        if self.pending_break.is_none() {
            self.pending_break = Some("\n");
        }
        self.flush_break();
    }

    fn line_break(&mut self) {
        self.flush_break();
        if !self.out.trim().is_empty() {
            let trimmed = self.out.trim_end_matches(' ').len();
            self.out.truncate(trimmed);
            self.out.push_str("\\\n");
            let prefix = self.prefix();
            self.out.push_str(&prefix);
        }
    }

    fn raw(&mut self, s: &str) {
        self.flush_break();
        self.out.push_str(s);
    }

    fn text(&mut self, text: &str, breaks: bool) {
        if self.pre {
            self.out.push_str(&text.replace("```", "`\u{200b}``"));
            return;
        }
        if breaks {
            let text = text.replace("\r\n", "\n");
            for (i, para) in text.split("\n\n").enumerate() {
                if i > 0 {
                    self.paragraph();
                }
                for (j, line) in para.split('\n').enumerate() {
                    if j > 0 {
                        self.line_break();
                    }
                    self.words(line);
                }
            }
        } else {
            self.words(text);
        }
    }

    /// Text with whitespace collapsed and Markdown's punctuation escaped.
    fn words(&mut self, text: &str) {
        let mut collapsed = String::with_capacity(text.len());
        let mut space = false;
        for c in text.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                space = true;
                continue;
            }
            if space && !collapsed.is_empty() {
                collapsed.push(' ');
            }
            if space
                && collapsed.is_empty()
                && !self.out.is_empty()
                && !self.out.ends_with([' ', '\n'])
            {
                collapsed.push(' ');
            }
            space = false;
            if !self.code && "\\`*_[]<>#+-!|~&".contains(c) {
                collapsed.push('\\');
            }
            collapsed.push(c);
        }
        if space && !collapsed.is_empty() {
            collapsed.push(' ');
        }
        if collapsed.trim().is_empty() {
            if space
                && !self.out.is_empty()
                && !self.out.ends_with([' ', '\n'])
                && self.pending_break.is_none()
            {
                self.out.push(' ');
            }
            return;
        }
        self.flush_break();
        self.out.push_str(&collapsed);
    }

    fn finish(mut self) -> String {
        for _ in self.links.drain(..) {}
        let out = self.out.trim().trim_end_matches('\\').trim_end();
        out.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jirga_domain::{BodyLimits, CommentBody};

    fn html_of(markdown: &str) -> String {
        CommentBody::parse(markdown, BodyLimits { max_chars: 100_000 })
            .map(|b| b.html().to_owned())
            .unwrap_or_default()
    }

    #[test]
    fn paragraphs_links_and_emphasis_survive() {
        let md = to_markdown(
            "<p>First <b>bold</b> and <i>it</i>.</p><p>See <a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow\">this</a>.</p>",
            false,
        );
        assert_eq!(
            md,
            "First **bold** and *it*.\n\nSee [this](https://example.org/a?b=1&c=2)."
        );
        assert_eq!(
            html_of(&md),
            "<p>First <strong>bold</strong> and <em>it</em>.</p>\n<p>See <a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener\">this</a>.</p>\n"
        );
    }

    #[test]
    fn entities_are_decoded_once_and_markdown_in_text_stays_text() {
        let md = to_markdown("It&#8217;s 2 &lt; 3 &amp;amp; *not emphasis* [x](y)", false);
        let html = html_of(&md);
        assert!(
            html.contains("It\u{2019}s 2 &lt; 3 &amp;amp; *not emphasis* [x](y)"),
            "{html}"
        );
    }

    #[test]
    fn wordpress_newlines_are_breaks_and_paragraphs() {
        let md = to_markdown("Line one\nline two\n\nNew paragraph", true);
        assert_eq!(
            html_of(&md),
            "<p>Line one<br>\nline two</p>\n<p>New paragraph</p>\n"
        );
    }

    #[test]
    fn scripts_and_unsafe_links_are_dropped() {
        let md = to_markdown(
            "<script>alert(1)</script><a href=\"javascript:alert(1)\">click</a> <img src=x onerror=alert(1)>ok",
            false,
        );
        assert_eq!(md, "click ok");
    }

    #[test]
    fn quotes_and_code() {
        let md = to_markdown(
            "<blockquote>quoted</blockquote><p>reply with <code>a*b</code></p>",
            false,
        );
        let html = html_of(&md);
        assert!(html.contains("<blockquote>"), "{md:?} → {html}");
        assert!(html.contains("<code>"), "{md:?} → {html}");
    }
}
