//! The authorisation matrix: every endpoint, called as each kind of caller, is allowed or
//! refused as the table says. The table must name every route the server has: the routes are
//! read from the router's source, and a route without a row fails the test.
//!
//! Callers: anonymous; the author of the comment acted on (holding its edit token); another
//! guest commenter (holding the token of their own comment); a signed-in commenter (an account
//! session and its CSRF token); the publisher (the site's API key); a moderator of another
//! site; a moderator of the comment's site; an admin of the comment's site.

use crate::helpers::TestApp;
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use serde_json::{Value, json};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Anonymous,
    Author,
    OtherAuthor,
    Commenter,
    Publisher,
    OtherModerator,
    Moderator,
    Admin,
}

const N: usize = 8;
const ROLES: [Role; N] = [
    Role::Anonymous,
    Role::Author,
    Role::OtherAuthor,
    Role::Commenter,
    Role::Publisher,
    Role::OtherModerator,
    Role::Moderator,
    Role::Admin,
];

const ALL: [bool; N] = [true; N];
const NONE: [bool; N] = [false; N];
const AUTHOR: [bool; N] = [false, true, false, false, false, false, false, false];
const COMMENTER: [bool; N] = [false, false, false, true, false, false, false, false];
const PUBLISHER: [bool; N] = [false, false, false, false, true, false, false, false];
const MODERATORS: [bool; N] = [false, false, false, false, false, true, true, true];
const SITE_MODERATOR: [bool; N] = [false, false, false, false, false, false, true, true];
const SITE_ADMIN: [bool; N] = [false, false, false, false, false, false, false, true];

