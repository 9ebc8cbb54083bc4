//! `/metrics`, `/readyz` and `/healthz` over HTTP: the metrics are off unless configured, need
//! their token, parse as Prometheus's text format, and count what the server did.

use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::HashMap;

/// Each sample line of a Prometheus text page: `name{labels}` -> value. Fails on a line that
/// is neither a comment nor a sample.
fn parse(text: &str) -> HashMap<String, f64> {
    let mut samples = HashMap::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(rest) = line.strip_prefix('#') {
            assert!(
                rest.starts_with(" HELP ") || rest.starts_with(" TYPE "),
                "{line}"
            );
            continue;
        }
        let (series, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("no value: {line}"));
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("not a number: {line}"));
        let name_end = series.find('{').unwrap_or(series.len());
        assert!(
            series[..name_end]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{line}"
        );
        samples.insert(series.to_owned(), value);
    }
    samples
}

async fn scrape(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let mut req = app.client.get(format!("{}/metrics", app.url));
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    req.send().await.expect("scrape")
}

#[tokio::test]
async fn metrics_are_off_unless_configured() {
    let app = TestApp::spawn().await;
    assert_eq!(scrape(&app, None).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn metrics_need_their_token_and_count_what_happened() {
    let app = TestApp::with(|s| s.metrics_token = Some("scrape-secret".into())).await;
    assert_eq!(scrape(&app, None).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        scrape(&app, Some("guess")).await.status(),
        StatusCode::UNAUTHORIZED
    );

    app.comment(
        "/metrics",
        None,
        "The weir gauges were read twice a day last week.",
    )
    .await;
    let held = app
        .post_comment(
            json!({"site": "strict", "thread": "/metrics", "body": "Waiting for a moderator here.",
                             "author": {"name": "Reader"}}),
        )
        .await;
    assert_eq!(held.status(), StatusCode::CREATED);
    app.list("site=news&thread=/metrics").await;
    let missing = app
        .client
        .get(app.api("/comments/999999"))
        .send()
        .await
        .expect("get");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    let resp = scrape(&app, Some("scrape-secret")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/plain; version=0.0.4")
    );
    let m = parse(&resp.text().await.expect("text"));
    let get = |k: &str| *m.get(k).unwrap_or_else(|| panic!("{k} missing from {m:?}"));
    assert_eq!(
        get(r#"jirga_http_requests_total{route="/api/v1/comments",method="POST",status="201"}"#),
        2.0
    );
    assert_eq!(
        get(r#"jirga_http_requests_total{route="/api/v1/comments",method="GET",status="200"}"#),
        1.0
    );
    assert_eq!(
        get(
            r#"jirga_http_requests_total{route="/api/v1/comments/{id}",method="GET",status="404"}"#
        ),
        1.0
    );
    assert_eq!(
        get(r#"jirga_http_request_duration_seconds_count{route="/api/v1/comments"}"#),
        3.0
    );
    assert_eq!(
        get(r#"jirga_http_request_duration_seconds_bucket{route="/api/v1/comments",le="+Inf"}"#),
        3.0
    );
    assert_eq!(get(r#"jirga_comments_total{decision="published"}"#), 1.0);
    assert_eq!(get(r#"jirga_comments_total{decision="held"}"#), 1.0);
    assert_eq!(get("jirga_moderation_seconds_count"), 2.0);
    assert_eq!(get("jirga_queue_held"), 1.0);
    assert!(m.keys().any(|k| k.starts_with("jirga_db_connections{")));
    assert!(m.contains_key("jirga_live_readers"));
}

#[tokio::test]
async fn alive_and_ready() {
    let app = TestApp::spawn().await;
    let alive = app
        .client
        .get(format!("{}/healthz", app.url))
        .send()
        .await
        .expect("healthz");
    assert_eq!(alive.status(), StatusCode::OK);
    let ready = app
        .client
        .get(format!("{}/readyz", app.url))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status(), StatusCode::OK);
    let body: Value = ready.json().await.expect("json");
    assert_eq!(body["ready"], true);
    assert_eq!(
        body["migrations"]["applied"],
        body["migrations"]["expected"]
    );
}
