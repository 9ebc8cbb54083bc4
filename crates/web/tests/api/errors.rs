use crate::helpers::{TestApp, error_code};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn comment(thread: &str, body: &str) -> Value {
    json!({"site": "news", "thread": thread, "body": body, "author": {"name": "A"}})
}

#[tokio::test]
async fn bad_input_gets_a_stable_code_and_stores_nothing() {
    let app = TestApp::with(|s| {
        s.body_max_chars = 50;
        s.max_request_bytes = 4_096;
    })
    .await;
    let other = app
        .post_comment(
            json!({"site": "other", "thread": "/elsewhere", "body": "x", "author": {"name": "B"}}),
        )
        .await;
    let other_id = other.json::<Value>().await.expect("json")["comment"]["id"]
        .as_i64()
        .expect("id");

    let cases: Vec<(Value, StatusCode, &str)> = vec![
        (
            comment("/bad", "   "),
            StatusCode::UNPROCESSABLE_ENTITY,
            "body_empty",
        ),
        (
            comment("/bad", &"x".repeat(51)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "body_too_long",
        ),
        (
            json!({"site": "news", "thread": "/bad", "body": "x", "author": {"name": ""}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "name_empty",
        ),
        (
            json!({"site": "news", "thread": "/bad", "body": "x", "author": {"name": "A", "email": "nope"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "email_invalid",
        ),
        (
            json!({"site": "news", "thread": "/bad", "author": {"name": "A"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            json!({"site": "nosuch", "thread": "/bad", "body": "x", "author": {"name": "A"}}),
            StatusCode::NOT_FOUND,
            "unknown_site",
        ),
        (
            json!({"site": "Not A Slug", "thread": "/bad", "body": "x", "author": {"name": "A"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "site_invalid",
        ),
        (
            json!({"site": "news", "thread": "/bad", "parent_id": 999_999, "body": "x", "author": {"name": "A"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_parent",
        ),
        (
            json!({"site": "news", "thread": "/bad", "parent_id": other_id, "body": "x", "author": {"name": "A"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "parent_in_other_thread",
        ),
        (
            comment("/bad", &"x".repeat(5_000)),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
    ];
    for (body, status, code) in cases {
        let resp = app.post_comment(body.clone()).await;
        assert_eq!(error_code(resp, status).await, code, "for {body}");
    }

    let resp = app
        .client
        .post(app.api("/comments"))
        .header("content-type", "application/json")
        .body("{\"site\": \"news\", ")
        .send()
        .await
        .expect("post");
    assert_eq!(
        error_code(resp, StatusCode::BAD_REQUEST).await,
        "invalid_json"
    );

    let resp = app
        .client
        .post(app.api("/comments"))
        .header("content-type", "text/plain")
        .body(comment("/bad", "x").to_string())
        .send()
        .await
        .expect("post");
    assert_eq!(
        error_code(resp, StatusCode::UNSUPPORTED_MEDIA_TYPE).await,
        "unsupported_media_type"
    );

    // Nothing above created the thread or a comment.
    let page = app.list("site=news&thread=/bad").await;
    assert_eq!(page["thread"]["count"], 0);
    assert_eq!(page["thread"]["title"], "");
    assert_eq!(page["comments"], json!([]));
}

#[tokio::test]
async fn bad_queries_and_unknown_things_are_reported_as_json() {
    let app = TestApp::spawn().await;
    let get = |path: String| app.client.get(path).send();

    let resp = get(app.api("/comments?site=news&thread=/a&cursor=garbage"))
        .await
        .expect("get");
    assert_eq!(
        error_code(resp, StatusCode::BAD_REQUEST).await,
        "invalid_cursor"
    );
    let resp = get(app.api("/comments?site=news&thread=/a&sort=loudest"))
        .await
        .expect("get");
    assert_eq!(
        error_code(resp, StatusCode::BAD_REQUEST).await,
        "invalid_query"
    );
    let resp = get(app.api("/comments?thread=/a")).await.expect("get");
    assert_eq!(
        error_code(resp, StatusCode::BAD_REQUEST).await,
        "invalid_query"
    );
    let resp = get(app.api("/comments?site=nosuch&thread=/a"))
        .await
        .expect("get");
    assert_eq!(
        error_code(resp, StatusCode::NOT_FOUND).await,
        "unknown_site"
    );
    let resp = get(app.api("/comments/123456")).await.expect("get");
    assert_eq!(
        error_code(resp, StatusCode::NOT_FOUND).await,
        "unknown_comment"
    );
    let resp = get(app.api("/comments/abc")).await.expect("get");
    assert_eq!(
        error_code(resp, StatusCode::NOT_FOUND).await,
        "unknown_comment"
    );
    let resp = get(app.api("/nothing-here")).await.expect("get");
    assert_eq!(error_code(resp, StatusCode::NOT_FOUND).await, "not_found");
    let resp = app
        .client
        .delete(app.api("/counts"))
        .send()
        .await
        .expect("delete");
    assert_eq!(
        error_code(resp, StatusCode::METHOD_NOT_ALLOWED).await,
        "method_not_allowed"
    );

    let health = get(format!("{}/healthz", app.url)).await.expect("get");
    assert_eq!(health.status(), StatusCode::OK);
}
