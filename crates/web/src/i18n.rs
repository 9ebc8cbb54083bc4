//! Every word a reader, a commenter or a moderator is shown comes from a message catalogue:
//! `crates/web/locales/<tag>.ftl`, one Fluent file per locale (English is the reference; a
//! message missing elsewhere falls back to it). The server formats its pages and mails with
//! `fluent-bundle`; the widget gets its own messages (`widget-*`) as JSON, compiled from the same
//! files, and formats them with the browser's `Intl` (plural rules, numbers, relative times).
//!
//! Each catalogue names itself: `language-name` (in its own language) and `language-direction`
//! (`ltr` or `rtl`). Adding a locale is adding a file; `build.rs` finds it.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::LazyLock;
use unic_langid::LanguageIdentifier;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

/// The reference locale: every key exists here.
pub const REFERENCE: &str = "en";

/// The cookie a reader's or moderator's choice of language is kept in (pages and dashboard).
pub const COOKIE: &str = "jirga_lang";

pub struct Locale {
    pub tag: String,
    /// The language's own name for itself ("English", "اردو").
    pub name: String,
    /// `ltr` or `rtl`, for `dir` on the page and the widget.
    pub dir: &'static str,
    bundle: FluentBundle<FluentResource>,
    /// This catalogue's own source, for the widget's messages and the completeness check.
    source: &'static str,
    /// The widget's messages, compiled on first request and kept.
    widget: std::sync::OnceLock<Value>,
}

pub struct Catalogues {
    all: Vec<Locale>,
}

static CATALOGUES: LazyLock<Catalogues> = LazyLock::new(|| {
    Catalogues::load(embedded::CATALOGUES).unwrap_or_else(|e| panic!("message catalogues: {e}"))
});

/// Every locale shipped, the reference first.
pub fn all() -> &'static [Locale] {
    &CATALOGUES.all
}

/// The reference locale (English).
pub fn english() -> &'static Locale {
    &CATALOGUES.all[0]
}

/// The locale with this tag, exactly or by its language ("ur-PK" finds "ur"); None when no
/// catalogue serves it.
pub fn find(tag: &str) -> Option<&'static Locale> {
    let tag = tag.trim();
    if tag.is_empty() {
        return None;
    }
    let wanted: LanguageIdentifier = tag.parse().ok()?;
    all()
        .iter()
        .find(|l| l.tag.eq_ignore_ascii_case(tag))
        .or_else(|| {
            all().iter().find(|l| {
                l.tag
                    .parse::<LanguageIdentifier>()
                    .is_ok_and(|have| have.language == wanted.language)
            })
        })
}

/// The first of these tags (most wanted first) that a catalogue serves, else English.
pub fn pick<'a>(wanted: impl IntoIterator<Item = &'a str>) -> &'static Locale {
    wanted.into_iter().find_map(find).unwrap_or_else(english)
}

/// The tags of an `Accept-Language` header, most wanted first.
pub fn accept_language(header: &str) -> Vec<&str> {
    let mut tags: Vec<(&str, f32)> = header
        .split(',')
        .filter_map(|part| {
            let mut bits = part.split(';');
            let tag = bits.next()?.trim();
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q="))
                .and_then(|q| q.parse().ok())
                .unwrap_or(1.0);
            (!tag.is_empty() && tag != "*").then_some((tag, q))
        })
        .collect();
    tags.sort_by(|a, b| b.1.total_cmp(&a.1));
    tags.into_iter().map(|(t, _)| t).collect()
}

/// The language a page or the dashboard is drawn in: `?lang=` on the address, else the cookie
/// the language switch sets, else the browser's `Accept-Language`, else English.
pub struct Lang(pub &'static Locale);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Lang(from_headers(parts.uri.query(), &parts.headers)))
    }
}