/// (method, path as routed, who may).
const MATRIX: &[(&str, &str, [bool; N])] = &[
    ("GET", "/", ALL),
    ("GET", "/guidelines", ALL),
    ("GET", "/ur", ALL),
    ("GET", "/language", ALL),
    ("GET", "/healthz", ALL),
    ("GET", "/readyz", ALL),
    ("GET", "/api", ALL),
    ("GET", "/api/v1/openapi.json", ALL),
    // Metrics are off here (no token, not open): refused to everyone (tested in metrics.rs).
    ("GET", "/metrics", NONE),
    ("GET", "/widget.js", ALL),
    ("GET", "/count.js", ALL),
    ("GET", "/widget.css", ALL),
    ("GET", "/static/page.css", ALL),
    ("GET", "/favicon.ico", ALL),
    ("GET", "/dashboard.js", ALL),
    ("GET", "/api/v1/comments", ALL),
    ("POST", "/api/v1/comments", ALL),
    ("POST", "/api/v1/comments/check", ALL),
    // A held comment: only its author may read it through the API.
    ("GET", "/api/v1/comments/{id}", AUTHOR),
    ("PATCH", "/api/v1/comments/{id}", AUTHOR),
    ("DELETE", "/api/v1/comments/{id}", AUTHOR),
    ("POST", "/api/v1/comments/{id}/votes", ALL),
    ("POST", "/api/v1/comments/{id}/reports", ALL),
    ("POST", "/api/v1/comments/{id}/appeal", AUTHOR),
    // From the widget: the dashboard's session and its token.
    ("POST", "/api/v1/comments/{id}/decision", SITE_MODERATOR),
    ("PUT", "/api/v1/threads", PUBLISHER),
    ("GET", "/api/v1/counts", ALL),
    ("GET", "/api/v1/events", ALL),
    ("GET", "/moderate/login", ALL),
    ("POST", "/moderate/login", ALL),
    // Each moderator sees the queues of their own sites only (checked below).
    ("GET", "/moderate", MODERATORS),
    ("GET", "/moderate/reports", MODERATORS),
    ("GET", "/moderate/log", MODERATORS),
    ("GET", "/moderate/charts", MODERATORS),
    ("POST", "/moderate/logout", MODERATORS),
    ("POST", "/moderate/comments/{id}/decision", SITE_MODERATOR),
    ("GET", "/moderate/settings/{site}", SITE_MODERATOR),
    ("POST", "/moderate/settings/{site}", SITE_MODERATOR),
    ("GET", "/moderate/authors/{site}", SITE_ADMIN),
    ("POST", "/moderate/authors/{site}/{id}", SITE_ADMIN),
    ("GET", "/moderate/webhooks/{site}", SITE_ADMIN),
    ("POST", "/moderate/webhooks/{site}", SITE_ADMIN),
    (
        "POST",
        "/moderate/webhooks/{site}/{hook}/delete",
        SITE_ADMIN,
    ),
    ("POST", "/moderate/webhooks/{site}/{hook}/test", SITE_ADMIN),
    ("GET", "/moderate/imports/{site}", SITE_ADMIN),
    ("POST", "/moderate/imports/{site}", SITE_ADMIN),
    ("POST", "/moderate/imports/{site}/{batch}/undo", SITE_ADMIN),
    ("GET", "/api/v1/me", ALL),
    ("GET", "/api/v1/locale", ALL),
    // Feeds of published comments are public; a commenter's replies need the signed link
    // (made for their account page; tested in feeds.rs), so a forged one is refused to all.
    ("GET", "/feeds/{site}/thread.atom", ALL),
    ("GET", "/feeds/{site}/latest.atom", ALL),
    ("GET", "/feeds/{site}/replies/{file}", NONE),
    // No publisher sign-on is set up for the site here: every token is refused (the flow is
    // tested in sso.rs). Signing out with no token ends the caller's own session, if any.
    ("POST", "/api/v1/sso/session", NONE),
    ("POST", "/api/v1/sso/sign-out", ALL),
    // Readers' account pages: the signed-in ones for the signed-in reader only (others are
    // sent to sign in); the rest public (a mailed token is the credential for verify/reset).
    ("GET", "/account", COMMENTER),
    ("GET", "/account/export", COMMENTER),
    ("POST", "/account/sign-out", COMMENTER),
    ("POST", "/account/sign-out-everywhere", COMMENTER),
    ("POST", "/account/delete", COMMENTER),
    ("GET", "/account/sign-up", ALL),
    ("POST", "/account/sign-up", ALL),
    ("GET", "/account/verify", ALL),
    ("GET", "/account/sign-in", ALL),
    ("POST", "/account/sign-in", ALL),
    ("GET", "/account/reset", ALL),
    ("POST", "/account/reset", ALL),
    ("GET", "/account/reset/confirm", ALL),
    ("POST", "/account/reset/confirm", ALL),
    // No OpenID provider is set up for the site here: refused to everyone (the flow is
    // tested in oidc.rs).
    ("GET", "/account/oidc/start", NONE),
    ("GET", "/account/oidc/callback", NONE),
    // The links in readers' mail: the signature is the credential (the flows are tested in
    // mail.rs), so a forged one is refused to everyone.
    ("GET", "/mail/confirm", NONE),
    ("GET", "/mail/unsubscribe", NONE),
    ("POST", "/mail/unsubscribe", NONE),
    ("POST", "/mail/subscribe", NONE),
    ("GET", "/mail/appeal", NONE),
    ("POST", "/mail/appeal", NONE),
    // Each moderator sets their own digest.
    ("POST", "/moderate/digest", MODERATORS),
];

/// Every (method, path) the router serves, read from the source of `crates/web/src`.
fn routes_in_source() -> BTreeSet<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeSet::new();
    for file in [
        "accounts/mod.rs",
        "api/mod.rs",
        "assets.rs",
        "dashboard/mod.rs",
        "feeds/mod.rs",
        "lib.rs",
        "pages/mod.rs",
    ] {
        let src = std::fs::read_to_string(dir.join(file)).expect("source");
        for chunk in src.split(".route(").skip(1) {
            // The call's arguments: up to the parenthesis that closes `.route(`.
            let mut depth = 1;
            let end = chunk
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(chunk.len(), |(i, _)| i);
            let call = &chunk[..end];
            let path = call.split('"').nth(1).expect("a path literal");
            let mut methods: Vec<&str> = ["get", "post", "put", "patch", "delete"]
                .into_iter()
                .filter(|m| {
                    call.contains(&format!(" {m}("))
                        || call.contains(&format!("({m}("))
                        || call.contains(&format!(".{m}("))
                        || call.contains(&format!("\t{m}("))
                })
                .collect();
            if methods.is_empty()
                && (call.trim_end().ends_with(", index") || call.trim_end().ends_with(", urdu"))
            {
                methods.push("get"); // pages.rs: `let index = get(...)`, `let urdu = get(...)`
            }
            assert!(
                !methods.is_empty(),
                "no method found for route {path:?} in {file}"
            );
            for m in methods {
                out.insert((m.to_uppercase(), path.to_owned()));
            }
        }
    }
    out
}

