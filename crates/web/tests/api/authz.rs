//! The authorisation matrix: every endpoint, called as each kind of caller, is allowed or
//! refused as the table says. The table must name every route the server has: the routes are
//! read from the router's source, and a route without a row fails the test.
//!
//! Callers: anonymous; the author of the comment acted on (holding its edit token); another
//! commenter (holding the token of their own comment); the publisher (the site's API key); a
//! moderator of another site; a moderator of the comment's site. (Accounts with commenter and
//! admin roles are not built yet: see issue #4.)

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
    Publisher,
    OtherModerator,
    Moderator,
}

const ROLES: [Role; 6] = [
    Role::Anonymous,
    Role::Author,
    Role::OtherAuthor,
    Role::Publisher,
    Role::OtherModerator,
    Role::Moderator,
];

const ALL: [bool; 6] = [true; 6];
const AUTHOR: [bool; 6] = [false, true, false, false, false, false];
const PUBLISHER: [bool; 6] = [false, false, false, true, false, false];
const MODERATORS: [bool; 6] = [false, false, false, false, true, true];
const SITE_MODERATOR: [bool; 6] = [false, false, false, false, false, true];

/// (method, path as routed, who may).
const MATRIX: &[(&str, &str, [bool; 6])] = &[
    ("GET", "/", ALL),
    ("GET", "/guidelines", ALL),
    ("GET", "/healthz", ALL),
    ("GET", "/widget.js", ALL),
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
];

/// Every (method, path) the router serves, read from the source of `crates/web/src`.
fn routes_in_source() -> BTreeSet<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeSet::new();
    for file in ["api.rs", "assets.rs", "dashboard.rs", "lib.rs", "pages.rs"] {
        let src = std::fs::read_to_string(dir.join(file)).expect("source");
        let prefix = if file == "api.rs" { "/api/v1" } else { "" };
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
            if methods.is_empty() && call.trim_end().ends_with(", index") {
                methods.push("get"); // pages.rs: `let index = get(...)`
            }
            assert!(
                !methods.is_empty(),
                "no method found for route {path:?} in {file}"
            );
            for m in methods {
                out.insert((m.to_uppercase(), format!("{prefix}{path}")));
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

/// A fresh comment on `site`; returns (id, edit token, status).
async fn fresh(app: &TestApp, site: &str, text: &str) -> (i64, String, String) {
    let resp = app
        .post_comment(json!({"site": site, "thread": "/authz", "body": text, "author": {"name": "Guest", "email": "guest@example.org"}}))
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
        let hash = jirga_web::dashboard::hash_password(PASSWORD).expect("hash");
        for (email, sites) in [
            ("mod@news.example", &["news", "strict"][..]),
            ("mod@other.example", &["other"][..]),
        ] {
            let sites: Vec<_> = sites
                .iter()
                .map(|s| jirga_domain::SiteId::parse(s).expect("site"))
                .collect();
            app.store
                .create_moderator(email, "Mod", &hash, &sites)
                .await
                .expect("moderator");
        }
        let client = reqwest::Client::builder()
            .redirect(Policy::none())
            .build()
            .expect("client");
        let moderator = sign_in(&app, &client, "mod@news.example").await;
        let other_moderator = sign_in(&app, &client, "mod@other.example").await;
        Self {
            app,
            n: 0,
            client,
            moderator,
            other_moderator,
        }
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
        let url = format!(
            "{}{}",
            self.app.url,
            path.replace("{id}", &id.to_string())
                .replace("{site}", "news")
        );
        let url = match path {
            "/api/v1/comments" if method == "GET" => format!("{url}?site=news&thread=/authz"),
            "/api/v1/counts" => format!("{url}?site=news&thread=/authz"),
            "/api/v1/events" => format!("{url}?site=news&thread=/authz"),
            _ => url,
        };
        let session = match role {
            Role::Moderator => Some(&self.moderator),
            Role::OtherModerator => Some(&self.other_moderator),
            _ => None,
        };
        let csrf = session.map_or("not-a-token", |s| s.csrf.as_str());
        let mut req = self.client.request(method.parse().expect("method"), &url);
        match role {
            Role::Author => req = req.header("x-jirga-edit-token", &token),
            Role::OtherAuthor => req = req.header("x-jirga-edit-token", &other_token),
            Role::Publisher => {
                req = req.header("authorization", format!("Bearer {}", self.app.api_key))
            }
            Role::Moderator | Role::OtherModerator => {
                req = req.header("cookie", &session.expect("session").cookie);
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
            ("PUT", "/api/v1/threads") => req.json(&json!({"site": "news", "key": "/authz", "title": "Weir gauges"})),
            ("POST", "/moderate/login") => req.form(&[("email", "mod@news.example"), ("password", PASSWORD)]),
            ("POST", "/moderate/logout") => req.form(&[("csrf", csrf)]),
            ("POST", "/moderate/comments/{id}/decision") => req.form(&[("csrf", csrf), ("action", "approve"), ("note", "")]),
            ("POST", "/moderate/settings/{site}") => req.form(&[
                ("csrf", csrf), ("hold_abuse", "0.6"), ("reject_abuse", "1.01"), ("hold_off_topic", "0.03"),
                ("hold_off_topic_z", "-0.5"), ("max_links", "3"), ("banned_words", ""), ("watched_words", ""),
                ("hold_new_authors", "0"),
            ]),
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

fn allowed(status: StatusCode, location: &str) -> Option<bool> {
    if status.is_success()
        || (status == StatusCode::SEE_OTHER && !location.starts_with("/moderate/login"))
    {
        Some(true)
    } else if matches!(status.as_u16(), 401 | 403 | 404)
        || (status == StatusCode::SEE_OTHER && location.starts_with("/moderate/login"))
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
