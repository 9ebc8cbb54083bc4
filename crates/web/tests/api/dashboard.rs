//! The moderators' dashboard over HTTP: sign-in, the queues, decisions, bans, settings and
//! the modlog that records each of them.

use crate::helpers::TestApp;
use jirga_domain::SiteId;
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use serde_json::{Value, json};

pub(crate) struct Moderator {
    client: reqwest::Client,
    cookie: String,
    url: String,
}

impl Moderator {
    pub(crate) async fn sign_in(
        app: &TestApp,
        email: &str,
        password: &str,
    ) -> Result<Self, StatusCode> {
        let client = reqwest::Client::builder()
            .redirect(Policy::none())
            .build()
            .expect("client");
        let resp = client
            .post(format!("{}/moderate/login", app.url))
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .expect("login");
        if resp.status() != StatusCode::SEE_OTHER {
            return Err(resp.status());
        }
        let set = resp.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .to_owned();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict"),
            "{set}"
        );
        let cookie = set.split(';').next().expect("pair").to_owned();
        Ok(Self {
            client,
            cookie,
            url: app.url.clone(),
        })
    }

    pub(crate) async fn get(&self, path: &str) -> (StatusCode, String) {
        let resp = self
            .client
            .get(format!("{}{path}", self.url))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("get");
        (resp.status(), resp.text().await.expect("text"))
    }

    pub(crate) async fn csrf(&self) -> String {
        let (_, html) = self.get("/moderate/log").await;
        html.split(r#"name="csrf" value=""#)
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("csrf field")
            .to_owned()
    }

    pub(crate) async fn post(&self, path: &str, form: &[(&str, &str)]) -> StatusCode {
        self.client
            .post(format!("{}{path}", self.url))
            .header("cookie", &self.cookie)
            .form(form)
            .send()
            .await
            .expect("post")
            .status()
    }

    async fn decide(&self, id: i64, action: &str, note: &str) -> StatusCode {
        let csrf = self.csrf().await;
        self.post(
            &format!("/moderate/comments/{id}/decision"),
            &[
                ("csrf", &csrf),
                ("action", action),
                ("note", note),
                ("ban_days", "7"),
            ],
        )
        .await
    }
}

pub(crate) async fn add_moderator(app: &TestApp, email: &str, site: &str) {
    let hash = jirga_web::auth::hash_password_now("a long enough password").expect("hash");
    jirga_store::Store::create_moderator(
        app.store.as_ref(),
        email,
        "Mod",
        &hash,
        &[SiteId::parse(site).expect("site")],
    )
    .await
    .expect("moderator");
}

async fn held(app: &TestApp, site: &str, body: &str, email: &str) -> i64 {
    let resp = app
        .post_comment(json!({"site": site, "thread": "/q", "body": body, "author": {"name": "Guest", "email": email}}))
        .await;
    let v: Value = resp.json().await.expect("json");
    assert_eq!(v["status"], "held", "{v}");
    v["comment"]["id"].as_i64().expect("id")
}

#[tokio::test]
async fn only_the_right_password_signs_in_and_pages_need_a_session() {
    let app = TestApp::spawn().await;
    add_moderator(&app, "mod@example.org", "strict").await;
    assert_eq!(
        Moderator::sign_in(&app, "mod@example.org", "wrong password")
            .await
            .err(),
        Some(StatusCode::UNAUTHORIZED)
    );
    assert_eq!(
        Moderator::sign_in(&app, "nobody@example.org", "a long enough password")
            .await
            .err(),
        Some(StatusCode::UNAUTHORIZED)
    );
    let anonymous = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("client");
    let resp = anonymous
        .get(format!("{}/moderate", app.url))
        .send()
        .await
        .expect("get");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], "/moderate/login");

    let m = Moderator::sign_in(&app, "mod@example.org", "a long enough password")
        .await
        .expect("signed in");
    let (status, html) = m.get("/moderate").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Held comments (0)"));
    let csrf = m.csrf().await;
    assert_eq!(
        m.post("/moderate/logout", &[("csrf", &csrf)]).await,
        StatusCode::SEE_OTHER
    );
    let (status, _) = m.get("/moderate").await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "the session ends everywhere it was used"
    );
}