/// As `Lang`, from the parts of a request.
pub fn from_headers(query: Option<&str>, headers: &axum::http::HeaderMap) -> &'static Locale {
    let asked = query.and_then(|q| {
        q.split('&')
            .find_map(|kv| kv.strip_prefix("lang="))
            .and_then(find)
    });
    let cookie = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            c.trim()
                .strip_prefix(COOKIE)
                .and_then(|r| r.strip_prefix('='))
        })
        .and_then(find);
    asked.or(cookie).unwrap_or_else(|| {
        let accept = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        pick(accept_language(accept))
    })
}

/// A value for a message's variable.
pub enum Arg {
    Text(String),
    Number(f64),
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(v.to_owned())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(v)
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Arg::Text(v.clone())
    }
}
macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn from(v: $t) -> Self {
                Arg::Number(v as f64)
            }
        }
        impl From<&$t> for Arg {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn from(v: &$t) -> Self {
                Arg::Number(*v as f64)
            }
        }
    )*};
}
number_arg!(i32, i64, u32, u64, usize, f32, f64);

/// What a message's variable can be given as: text, a number, or a reference to one (as the
/// templates pass them).
pub trait IntoArg {
    fn into_arg(self) -> Arg;
}

impl IntoArg for Arg {
    fn into_arg(self) -> Arg {
        self
    }
}
impl IntoArg for String {
    fn into_arg(self) -> Arg {
        Arg::Text(self)
    }
}
impl IntoArg for &str {
    fn into_arg(self) -> Arg {
        Arg::Text(self.to_owned())
    }
}
macro_rules! number_into_arg {
    ($($t:ty),*) => {$(
        impl IntoArg for $t {
            fn into_arg(self) -> Arg {
                Arg::from(self)
            }
        }
    )*};
}
number_into_arg!(i32, i64, u32, u64, usize, f32, f64);
impl<T: IntoArg + Clone> IntoArg for &T {
    fn into_arg(self) -> Arg {
        self.clone().into_arg()
    }
}

