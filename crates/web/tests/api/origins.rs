//! Browsers may call the API only from origins a site allows, and act only on that site.

use crate::helpers::{ORIGIN, OTHER_ORIGIN, TestApp, error_code};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn preflight_is_answered_for_known_origins_only() {
    let app = TestApp::spawn().await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.api("/comments"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let ok = preflight(ORIGIN).await.expect("options");
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    assert_eq!(ok.headers()["access-control-allow-origin"], ORIGIN);
    let bad = preflight("https://evil.example").await.expect("options");
    assert_eq!(
        error_code(bad, StatusCode::FORBIDDEN).await,
        "origin_not_allowed"
    );

    let get = app
        .client
        .get(app.api("/comments?site=news&thread=/o"))
        .header("origin", ORIGIN)
        .send()
        .await
        .expect("get");
    assert_eq!(get.headers()["access-control-allow-origin"], ORIGIN);
}

#[tokio::test]
async fn a_page_cannot_post_to_a_site_that_did_not_allow_its_origin() {
    let app = TestApp::spawn().await;
    // other.example is allowed for site "other", not for "news".
    let resp = app
        .client
        .post(app.api("/comments"))
        .header("origin", OTHER_ORIGIN)
        .json(&json!({"site": "news", "thread": "/o", "body": "Sneaky", "author": {"name": "A"}}))
        .send()
        .await
        .expect("post");
    assert_eq!(
        error_code(resp, StatusCode::FORBIDDEN).await,
        "origin_not_allowed"
    );
    let resp = app
        .client
        .post(app.api("/comments"))
        .header("origin", ORIGIN)
        .json(&json!({"site": "news", "thread": "/o", "body": "Welcome", "author": {"name": "A"}}))
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert_eq!(resp.headers()["access-control-allow-origin"], ORIGIN);
    assert_eq!(app.list("site=news&thread=/o").await["thread"]["count"], 1);
}