#[test]
fn every_route_has_a_row_and_every_row_a_route() {
    let routes = routes_in_source();
    let rows: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let missing: Vec<_> = routes.difference(&rows).collect();
    let stale: Vec<_> = rows.difference(&routes).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the matrix: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rows for routes that do not exist: {stale:?}"
    );
}

struct Session {
    cookie: String,
    csrf: String,
}

struct World {
    app: TestApp,
    /// Makes every comment's text unique (the same text twice in a day is held as a paste).
    n: u32,
    client: reqwest::Client,
    moderator: Session,
    other_moderator: Session,
    admin: Session,
    /// Makes every account's email unique.
    accounts: u32,
    password_hash: String,
}

const PASSWORD: &str = "a long enough password";

async fn sign_in(app: &TestApp, client: &reqwest::Client, email: &str) -> Session {
    let resp = client
        .post(format!("{}/moderate/login", app.url))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let cookie = resp.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_owned();
    let html = client
        .get(format!("{}/moderate/log", app.url))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("log")
        .text()
        .await
        .expect("html");
    let csrf = html
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("csrf")
        .to_owned();
    Session { cookie, csrf }
}

static GUESTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A fresh comment on `site`; returns (id, edit token, status).
async fn fresh(app: &TestApp, site: &str, text: &str) -> (i64, String, String) {
    let resp = app
        .post_comment(json!({"site": site, "thread": "/authz", "body": text,
            // A name of its own: an admin's row below verifies the author it acts on.
            "author": {"name": format!("Guest {}", GUESTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)), "email": "guest@example.org"}}))
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let v: Value = resp.json().await.expect("json");
    (
        v["comment"]["id"].as_i64().expect("id"),
        v["edit_token"].as_str().expect("token").to_owned(),
        v["status"].as_str().expect("status").to_owned(),
    )
}

impl World {
    async fn new() -> Self {
        let app = TestApp::with(|s| s.rate_limits.sign_ins_per_minute = 1000).await;
        let hash = jirga_web::auth::hash_password_now(PASSWORD).expect("hash");
        for (email, sites, admin) in [
            ("mod@news.example", &["news", "strict"][..], false),
            ("mod@other.example", &["other"][..], false),
            ("admin@news.example", &["news", "strict"][..], true),
        ] {
            let sites: Vec<_> = sites
                .iter()
                .map(|s| jirga_domain::SiteId::parse(s).expect("site"))
                .collect();
            let id = app
                .store
                .create_moderator(email, "Mod", &hash, &sites)
                .await
                .expect("moderator");
            if admin {
                for site in &sites {
                    app.store.grant_admin(id, site).await.expect("admin");
                }
            }
        }
        let client = reqwest::Client::builder()
            .redirect(Policy::none())
            .build()
            .expect("client");
        let moderator = sign_in(&app, &client, "mod@news.example").await;
        let other_moderator = sign_in(&app, &client, "mod@other.example").await;
        let admin = sign_in(&app, &client, "admin@news.example").await;
        Self {
            app,
            n: 0,
            client,
            moderator,
            other_moderator,
            admin,
            accounts: 0,
            password_hash: hash,
        }
    }

    /// A fresh verified account with the test password: (id, email).
    async fn account(&mut self) -> (jirga_domain::AccountId, String) {
        self.accounts += 1;
        let email = format!("reader{}@example.org", self.accounts);
        let account = self
            .app
            .store
            .create_account(jirga_store::NewAccount {
                email: Some(email.clone()),
                name: format!("Reader {}", self.accounts),
                password_hash: Some(self.password_hash.clone().into()),
                email_verified: true,
                oidc: None,
            })
            .await
            .expect("account");
        (account.id, email)
    }

    /// A signed-in commenter: a fresh account (sign-out and deletion end it) and its session.
    async fn commenter(&mut self) -> Session {
        let (id, _) = self.account().await;
        let token = format!("session-token-{id}");
        self.app
            .store
            .create_account_session(
                &jirga_web::auth::token_hash(&token),
                id,
                chrono::Utc::now() + chrono::Duration::hours(1),
            )
            .await
            .expect("session");
        let cookie = format!("jirga_session={token}");
        let me: Value = self
            .client
            .get(format!("{}/api/v1/me", self.app.url))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("me")
            .json()
            .await
            .expect("json");
        Session {
            cookie,
            csrf: me["csrf"].as_str().expect("csrf").to_owned(),
        }
    }

