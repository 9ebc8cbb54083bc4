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

#[tokio::test]
async fn a_new_author_waits_until_a_moderator_approves_and_a_pasted_message_is_held() {
    let app = TestApp::spawn().await;
    let id = jirga_domain::SiteId::parse("news").expect("id");
    let mut site = app.store.site(&id).await.expect("read").expect("site");
    site.policy.hold_new_authors = 1;
    app.store
        .update_site(jirga_store::NewSite {
            id: site.id.clone(),
            name: site.name,
            allowed_origins: site.allowed_origins,
            auto_create_threads: site.auto_create_threads,
            policy: site.policy,
            api_key_hash: site.api_key_hash,
        })
        .await
        .expect("update");
    let post = |body: &'static str, name: &'static str| {
        app.post_comment(json!({"site": "news", "thread": "/n", "body": body, "author": {"name": name, "email": format!("{name}@example.org")}}))
    };
    let first: Value = post("My first comment on this site.", "newbie")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(first["status"], "held");
    assert_eq!(first["reasons"][0]["code"], "new_author");
    let entry = jirga_store::NewModlogEntry {
        site_id: id.clone(),
        moderator_id: None,
        moderator: "test".into(),
        action: jirga_store::ModAction::Approve,
        comment_id: first["comment"]["id"].as_i64().map(jirga_domain::CommentId),
        author_id: None,
        note: None,
    };
    app.store
        .moderate(
            jirga_domain::CommentId(first["comment"]["id"].as_i64().expect("id")),
            jirga_domain::CommentStatus::Published,
            entry,
        )
        .await
        .expect("approve");
    let second: Value = post("Second comment, now that I am known.", "newbie")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(second["status"], "published", "{second}");

    // The same long message under another name, as spam waves do, waits for a moderator.
    let again: Value = post("Second comment, now that I am KNOWN!", "newbie2")
        .await
        .json()
        .await
        .expect("json");
    let codes: Vec<&str> = again["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .filter_map(|r| r["code"].as_str())
        .collect();
    assert!(codes.contains(&"duplicate"), "{again}");
}
