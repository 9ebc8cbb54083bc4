//! Client addresses and hostile input.

use crate::helpers::{TestApp, error_code};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn post_as(app: &TestApp, forwarded_for: &str, n: usize) -> StatusCode {
    app.client
        .post(app.api("/comments"))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"site": "news", "thread": "/xff", "body": format!("Comment number {n} here."), "author": {"name": "R"}}))
        .send()
        .await
        .expect("post")
        .status()
}

#[tokio::test]
async fn a_forwarded_address_counts_only_from_a_trusted_proxy() {
    // Untrusted: a client cannot dodge the limit by inventing addresses.
    let app = TestApp::with(|s| s.rate_limits.posts_per_minute = 2).await;
    assert_eq!(post_as(&app, "203.0.113.1", 1).await, StatusCode::CREATED);
    assert_eq!(post_as(&app, "203.0.113.2", 2).await, StatusCode::CREATED);
    assert_eq!(
        post_as(&app, "203.0.113.3", 3).await,
        StatusCode::TOO_MANY_REQUESTS
    );

    // Behind a trusted proxy (the test client's loopback address), each reader has their own.
    let app = TestApp::with(|s| {
        s.rate_limits.posts_per_minute = 2;
        s.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    })
    .await;
    for n in 0..3 {
        assert_eq!(
            post_as(&app, &format!("203.0.113.{n}"), n).await,
            StatusCode::CREATED
        );
    }
    assert_eq!(post_as(&app, "203.0.113.9", 10).await, StatusCode::CREATED);
    assert_eq!(post_as(&app, "203.0.113.9", 11).await, StatusCode::CREATED);
    assert_eq!(
        post_as(&app, "203.0.113.9", 12).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn sql_in_any_parameter_is_just_text() {
    let app = TestApp::spawn().await;
    app.comment("/sql", None, "A comment that must survive.")
        .await;
    let probes = [
        "' OR '1'='1",
        "1; DROP TABLE comments; --",
        "\" OR 1=1 --",
        "') UNION SELECT email, name FROM authors --",
        "%' AND 1=0 UNION SELECT * FROM sessions --",
    ];
    for p in probes {
        // As a thread key, an author name and a body: stored and shown as written.
        let resp = app
            .post_comment(json!({"site": "news", "thread": p, "body": p, "author": {"name": p}}))
            .await;
        assert_eq!(resp.status(), StatusCode::CREATED, "{p}");
        let q = serde_html_form::to_string([("site", "news"), ("thread", p)]).expect("query");
        let page = app.list(&q).await;
        assert_eq!(page["comments"][0]["author"]["name"], p);
        // As the site, the sort, the cursor, an id: refused with a clear code, never a 500.
        let q = serde_html_form::to_string([("site", p), ("thread", "/sql")]).expect("query");
        let resp = app
            .client
            .get(app.api(&format!("/comments?{q}")))
            .send()
            .await
            .expect("get");
        assert_eq!(
            error_code(resp, StatusCode::UNPROCESSABLE_ENTITY).await,
            "site_invalid"
        );
        let q = serde_html_form::to_string([("site", "news"), ("thread", "/sql"), ("cursor", p)])
            .expect("query");
        let resp = app
            .client
            .get(app.api(&format!("/comments?{q}")))
            .send()
            .await
            .expect("get");
        assert_eq!(
            error_code(resp, StatusCode::BAD_REQUEST).await,
            "invalid_cursor"
        );
        let resp = app
            .client
            .get(app.api(&format!("/comments/{}", urlencode(p))))
            .send()
            .await
            .expect("get");
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    }
    let counts: Value = app
        .client
        .get(app.api("/counts?site=news&thread=/sql"))
        .send()
        .await
        .expect("counts")
        .json()
        .await
        .expect("json");
    assert_eq!(
        counts["counts"]["/sql"], 1,
        "nothing was dropped or changed"
    );
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}
