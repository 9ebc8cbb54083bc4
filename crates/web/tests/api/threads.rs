use crate::helpers::{TestApp, error_code};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn the_first_comment_creates_the_thread_when_the_site_allows_it() {
    let app = TestApp::spawn().await;
    let resp = app
        .post_comment(
            json!({"site": "news", "thread": "/new", "body": "First!", "author": {"name": "A"},
            "title": "A new story"}),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let page = app.list("site=news&thread=/new").await;
    assert_eq!(page["thread"]["title"], "A new story");

    let resp = app
        .post_comment(json!({"site": "closed-shop", "thread": "/new", "body": "First!", "author": {"name": "A"}}))
        .await;
    assert_eq!(
        error_code(resp, StatusCode::NOT_FOUND).await,
        "unknown_thread"
    );
}

async fn put(app: &TestApp, key: Option<&str>, body: Value) -> reqwest::Response {
    let mut req = app.client.put(app.api("/threads")).json(&body);
    if let Some(key) = key {
        req = req.bearer_auth(key);
    }
    req.send().await.expect("put")
}

#[tokio::test]
async fn publishers_register_articles_with_their_api_key() {
    let app = TestApp::spawn().await;
    let article = json!({"site": "closed-shop", "key": "/politics/talks", "title": "Talks resume",
        "text": "Negotiators met on Thursday.", "url": "https://news.example/politics/talks"});
    assert_eq!(
        error_code(
            put(&app, None, article.clone()).await,
            StatusCode::UNAUTHORIZED
        )
        .await,
        "unauthorized"
    );
    assert_eq!(
        error_code(
            put(&app, Some("wrong"), article.clone()).await,
            StatusCode::UNAUTHORIZED
        )
        .await,
        "unauthorized"
    );
    let resp = put(&app, Some(&app.api_key), article).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let thread: Value = resp.json().await.expect("json");
    assert_eq!(thread["title"], "Talks resume");

    // The article text is stored where moderation reads it.
    let stored = jirga_store::Store::thread(
        app.store.as_ref(),
        &jirga_domain::SiteId::parse("closed-shop").expect("id"),
        &jirga_domain::ThreadKey::parse("/politics/talks").expect("key"),
    )
    .await
    .expect("read")
    .expect("thread");
    assert_eq!(stored.text, "Negotiators met on Thursday.");

    let resp = app
        .post_comment(json!({"site": "closed-shop", "thread": "/politics/talks", "body": "Good.", "author": {"name": "A"}}))
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_closed_thread_takes_no_new_comments() {
    let app = TestApp::spawn().await;
    app.comment("/c", None, "Before closing").await;
    let resp = put(
        &app,
        Some(&app.api_key),
        json!({"site": "news", "key": "/c", "closed": true}),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = app
        .post_comment(
            json!({"site": "news", "thread": "/c", "body": "Too late", "author": {"name": "A"}}),
        )
        .await;
    assert_eq!(
        error_code(resp, StatusCode::CONFLICT).await,
        "thread_closed"
    );
    assert_eq!(app.list("site=news&thread=/c").await["thread"]["count"], 1);
}

/// `around`: the branch holding one comment, whatever page its top-level comment is on, with
/// every reply under it; a comment of another thread, or none, is 404.
#[tokio::test]
async fn around_answers_the_branch_that_holds_a_comment() {
    let app = TestApp::spawn().await;
    let mut roots = Vec::new();
    for n in 0..4 {
        let c = app
            .comment(
                "/branch",
                None,
                &format!("Top-level comment {n} about the weir."),
            )
            .await;
        roots.push(c["comment"]["id"].as_i64().expect("id"));
    }
    // Four levels under the last top-level comment, and eight replies beside the deepest.
    let mut parent = roots[3];
    for depth in 0..4 {
        let c = app
            .comment(
                "/branch",
                Some(parent),
                &format!("Reply at depth {depth} on the weir."),
            )
            .await;
        parent = c["comment"]["id"].as_i64().expect("id");
    }
    let mut last = 0;
    for n in 0..8 {
        let c = app
            .comment(
                "/branch",
                Some(parent),
                &format!("Sibling reply {n} on the weir."),
            )
            .await;
        last = c["comment"]["id"].as_i64().expect("id");
    }
    let page = app
        .list(&format!("site=news&thread=/branch&limit=1&around={last}"))
        .await;
    let comments = page["comments"].as_array().expect("comments");
    assert_eq!(comments.len(), 1, "one branch: {page}");
    assert_eq!(comments[0]["id"], roots[3]);
    assert!(page["next_cursor"].is_null());
    fn every_id(list: &Value, out: &mut Vec<i64>) {
        for c in list.as_array().into_iter().flatten() {
            out.extend(c["id"].as_i64());
            every_id(&c["replies"], out);
        }
    }
    let mut ids = Vec::new();
    every_id(&page["comments"], &mut ids);
    assert!(
        ids.contains(&last),
        "the eighth reply five levels down is in it"
    );
    assert_eq!(ids.len(), 1 + 4 + 8);
    let other = app.comment("/elsewhere", None, "On another article.").await;
    let other = other["comment"]["id"].as_i64().expect("id");
    for around in [other, 999_999] {
        let resp = app
            .client
            .get(app.api(&format!(
                "/comments?site=news&thread=/branch&around={around}"
            )))
            .send()
            .await
            .expect("get");
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    }
}