#[tokio::test]
async fn approving_publishes_rejecting_hides_and_every_action_is_in_the_modlog() {
    let app = TestApp::spawn().await;
    add_moderator(&app, "mod@example.org", "strict").await;
    let first = held(
        &app,
        "strict",
        "The minutes of the meeting are online now.",
        "a@example.org",
    )
    .await;
    let second = held(
        &app,
        "strict",
        "Another perfectly reasonable remark here.",
        "b@example.org",
    )
    .await;
    let m = Moderator::sign_in(&app, "mod@example.org", "a long enough password")
        .await
        .expect("in");

    let (_, html) = m.get("/moderate").await;
    assert!(html.contains("Held comments (2)"));
    assert!(html.contains("The minutes of the meeting are online now."));

    // Without the form's token nothing happens.
    let no_csrf = m
        .post(
            &format!("/moderate/comments/{first}/decision"),
            &[("csrf", "forged"), ("action", "approve")],
        )
        .await;
    assert_eq!(no_csrf, StatusCode::FORBIDDEN);
    assert_eq!(
        app.list("site=strict&thread=/q").await["thread"]["count"],
        0
    );

    assert_eq!(
        m.decide(first, "approve", "fine").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        m.decide(second, "reject", "not for us").await,
        StatusCode::SEE_OTHER
    );
    let page = app.list("site=strict&thread=/q").await;
    assert_eq!(page["thread"]["count"], 1);
    assert_eq!(page["comments"][0]["id"], first);

    let (_, log) = m.get("/moderate/log").await;
    assert!(
        log.contains("<td>approve</td>") && log.contains("fine"),
        "{log}"
    );
    assert!(log.contains("<td>reject</td>") && log.contains("not for us"));
    let (_, queue) = m.get("/moderate").await;
    assert!(queue.contains("Held comments (0)"));
}

#[tokio::test]
async fn a_moderator_cannot_act_on_another_site() {
    let app = TestApp::spawn().await;
    add_moderator(&app, "other@example.org", "other").await;
    let id = held(
        &app,
        "strict",
        "Waiting for the right moderator.",
        "c@example.org",
    )
    .await;
    let m = Moderator::sign_in(&app, "other@example.org", "a long enough password")
        .await
        .expect("in");
    let (_, html) = m.get("/moderate").await;
    assert!(!html.contains("Waiting for the right moderator."));
    assert_eq!(m.decide(id, "approve", "").await, StatusCode::FORBIDDEN);
    let (status, _) = m.get("/moderate/settings/strict").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.list("site=strict&thread=/q").await["thread"]["count"],
        0
    );
}

#[tokio::test]
async fn a_banned_author_is_rejected_until_the_ban_ends() {
    let app = TestApp::spawn().await;
    add_moderator(&app, "mod@example.org", "strict").await;
    let id = held(
        &app,
        "strict",
        "First post from a troublemaker.",
        "trouble@example.org",
    )
    .await;
    let m = Moderator::sign_in(&app, "mod@example.org", "a long enough password")
        .await
        .expect("in");
    assert_eq!(
        m.decide(id, "ban", "repeat offender").await,
        StatusCode::SEE_OTHER
    );

    let resp = app
        .post_comment(json!({"site": "strict", "thread": "/q", "body": "I am back.", "author": {"name": "Guest", "email": "trouble@example.org"}}))
        .await;
    let v: Value = resp.json().await.expect("json");
    assert_eq!(v["status"], "rejected");
    assert_eq!(v["reasons"][0]["code"], "author_banned");
    let (_, log) = m.get("/moderate/log").await;
    assert!(
        log.contains("<td>ban</td>") && log.contains("until "),
        "{log}"
    );
}

