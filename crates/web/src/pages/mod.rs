//! Pages the binary serves itself: the demo article with its first page of comments rendered
//! on the server (so it reads without JavaScript; the widget takes over when it runs), and
//! the guidelines page that the moderation note links to.

use crate::Frontpage;
use crate::demo::{ARTICLE, ARTICLES, Article, URDU_ARTICLE};
use crate::error::ApiError;
use crate::i18n::{self, Lang, Locale};
use crate::listing::{self, PageRequest};
use crate::state::AppState;
use crate::views::CommentJson;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use jirga_domain::{Cursor, Sort};
use serde::Deserialize;
use tower_http::set_header::SetResponseHeaderLayer;

/// Our own pages load nothing from elsewhere and run only our own script.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                       connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub fn router(front: Frontpage) -> Router<AppState> {
    let urdu = {
        let front = front.clone();
        get(move |state: State<AppState>, query: Query<PageQuery>| {
            let front = front.clone();
            async move { edition(state, query, front, &URDU_ARTICLE).await }
        })
    };
    let index = get(
        move |state: State<AppState>, query: Query<PageQuery>, lang: Lang| {
            let front = front.clone();
            async move { index(state, query, front, lang).await }
        },
    );
    Router::new()
        .route("/", index)
        .route("/ur", urdu)
        .route("/guidelines", get(guidelines))
        .route("/language", get(language))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
}

#[derive(Deserialize)]
pub struct PageQuery {
    cursor: Option<String>,
}

/// One comment as the server-rendered list shows it: flattened, with its depth.
pub struct PageComment {
    pub depth: usize,
    pub author: Option<String>,
    /// The avatar: initials and colour, as the widget draws them (`avatar` in widget.js).
    pub initials: String,
    pub hue: u32,
    pub affiliation: Option<String>,
    pub verified: bool,
    pub when: String,
    pub exact: String,
    pub datetime: String,
    pub html: String,
    pub more_replies: usize,
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage<'a> {
    l: &'static Locale,
    home: &'static str,
    /// The paper's editions: address, language tag, language name.
    editions: Vec<(&'static str, &'static str, String)>,
    article: &'a Article,
    site: String,
    thread: String,
    page_size: u32,
    count: i64,
    comments: Vec<PageComment>,
    next_cursor: Option<String>,
}

#[derive(Template)]
#[template(path = "landing.html")]
struct Landing {
    l: &'static Locale,
    url: String,
}

#[derive(Template)]
#[template(path = "guidelines.html")]
struct Guidelines {
    l: &'static Locale,
}

fn flatten(
    l: &Locale,
    comments: Vec<CommentJson>,
    depth: usize,
    now: DateTime<Utc>,
    out: &mut Vec<PageComment>,
) {
    for c in comments {
        let created = DateTime::parse_from_rfc3339(&c.created_at)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now);
        out.push(PageComment {
            depth: depth.min(3),
            author: c.author.as_ref().map(|a| a.name.clone()),
            initials: c
                .author
                .as_ref()
                .map(|a| initials(&a.name))
                .unwrap_or_default(),
            hue: c.author.as_ref().map_or(0, |a| hue(&a.name)),
            affiliation: c.author.as_ref().and_then(|a| a.affiliation.clone()),
            verified: c.author.as_ref().is_some_and(|a| a.verified),
            when: l.ago(created, now),
            exact: l.date_time(created),
            datetime: c.created_at.clone(),
            html: c.body_html,
            more_replies: c.more_replies,
        });
        flatten(l, c.replies, depth + 1, now, out);
    }
}

/// The first letters of the first two words of a name, as widget.js's `avatar` takes them.
fn initials(name: &str) -> String {
    let letters: String = name
        .split_whitespace()
        .take(2)
        .filter_map(|w| w.chars().next())
        .collect();
    if letters.is_empty() {
        "?".into()
    } else {
        letters.to_uppercase()
    }
}

/// One of the widget's eight avatar colours, from the name's UTF-16 units as widget.js hashes
/// them, so a commenter has the same colour with and without JavaScript.
fn hue(name: &str) -> u32 {
    name.encode_utf16()
        .fold(0u32, |h, u| h.wrapping_mul(31).wrapping_add(u32::from(u)))
        % 8
}

fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => ApiError::Internal(format!("template: {e}")).into_response(),
    }
}

async fn index(
    state: State<AppState>,
    q: Query<PageQuery>,
    front: Frontpage,
    Lang(l): Lang,
) -> Response {
    if front.demo.is_none() {
        return render(&Landing {
            l,
            url: state.public_url.clone(),
        });
    }
    edition(state, q, front, &ARTICLE).await
}

/// The demo article in one of its editions, with its thread's first page drawn on the server in
/// the article's language.
async fn edition(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
    front: Frontpage,
    article: &'static Article,
) -> Response {
    let l = i18n::find(article.lang).unwrap_or_else(i18n::english);
    // Without the demo: the page about embedding, in the edition's language.
    let Some(demo) = front.demo else {
        return render(&Landing {
            l,
            url: state.public_url.clone(),
        });
    };
    let Ok(key) = jirga_domain::ThreadKey::parse(article.thread) else {
        return ApiError::NotFound.into_response();
    };
    let request = PageRequest {
        site: demo.site.clone(),
        key,
        sort: Sort::Oldest,
        cursor: q.cursor.as_deref().and_then(Cursor::decode),
        limit: article.page_size,
        parent: None,
        around: None,
        replies: None,
        depth: None,
    };
    let page = match listing::thread_page(&state, request).await {
        Ok((page, _)) => page,
        Err(e) => return e.into_response(),
    };
    let mut comments = Vec::new();
    flatten(l, page.comments, 0, Utc::now(), &mut comments);
    let editions = ARTICLES
        .iter()
        .map(|(a, _)| {
            let name = i18n::find(a.lang).map_or_else(|| a.lang.to_owned(), |x| x.name.clone());
            (a.path, a.lang, name)
        })
        .collect();
    render(&ArticlePage {
        l,
        home: article.path,
        editions,
        article,
        site: demo.site.to_string(),
        thread: article.thread.to_owned(),
        page_size: article.page_size,
        count: page.thread.count,
        comments,
        next_cursor: page.next_cursor,
    })
}

async fn guidelines(Lang(l): Lang) -> Response {
    render(&Guidelines { l })
}

#[derive(Deserialize)]
pub struct LanguageQuery {
    to: String,
}

/// The language switch of the pages and the dashboard: remembers the reader's choice in a
/// cookie (a year) and goes back to the page it was made on (this server's own pages only).
async fn language(Query(q): Query<LanguageQuery>, headers: axum::http::HeaderMap) -> Response {
    let Some(l) = i18n::find(&q.to) else {
        return ApiError::InvalidQuery(format!("no catalogue serves the language {:?}", q.to))
            .into_response();
    };
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|at| &rest[at..]))
        .filter(|p| !p.starts_with("//"))
        .map(|p| {
            // A `lang=` on the address would win over the new choice: it goes.
            let (path, query) = p.split_once('?').unwrap_or((p, ""));
            let kept: Vec<&str> = query
                .split('&')
                .filter(|kv| !kv.is_empty() && !kv.starts_with("lang="))
                .collect();
            if kept.is_empty() {
                path.to_owned()
            } else {
                format!("{path}?{}", kept.join("&"))
            }
        })
        .unwrap_or_else(|| "/".to_owned());
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        i18n::COOKIE,
        l.tag
    );
    (
        axum::http::StatusCode::SEE_OTHER,
        [(header::LOCATION, back), (header::SET_COOKIE, cookie)],
    )
        .into_response()
}
