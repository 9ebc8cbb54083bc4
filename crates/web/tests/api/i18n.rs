//! Languages over HTTP: the widget's catalogue and the site's default language, the pages'
//! language switch, Urdu comments through moderation, and the dashboard in Urdu.

use crate::dashboard::{Moderator, add_moderator};
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn locale(app: &TestApp, query: &str) -> Value {
    let resp = app
        .client
        .get(app.api(&format!("/locale?{query}")))
        .send()
        .await
        .expect("get");
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json().await.expect("json")
}

async fn settings(m: &Moderator, language: &str, unread: &str, banned: &str) -> StatusCode {
    let csrf = m.csrf().await;
    let form = [
        ("csrf", csrf.as_str()),
        ("hold_abuse", "0.7"),
        ("reject_abuse", "1.01"),
        ("hold_off_topic", "0.03"),
        ("hold_off_topic_z", "-0.5"),
        ("max_links", "3"),
        ("hold_new_authors", "0"),
        ("banned_words", banned),
        ("watched_words", ""),
        ("language", language),
        ("unread_languages", unread),
    ];
    m.post("/moderate/settings/news", &form).await
}

#[tokio::test]
async fn the_widget_gets_the_first_wanted_language_else_the_sites_own() {
    let app = TestApp::spawn().await;
    let ur = locale(&app, "site=news&want=ur-PK,en").await;
    assert_eq!(
        (ur["locale"].as_str(), ur["dir"].as_str()),
        (Some("ur"), Some("rtl"))
    );
    assert_eq!(ur["messages"]["widget-view-more"], "مزید تبصرے دیکھیں");
    // Reasons come with the widget's words, so a held comment is explained in Urdu.
    assert!(ur["messages"]["reason-unread_language"].is_string());
    let tags: Vec<&str> = ur["locales"]
        .as_array()
        .expect("locales")
        .iter()
        .filter_map(|l| l["tag"].as_str())
        .collect();
    assert_eq!(tags, ["en", "ur"]);
    // Nothing wanted is served: the site's language, English until the site sets one.
    assert_eq!(locale(&app, "site=news&want=fr").await["locale"], "en");
    add_moderator(&app, "mod@example.org", "news").await;
    let m = Moderator::sign_in(&app, "mod@example.org", "a long enough password")
        .await
        .expect("signed in");
    assert_eq!(settings(&m, "ur", "hold", "").await, StatusCode::SEE_OTHER);
    assert_eq!(locale(&app, "site=news&want=fr").await["locale"], "ur");
    assert_eq!(locale(&app, "site=news&want=en").await["locale"], "en");
    // A language no catalogue serves is refused with the form kept.
    assert_eq!(
        settings(&m, "xx", "hold", "").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn urdu_comments_wait_for_a_person_unless_the_site_says_otherwise_and_the_word_lists_match_them()
 {
    let app = TestApp::spawn().await;
    let post = |body: &'static str| {
        app.post_comment(json!({
            "site": "news", "thread": "/urdu", "body": body, "author": {"name": "Zainab"}
        }))
    };
    let fair = "سیلاب کی وارننگ کا یہ نظام اچھا ہے، مگر دیہات کو بھی شامل کریں۔";
    let v: Value = post(fair).await.json().await.expect("json");
    assert_eq!(v["status"], "held", "{v}");
    assert_eq!(v["reasons"][0]["code"], "unread_language");

    add_moderator(&app, "mod@example.org", "news").await;
    let m = Moderator::sign_in(&app, "mod@example.org", "a long enough password")
        .await
        .expect("signed in");
    assert_eq!(
        settings(&m, "ur", "publish", "حرامی\nkutt*").await,
        StatusCode::SEE_OTHER
    );
    let v: Value = post("دیہات کے پیمانے بھی اسی کنٹرول روم سے جڑے ہیں، یہ اچھی بات ہے۔")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(v["status"], "published", "{v}");
    // The listed word, disguised with an Arabic yeh, a zabar and a zero-width joiner; the
    // nudge (the check before posting) says so and marks it.
    let disguised = "یہ افسر حرَا\u{200D}مي ہے";
    let check: Value = app
        .client
        .post(app.api("/comments/check"))
        .json(&json!({"site": "news", "thread": "/urdu", "body": disguised, "author": {"name": "Zainab"}}))
        .send()
        .await
        .expect("check")
        .json()
        .await
        .expect("json");
    assert_eq!(check["status"], "rejected", "{check}");
    assert_eq!(check["reasons"][0]["code"], "banned_words");
    assert_eq!(check["reasons"][0]["spans"][0]["text"], "حرَا\u{200D}مي");
    // Roman Urdu: Latin script, the same lists.
    let v: Value = post("Yeh sab kuttay hain")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(v["status"], "rejected", "{v}");
}

#[tokio::test]
async fn the_dashboard_and_the_pages_speak_the_chosen_language() {
    let app = TestApp::demo().await;
    // The pages: the switch sets a cookie and goes back where it was asked from.
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let resp = plain
        .get(format!("{}/language?to=ur", app.url))
        .header("referer", format!("{}/guidelines?lang=en", app.url))
        .send()
        .await
        .expect("get");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], "/guidelines");
    let cookie = resp.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(cookie.starts_with("jirga_lang=ur;"), "{cookie}");
    let html = app
        .client
        .get(format!("{}/guidelines", app.url))
        .header("cookie", "jirga_lang=ur")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(html.contains(r#"<html lang="ur" dir="rtl">"#), "{html}");
    assert!(html.contains("تبصروں کے اصول"));
    let bad = app
        .client
        .get(format!("{}/language?to=klingon", app.url))
        .send()
        .await
        .expect("get");
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    // The Urdu edition, drawn on the server right to left, its first page in Urdu.
    let ur = app
        .client
        .get(format!("{}/ur", app.url))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(ur.contains(r#"<html lang="ur" dir="rtl">"#));
    assert!(ur.contains("تبصرے (\u{2068}4\u{2069})"), "{ur}");
    assert!(ur.contains("مزید تبصرے دیکھیں") && ur.contains("پہلے"));

    // The dashboard in Urdu: the queue, the reason of a held Urdu comment, the modlog.
    add_moderator(&app, "mod@example.org", "demo").await;
    let m = Moderator::sign_in(&app, "mod@example.org", "a long enough password")
        .await
        .expect("signed in");
    let posted: Value = app
        .post_comment(json!({
            "site": "demo", "thread": "/ur/articles/flood-warnings",
            "body": "کنٹرول روم برسات سے پہلے کھلنا چاہیے۔", "author": {"name": "Zainab"}
        }))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(posted["status"], "held", "{posted}");
    let (status, html) = m.get("/moderate?lang=ur").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="ur" dir="rtl">"#));
    assert!(
        html.contains("روکے گئے تبصرے (\u{2068}1\u{2069})"),
        "{html}"
    );
    assert!(html.contains("خودکار جانچ ابھی یہ زبان نہیں پڑھ سکتی"));
    let (_, english) = m.get("/moderate").await;
    assert!(english.contains("Held comments (1)"));
    assert!(english.contains("The automatic checks cannot read this language yet"));
}