impl Locale {
    /// Every shipped locale, for the language switch in a page's template.
    pub fn all(&self) -> &'static [Locale] {
        all()
    }

    /// A relative time ("5 minutes ago", "5 منٹ پہلے") from `then` to `now`.
    pub fn ago(
        &self,
        then: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> String {
        match jirga_domain::relative_time::elapsed(then, now) {
            None => self.t("ago-now"),
            Some((n, unit)) => self.t1(&format!("ago-{unit}s"), "n", n),
        }
    }

    /// A date and time in words of this locale ("5 November 2026, 14:05 UTC").
    pub fn date_time(&self, at: chrono::DateTime<chrono::Utc>) -> String {
        use chrono::Datelike;
        self.format(
            "date-time",
            &[
                ("day", Arg::Number(f64::from(at.day()))),
                ("month", Arg::Text(self.t(&format!("month-{}", at.month())))),
                ("year", Arg::Text(at.year().to_string())),
                ("time", Arg::Text(at.format("%H:%M").to_string())),
            ],
        )
    }

    /// A date in words of this locale ("5 November 2026").
    pub fn date(&self, at: chrono::DateTime<chrono::Utc>) -> String {
        use chrono::Datelike;
        self.format(
            "date-day",
            &[
                ("day", Arg::Number(f64::from(at.day()))),
                ("month", Arg::Text(self.t(&format!("month-{}", at.month())))),
                ("year", Arg::Text(at.year().to_string())),
            ],
        )
    }

    /// Why a comment waits or was not published, in this language: by its code (and kind),
    /// quoting a moderator's note or an appeal; a code no catalogue knows keeps its message.
    pub fn reason(&self, r: &jirga_domain::Reason) -> String {
        let quoted = r
            .message
            .split_once('\u{201c}')
            .and_then(|(_, rest)| rest.rsplit_once('\u{201d}'))
            .map(|(q, _)| q.to_owned())
            .unwrap_or_default();
        let keys = [
            r.kind.as_ref().map(|k| format!("reason-{}-{k}", r.code)),
            Some(format!("reason-{}", r.code)),
        ];
        keys.into_iter()
            .flatten()
            .find(|k| english().has(k))
            .map(|k| self.t1(&k, "text", quoted))
            .unwrap_or_else(|| r.message.clone())
    }

    /// The message `prefix` + `code` (a modlog action, a report reason); the code itself when
    /// no catalogue has it.
    pub fn keyed(&self, prefix: &str, code: impl std::fmt::Display) -> String {
        let key = format!("{prefix}{code}");
        if english().has(&key) {
            self.t(&key)
        } else {
            code.to_string()
        }
    }

    pub fn is_rtl(&self) -> bool {
        self.dir == "rtl"
    }

    /// The message `key` with no variables.
    pub fn t(&self, key: &str) -> String {
        self.format(key, &[])
    }

    /// The message `key` with one variable.
    pub fn t1(&self, key: &str, name: &str, value: impl IntoArg) -> String {
        self.format(key, &[(name, value.into_arg())])
    }

    /// Whether this is the locale with this tag (for templates).
    pub fn is(&self, tag: &str) -> bool {
        self.tag == tag
    }

    /// The message `key` with two variables.
    pub fn t2(&self, key: &str, a: &str, av: impl IntoArg, b: &str, bv: impl IntoArg) -> String {
        self.format(key, &[(a, av.into_arg()), (b, bv.into_arg())])
    }

    /// The message `key` with its variables. A key no catalogue has comes back as itself (the
    /// check in the tests makes sure none is used).
    pub fn format(&self, key: &str, args: &[(&str, Arg)]) -> String {
        let (bundle, pattern) = match self.pattern(key).or_else(|| english().pattern(key)) {
            Some(found) => found,
            None => {
                tracing::warn!(key, locale = %self.tag, "no such message");
                return key.to_owned();
            }
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Text(s) => fluent_args.set(*name, FluentValue::from(s.clone())),
                Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        let out = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key, locale = %self.tag, ?errors, "message formatted with errors");
        }
        out.into_owned()
    }

    fn pattern(
        &self,
        key: &str,
    ) -> Option<(
        &FluentBundle<FluentResource>,
        &fluent_syntax::ast::Pattern<&str>,
    )> {
        let msg = self.bundle.get_message(key)?;
        Some((&self.bundle, msg.value()?))
    }

    /// Whether this catalogue has `key` itself (not through the fallback).
    pub fn has(&self, key: &str) -> bool {
        self.bundle.has_message(key)
    }

    /// The keys of this catalogue's messages, in file order.
    pub fn keys(&self) -> Vec<String> {
        parse(self.source)
            .map(|r| {
                r.body
                    .iter()
                    .filter_map(|e| match e {
                        ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The variables each message uses, for the check that translations keep them.
    pub fn variables(&self) -> HashMap<String, Vec<String>> {
        let mut out = HashMap::new();
        if let Ok(r) = parse(self.source) {
            for e in &r.body {
                if let ast::Entry::Message(m) = e {
                    let mut vars = Vec::new();
                    if let Some(p) = &m.value {
                        pattern_vars(p, &mut vars);
                    }
                    vars.sort();
                    vars.dedup();
                    out.insert(m.id.name.to_owned(), vars);
                }
            }
        }
        out
    }

    /// The widget's messages (`widget-*` and the reasons, `reason-*`, falling back to English), compiled for widget.js: a
    /// message is a string, or a list of strings, `{"v": name}` (a variable) and
    /// `{"s": name, "o": {key: message}, "d": key}` (a choice by plural category or value).
    pub fn widget_messages(&self) -> &Value {
        self.widget.get_or_init(|| self.compile_widget())
    }

    fn compile_widget(&self) -> Value {
        let mut out = Map::new();
        for locale in [english(), self] {
            let Ok(resource) = parse(locale.source) else {
                continue;
            };
            let terms: HashMap<&str, &ast::Pattern<&str>> = resource
                .body
                .iter()
                .filter_map(|e| match e {
                    ast::Entry::Term(t) => Some((t.id.name, &t.value)),
                    _ => None,
                })
                .collect();
            for e in &resource.body {
                if let ast::Entry::Message(m) = e
                    && (m.id.name.starts_with("widget-") || m.id.name.starts_with("reason-"))
                    && let Some(p) = &m.value
                {
                    out.insert(m.id.name.to_owned(), compile(p, &terms));
                }
            }
        }
        json!({
            "locale": self.tag,
            "dir": self.dir,
            "name": self.name,
            "locales": all().iter().map(|l| json!({"tag": l.tag, "name": l.name})).collect::<Vec<_>>(),
            "messages": out,
        })
    }
}

fn parse(source: &str) -> Result<ast::Resource<&str>, String> {
    fluent_syntax::parser::parse(source).map_err(|(_, errors)| format!("{errors:?}"))
}

fn pattern_vars(p: &ast::Pattern<&str>, out: &mut Vec<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expression_vars(expression, out);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, out: &mut Vec<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, out);
            for v in variants {
                pattern_vars(&v.value, out);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, out),
    }
}

fn inline_vars(i: &ast::InlineExpression<&str>, out: &mut Vec<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => out.push(id.name.to_owned()),
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, out),
        _ => {}
    }
}

