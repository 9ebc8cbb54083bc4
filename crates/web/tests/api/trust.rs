//! Trust: badges granted by a site's admin (and by no one else, and never through the public
//! API), and bans by email, by address and in shadow.

use crate::accounts::Browser;
use crate::helpers::TestApp;
use jirga_domain::SiteId;
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "a long enough password";

/// A signed-in moderator (an admin too when `admin`) of "news"; returns the browser and the
/// dashboard's CSRF token.
async fn staff(app: &TestApp, email: &str, admin: bool) -> (Browser, String) {
    let hash = jirga_web::auth::hash_password_now(PASSWORD).expect("hash");
    let site = SiteId::parse("news").expect("site");
    let id = app
        .store
        .create_moderator(email, "Staff", &hash, std::slice::from_ref(&site))
        .await
        .expect("moderator");
    if admin {
        app.store.grant_admin(id, &site).await.expect("admin");
    }
    let mut b = Browser::new(app);
    let (status, _, _) = b
        .post(
            "/moderate/login",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let csrf = b.form_csrf("/moderate/log").await;
    (b, csrf)
}

fn author_of(list: &Value, id: i64) -> Value {
    list["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .find(|c| c["id"] == id)
        .map(|c| c["author"].clone())
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn only_an_admin_grants_badges_and_the_api_cannot_fake_them() {
    let app = TestApp::spawn().await;
    // Through the public API, badge fields are ignored.
    let resp = app
        .post_comment(json!({
            "site": "news", "thread": "/badges", "body": "Speaking for the water board, the weir is safe.",
            "author": {"name": "Dana Press", "email": "dana@example.org",
                       "affiliation": "Water Board", "verified": true}
        }))
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let posted: Value = resp.json().await.expect("json");
    let id = posted["comment"]["id"].as_i64().expect("id");
    let list = app.list("site=news&thread=/badges").await;
    let author = author_of(&list, id);
    assert_eq!(author["verified"], false, "{author}");
    assert!(author["affiliation"].is_null(), "{author}");
    let author_id = app
        .store
        .comment(jirga_domain::CommentId(id))
        .await
        .expect("read")
        .expect("comment")
        .author
        .id;

    // A moderator who is not an admin may not open the page or grant.
    let (mut moderator, mod_csrf) = staff(&app, "mod@news.example", false).await;
    assert_eq!(
        moderator.get("/moderate/authors/news").await.0,
        StatusCode::FORBIDDEN
    );
    let grant = |csrf: &str| {
        vec![
            ("csrf", csrf.to_owned()),
            ("affiliation", "Digital Desk, Valley Water Board".to_owned()),
            ("verified", "on".to_owned()),
        ]
    };
    let form = grant(&mod_csrf);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, _) = moderator
        .post(&format!("/moderate/authors/news/{author_id}"), &form)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The admin finds the author and grants both badges; the widget's data shows them.
    let (mut admin, admin_csrf) = staff(&app, "admin@news.example", true).await;
    let (status, _, html) = admin.get("/moderate/authors/news?q=dana").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Dana Press"), "{html}");
    let form = grant(&admin_csrf);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, _) = admin
        .post(&format!("/moderate/authors/news/{author_id}"), &form)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let list = app.list("site=news&thread=/badges").await;
    let author = author_of(&list, id);
    assert_eq!(author["verified"], true, "{author}");
    assert_eq!(author["affiliation"], "Digital Desk, Valley Water Board");
    // The grant is in the modlog, and a guest can no longer take the verified name.
    let (_, _, log) = admin.get("/moderate/log").await;
    assert!(log.contains("badges"), "{log}");
    let resp = app
        .post_comment(
            json!({"site": "news", "thread": "/badges", "body": "Posing as the board.",
                              "author": {"name": "dana press"}}),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
}

async fn post_as(app: &TestApp, name: &str, email: &str, text: &str) -> Value {
    let resp = app
        .post_comment(json!({"site": "news", "thread": "/bans", "body": text,
                              "author": {"name": name, "email": email}}))
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json().await.expect("json")
}

async fn ban(b: &mut Browser, csrf: &str, comment: i64, extra: &[(&str, &str)]) {
    let mut form = vec![("csrf", csrf), ("action", "ban"), ("ban_days", "")];
    form.extend_from_slice(extra);
    let (status, location, body) = b
        .post(&format!("/moderate/comments/{comment}/decision"), &form)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert!(location.contains("banned"), "{location}");
}

#[tokio::test]
async fn bans_reach_the_email_and_the_address_and_a_shadow_ban_is_not_told() {
    let app = TestApp::spawn().await;
    let (mut moderator, csrf) = staff(&app, "mod@news.example", false).await;

    // By email: the same address under another name is still banned.
    let first = post_as(
        &app,
        "Troll One",
        "troll@example.org",
        "First jab at the council.",
    )
    .await;
    ban(
        &mut moderator,
        &csrf,
        first["comment"]["id"].as_i64().expect("id"),
        &[("ban_email", "on")],
    )
    .await;
    let again = post_as(
        &app,
        "Fresh Name",
        "TROLL@example.org",
        "Back with a new name.",
    )
    .await;
    assert_eq!(again["status"], "rejected", "{again}");
    let clean = post_as(
        &app,
        "Neighbour",
        "neighbour@example.org",
        "The council did fine.",
    )
    .await;
    assert_eq!(clean["status"], "published", "another email is not banned");

    // Shadow: the author is told "published", everyone else never sees it.
    let loud = post_as(
        &app,
        "Loud",
        "loud@example.org",
        "Posting the same complaint again.",
    )
    .await;
    ban(
        &mut moderator,
        &csrf,
        loud["comment"]["id"].as_i64().expect("id"),
        &[("shadow", "on")],
    )
    .await;
    let hidden = post_as(&app, "Loud", "loud@example.org", "And once more, louder.").await;
    assert_eq!(hidden["status"], "published", "{hidden}");
    assert!(hidden["reasons"].as_array().expect("reasons").is_empty());
    let hidden_id = hidden["comment"]["id"].as_i64().expect("id");
    let token = hidden["edit_token"].as_str().expect("token");
    let own = app
        .client
        .get(app.api(&format!("/comments/{hidden_id}")))
        .header("x-jirga-edit-token", token)
        .send()
        .await
        .expect("get");
    let own: Value = own.json().await.expect("json");
    assert_eq!(
        own["status"], "published",
        "the author still sees it: {own}"
    );
    let list = app.list("site=news&thread=/bans").await;
    assert!(author_of(&list, hidden_id).is_null(), "others do not");
    let anon = app
        .client
        .get(app.api(&format!("/comments/{hidden_id}")))
        .send()
        .await
        .expect("get");
    assert_eq!(anon.status(), StatusCode::NOT_FOUND);

    // By address (last: every test client shares 127.0.0.1): anyone from it is banned.
    let from_here = post_as(&app, "Someone", "someone@example.org", "A note from here.").await;
    ban(
        &mut moderator,
        &csrf,
        from_here["comment"]["id"].as_i64().expect("id"),
        &[("ban_address", "on")],
    )
    .await;
    let next = post_as(
        &app,
        "Another",
        "another@example.org",
        "Another note from here.",
    )
    .await;
    assert_eq!(next["status"], "rejected", "{next}");
}
