use crate::helpers::{TestApp, error_code, ids};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_posted_comment_is_listed_with_its_author_and_never_its_email() {
    let app = TestApp::spawn().await;
    let created = app
        .comment("/a", None, "The council vote was **close**.")
        .await;
    assert_eq!(created["status"], "published");
    assert_eq!(created["reasons"], json!([]));
    assert!(
        created["edit_token"]
            .as_str()
            .is_some_and(|t| t.len() >= 40)
    );
    assert_eq!(
        created["comment"]["body_html"],
        "<p>The council vote was <strong>close</strong>.</p>\n"
    );

    let page = app.list("site=news&thread=/a").await;
    assert_eq!(page["thread"]["count"], 1);
    assert_eq!(page["comments"][0]["author"]["name"], "Reader");
    assert_eq!(page["comments"][0]["author"]["verified"], false);
    let text = page.to_string();
    assert!(!text.contains("reader@example.org"), "email leaked: {text}");
    assert!(!created.to_string().contains("reader@example.org"));
    assert!(!text.contains("edit_token"));
}

#[tokio::test]
async fn an_unknown_article_reads_as_an_empty_section() {
    let app = TestApp::spawn().await;
    let page = app.list("site=news&thread=/never-commented").await;
    assert_eq!(page["thread"]["count"], 0);
    assert_eq!(page["comments"], json!([]));
    assert_eq!(page["next_cursor"], Value::Null);
}

#[tokio::test]
async fn replies_nest_and_a_long_branch_is_cut_with_a_cursor() {
    let app = TestApp::spawn().await;
    let top = app.comment("/t", None, "Top").await["comment"]["id"]
        .as_i64()
        .expect("id");
    let mut replies = Vec::new();
    for i in 0..7 {
        let r = app.comment("/t", Some(top), &format!("Reply {i}")).await;
        replies.push(r["comment"]["id"].as_i64().expect("id"));
    }
    let nested = app.comment("/t", Some(replies[0]), "Reply to reply").await;

    let page = app.list("site=news&thread=/t").await;
    assert_eq!(page["thread"]["count"], 9);
    let first = &page["comments"][0];
    assert_eq!(ids(&first["replies"]), replies[..5].to_vec());
    assert_eq!(first["more_replies"], 2);
    assert_eq!(
        first["replies"][0]["replies"][0]["id"],
        nested["comment"]["id"]
    );

    let cursor = first["replies_cursor"].as_str().expect("cursor");
    let rest = app
        .list(&format!("site=news&thread=/t&parent={top}&cursor={cursor}"))
        .await;
    assert_eq!(ids(&rest["comments"]), replies[5..].to_vec());
    assert_eq!(rest["next_cursor"], Value::Null);
}

#[tokio::test]
async fn paging_visits_every_top_level_comment_once_in_each_order() {
    let app = TestApp::spawn().await;
    let mut posted = Vec::new();
    for i in 0..12 {
        posted.push(
            app.comment("/p", None, &format!("Comment {i}")).await["comment"]["id"]
                .as_i64()
                .expect("id"),
        );
    }
    for (sort, expected) in [
        ("oldest", posted.clone()),
        ("newest", posted.iter().rev().copied().collect()),
    ] {
        let mut seen = Vec::new();
        let mut cursor = String::new();
        let mut pages = 0;
        loop {
            let page = app
                .list(&format!(
                    "site=news&thread=/p&sort={sort}&limit=5&cursor={cursor}"
                ))
                .await;
            seen.extend(ids(&page["comments"]));
            pages += 1;
            match page["next_cursor"].as_str() {
                Some(c) => cursor = c.to_owned(),
                None => break,
            }
        }
        assert_eq!(pages, 3);
        assert_eq!(seen, expected, "sort={sort}");
    }
}

