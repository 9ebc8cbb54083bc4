//! Every new or edited comment passes through the moderation pipeline; a held comment is
//! visible to its author only.

use crate::helpers::{TestApp, error_code};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_held_comment_says_why_and_only_its_author_sees_it() {
    let app = TestApp::spawn().await;
    let resp = app
        .post_comment(json!({"site": "strict", "thread": "/h", "body": "Waiting my turn", "author": {"name": "Q"}}))
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let created: Value = resp.json().await.expect("json");
    assert_eq!(created["status"], "held");
    assert_eq!(created["reasons"][0]["code"], "premoderation");
    let id = created["comment"]["id"].as_i64().expect("id");
    let token = created["edit_token"].as_str().expect("token");

    let page = app.list("site=strict&thread=/h").await;
    assert_eq!(page["thread"]["count"], 0);
    assert_eq!(page["comments"], json!([]));

    let resp = app
        .client
        .get(app.api(&format!("/comments/{id}")))
        .send()
        .await
        .expect("get");
    assert_eq!(
        error_code(resp, StatusCode::NOT_FOUND).await,
        "unknown_comment"
    );
    let resp = app
        .client
        .get(app.api(&format!("/comments/{id}")))
        .header("x-jirga-edit-token", token)
        .send()
        .await
        .expect("get");
    assert_eq!(resp.status(), StatusCode::OK);
    let own: Value = resp.json().await.expect("json");
    assert_eq!(own["status"], "held");
    assert_eq!(own["reasons"][0]["code"], "premoderation");

    // Nobody can reply to, vote on or report what they cannot see.
    let resp = app
        .post_comment(json!({"site": "strict", "thread": "/h", "parent_id": id, "body": "?", "author": {"name": "R"}}))
        .await;
    assert_eq!(
        error_code(resp, StatusCode::UNPROCESSABLE_ENTITY).await,
        "unknown_parent"
    );
    let resp = app
        .client
        .post(app.api(&format!("/comments/{id}/votes")))
        .json(&json!({"value": 1}))
        .send()
        .await
        .expect("vote");
    assert_eq!(
        error_code(resp, StatusCode::NOT_FOUND).await,
        "unknown_comment"
    );
}

#[tokio::test]
async fn an_edit_goes_through_moderation_again() {
    let app = TestApp::spawn().await;
    let resp = app
        .post_comment(
            json!({"site": "strict", "thread": "/h2", "body": "One", "author": {"name": "Q"}}),
        )
        .await;
    let created: Value = resp.json().await.expect("json");
    let resp = app
        .client
        .patch(app.api(&format!("/comments/{}", created["comment"]["id"])))
        .header(
            "x-jirga-edit-token",
            created["edit_token"].as_str().expect("token"),
        )
        .json(&json!({"body": "Two"}))
        .send()
        .await
        .expect("patch");
    let edited: Value = resp.json().await.expect("json");
    assert_eq!(edited["status"], "held");
    assert_eq!(edited["reasons"][0]["code"], "premoderation");
}
