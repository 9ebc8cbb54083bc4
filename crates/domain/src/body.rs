//! A comment's body: the Markdown its author wrote and the safe HTML readers get.
//!
//! The subset is paragraphs, emphasis, links, quotes, lists and code. Raw HTML in the source
//! is shown as text, never interpreted, and the rendered HTML is passed through ammonia's
//! allow-list anyway, so a bug in one layer is not an injection.

use crate::ParseError;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::LazyLock;

/// How long a body may be, in characters. A site can change the maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLimits {
    pub max_chars: usize,
}

impl Default for BodyLimits {
    fn default() -> Self {
        Self { max_chars: 5_000 }
    }
}

/// A body that passed the checks, with its rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentBody {
    markdown: String,
    html: String,
}

impl CommentBody {
    pub fn parse(raw: &str, limits: BodyLimits) -> Result<Self, ParseError> {
        let markdown =
            crate::clean_text("body", &raw.replace("\r\n", "\n"), limits.max_chars, true)?;
        let html = render(&markdown);
        if html.trim().is_empty() {
            // Markdown that renders to nothing (a lone "<!-- -->", say) would show an empty comment.
            return Err(ParseError::Empty { field: "body" });
        }
        Ok(Self { markdown, html })
    }

    /// The text as its author wrote it (trimmed, newlines normalised).
    pub fn markdown(&self) -> &str {
        &self.markdown
    }

    /// Sanitised HTML, safe to insert into a page.
    pub fn html(&self) -> &str {
        &self.html
    }
}

/// The only tags a rendered body may contain.
pub const ALLOWED_TAGS: [&str; 12] = [
    "p",
    "br",
    "em",
    "strong",
    "del",
    "a",
    "blockquote",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
];

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> = ALLOWED_TAGS.into_iter().collect();
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(tags)
        .add_tag_attributes("a", ["href"])
        .add_tag_attributes("ol", ["start"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("nofollow ugc noopener"))
        .strip_comments(true);
    builder
});

fn render(markdown: &str) -> String {
    let options = Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        // Whatever HTML the author typed is shown literally.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        // Headings read as shouting in a comment: keep them as bold paragraphs.
        Event::Start(Tag::Heading { .. }) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::Heading(_)) => Event::End(TagEnd::Paragraph),
        // Images would let a comment load third-party content: keep only the alt text, as a link.
        Event::Start(Tag::Image {
            dest_url,
            title,
            id,
            ..
        }) => Event::Start(Tag::Link {
            link_type: pulldown_cmark::LinkType::Inline,
            dest_url,
            title,
            id,
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 4);
    pulldown_cmark::html::push_html(&mut html, events);
    CLEANER.clean(&html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        CommentBody::parse(md, BodyLimits::default())
            .expect("valid body")
            .html()
            .to_owned()
    }

    #[test]
    fn renders_the_subset() {
        assert_eq!(html("*a* **b**"), "<p><em>a</em> <strong>b</strong></p>\n");
        assert!(html("> quoted").contains("<blockquote>"));
        assert!(html("- one\n- two").contains("<li>one</li>"));
        assert!(html("`x < y`").contains("<code>x &lt; y</code>"));
    }

    #[test]
    fn links_are_marked_as_user_content() {
        let out = html("[site](https://example.org)");
        assert!(out.contains(r#"href="https://example.org""#), "{out}");
        assert!(out.contains(r#"rel="nofollow ugc noopener""#), "{out}");
    }

    /// Every tag in the output is on the allow-list and carries no event handler or
    /// script URL; anything else the author typed is text.
    fn only_safe_tags(out: &str) -> bool {
        out.split('<').skip(1).all(|rest| {
            let tag = rest.split('>').next().unwrap_or_default();
            let name = tag
                .trim_start_matches('/')
                .split_whitespace()
                .next()
                .unwrap_or_default();
            ALLOWED_TAGS.contains(&name) && !tag.contains(" on") && !tag.contains("javascript:")
        })
    }

    #[test]
    fn html_and_scripts_never_survive() {
        for attack in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "![x](https://tracker.example/p.gif)",
            "[x](https://ok.example \"title\" onmouseover=alert(1))",
            "<svg><script>alert(1)</script></svg>",
        ] {
            let out = html(attack);
            assert!(only_safe_tags(&out), "{attack} -> {out}");
        }
    }

    #[test]
    fn typed_html_is_shown_as_text() {
        assert_eq!(
            html("a <b>bold</b> claim"),
            "<p>a &lt;b&gt;bold&lt;/b&gt; claim</p>\n"
        );
        assert!(html("<div>block</div>").starts_with("<p>&lt;div&gt;block&lt;/div&gt;"));
    }

    #[test]
    fn length_is_counted_in_characters() {
        let limits = BodyLimits { max_chars: 5 };
        assert!(CommentBody::parse("ééééé", limits).is_ok());
        assert_eq!(
            CommentBody::parse("éééééé", limits).map_err(|e| e.code()),
            Err("body_too_long".into())
        );
        assert_eq!(
            CommentBody::parse("   \n ", limits).map_err(|e| e.code()),
            Err("body_empty".into())
        );
    }
}