#[tokio::test]
async fn top_sort_orders_by_votes_and_one_reader_counts_once() {
    let app = TestApp::spawn().await;
    let a = app.comment("/v", None, "First view").await["comment"]["id"]
        .as_i64()
        .expect("id");
    let b = app.comment("/v", None, "Second view").await["comment"]["id"]
        .as_i64()
        .expect("id");
    for _ in 0..3 {
        let resp = app
            .client
            .post(app.api(&format!("/comments/{b}/votes")))
            .json(&json!({"value": 1}))
            .send()
            .await
            .expect("vote");
        assert_eq!(resp.status(), StatusCode::OK);
        let body: Value = resp.json().await.expect("json");
        assert_eq!(
            body["votes"], 1,
            "the same reader voting again does not add up"
        );
    }
    let page = app.list("site=news&thread=/v&sort=top").await;
    assert_eq!(ids(&page["comments"]), vec![b, a]);

    let resp = app
        .client
        .post(app.api(&format!("/comments/{b}/votes")))
        .json(&json!({"value": 0}))
        .send()
        .await
        .expect("vote");
    assert_eq!(resp.json::<Value>().await.expect("json")["votes"], 0);
    let resp = app
        .client
        .post(app.api(&format!("/comments/{a}/votes")))
        .json(&json!({"value": 5}))
        .send()
        .await
        .expect("vote");
    assert_eq!(
        error_code(resp, StatusCode::UNPROCESSABLE_ENTITY).await,
        "invalid_vote"
    );
}

#[tokio::test]
async fn reports_are_recorded_once_per_reader() {
    let app = TestApp::spawn().await;
    let id = app.comment("/r", None, "The minutes are online.").await["comment"]["id"]
        .as_i64()
        .expect("id");
    let report = || {
        app.client
            .post(app.api(&format!("/comments/{id}/reports")))
            .json(&json!({"reason": "spam", "note": "advert"}))
            .send()
    };
    assert_eq!(
        report().await.expect("report").status(),
        StatusCode::CREATED
    );
    assert_eq!(
        error_code(report().await.expect("report"), StatusCode::CONFLICT).await,
        "already_reported"
    );
    let resp = app
        .client
        .post(app.api(&format!("/comments/{id}/reports")))
        .json(&json!({"reason": "boring"}))
        .send()
        .await
        .expect("report");
    assert_eq!(
        error_code(resp, StatusCode::UNPROCESSABLE_ENTITY).await,
        "invalid_request"
    );
}

async fn patch(app: &TestApp, id: i64, token: &str, body: &str) -> reqwest::Response {
    app.client
        .patch(app.api(&format!("/comments/{id}")))
        .header("x-jirga-edit-token", token)
        .json(&json!({ "body": body }))
        .send()
        .await
        .expect("patch")
}

#[tokio::test]
async fn the_author_edits_and_deletes_with_the_token_and_nobody_else_can() {
    let app = TestApp::spawn().await;
    let created = app.comment("/e", None, "Frist").await;
    let id = created["comment"]["id"].as_i64().expect("id");
    let token = created["edit_token"].as_str().expect("token");

    let resp = patch(&app, id, "not-the-token", "Hijacked").await;
    assert_eq!(
        error_code(resp, StatusCode::FORBIDDEN).await,
        "invalid_token"
    );

    let resp = patch(&app, id, token, "First, corrected").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let edited: Value = resp.json().await.expect("json");
    assert_eq!(edited["comment"]["body_html"], "<p>First, corrected</p>\n");
    assert!(edited["comment"]["edited_at"].is_string());
    let page = app.list("site=news&thread=/e").await;
    assert_eq!(
        page["comments"][0]["body_html"],
        "<p>First, corrected</p>\n"
    );

    let resp = app
        .client
        .delete(app.api(&format!("/comments/{id}")))
        .header("x-jirga-edit-token", token)
        .send()
        .await
        .expect("delete");
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let page = app.list("site=news&thread=/e").await;
    assert_eq!(page["thread"]["count"], 0);
    assert_eq!(page["comments"], json!([]));
    let resp = patch(&app, id, token, "Back from the dead").await;
    assert_eq!(
        error_code(resp, StatusCode::CONFLICT).await,
        "comment_deleted"
    );
}

#[tokio::test]
async fn after_the_edit_window_the_comment_is_fixed() {
    let app = TestApp::with(|s| s.edit_window_minutes = 0).await;
    let created = app.comment("/w", None, "Said and done").await;
    let id = created["comment"]["id"].as_i64().expect("id");
    let token = created["edit_token"].as_str().expect("token");
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let resp = patch(&app, id, token, "Unsaid").await;
    assert_eq!(
        error_code(resp, StatusCode::CONFLICT).await,
        "edit_window_closed"
    );
    let page = app.list("site=news&thread=/w").await;
    assert_eq!(page["comments"][0]["body_html"], "<p>Said and done</p>\n");
}