fn compile(p: &ast::Pattern<&str>, terms: &HashMap<&str, &ast::Pattern<&str>>) -> Value {
    let mut parts: Vec<Value> = Vec::new();
    for el in &p.elements {
        match el {
            ast::PatternElement::TextElement { value } => push_text(&mut parts, value),
            ast::PatternElement::Placeable { expression } => {
                compile_expression(expression, terms, &mut parts);
            }
        }
    }
    match parts.as_slice() {
        [] => Value::String(String::new()),
        [Value::String(s)] => Value::String(s.clone()),
        _ => Value::Array(parts),
    }
}

fn push_text(parts: &mut Vec<Value>, text: &str) {
    if let Some(Value::String(last)) = parts.last_mut() {
        last.push_str(text);
    } else {
        parts.push(Value::String(text.to_owned()));
    }
}

fn compile_expression(
    e: &ast::Expression<&str>,
    terms: &HashMap<&str, &ast::Pattern<&str>>,
    parts: &mut Vec<Value>,
) {
    match e {
        ast::Expression::Select { selector, variants } => {
            let ast::InlineExpression::VariableReference { id } = selector else {
                return;
            };
            let mut options = Map::new();
            let mut default = String::new();
            for v in variants {
                let key = match &v.key {
                    ast::VariantKey::Identifier { name } => (*name).to_owned(),
                    ast::VariantKey::NumberLiteral { value } => (*value).to_owned(),
                };
                if v.default {
                    default.clone_from(&key);
                }
                options.insert(key, compile(&v.value, terms));
            }
            parts.push(json!({"s": id.name, "o": options, "d": default}));
        }
        ast::Expression::Inline(i) => match i {
            ast::InlineExpression::VariableReference { id } => parts.push(json!({"v": id.name})),
            ast::InlineExpression::StringLiteral { value } => push_text(parts, value),
            ast::InlineExpression::NumberLiteral { value } => push_text(parts, value),
            ast::InlineExpression::TermReference { id, .. } => {
                if let Some(Value::String(s)) = terms.get(id.name).map(|t| compile(t, terms)) {
                    push_text(parts, &s);
                }
            }
            ast::InlineExpression::Placeable { expression } => {
                compile_expression(expression, terms, parts);
            }
            _ => {}
        },
    }
}