#[tokio::test]
async fn settings_change_what_the_pipeline_does_and_are_logged() {
    let app = TestApp::spawn().await;
    add_moderator(&app, "mod@example.org", "news").await;
    let m = Moderator::sign_in(&app, "mod@example.org", "a long enough password")
        .await
        .expect("in");
    let csrf = m.csrf().await;
    let form = [
        ("csrf", csrf.as_str()),
        ("hold_abuse", "0.6"),
        ("reject_abuse", "1.01"),
        ("hold_off_topic", "0.03"),
        ("hold_off_topic_z", "-0.5"),
        ("max_links", "3"),
        ("hold_new_authors", "0"),
        ("banned_words", "casino*"),
        ("watched_words", ""),
    ];
    assert_eq!(
        m.post("/moderate/settings/news", &form).await,
        StatusCode::SEE_OTHER
    );
    let resp = app
        .post_comment(json!({"site": "news", "thread": "/s", "body": "Best c4sinos online!", "author": {"name": "Spam"}}))
        .await;
    let v: Value = resp.json().await.expect("json");
    assert_eq!(v["status"], "rejected");
    assert_eq!(v["reasons"][0]["code"], "banned_words");
    assert_eq!(v["reasons"][0]["spans"][0]["text"], "c4sinos");

    let bad = [
        ("csrf", csrf.as_str()),
        ("hold_abuse", "seven"),
        ("reject_abuse", "1"),
        ("hold_off_topic", "0"),
        ("max_links", "3"),
        ("banned_words", ""),
        ("watched_words", ""),
    ];
    assert_eq!(
        m.post("/moderate/settings/news", &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (_, log) = m.get("/moderate/log").await;
    assert!(log.contains("<td>settings</td>") && log.contains("casino*"));
    let (status, charts) = m.get("/moderate/charts").await;
    assert_eq!(status, StatusCode::OK);
    assert!(charts.contains("comments per day"));
    // Every one of the 30 days has its place, empty or not; counts and axes are drawn.
    assert_eq!(charts.matches("<g class=\"day\">").count(), 30, "{charts}");
    let today = chrono::Utc::now().format("%m-%d").to_string();
    assert!(
        charts.contains(&format!(">{today}</text>")),
        "today's date under the last bar"
    );
    assert!(charts.contains("class=\"axis\"") && charts.contains("class=\"count\""));
    assert!(
        charts.contains("comments in the last 30 days"),
        "the summary in words"
    );
}

#[tokio::test]
async fn reader_reports_reach_the_report_queue() {
    let app = TestApp::spawn().await;
    add_moderator(&app, "mod@example.org", "news").await;
    let id = app
        .comment("/rq", None, "The timetable changes next week.")
        .await["comment"]["id"]
        .as_i64()
        .expect("id");
    let resp = app
        .client
        .post(app.api(&format!("/comments/{id}/reports")))
        .json(&json!({"reason": "off_topic"}))
        .send()
        .await
        .expect("report");
    assert_eq!(resp.status(), StatusCode::CREATED);
    let m = Moderator::sign_in(&app, "mod@example.org", "a long enough password")
        .await
        .expect("in");
    let (_, html) = m.get("/moderate/reports").await;
    assert!(html.contains("Reported comments (1)"));
    assert!(html.contains("off-topic \u{d7} 1"));
    assert_eq!(
        m.decide(id, "dismiss", "it is fine").await,
        StatusCode::SEE_OTHER
    );
    let (_, html) = m.get("/moderate/reports").await;
    assert!(html.contains("Reported comments (0)"));
    assert_eq!(app.list("site=news&thread=/rq").await["thread"]["count"], 1);
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_account_and_answered_with_retry_after() {
    let app = TestApp::spawn().await;
    let hash = jirga_web::auth::hash_password_now("correct horse battery").expect("hash");
    app.store
        .create_moderator(
            "limit@news.example",
            "Lim",
            &hash,
            &[jirga_domain::SiteId::parse("news").expect("id")],
        )
        .await
        .expect("moderator");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let attempt = |password: &'static str| {
        let client = client.clone();
        let url = format!("{}/moderate/login", app.url);
        async move {
            client
                .post(url)
                .form(&[("email", "LIMIT@news.example"), ("password", password)])
                .send()
                .await
                .expect("post")
        }
    };
    for _ in 0..10 {
        assert_eq!(attempt("guess").await.status(), 401);
    }
    // The eleventh try within the minute is refused, even with the right password.
    let resp = attempt("correct horse battery").await;
    assert_eq!(resp.status(), 429);
    assert!(resp.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn reports_from_readers_whose_reports_were_upheld_weigh_more() {
    let app = TestApp::with(|s| s.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")]).await;
    add_moderator(&app, "weights@news.example", "news").await;
    let m = Moderator::sign_in(&app, "weights@news.example", "a long enough password")
        .await
        .expect("sign in");
    let report = |id: i64, reader: &'static str| {
        let client = app.client.clone();
        let url = app.api(&format!("/comments/{id}/reports"));
        async move {
            let resp = client
                .post(url)
                .header("x-forwarded-for", reader)
                .json(&json!({"reason": "abusive"}))
                .send()
                .await
                .expect("report");
            assert_eq!(resp.status(), StatusCode::CREATED);
        }
    };
    const GOOD: &str = "198.51.100.1";
    const WOLF: &str = "198.51.100.2";
    const NEW: &str = "198.51.100.3";
    // The good reader's three reports are upheld, the other's three dismissed.
    for i in 0..3 {
        let g = app
            .comment("/w", None, &format!("Point {i} about the levee budget."))
            .await["comment"]["id"]
            .as_i64()
            .expect("id");
        report(g, GOOD).await;
        assert_eq!(m.decide(g, "reject", "").await, StatusCode::SEE_OTHER);
        let w = app
            .comment("/w", None, &format!("Remark {i} about the pump station."))
            .await["comment"]["id"]
            .as_i64()
            .expect("id");
        report(w, WOLF).await;
        assert_eq!(m.decide(w, "dismiss", "").await, StatusCode::SEE_OTHER);
    }
    // Two reports (the crying wolf and a newcomer) against one from the reliable reader.
    let x = app
        .comment("/w", None, "The levee plan is fine as it is.")
        .await["comment"]["id"]
        .as_i64()
        .expect("id");
    let y = app
        .comment("/w", None, "The council should fund the sirens first.")
        .await["comment"]["id"]
        .as_i64()
        .expect("id");
    report(x, WOLF).await;
    report(x, NEW).await;
    report(y, GOOD).await;
    let queue = app
        .store
        .report_queue(&[SiteId::parse("news").expect("id")], 10)
        .await
        .expect("queue");
    let order: Vec<i64> = queue.iter().map(|q| q.comment.id.get()).collect();
    // By count x would lead (2 reports to 1); by weight y does: 4 against 0.25 + 1.
    assert_eq!(order, vec![y, x]);
}

/// The settings page shows, from the site's recorded abuse scores, what each hold threshold
/// would have held and how many of those moderators rejected.
#[tokio::test]
async fn settings_show_what_each_threshold_would_have_held() {
    let app = TestApp::spawn().await;
    add_moderator(&app, "mod@example.org", "news").await;
    app.comment(
        "/curve",
        None,
        "The bypass timetable was published on Monday; works start in March.",
    )
    .await;
    let resp = app
        .post_comment(json!({
            "site": "news", "thread": "/curve",
            "body": "You are a worthless idiot and a pathetic moron, shut up.",
            "author": {"name": "Angry"}
        }))
        .await;
    let v: Value = resp.json().await.expect("json");
    let id = v["comment"]["id"].as_i64().expect("id");
    let m = Moderator::sign_in(&app, "mod@example.org", "a long enough password")
        .await
        .expect("in");
    if v["status"] == "held" {
        assert_eq!(m.decide(id, "reject", "").await, StatusCode::SEE_OTHER);
    }
    let (status, html) = m.get("/moderate/settings/news").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("What each threshold would have held"),
        "{html}"
    );
    // The site's own threshold (the shipped 0.68) is marked on the twentieth it counts from.
    assert!(
        html.contains("0.65 (now: 0.68, counted from 0.65)"),
        "{html}"
    );
    // At 0.30 the insult is held (and was rejected); the civil comment is not.
    let row = html
        .split("<tr>")
        .chain(html.split("<tr class=\"current\">"))
        .find(|r| r.starts_with("<td>0.30</td>"))
        .expect("a row for 0.30");
    let cells: Vec<&str> = row
        .split("<td>")
        .skip(1)
        .map(|c| c.split("</td>").next().unwrap_or(""))
        .collect();
    assert_eq!(cells[1], "1", "{row}");
    assert_eq!(cells[3], "1", "{row}");
    assert!(cells[2].ends_with("50.0 %"), "{row}");
}

/// An admin brings a Disqus archive in from the dashboard: a dry run reports without storing,
/// the import runs in the background while the page shows its progress, the batch is listed
/// and can be undone. A moderator who is not an admin gets no Import page.
#[tokio::test]
async fn an_admin_imports_an_export_from_the_dashboard_and_undoes_it() {
    let app = TestApp::spawn().await;
    add_moderator(&app, "admin@news.example", "news").await;
    let id = app
        .store
        .moderator_by_email("admin@news.example")
        .await
        .expect("moderator")
        .expect("exists")
        .id;
    let news = SiteId::parse("news").expect("site");
    app.store.grant_admin(id, &news).await.expect("admin");
    add_moderator(&app, "mod@news.example", "news").await;
    let admin = Moderator::sign_in(&app, "admin@news.example", "a long enough password")
        .await
        .expect("admin");
    let plain = Moderator::sign_in(&app, "mod@news.example", "a long enough password")
        .await
        .expect("moderator");
    assert_eq!(
        plain.get("/moderate/imports/news").await.0,
        StatusCode::FORBIDDEN
    );
    let (status, page) = admin.get("/moderate/imports/news").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"enctype="multipart/form-data""#) && page.contains("None yet."));

    // Remark42's Disqus fixture: 4 published, 1 spam, 1 malformed post (see crates/import).
    let file = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/fixtures/import/disqus/remark42__disqus.xml"),
    )
    .expect("fixture");
    let csrf = admin.csrf().await;
    let upload = |fields: Vec<(&'static str, String)>| {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        crate::helpers::multipart(&fields, ("file", "disqus.xml", &file))
    };
    let send = |(kind, body): (String, Vec<u8>)| {
        admin
            .client
            .post(format!("{}/moderate/imports/news", admin.url))
            .header("cookie", &admin.cookie)
            .header("content-type", kind)
            .body(body)
            .send()
    };
    // A forged form (no token) stores nothing.
    let forged = send(upload(vec![("format", "auto".into())]))
        .await
        .expect("post");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    let dry = send(upload(vec![
        ("csrf", csrf.clone()),
        ("format", "auto".into()),
        ("dry_run", "on".into()),
    ]))
    .await
    .expect("dry run");
    assert_eq!(dry.status(), StatusCode::SEE_OTHER);
    let page = finished(&admin).await;
    assert!(page.contains("Would be imported"), "{page}");
    assert!(
        page.contains("published 4") && page.contains("rejected 1"),
        "{page}"
    );
    assert!(
        page.contains("malformed 1") && page.contains("nothing (dry run)"),
        "{page}"
    );
    assert!(app.store.import_batches(&news).await.expect("b").is_empty());

    let real = send(upload(vec![
        ("csrf", csrf.clone()),
        ("format", "disqus".into()),
        (
            "maps",
            "https://radio-t.com/p/* https://news.example/*".into(),
        ),
    ]))
    .await
    .expect("import");
    assert_eq!(real.status(), StatusCode::SEE_OTHER);
    let page = finished(&admin).await;
    assert!(
        page.contains("Imported</dt><dd>5 (") && page.contains("published 4"),
        "{page}"
    );
    let batches = app.store.import_batches(&news).await.expect("batches");
    assert_eq!((batches.len(), batches[0].comments), (1, 5));
    assert!(page.contains(&format!(r#"data-batch="{}""#, batches[0].id)));
    let thread = app
        .store
        .thread(
            &news,
            &jirga_domain::ThreadKey::parse("/2011/03/05/podcast-229/").expect("key"),
        )
        .await
        .expect("thread");
    assert!(
        thread.is_some(),
        "the map rule placed the podcast's comments"
    );

    let undone = admin
        .post(
            &format!("/moderate/imports/news/{}/undo", batches[0].id),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(undone, StatusCode::SEE_OTHER);
    let batches = app.store.import_batches(&news).await.expect("batches");
    assert_eq!(batches[0].comments, 0);
    assert!(batches[0].undone_at.is_some());
    let (_, page) = admin.get("/moderate/imports/news").await;
    assert!(page.contains("undone "), "{page}");
}

/// The Import page once its latest import has finished (it refreshes itself until then).
async fn finished(admin: &Moderator) -> String {
    for _ in 0..200 {
        let (status, page) = admin.get("/moderate/imports/news").await;
        assert_eq!(status, StatusCode::OK);
        if page.contains(r#"data-running="false""#) {
            assert!(!page.contains(r#"http-equiv="refresh""#));
            return page;
        }
        assert!(
            page.contains(r#"http-equiv="refresh""#),
            "a running import refreshes"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import did not finish");
}

/// A moderator signed in to the dashboard moderates from the thread: `/api/v1/me` hands the
/// widget the moderator's token for the sites they moderate, and a decision needs both the
/// session and the token.
#[tokio::test]
async fn a_moderator_removes_a_comment_from_inside_the_thread() {
    let app = TestApp::spawn().await;
    add_moderator(&app, "mod@example.org", "news").await;
    let m = Moderator::sign_in(&app, "mod@example.org", "a long enough password")
        .await
        .expect("sign in");
    let posted = app
        .comment("/thread-mod", None, "The sluice gates open at six.")
        .await;
    let id = posted["comment"]["id"].as_i64().expect("id");
    let me = |site: &'static str| {
        let (client, cookie, url) = (m.client.clone(), m.cookie.clone(), app.url.clone());
        async move {
            let v: Value = client
                .get(format!("{url}/api/v1/me?site={site}"))
                .header("cookie", cookie)
                .send()
                .await
                .expect("me")
                .json()
                .await
                .expect("json");
            v
        }
    };
    let on_news = me("news").await;
    assert_eq!(on_news["moderator"]["name"], "Mod", "{on_news}");
    let token = on_news["moderator"]["csrf"]
        .as_str()
        .expect("token")
        .to_owned();
    assert!(me("other").await.get("moderator").is_none());
    let anonymous: Value = app
        .client
        .get(app.api("/me?site=news"))
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    assert!(anonymous.get("moderator").is_none());

    let decide = |token: Option<String>, cookie: bool| {
        let mut req = app
            .client
            .post(app.api(&format!("/comments/{id}/decision")))
            .json(&json!({"action": "reject", "note": "Repeats the timetable.", "note_to_author": true}));
        if cookie {
            req = req.header("cookie", &m.cookie);
        }
        if let Some(t) = token {
            req = req.header("x-jirga-csrf", t);
        }
        req.send()
    };
    let resp = decide(Some(token.clone()), false)
        .await
        .expect("no session");
    assert_eq!(
        crate::helpers::error_code(resp, StatusCode::UNAUTHORIZED).await,
        "moderator_required"
    );
    let resp = decide(None, true).await.expect("no token");
    assert_eq!(
        crate::helpers::error_code(resp, StatusCode::FORBIDDEN).await,
        "csrf_failed"
    );
    let resp = decide(Some(token), true).await.expect("decide");
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = resp.json().await.expect("json");
    assert_eq!(v["status"], "rejected");
    assert_eq!(v["count"], 0, "{v}");
    let list = app.list("site=news&thread=/thread-mod").await;
    assert!(crate::helpers::ids(&list["comments"]).is_empty(), "{list}");
    let stored = app
        .store
        .comment(jirga_domain::CommentId(id))
        .await
        .expect("read")
        .expect("comment");
    assert!(
        stored
            .reasons
            .iter()
            .any(|r| r.code == "moderator_note" && r.message.contains("Repeats the timetable."))
    );
    let (_, log) = m.get("/moderate/log").await;
    assert!(log.contains("Repeats the timetable."), "{log}");
}