#[tokio::test]
async fn a_deleted_comment_with_replies_stays_as_a_tombstone() {
    let app = TestApp::spawn().await;
    let created = app.comment("/d", None, "Parent").await;
    let id = created["comment"]["id"].as_i64().expect("id");
    let reply = app.comment("/d", Some(id), "Answer").await;
    app.client
        .delete(app.api(&format!("/comments/{id}")))
        .header(
            "x-jirga-edit-token",
            created["edit_token"].as_str().expect("token"),
        )
        .send()
        .await
        .expect("delete");
    let page = app.list("site=news&thread=/d").await;
    assert_eq!(page["thread"]["count"], 1);
    let tomb = &page["comments"][0];
    assert_eq!(tomb["status"], "deleted");
    assert_eq!(tomb["author"], Value::Null);
    assert_eq!(tomb["body_html"], "");
    assert_eq!(tomb["replies"][0]["id"], reply["comment"]["id"]);
}

#[tokio::test]
async fn counts_for_many_threads_in_one_request() {
    let app = TestApp::spawn().await;
    app.comment("/one", None, "x").await;
    for _ in 0..3 {
        app.comment("/three", None, "y").await;
    }
    let resp = app
        .client
        .get(app.api("/counts?site=news&thread=/one&thread=/three&thread=/none"))
        .send()
        .await
        .expect("counts");
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["counts"], json!({"/one": 1, "/three": 3, "/none": 0}));

    let many: String = (0..101).map(|i| format!("&thread=/t{i}")).collect();
    let resp = app
        .client
        .get(app.api(&format!("/counts?site=news{many}")))
        .send()
        .await
        .expect("counts");
    assert_eq!(
        error_code(resp, StatusCode::BAD_REQUEST).await,
        "too_many_threads"
    );
}

#[tokio::test]
async fn markdown_is_rendered_safely() {
    let app = TestApp::spawn().await;
    let created = app
        .comment(
            "/x",
            None,
            "<script>alert(1)</script>\n\n[link](javascript:alert(1)) [ok](https://example.org)",
        )
        .await;
    let html = created["comment"]["body_html"].as_str().expect("html");
    assert!(!html.contains("<script"), "{html}");
    assert!(
        html.contains("&lt;script&gt;"),
        "typed HTML is shown as text: {html}"
    );
    assert!(!html.contains("href=\"javascript"), "{html}");
    assert!(
        html.contains(r#"<a href="https://example.org" rel="nofollow ugc noopener">ok</a>"#),
        "{html}"
    );
}

#[tokio::test]
async fn posting_is_rate_limited_per_client_with_retry_after() {
    let app = TestApp::with(|s| s.rate_limits.posts_per_minute = 2).await;
    for _ in 0..2 {
        app.comment("/rl", None, "hello").await;
    }
    let resp = app
        .post_comment(
            json!({"site": "news", "thread": "/rl", "body": "again", "author": {"name": "R"}}),
        )
        .await;
    let retry: u64 = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After header");
    assert!((1..=60).contains(&retry), "retry-after {retry}");
    assert_eq!(
        error_code(resp, StatusCode::TOO_MANY_REQUESTS).await,
        "rate_limited"
    );
    assert_eq!(app.list("site=news&thread=/rl").await["thread"]["count"], 2);
}

#[tokio::test]
async fn guests_cannot_pose_as_a_verified_author() {
    let app = TestApp::spawn().await;
    app.verified_author("news", "City Council").await;
    let resp = app
        .post_comment(json!({"site": "news", "thread": "/v", "body": "Official!", "author": {"name": "city council"}}))
        .await;
    assert_eq!(
        error_code(resp, StatusCode::CONFLICT).await,
        "name_reserved"
    );
    // Fields a guest might try to send are ignored.
    let resp = app
        .post_comment(json!({"site": "news", "thread": "/v", "body": "Hi",
            "author": {"name": "Sam", "verified": true, "affiliation": "Press Office"}}))
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["comment"]["author"]["verified"], false);
    assert_eq!(body["comment"]["author"]["affiliation"], Value::Null);
}