    /// A single-use mailed token for a fresh account.
    async fn mailed_token(&mut self, purpose: jirga_store::TokenPurpose) -> String {
        let (id, _) = self.account().await;
        let token = format!("mailed-token-{id}");
        self.app
            .store
            .create_account_token(
                &jirga_web::auth::token_hash(&token),
                id,
                purpose,
                chrono::Utc::now() + chrono::Duration::hours(1),
            )
            .await
            .expect("token");
        token
    }

    /// Calls one endpoint as one role on fresh targets; returns (status, Location).
    async fn call(&mut self, method: &str, path: &str, role: Role) -> (StatusCode, String) {
        // The target: a held comment for reading and deciding, a published one otherwise.
        let held_target =
            path == "/api/v1/comments/{id}" && method == "GET" || path.contains("decision");
        self.n += 1;
        let n = self.n;
        let (id, token, status) = if held_target {
            fresh(
                &self.app,
                "strict",
                &format!("Waiting for a moderator: gauge reading {n} at the weir."),
            )
            .await
        } else {
            fresh(
                &self.app,
                "news",
                &format!("Gauge reading {n} at the weir looks late again."),
            )
            .await
        };
        assert_eq!(status, if held_target { "held" } else { "published" });
        let (_, other_token, _) = fresh(
            &self.app,
            "news",
            &format!("Someone else's note {n} on the weir gauges."),
        )
        .await;
        // An appeal needs a rejected comment.
        if path.ends_with("/appeal") {
            self.app.reject(id).await;
        }
        let target = if path.starts_with("/moderate/authors/") {
            self.app
                .store
                .comment(jirga_domain::CommentId(id))
                .await
                .expect("read")
                .expect("comment")
                .author
                .id
                .get()
        } else {
            id
        };
        // An import batch of the site, made afresh for each call (undone once only).
        let batch = if path.contains("{batch}") {
            self.app
                .store
                .create_import_batch(
                    &jirga_domain::SiteId::parse("news").expect("site"),
                    "disqus",
                    "authz.xml",
                )
                .await
                .expect("batch")
        } else {
            0
        };
        // A webhook of the site, made afresh for each call (deleting one must not spoil the next).
        let hook = if path.contains("{hook}") {
            self.app
                .store
                .create_webhook(jirga_store::NewWebhook {
                    site_id: jirga_domain::SiteId::parse("news").expect("site"),
                    url: "http://127.0.0.1:9/hook".into(),
                    secret: "s".into(),
                    events: vec!["comment.published".into()],
                    format: jirga_store::WebhookFormat::Json,
                })
                .await
                .expect("webhook")
                .id
                .get()
        } else {
            0
        };
        let url = format!(
            "{}{}",
            self.app.url,
            path.replace("{id}", &target.to_string())
                .replace("{hook}", &hook.to_string())
                .replace("{batch}", &batch.to_string())
                .replace("{site}", "news")
        );
        let url = match path {
            "/api/v1/comments" if method == "GET" => format!("{url}?site=news&thread=/authz"),
            "/api/v1/counts" => format!("{url}?site=news&thread=/authz"),
            "/language" => format!("{url}?to=ur"),
            "/api/v1/events" => format!("{url}?site=news&thread=/authz"),
            "/feeds/{site}/thread.atom" => format!("{url}?thread=/authz"),
            // An author id with a signature that is not theirs.
            "/feeds/{site}/replies/{file}" => url.replace("{file}", "1.atom?sig=forged"),
            "/mail/confirm" => {
                format!("{url}?site=news&email=guest%40example.org&author=1&sig=forged")
            }
            "/mail/unsubscribe" => format!("{url}?site=news&email=guest%40example.org&sig=0a1b"),
            "/mail/appeal" if method == "GET" => format!("{url}?comment={id}&sig=forged"),
            "/account/verify" => format!(
                "{url}?token={}",
                self.mailed_token(jirga_store::TokenPurpose::Verify).await
            ),
            _ => url,
        };
        let (_, reader_email) = if path == "/account/sign-in" && method == "POST" {
            self.account().await
        } else {
            (jirga_domain::AccountId(0), String::new())
        };
        let reset_token = if path == "/account/reset/confirm" && method == "POST" {
            self.mailed_token(jirga_store::TokenPurpose::Reset).await
        } else {
            String::new()
        };
        let commenter = match role {
            Role::Commenter => Some(self.commenter().await),
            _ => None,
        };
        let session = match role {
            Role::Moderator => Some(&self.moderator),
            Role::OtherModerator => Some(&self.other_moderator),
            Role::Admin => Some(&self.admin),
            Role::Commenter => commenter.as_ref(),
            _ => None,
        };
        let csrf = session
            .map_or("not-a-token", |s| s.csrf.as_str())
            .to_owned();
        let csrf = csrf.as_str();

        let mut req = self.client.request(method.parse().expect("method"), &url);
        match role {
            Role::Author => req = req.header("x-jirga-edit-token", &token),
            Role::OtherAuthor => req = req.header("x-jirga-edit-token", &other_token),
            Role::Publisher => {
                req = req.header("authorization", format!("Bearer {}", self.app.api_key))
            }
            Role::Moderator | Role::OtherModerator | Role::Admin => {
                req = req.header("cookie", &session.expect("session").cookie);
                if path == "/api/v1/comments/{id}/decision" {
                    req = req.header("x-jirga-csrf", csrf);
                }
            }
            Role::Commenter => {
                let s = session.expect("session");
                req = req
                    .header("cookie", &s.cookie)
                    .header("x-jirga-csrf", &s.csrf);
            }
            Role::Anonymous => {}
        }
        req = match (method, path) {
            ("POST", "/api/v1/comments") | ("POST", "/api/v1/comments/check") => req.json(&json!({
                "site": "news", "thread": "/authz", "body": format!("New point {n} about the weir gauges."),
                "author": {"name": "Guest"}})),
            ("PATCH", _) => req.json(&json!({"body": format!("Corrected {n}: the weir gauges are late.")})),
            ("POST", "/api/v1/comments/{id}/votes") => req.json(&json!({"value": 1})),
            ("POST", "/api/v1/comments/{id}/reports") => req.json(&json!({"reason": "spam"})),
            ("POST", "/api/v1/comments/{id}/decision") => req.json(&json!({"action": "approve"})),
            ("POST", "/api/v1/comments/{id}/appeal") => req.json(&json!({"text": "It was about the weir, not about anyone."})),
            ("PUT", "/api/v1/threads") => req.json(&json!({"site": "news", "key": "/authz", "title": "Weir gauges"})),
            ("POST", "/api/v1/sso/session") => req.json(&json!({"site": "news", "token": "a.b.c"})),
            ("POST", "/api/v1/sso/sign-out") => req.json(&json!({"site": "news"})),
            ("POST", "/moderate/login") => req.form(&[("email", "mod@news.example"), ("password", PASSWORD)]),
            ("POST", "/moderate/logout") => req.form(&[("csrf", csrf)]),
            ("POST", "/moderate/digest") => req.form(&[("csrf", csrf), ("hours", "24")]),
            ("POST", "/mail/subscribe") => req.form(&[("site", "news"), ("email", "guest@example.org"), ("sig", "0a1b")]),
            ("POST", "/mail/appeal") => req.form(&[
                ("comment", id.to_string()), ("sig", "forged".to_owned()), ("appeal", "It was on topic.".to_owned()),
            ]),
            ("POST", "/moderate/comments/{id}/decision") => req.form(&[("csrf", csrf), ("action", "approve"), ("note", "")]),
            ("POST", "/moderate/settings/{site}") => req.form(&[
                ("csrf", csrf), ("hold_abuse", "0.6"), ("reject_abuse", "1.01"), ("hold_off_topic", "0.03"),
                ("hold_off_topic_z", "-0.5"), ("max_links", "3"), ("banned_words", ""), ("watched_words", ""),
                ("hold_new_authors", "0"),
            ]),
            ("POST", "/moderate/authors/{site}/{id}") => req.form(&[("csrf", csrf), ("affiliation", "Desk"), ("verified", "on")]),
            ("POST", "/moderate/webhooks/{site}") => req.form(&[
                ("csrf", csrf), ("url", "http://127.0.0.1:9/hook"), ("format", "json"), ("event", "comment.held"),
            ]),
            ("POST", "/moderate/webhooks/{site}/{hook}/delete")
            | ("POST", "/moderate/webhooks/{site}/{hook}/test")
            | ("POST", "/moderate/imports/{site}/{batch}/undo") => req.form(&[("csrf", csrf)]),
            ("POST", "/moderate/imports/{site}") => {
                let (kind, body) = crate::helpers::multipart(
                    &[("csrf", csrf), ("format", "disqus"), ("dry_run", "on")],
                    ("file", "authz.xml", b"<disqus></disqus>"),
                );
                req.header("content-type", kind).body(body)
            }
            ("POST", "/account/sign-out") | ("POST", "/account/sign-out-everywhere") => req.form(&[("csrf", csrf)]),
            ("POST", "/account/delete") => req.form(&[("csrf", csrf), ("confirm", "delete")]),
            ("POST", "/account/sign-up") => req.form(&[
                ("name", format!("New Reader {n}")), ("email", format!("new{n}@example.org")),
                ("password", PASSWORD.to_owned()),
            ]),
            ("POST", "/account/sign-in") => req.form(&[("email", reader_email.as_str()), ("password", PASSWORD)]),
            ("POST", "/account/reset") => req.form(&[("email", "reader1@example.org")]),
            ("POST", "/account/reset/confirm") => req.form(&[("token", reset_token.as_str()), ("password", PASSWORD)]),
            _ => req,
        };
        let resp = req.send().await.expect("request");
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (resp.status(), location)
    }
}

