//! Atom feeds over HTTP: a thread's and a site's published comments (held ones left out),
//! escaping, ETag and 304, and a commenter's replies behind the signed link on their account
//! page.

use crate::helpers::{ORIGIN, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn get(app: &TestApp, path: &str, etag: Option<&str>) -> reqwest::Response {
    let mut req = app.client.get(format!("{}{path}", app.url));
    if let Some(e) = etag {
        req = req.header("if-none-match", e);
    }
    req.send().await.expect("feed")
}

fn entries(xml: &str) -> usize {
    xml.matches("<entry>").count()
}

#[tokio::test]
async fn a_threads_feed_has_its_published_comments_escaped_with_an_etag() {
    let app = TestApp::spawn().await;
    let first = app
        .post_comment(json!({
            "site": "news", "thread": "/feed", "url": "https://news.example/feed", "title": "Weir & gauges",
            "body": "Fish & chips <script>alert(1)</script> by the **weir**.",
            "author": {"name": "Asha <Reader>"}
        }))
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    app.comment("/feed", None, "The gauges were read twice a day last week.")
        .await;

    let resp = get(&app, "/feeds/news/thread.atom?thread=/feed", None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let etag = resp.headers()["etag"].to_str().expect("etag").to_owned();
    let xml = resp.text().await.expect("xml");
    assert!(xml.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
    ));
    assert_eq!(entries(&xml), 2, "{xml}");
    assert!(
        xml.contains("<title>Comments on Weir &amp; gauges</title>"),
        "{xml}"
    );
    assert!(
        xml.contains("<author><name>Asha &lt;Reader&gt;</name></author>"),
        "{xml}"
    );
    // The sanitised HTML, escaped once more: no markup of the comment reaches the XML.
    assert!(xml.contains("&lt;strong&gt;weir&lt;/strong&gt;"), "{xml}");
    assert!(
        !xml.contains("<script") && !xml.contains("&lt;script"),
        "{xml}"
    );
    assert!(
        xml.contains("href=\"https://news.example/feed#comment-"),
        "{xml}"
    );
    // Newest first.
    assert!(xml.find("twice a day").expect("second") < xml.find("Fish").expect("first"));

    let again = get(&app, "/feeds/news/thread.atom?thread=/feed", Some(&etag)).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.text().await.expect("body").is_empty());
    app.comment("/feed", None, "A third look at the gauges at the weir.")
        .await;
    let changed = get(&app, "/feeds/news/thread.atom?thread=/feed", Some(&etag)).await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(changed.headers()["etag"].to_str().expect("etag"), etag);

    let missing = get(&app, "/feeds/news/thread.atom?thread=/nothing", None).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_sites_feed_leaves_out_what_readers_cannot_see() {
    let app = TestApp::spawn().await;
    app.comment("/one", None, "On the first article, about the weir gauges.")
        .await;
    app.comment(
        "/two",
        None,
        "On the second article, about the river level.",
    )
    .await;
    let xml = get(&app, "/feeds/news/latest.atom", None)
        .await
        .text()
        .await
        .expect("xml");
    assert_eq!(entries(&xml), 2, "{xml}");
    // "strict" holds every comment for a moderator: its feed stays empty.
    let held = app
        .post_comment(
            json!({"site": "strict", "thread": "/s", "body": "Waiting for a moderator.",
                             "author": {"name": "Reader"}}),
        )
        .await;
    let held: Value = held.json().await.expect("json");
    assert_eq!(held["status"], "held");
    let xml = get(&app, "/feeds/strict/latest.atom", None)
        .await
        .text()
        .await
        .expect("xml");
    assert_eq!(entries(&xml), 0, "{xml}");
    let unknown = get(&app, "/feeds/nope/latest.atom", None).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_commenter_follows_the_replies_to_them_through_the_link_on_their_account_page() {
    let app = TestApp::with(|s| {
        s.sso = vec![jirga_web::config::SsoSite {
            site: "news".into(),
            secrets: vec![jirga_web::config::SsoSecret {
                kid: None,
                secret: "feed test secret".into(),
            }],
            jwks_url: None,
            issuer: None,
            max_lifetime_secs: 3600,
            claims: Default::default(),
        }]
    })
    .await;
    // A reader signed in by the publisher (the quickest way to an account here).
    let now = chrono::Utc::now().timestamp();
    let claims = json!({"aud": "news", "iat": now, "exp": now + 600, "user": {"id": "r-1", "username": "Rania"}});
    let token = {
        use base64::Engine;
        use hmac::Mac;
        let b64 =
            |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        let input = format!("{}.{}", b64(&json!({"alg": "HS256"})), b64(&claims));
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"feed test secret").expect("key");
        mac.update(input.as_bytes());
        let sig =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{input}.{sig}")
    };
    let resp = app
        .client
        .post(app.api("/sso/session"))
        .header("origin", ORIGIN)
        .json(&json!({"site": "news", "token": token}))
        .send()
        .await
        .expect("sign in");
    assert_eq!(resp.status(), StatusCode::OK);
    let cookie = resp.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_owned();
    let me: Value = resp.json().await.expect("json");
    let mine: Value = app
        .client
        .post(app.api("/comments"))
        .header("cookie", &cookie)
        .header("x-jirga-csrf", me["csrf"].as_str().expect("csrf"))
        .json(&json!({"site": "news", "thread": "/replies", "body": "Who reads the weir gauges at night?"}))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    let mine_id = mine["comment"]["id"].as_i64().expect("id");
    app.comment(
        "/replies",
        Some(mine_id),
        "The night shift reads them every two hours.",
    )
    .await;
    app.comment("/replies", None, "Not a reply to anyone in particular.")
        .await;

    let page = app
        .client
        .get(format!("{}/account", app.url))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("account")
        .text()
        .await
        .expect("html");
    let link = page
        .split("class=\"reply-feed\" href=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a replies feed link")
        .replace("&amp;", "&");
    let xml = get(&app, &link, None).await.text().await.expect("xml");
    assert_eq!(entries(&xml), 1, "{xml}");
    assert!(xml.contains("every two hours"), "{xml}");
    // Another author's feed cannot be made by changing the id.
    let other = link.replacen("/replies/", "/replies/9", 1);
    assert_eq!(
        get(&app, &other, None).await.status(),
        StatusCode::FORBIDDEN
    );
}