#[tokio::test]
async fn a_cached_page_never_outlives_a_change_to_its_thread() {
    let app = TestApp::spawn().await;
    let created = app.comment("/cache", None, "Cached first").await;
    let id = created["comment"]["id"].as_i64().expect("id");
    let query = "site=news&thread=/cache";
    assert_eq!(app.list(query).await["thread"]["count"], 1);
    assert_eq!(
        app.list(query).await["thread"]["count"],
        1,
        "served again, from memory"
    );
    let resp = app
        .client
        .delete(app.api(&format!("/comments/{id}")))
        .header(
            "x-jirga-edit-token",
            created["edit_token"].as_str().expect("token"),
        )
        .send()
        .await
        .expect("delete");
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let page = app.list(query).await;
    assert_eq!(page["thread"]["count"], 0);
    assert_eq!(page["comments"], json!([]));

    let counts = |app: &TestApp| {
        app.client
            .get(app.api("/counts?site=news&thread=/cache"))
            .send()
    };
    let before: Value = counts(&app)
        .await
        .expect("counts")
        .json()
        .await
        .expect("json");
    assert_eq!(before["counts"]["/cache"], 0);
    app.comment("/cache", None, "Cached second").await;
    let after: Value = counts(&app)
        .await
        .expect("counts")
        .json()
        .await
        .expect("json");
    assert_eq!(after["counts"]["/cache"], 1);
}

#[tokio::test]
async fn a_client_may_ask_for_whole_branches() {
    let app = TestApp::spawn().await;
    let top = app.comment("/w", None, "Top").await["comment"]["id"]
        .as_i64()
        .expect("id");
    for i in 0..8 {
        app.comment("/w", Some(top), &format!("Reply {i}")).await;
    }
    let cut = app.list("site=news&thread=/w").await;
    assert_eq!(
        cut["comments"][0]["replies"].as_array().map(Vec::len),
        Some(5)
    );
    let whole = app.list("site=news&thread=/w&replies=100&depth=10").await;
    assert_eq!(
        whole["comments"][0]["replies"].as_array().map(Vec::len),
        Some(8)
    );
    assert_eq!(whole["comments"][0]["more_replies"], 0);
}

/// The author of a rejected comment appeals once, in their own words: it goes back to the
/// moderators as held, with the appeal among its reasons; a second appeal, or an appeal of a
/// published comment, is refused; without the edit token nothing happens.
#[tokio::test]
async fn the_author_appeals_a_rejected_comment_once() {
    let app = TestApp::spawn().await;
    let posted = app
        .comment("/appeals", None, "The weir gauge reads late every spring.")
        .await;
    let id = posted["comment"]["id"].as_i64().expect("id");
    let token = posted["edit_token"].as_str().expect("token").to_owned();
    let appeal = |token: &str| {
        app.client
            .post(app.api(&format!("/comments/{id}/appeal")))
            .header("x-jirga-edit-token", token)
            .json(&json!({"text": "It is about the gauges, not about a person."}))
            .send()
    };
    let resp = appeal(&token).await.expect("appeal");
    assert_eq!(
        error_code(resp, StatusCode::CONFLICT).await,
        "not_appealable"
    );

    app.reject(id).await;
    let resp = appeal("not-the-token").await.expect("appeal");
    assert_eq!(
        error_code(resp, StatusCode::FORBIDDEN).await,
        "invalid_token"
    );

    let resp = appeal(&token).await.expect("appeal");
    assert_eq!(resp.status(), StatusCode::OK);
    let own: Value = resp.json().await.expect("json");
    assert_eq!(own["status"], "held", "{own}");
    let codes: Vec<&str> = own["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .filter_map(|r| r["code"].as_str())
        .collect();
    assert!(codes.contains(&"appeal"), "{own}");
    assert!(own["reasons"].to_string().contains("not about a person"));

    // Back to rejected by a moderator: no second appeal.
    app.reject(id).await;
    let resp = appeal(&token).await.expect("appeal");
    assert_eq!(
        error_code(resp, StatusCode::CONFLICT).await,
        "not_appealable"
    );
}