/// A redirect to a sign-in page is a refusal; so is 400 (a request the caller cannot make).
fn allowed(status: StatusCode, location: &str) -> Option<bool> {
    let to_sign_in =
        location.starts_with("/moderate/login") || location.starts_with("/account/sign-in");
    if status.is_success() || (status == StatusCode::SEE_OTHER && !to_sign_in) {
        Some(true)
    } else if matches!(status.as_u16(), 400 | 401 | 403 | 404)
        || (status == StatusCode::SEE_OTHER && to_sign_in)
    {
        Some(false)
    } else {
        None
    }
}

#[tokio::test]
async fn every_endpoint_as_every_role() {
    let mut world = World::new().await;
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (method, path, who) in MATRIX {
        if *path == "/moderate/logout" {
            continue; // below: it ends the session the other rows use
        }
        for (role, expect) in ROLES.iter().zip(who) {
            let (status, location) = world.call(method, path, *role).await;
            checked += 1;
            match allowed(status, &location) {
                Some(got) if got == *expect => {}
                other => wrong.push(format!("{method} {path} as {role:?}: {status} {location} (allowed: {other:?}, expected {expect})")),
            }
        }
    }
    // Scope: the other site's moderator sees nothing of this site's queue.
    let (id, _, _) = fresh(
        &world.app,
        "strict",
        "Held text only this site's moderators may see.",
    )
    .await;
    let queue = world
        .client
        .get(format!("{}/moderate", world.app.url))
        .header("cookie", &world.other_moderator.cookie)
        .send()
        .await
        .expect("queue")
        .text()
        .await
        .expect("html");
    assert!(
        !queue.contains("Held text only this site")
            && !queue.contains(&format!("data-id=\"{id}\""))
    );

    // Logout: without a session or its CSRF token nothing ends; with them, the session ends.
    for role in ROLES {
        let (status, location) = world.call("POST", "/moderate/logout", role).await;
        checked += 1;
        let session = match role {
            Role::Moderator => Some(&world.moderator),
            Role::OtherModerator => Some(&world.other_moderator),
            Role::Admin => Some(&world.admin),
            _ => None,
        };
        if let Some(s) = session {
            let after = world
                .client
                .get(format!("{}/moderate", world.app.url))
                .header("cookie", &s.cookie)
                .send()
                .await
                .expect("after");
            if !(status == StatusCode::SEE_OTHER && after.status() == StatusCode::SEE_OTHER) {
                wrong.push(format!(
                    "logout as {role:?}: {status}, then /moderate {}",
                    after.status()
                ));
            }
        } else if allowed(status, &location) != Some(false) {
            wrong.push(format!("logout as {role:?}: {status} {location}"));
        }
    }
    println!(
        "authorisation matrix: {} endpoints x {} roles = {checked} calls checked",
        MATRIX.len(),
        ROLES.len()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
