//! Webhooks against a receiver on loopback that fails, then hangs, then recovers: the event
//! arrives in the end, signed, with one event id on every try; a change written by an
//! instance that stopped before sending anything is delivered by the next one on the database; the dashboard adds a webhook,
//! sends it a test event and shows the delivery log.

use crate::helpers::TestApp;
use axum::routing::post;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Mode {
    Fail,
    Hang,
    Ok,
}

#[derive(Default)]
struct Received {
    /// (headers we check, body) of every request, answered or not.
    requests: Vec<(Vec<(String, String)>, String)>,
}

struct Receiver {
    url: String,
    mode: Arc<Mutex<Mode>>,
    got: Arc<Mutex<Received>>,
}

async fn receiver(mode: Mode) -> Receiver {
    let mode = Arc::new(Mutex::new(mode));
    let got: Arc<Mutex<Received>> = Arc::default();
    let (m, g) = (mode.clone(), got.clone());
    let app = axum::Router::new().route(
        "/hook",
        post(move |headers: axum::http::HeaderMap, body: String| {
            let (m, g) = (m.clone(), g.clone());
            async move {
                let keep = [
                    "x-jirga-event",
                    "x-jirga-delivery",
                    "x-jirga-timestamp",
                    "x-jirga-signature",
                ]
                .iter()
                .map(|h| {
                    let v = headers
                        .get(*h)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default();
                    ((*h).to_owned(), v.to_owned())
                })
                .collect();
                g.lock().expect("got").requests.push((keep, body));
                let mode = *m.lock().expect("mode");
                match mode {
                    Mode::Fail => (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "not today"),
                    Mode::Hang => {
                        tokio::time::sleep(Duration::from_secs(5)).await;
                        (axum::http::StatusCode::OK, "too late")
                    }
                    Mode::Ok => (axum::http::StatusCode::OK, "thanks"),
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Receiver { url, mode, got }
}

fn quick(s: &mut jirga_web::Settings) {
    s.webhook_retry_secs = 1;
    s.webhook_timeout_secs = 1;
}

async fn subscribe(app: &TestApp, site: &str, url: &str, events: &[&str]) -> String {
    let hook = app
        .store
        .create_webhook(jirga_store::NewWebhook {
            site_id: jirga_domain::SiteId::parse(site).expect("site"),
            url: url.to_owned(),
            secret: "the receiver's secret".into(),
            events: events.iter().map(|e| (*e).to_owned()).collect(),
            format: jirga_store::WebhookFormat::Json,
        })
        .await
        .expect("webhook");
    hook.secret.expose().to_owned()
}

/// Waits until `f` holds (checked every 100 ms), for at most `secs`.
async fn until(secs: u64, what: &str, mut f: impl FnMut() -> bool) {
    for _ in 0..secs * 10 {
        if f() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("waited {secs} s for {what}");
}

fn header<'a>(req: &'a (Vec<(String, String)>, String), name: &str) -> &'a str {
    req.0
        .iter()
        .find(|(h, _)| h == name)
        .map_or("", |(_, v)| v.as_str())
}

/// What a receiver does: the MAC of "t.body" with its secret, and a fresh `t`.
fn verify(secret: &str, req: &(Vec<(String, String)>, String)) {
    let sig = header(req, "x-jirga-signature");
    let (t, v1) = sig
        .strip_prefix("t=")
        .and_then(|r| r.split_once(",v1="))
        .expect("t=…,v1=…");
    let t: i64 = t.parse().expect("t");
    assert!(
        (chrono::Utc::now().timestamp() - t).abs() < 300,
        "within the replay window"
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{t}.{}", req.1).as_bytes());
    assert_eq!(hex::encode(mac.finalize().into_bytes()), v1);
}

#[tokio::test]
async fn an_event_reaches_a_receiver_that_fails_then_hangs_then_recovers() {
    let r = receiver(Mode::Fail).await;
    let app = TestApp::with(quick).await;
    let secret = subscribe(&app, "news", &r.url, &["comment.published"]).await;
    let posted = app
        .comment("/hooked", None, "The weir gauges were read twice a day.")
        .await;
    let id = posted["comment"]["id"].as_i64().expect("id");

    until(10, "a failed try", || {
        !r.got.lock().expect("got").requests.is_empty()
    })
    .await;
    *r.mode.lock().expect("mode") = Mode::Hang;
    let tried = r.got.lock().expect("got").requests.len();
    until(15, "a try that times out", || {
        r.got.lock().expect("got").requests.len() > tried
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1200)).await; // past the 1 s timeout
    *r.mode.lock().expect("mode") = Mode::Ok;
    let site = jirga_domain::SiteId::parse("news").expect("site");
    let mut delivered = None;
    for _ in 0..200 {
        let log = app.store.deliveries(&site, 10).await.expect("log");
        if let Some(d) = log.into_iter().find(|d| d.delivered_at.is_some()) {
            delivered = Some(d);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let d = delivered.expect("delivered within 20 s");
    assert!(
        d.attempts >= 3,
        "failed, timed out, delivered: {} tries",
        d.attempts
    );
    assert_eq!(d.last_status, Some(200));

    let got = r.got.lock().expect("got");
    let first_id = header(&got.requests[0], "x-jirga-delivery").to_owned();
    assert!(!first_id.is_empty());
    for req in &got.requests {
        assert_eq!(
            header(req, "x-jirga-delivery"),
            first_id,
            "one event id on every try"
        );
        assert_eq!(header(req, "x-jirga-event"), "comment.published");
        verify(&secret, req);
    }
    let body: Value = serde_json::from_str(&got.requests[0].1).expect("json");
    assert_eq!(body["type"], "comment.published");
    assert_eq!(body["id"], first_id.as_str());
    assert_eq!(body["data"]["comment"]["id"], id);
    assert_eq!(body["data"]["comment"]["thread"], "/hooked");
}

#[tokio::test]
async fn an_event_queued_by_a_stopped_instance_is_delivered_by_the_next() {
    let r = receiver(Mode::Ok).await;
    let dir = tempfile::tempdir().expect("tmp");
    let database = match crate::helpers::test_database().await {
        Some(url) => url,
        None => format!("sqlite://{}", dir.path().join("shared.db").display()),
    };
    let shared = database.clone();
    // The first instance queues the event and stops before it sends anything.
    let first = TestApp::with(move |s| {
        quick(s);
        s.webhook_worker = false;
        s.database = Some(shared.into());
    })
    .await;
    // "strict" holds every comment for a moderator.
    subscribe(&first, "strict", &r.url, &["comment.held"]).await;
    let held = first
        .post_comment(json!({"site": "strict", "thread": "/restart", "body": "The gauges at the weir, once more.",
                             "author": {"name": "Reader"}}))
        .await;
    let held: Value = held.json().await.expect("json");
    assert_eq!(held["status"], "held", "{held}");
    // Noted in the comment's own transaction; nothing turned it into a delivery yet.
    let journal = first.store.journal_entries(10).await.expect("journal");
    assert_eq!(journal.len(), 1);
    assert_eq!(first.store.outbox_depth().await.expect("depth"), 0);
    drop(first);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        r.got.lock().expect("got").requests.is_empty(),
        "nothing sent yet"
    );

    let second = TestApp::with(move |s| {
        quick(s);
        s.database = Some(database.into());
    })
    .await;
    until(10, "the delivery after the restart", || {
        !r.got.lock().expect("got").requests.is_empty()
    })
    .await;
    let event = header(&r.got.lock().expect("got").requests[0], "x-jirga-event").to_owned();
    assert_eq!(event, "comment.held");
    let mut depth = 1;
    for _ in 0..50 {
        depth = second.store.outbox_depth().await.expect("depth");
        if depth == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(depth, 0);
}

#[tokio::test]
async fn an_admin_adds_a_webhook_sends_a_test_event_and_reads_the_log() {
    let r = receiver(Mode::Ok).await;
    let app = TestApp::with(quick).await;
    let hash = jirga_web::auth::hash_password_now("a long enough password").expect("hash");
    let site = jirga_domain::SiteId::parse("news").expect("site");
    let id = app
        .store
        .create_moderator(
            "admin@example.org",
            "Admin",
            &hash,
            std::slice::from_ref(&site),
        )
        .await
        .expect("moderator");
    app.store.grant_admin(id, &site).await.expect("admin");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let login = client
        .post(format!("{}/moderate/login", app.url))
        .form(&[
            ("email", "admin@example.org"),
            ("password", "a long enough password"),
        ])
        .send()
        .await
        .expect("login");
    let cookie = login.headers()["set-cookie"]
        .to_str()
        .expect("c")
        .split(';')
        .next()
        .expect("c")
        .to_owned();
    let page = |path: String| {
        let (client, cookie) = (client.clone(), cookie.clone());
        async move {
            client
                .get(path)
                .header("cookie", cookie)
                .send()
                .await
                .expect("get")
                .text()
                .await
                .expect("html")
        }
    };
    let html = page(format!("{}/moderate/webhooks/news", app.url)).await;
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("csrf")
        .to_owned();
    let form = format!(
        "csrf={csrf}&url={}&format=json&event=comment.published&event=moderator.action",
        urlencode(&r.url)
    );
    let added = client
        .post(format!("{}/moderate/webhooks/news", app.url))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .expect("add");
    assert_eq!(added.status(), StatusCode::OK);
    let html = added.text().await.expect("html");
    let secret = html
        .split("id=\"webhook-secret\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .expect("the secret, shown once")
        .to_owned();
    let hooks = app.store.webhooks(&site).await.expect("hooks");
    assert_eq!(hooks.len(), 1);
    assert_eq!(
        hooks[0].events,
        vec![
            "comment.published".to_owned(),
            "moderator.action".to_owned()
        ]
    );

    let bad = client
        .post(format!("{}/moderate/webhooks/news", app.url))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "csrf={csrf}&url=ftp%3A%2F%2Fx&format=json&event=comment.published"
        ))
        .send()
        .await
        .expect("add");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let test = client
        .post(format!(
            "{}/moderate/webhooks/news/{}/test",
            app.url, hooks[0].id
        ))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("test");
    assert_eq!(test.status(), StatusCode::SEE_OTHER);
    until(10, "the test event", || {
        !r.got.lock().expect("got").requests.is_empty()
    })
    .await;
    {
        let got = r.got.lock().expect("got");
        assert_eq!(header(&got.requests[0], "x-jirga-event"), "test");
        verify(&secret, &got.requests[0]);
    }
    let mut log = String::new();
    for _ in 0..50 {
        log = page(format!("{}/moderate/webhooks/news", app.url)).await;
        if log.contains("delivered") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        log.contains("<td>test</td>") && log.contains("delivered") && log.contains("thanks"),
        "{log}"
    );
}

fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
