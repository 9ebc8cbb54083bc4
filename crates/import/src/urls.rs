//! Matching an export's article URLs to the site's threads.
//!
//! The widget keys a thread by the page's path (`location.pathname`) unless the publisher
//! sets `data-thread`, so an imported thread's key is its URL's path. Two URLs are the same
//! article when they differ only in scheme (`http`/`https`), host case, a `www.` prefix, a
//! default port, a trailing slash, the query (except WordPress's `?p=N` and `?page_id=N`,
//! which name the article) or the fragment. Remap rules move an export's old addresses to
//! the new ones first (`https://old.example/blog/* https://new.example/*`).

/// `FROM TO`: a URL starting with FROM (up to its `*`) gets TO's prefix instead; without `*`
/// the rule maps that one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapRule {
    from: String,
    to: String,
    prefix: bool,
}

impl MapRule {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut parts = raw.split_whitespace();
        let (Some(from), Some(to), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!(
                "a map rule is two URLs separated by a space (\"https://old.example/blog/* https://new.example/*\"), not {raw:?}"
            ));
        };
        let prefix = from.ends_with('*');
        if prefix != to.ends_with('*') {
            return Err(format!("both sides of {raw:?} end in * or neither does"));
        }
        Ok(Self {
            from: from.trim_end_matches('*').to_owned(),
            to: to.trim_end_matches('*').to_owned(),
            prefix,
        })
    }

    /// The URL this rule makes of `url`, if it applies.
    pub fn apply(&self, url: &str) -> Option<String> {
        if self.prefix {
            url.strip_prefix(&self.from)
                .map(|rest| format!("{}{rest}", self.to))
        } else {
            (canonical(url) == canonical(&self.from)).then(|| self.to.clone())
        }
    }
}

/// The first rule that applies, or the URL as it is.
pub fn remap(rules: &[MapRule], url: &str) -> String {
    rules
        .iter()
        .find_map(|r| r.apply(url))
        .unwrap_or_else(|| url.to_owned())
}

/// What two URLs of the same article have in common: host (lower case, no `www.`, no
/// default port) and path (no trailing slash), plus `?p=N` / `?page_id=N` when present.
/// `None` for something that is not an http(s) URL.
pub fn canonical(raw: &str) -> Option<String> {
    let url = url::Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    Some(format!("{host}{port}{}", path_key(&url)))
}

/// The thread key the widget will use on the page at `raw` (its path), plus WordPress's
/// `?p=N` where the path alone does not name the article. `None` if `raw` is not a URL.
pub fn thread_key(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.starts_with('/') && !raw.starts_with("//") {
        // A path already (Isso keys threads by path): as it is, without a fragment.
        return Some(raw.split('#').next().unwrap_or(raw).to_owned());
    }
    let url = url::Url::parse(raw).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let mut key = url.path().to_owned();
    if let Some(q) = article_query(&url) {
        key.push('?');
        key.push_str(&q);
    }
    Some(key)
}

/// A path as compared: no trailing slash (but `/` itself), plus the article query.
fn path_key(url: &url::Url) -> String {
    let path = url.path();
    let mut key = if path.len() > 1 {
        path.trim_end_matches('/').to_owned()
    } else {
        "/".to_owned()
    };
    if let Some(q) = article_query(url) {
        key.push('?');
        key.push_str(&q);
    }
    key
}

/// A path-based key as compared (a thread whose key is a path but that has no URL).
pub fn canonical_path(path: &str) -> String {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut key = if path.len() > 1 {
        path.trim_end_matches('/').to_owned()
    } else {
        "/".to_owned()
    };
    if let Some(q) = query
        .split('&')
        .find(|kv| kv.starts_with("p=") || kv.starts_with("page_id="))
    {
        key.push('?');
        key.push_str(q);
    }
    key
}

/// The path part of a canonical form (everything after the host).
pub fn canonical_path_of(canonical: &str) -> &str {
    canonical.find('/').map_or("/", |i| &canonical[i..])
}

fn article_query(url: &url::Url) -> Option<String> {
    url.query_pairs()
        .find(|(k, v)| (k == "p" || k == "page_id") && v.chars().all(|c| c.is_ascii_digit()))
        .map(|(k, v)| format!("{k}={v}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_article_under_different_spellings_matches() {
        let a = canonical("https://www.Example.com/2014/test/");
        assert_eq!(a.as_deref(), Some("example.com/2014/test"));
        for other in [
            "http://example.com/2014/test",
            "https://example.com:443/2014/test/?utm_source=x#comments",
            "HTTPS://WWW.EXAMPLE.COM/2014/test/",
        ] {
            assert_eq!(canonical(other), a, "{other}");
        }
        assert_ne!(canonical("https://example.com/2014/other/"), a);
        assert_eq!(
            canonical("http://blog.example/?p=198&replytocom=5").as_deref(),
            Some("blog.example/?p=198")
        );
        assert_eq!(canonical("not a url"), None);
        assert_eq!(canonical("ftp://example.com/x"), None);
    }

    #[test]
    fn keys_are_the_path_the_widget_sees() {
        assert_eq!(
            thread_key("https://news.example/world/2014/flood-warnings/?utm=1").as_deref(),
            Some("/world/2014/flood-warnings/")
        );
        assert_eq!(
            thread_key("http://blog.example/?p=198").as_deref(),
            Some("/?p=198")
        );
        assert_eq!(canonical_path("/world/x/"), "/world/x");
    }

    #[test]
    fn map_rules_move_old_addresses() {
        let rules = vec![
            MapRule::parse("https://old.example/blog/* https://new.example/*").expect("rule"),
            MapRule::parse("http://old.example/about https://new.example/about-us").expect("rule"),
        ];
        assert_eq!(
            remap(&rules, "https://old.example/blog/2014/a/"),
            "https://new.example/2014/a/"
        );
        assert_eq!(
            remap(&rules, "https://old.example/about/"),
            "https://new.example/about-us"
        );
        assert_eq!(
            remap(&rules, "https://elsewhere.example/x"),
            "https://elsewhere.example/x"
        );
        assert!(MapRule::parse("https://old.example/*").is_err());
        assert!(MapRule::parse("https://old.example/* https://new.example/").is_err());
    }
}
