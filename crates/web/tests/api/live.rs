//! Live updates over Server-Sent Events: what a reader connected to a thread hears.

use crate::helpers::{TestApp, error_code};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

/// An open `GET /api/v1/events` stream and what has arrived but not been read yet.
pub struct Events {
    resp: Response,
    buf: String,
}

impl Events {
    pub async fn open(client: &reqwest::Client, api: &str, site: &str, thread: &str) -> Self {
        let resp = client
            .get(format!("{api}/events?site={site}&thread={thread}"))
            .send()
            .await
            .expect("events");
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(
            resp.headers()["content-type"].to_str().expect("type"),
            "text/event-stream"
        );
        Self {
            resp,
            buf: String::new(),
        }
    }

    /// The next event (name, data), skipping keep-alive comments; panics after 10 s.
    pub async fn next(&mut self) -> (String, Value) {
        tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                if let Some(end) = self.buf.find("\n\n") {
                    let block: String = self.buf.drain(..end + 2).collect();
                    let mut name = String::from("message");
                    let mut data = String::new();
                    for line in block.lines() {
                        if let Some(v) = line.strip_prefix("event:") {
                            name = v.trim().to_owned();
                        } else if let Some(v) = line.strip_prefix("data:") {
                            data.push_str(v.trim_start());
                        }
                    }
                    if data.is_empty() {
                        continue;
                    }
                    return (
                        name,
                        serde_json::from_str(&data).expect("event data is JSON"),
                    );
                }
                let chunk = self
                    .resp
                    .chunk()
                    .await
                    .expect("stream")
                    .expect("stream open");
                self.buf
                    .push_str(std::str::from_utf8(&chunk).expect("utf-8"));
            }
        })
        .await
        .expect("an event within 10 s")
    }
}

#[tokio::test]
async fn a_reader_hears_new_edited_and_deleted_comments_and_never_held_ones() {
    let app = TestApp::spawn().await;
    let first = app.comment("/live", None, "Opening remark").await;
    let mut events = Events::open(&app.client, &app.api(""), "news", "/live").await;
    let mut elsewhere = Events::open(&app.client, &app.api(""), "news", "/other").await;

    let reply = app
        .comment("/live", first["comment"]["id"].as_i64(), "A reply")
        .await;
    // On PostgreSQL the announcement of the first comment (made just before the stream
    // opened) can still be on its way when the stream opens; it is skipped.
    let (name, data) = loop {
        let (name, data) = events.next().await;
        if data["comment_id"] != first["comment"]["id"] {
            break (name, data);
        }
    };
    assert_eq!(name, "comment");
    assert_eq!(data["kind"], "published");
    assert_eq!(data["count"], 2);
    assert_eq!(data["comment"]["id"], reply["comment"]["id"]);
    assert_eq!(data["comment"]["parent_id"], first["comment"]["id"]);
    assert_eq!(data["comment"]["body_html"], "<p>A reply</p>\n");
    assert!(data["comment"]["author"]["name"].is_string());
    let text = data.to_string();
    assert!(!text.contains("email") && !text.contains("token"), "{text}");

    // A comment the pipeline holds is never announced: the next event is the edit below.
    let held = app
        .post_comment(json!({
            "site": "news", "thread": "/live", "body": "Buy cheap pills at [x](http://a.example) [y](http://b.example) [z](http://c.example) [w](http://d.example)",
            "author": {"name": "Spammer"}
        }))
        .await;
    assert_eq!(held.status(), StatusCode::CREATED);
    let held: Value = held.json().await.expect("json");
    assert_ne!(held["status"], "published", "{held}");

    let id = first["comment"]["id"].as_i64().expect("id");
    let token = first["edit_token"].as_str().expect("token");
    let resp = app
        .client
        .patch(app.api(&format!("/comments/{id}")))
        .header("x-jirga-edit-token", token)
        .json(&json!({"body": "Opening remark, corrected"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(resp.status(), StatusCode::OK);
    let (_, data) = events.next().await;
    assert_eq!(data["kind"], "edited");
    assert_eq!(data["comment_id"], id);
    assert_eq!(
        data["comment"]["body_html"],
        "<p>Opening remark, corrected</p>\n"
    );

    let resp = app
        .client
        .delete(app.api(&format!("/comments/{id}")))
        .header("x-jirga-edit-token", token)
        .send()
        .await
        .expect("delete");
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let (_, data) = events.next().await;
    assert_eq!(data["kind"], "removed");
    assert_eq!(data["comment_id"], id);
    assert_eq!(data["count"], 1);
    assert!(data["comment"].is_null());

    // The other thread's reader heard none of this; its first event is its own thread's.
    app.comment("/other", None, "Elsewhere").await;
    let (_, data) = elsewhere.next().await;
    assert_eq!(data["comment"]["body_html"], "<p>Elsewhere</p>\n");
}

#[tokio::test]
async fn events_need_a_known_site_and_a_valid_thread() {
    let app = TestApp::spawn().await;
    let resp = app
        .client
        .get(app.api("/events?site=nope&thread=/a"))
        .send()
        .await
        .expect("events");
    assert_eq!(
        error_code(resp, StatusCode::NOT_FOUND).await,
        "unknown_site"
    );
    let resp = app
        .client
        .get(app.api("/events?site=news"))
        .send()
        .await
        .expect("events");
    assert_eq!(
        error_code(resp, StatusCode::BAD_REQUEST).await,
        "invalid_query"
    );
}