impl Catalogues {
    fn load(files: &[(&str, &'static str)]) -> Result<Self, String> {
        let mut all = Vec::new();
        for (tag, source) in files {
            let resource = FluentResource::try_new((*source).to_owned())
                .map_err(|(_, e)| format!("{tag}.ftl does not parse: {e:?}"))?;
            let langid: LanguageIdentifier = tag
                .parse()
                .map_err(|e| format!("{tag}.ftl: {tag} is not a language tag: {e}"))?;
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            bundle
                .add_resource(resource)
                .map_err(|e| format!("{tag}.ftl: {e:?}"))?;
            let lookup = |key: &str| {
                bundle
                    .get_message(key)
                    .and_then(|m| m.value())
                    .map(|p| {
                        let mut errors = Vec::new();
                        bundle.format_pattern(p, None, &mut errors).into_owned()
                    })
                    .ok_or_else(|| format!("{tag}.ftl has no {key}"))
            };
            let name = lookup("language-name")?;
            let dir = match lookup("language-direction")?.trim() {
                "rtl" => "rtl",
                "ltr" => "ltr",
                other => return Err(format!("{tag}.ftl: language-direction is {other:?}")),
            };
            // Names and other variables are isolated (U+2068 … U+2069) where the text runs
            // right to left, so an English name inside Urdu keeps its place; left-to-right pages
            // mark names in HTML with <bdi> instead.
            bundle.set_use_isolating(dir == "rtl");
            all.push(Locale {
                tag: (*tag).to_owned(),
                name,
                dir,
                bundle,
                source,
                widget: std::sync::OnceLock::new(),
            });
        }
        let at = all
            .iter()
            .position(|l| l.tag == REFERENCE)
            .ok_or("there is no en.ftl")?;
        all.swap(0, at);
        Ok(Self { all })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_catalogue_has_every_message_with_its_variables() {
        let reference = english();
        let keys = reference.keys();
        assert!(keys.len() > 100, "the English catalogue is loaded");
        let vars = reference.variables();
        for locale in all() {
            let have = locale.keys();
            let missing: Vec<_> = keys.iter().filter(|k| !have.contains(k)).collect();
            assert!(missing.is_empty(), "{}.ftl lacks {missing:?}", locale.tag);
            let extra: Vec<_> = have.iter().filter(|k| !keys.contains(k)).collect();
            assert!(
                extra.is_empty(),
                "{}.ftl has keys English lacks: {extra:?}",
                locale.tag
            );
            let theirs = locale.variables();
            for (key, wanted) in &vars {
                let got = theirs.get(key).cloned().unwrap_or_default();
                assert!(
                    wanted.iter().all(|v| got.contains(v))
                        && got.iter().all(|v| wanted.contains(v)),
                    "{}.ftl: {key} uses {got:?}, English uses {wanted:?}",
                    locale.tag
                );
            }
        }
    }

    fn crate_file(rel: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Text a template may show without a catalogue: names of products and formats.
    const PROPER_NAMES: [&str; 9] = [
        "OpenID Connect",
        "Disqus XML",
        "WordPress (WXR)",
        "Remark42",
        "Commento JSON",
        "Isso",
        "Jirga",
        "word*",
        "UTC",
    ];

    /// Every file under `rel` (a folder of this crate), by its path under it, with its text.
    fn files_under(rel: &str) -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
        let mut out = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for e in std::fs::read_dir(&dir)
                .expect("a folder of the crate")
                .flatten()
            {
                let path = e.path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    let name = path
                        .strip_prefix(&root)
                        .expect("under the folder")
                        .to_string_lossy()
                        .replace('\\', "/");
                    out.push((name, std::fs::read_to_string(&path).expect("text")));
                }
            }
        }
        out
    }

    fn templates() -> Vec<(String, String)> {
        files_under("templates")
    }

    /// Removes every `open … close` stretch of `text`.
    fn strip(text: &str, open: &str, close: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find(open) {
            out.push_str(&rest[..at]);
            match rest[at..].find(close) {
                Some(end) => rest = &rest[at + end + close.len()..],
                None => return out,
            }
        }
        out.push_str(rest);
        out
    }

    fn has_words(text: &str) -> bool {
        let mut t = text.to_owned();
        for name in PROPER_NAMES {
            t = t.replace(name, " ");
        }
        t.split(|c: char| !c.is_alphabetic())
            .any(|w| w.chars().count() >= 2)
    }

    /// The words a template shows that do not come from a catalogue.
    fn inline_words(name: &str, text: &str) -> Vec<String> {
        let mut found = Vec::new();
        let mut t = strip(text, "{{", "}}");
        t = strip(&t, "{%", "%}");
        t = strip(&t, "{#", "#}");
        t = strip(&t, "<!--", "-->");
        t = strip(&t, "<code", "</code>");
        t = strip(&t, "<pre", "</pre>");
        // Words people read inside tags: these attributes.
        for attr in ["title=\"", "aria-label=\"", "placeholder=\"", "alt=\""] {
            let mut rest = t.as_str();
            while let Some(at) = rest.find(attr) {
                let value = &rest[at + attr.len()..];
                let end = value.find('"').unwrap_or(value.len());
                if has_words(&value[..end]) && !value[..end].starts_with("https://") {
                    found.push(format!("{name}: {attr}{}", &value[..end]));
                }
                rest = &value[end..];
            }
        }
        let body = strip(&t, "<", ">");
        for line in body.lines().filter(|l| has_words(l)) {
            found.push(format!("{name}: {}", line.trim()));
        }
        found
    }

    #[test]
    fn no_template_writes_words_outside_the_catalogues() {
        // The check finds what it is for.
        let sample =
            r#"<p title="Hover me">{{ l.t("widget-name") }} Hello there</p><code>jirga x</code>"#;
        assert_eq!(inline_words("s", sample).len(), 2);
        let found: Vec<String> = templates()
            .into_iter()
            .flat_map(|(name, text)| inline_words(&name, &text))
            .collect();
        assert!(
            found.is_empty(),
            "words written in templates instead of the catalogues: {found:#?}"
        );
    }

    /// The strings of a JavaScript file (single-quoted, as the widget writes them).
    fn js_strings(source: &str) -> Vec<String> {
        let mut out = Vec::new();
        for line in source.lines() {
            let code = line.trim_start();
            if code.starts_with("/*") || code.starts_with('*') || code.starts_with("//") {
                continue;
            }
            let mut chars = code.chars();
            let mut current: Option<String> = None;
            while let Some(c) = chars.next() {
                match (&mut current, c) {
                    (None, '\'') => current = Some(String::new()),
                    (Some(s), '\\') => {
                        s.push('\\');
                        if let Some(n) = chars.next() {
                            s.push(n);
                        }
                    }
                    (Some(s), '\'') => {
                        out.push(std::mem::take(s));
                        current = None;
                    }
                    (Some(s), c) => s.push(c),
                    (None, '/') if chars.clone().next() == Some('*') => break,
                    _ => {}
                }
            }
        }
        out
    }

    #[test]
    fn the_widget_writes_no_words_outside_the_catalogues() {
        let source = crate_file("assets/widget.js");
        // Prose: two words with a space, or a capitalised word (not a header name).
        let prose = |s: &str| {
            let words: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
            let wordy = words
                .iter()
                .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
                .count();
            (words.len() >= 2 && wordy >= 2)
                || (words.len() == 1
                    && s.chars().next().is_some_and(char::is_uppercase)
                    && s.chars().skip(1).all(char::is_lowercase)
                    && s.len() > 2)
        };
        // Technical strings that look like words: selectors, HTML tags, request parts.
        let technical = |s: &str| {
            s.contains("querySelector")
                || s.starts_with(":scope")
                || s.starts_with("li[")
                || s.starts_with("time[")
                || s.starts_with("script[")
                || s.starts_with("message ")
                || s.starts_with("compose ")
                || s.starts_with("panel ")
                || s.starts_with("quiet ")
                || s.starts_with("held ")
                || s.starts_with("comment")
                || s.starts_with("actions ")
                || s.starts_with("<!doctype")
                || s.starts_with("M")
                || s.starts_with("m")
                || matches!(
                    s,
                    "GET"
                        | "POST"
                        | "PATCH"
                        | "DELETE"
                        | "Escape"
                        | "use strict"
                        | "avatar av"
                        | "icon icon-"
                        | "row identity"
                        | ".actions .mod"
                        | "nofollow ugc noopener noreferrer"
                )
        };
        assert_eq!(
            js_strings("h('p', null, 'Hello there');"),
            vec!["p", "Hello there"]
        );
        let found: Vec<String> = js_strings(&source)
            .into_iter()
            .filter(|s| prose(s) && !technical(s))
            .collect();
        assert!(
            found.is_empty(),
            "words in widget.js instead of the catalogues: {found:#?}"
        );
    }

    /// Prose in a Rust string: three words or more of two letters or more, with spaces.
    fn rust_prose(source: &str) -> Vec<String> {
        let mut found = Vec::new();
        for line in source.lines() {
            let code = line.trim_start();
            if code.starts_with("#[cfg(test)]") {
                break;
            }
            let skip = [
                "//",
                "#[",
                "tracing::",
                "expect(",
                "Internal(",
                "anyhow!",
                "InvalidQuery(",
            ];
            if skip
                .iter()
                .any(|s| code.starts_with(s) || (s.len() > 2 && code.contains(s)))
            {
                continue;
            }
            for (i, piece) in line.split('"').enumerate() {
                // Odd pieces are inside quotes (the sources escape no quote in prose).
                let technical = [
                    "://",
                    "Path=",
                    "Max-Age",
                    "charset",
                    "filename=",
                    "`",
                    "'self'",
                ];
                if i % 2 == 0 || technical.iter().any(|t| piece.contains(t)) {
                    continue;
                }
                let words = piece
                    .split(|c: char| !c.is_alphabetic())
                    .filter(|w| w.chars().count() >= 2)
                    .count();
                if words >= 3 && piece.contains(' ') {
                    found.push(piece.to_owned());
                }
            }
        }
        found
    }

    /// The pages', the dashboard's and the mails' code says nothing in words of its own.
    #[test]
    fn no_page_or_mail_code_writes_words_outside_the_catalogues() {
        assert_eq!(
            rust_prose("let a = \"Wrong email or password.\"; let b = l.t(\"dash-x\");"),
            vec!["Wrong email or password."]
        );
        let found: Vec<String> = files_under("src")
            .into_iter()
            .filter(|(name, _)| {
                name == "notify.rs"
                    || ["dashboard/", "accounts/", "pages/"]
                        .iter()
                        .any(|d| name.starts_with(d))
            })
            .flat_map(|(name, text)| {
                rust_prose(&text)
                    .into_iter()
                    .map(move |p| format!("{name}: {p}"))
            })
            .collect();
        assert!(found.is_empty(), "words written in code: {found:#?}");
    }

    /// Every key the code names exists in the reference catalogue.
    #[test]
    fn every_key_the_code_names_is_in_the_catalogue() {
        let keys = english().keys();
        let mut sources: Vec<(String, String)> = templates();
        sources.push(("widget.js".into(), crate_file("assets/widget.js")));
        sources.extend(
            files_under("src")
                .into_iter()
                .filter(|(name, _)| name.ends_with(".rs")),
        );
        let mut missing = Vec::new();
        for (name, text) in &sources {
            for call in ["t(\"", "t1(\"", "t2(\"", "t('", "tn('", "format(\""] {
                let parts: Vec<&str> = text.split(call).collect();
                for (before, part) in parts.iter().zip(parts.iter().skip(1)) {
                    // A call of its own (`l.t(`, ` t(`), not the end of another name (`get(`).
                    let whole = before
                        .chars()
                        .last()
                        .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
                    let key: String = part
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect();
                    let closed = part[key.len()..].starts_with(['"', '\'']);
                    if whole
                        && closed
                        && !key.ends_with('-')
                        && key.contains('-')
                        && !keys.contains(&key)
                    {
                        missing.push(format!("{name}: {key}"));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys not in en.ftl: {missing:#?}");
    }

    /// What a translator does: a new file beside the others (here French, from the English
    /// one with its name changed); loading it needs no code.
    #[test]
    fn a_third_catalogue_is_a_file_and_nothing_else() {
        let en = crate_file("locales/en.ftl");
        let fr = en
            .replace("language-name = English", "language-name = Français")
            .replace(
                "widget-view-more = View more comments",
                "widget-view-more = Voir plus de commentaires",
            );
        let leaked = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        let files = [
            ("en", leaked(en)),
            ("fr", leaked(fr)),
            ("ur", leaked(crate_file("locales/ur.ftl"))),
        ];
        let loaded = Catalogues::load(&files).expect("three catalogues load");
        let tags: Vec<&str> = loaded.all.iter().map(|l| l.tag.as_str()).collect();
        assert_eq!(tags, ["en", "fr", "ur"]);
        let fr = &loaded.all[1];
        assert_eq!((fr.name.as_str(), fr.dir), ("Français", "ltr"));
        assert_eq!(fr.t("widget-view-more"), "Voir plus de commentaires");
        // A catalogue without its name or direction is refused, by name.
        let nameless =
            leaked(crate_file("locales/en.ftl").replace("language-name = English\n", ""));
        let err = Catalogues::load(&[("en", nameless)])
            .err()
            .expect("refused");
        assert!(err.contains("language-name"), "{err}");
    }

    #[test]
    fn locales_are_found_by_tag_and_language() {
        assert_eq!(pick(["ur-PK"]).tag, "ur");
        assert_eq!(pick(["fr", "ur"]).tag, "ur");
        assert_eq!(pick(["xx"]).tag, "en");
        assert_eq!(
            accept_language("fr;q=0.2, ur-PK;q=0.9, en;q=0.5"),
            vec!["ur-PK", "en", "fr"]
        );
        assert!(find("ur").is_some_and(Locale::is_rtl));
    }

    #[test]
    fn urdu_isolates_names_and_chooses_plurals() {
        let ur = pick(["ur"]);
        let s = ur.t1("widget-replying-to", "name", "Gareth Lloyd");
        assert!(s.contains("\u{2068}Gareth Lloyd\u{2069}"), "{s}");
        let en = english();
        assert_eq!(en.t1("ago-minutes", "n", 1), "1 minute ago");
        assert_eq!(en.t1("ago-minutes", "n", 5), "5 minutes ago");
        assert_eq!(ur.t1("ago-years", "n", 10), "\u{2068}10\u{2069} سال پہلے");
    }

    #[test]
    fn mails_keep_their_paragraphs_and_urdu_isolates_what_it_quotes() {
        let body = english().format(
            "mail-outcome-body",
            &[
                ("name", "Ayesha".into()),
                ("body", "The text.".into()),
                ("site", "The Daily".into()),
            ],
        );
        assert_eq!(
            body,
            "Hello Ayesha,\n\nThe text.\n\n\u{2014} the moderators of The Daily"
        );
        let ur = pick(["ur"]);
        let subject = ur.t1("mail-held-subject", "title", "Flood warnings");
        assert_eq!(
            subject,
            "“\u{2068}Flood warnings\u{2069}” پر آپ کا تبصرہ نگران کا منتظر ہے"
        );
        assert_eq!(
            english().t1("mail-digest-subject", "n", 1),
            "1 comment waiting for a moderator"
        );
        let r = jirga_domain::Reason::new(
            "moderator_note",
            "A note from the moderator: \u{201c}Keep to the weir.\u{201d}",
        );
        assert_eq!(
            ur.reason(&r),
            "نگران کا نوٹ: “\u{2068}Keep to the weir.\u{2069}”"
        );
        let unknown = jirga_domain::Reason::new("from_a_plugin", "Said by the plugin.");
        assert_eq!(ur.reason(&unknown), "Said by the plugin.");
    }

    #[test]
    fn the_widget_gets_its_messages_compiled() {
        let m = pick(["ur"]).widget_messages();
        assert_eq!(m["dir"], "rtl");
        let count = &m["messages"]["widget-comments-heading"];
        assert!(count.is_array(), "{count}");
        assert!(m["locales"].as_array().is_some_and(|l| l.len() >= 2));
    }
}
