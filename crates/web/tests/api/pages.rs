//! The pages the binary serves: the demo article reads without JavaScript, the guidelines
//! exist, and the widget stays small.

use crate::helpers::TestApp;
use reqwest::StatusCode;
use std::io::Write;

#[tokio::test]
async fn the_demo_article_and_its_first_comments_read_without_javascript() {
    let app = TestApp::demo().await;
    let resp = app
        .client
        .get(format!("{}/", app.url))
        .send()
        .await
        .expect("get");
    assert_eq!(resp.status(), StatusCode::OK);
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let html = resp.text().await.expect("html");
    assert!(html.contains("<h1>Two river districts agree to share flood warnings"));
    assert!(html.contains("Comments (9)"));
    assert!(
        html.contains("Marta Lindqvist"),
        "first comment rendered on the server"
    );
    assert!(html.contains("Public Information Office, Valley Water Board"));
    assert!(
        !html.contains("Kwame Asante"),
        "only the first page is rendered"
    );
    assert!(html.contains(r#"<script src="/widget.js" data-site="demo""#));
    assert!(html.contains(r#"href="/guidelines""#));
    // The widget's markup and words: avatars with the same initials, the same promise.
    assert!(
        html.contains(r#"aria-hidden="true">ML</span>"#),
        "Marta Lindqvist's initials"
    );
    assert!(html.contains(
        "Comments are moderated: they appear when they stay on the article\u{2019}s subject and are not abusive."
    ));

    // The no-JavaScript "View more comments" link leads to the next page.
    let link = html
        .split(r#"class="more" href=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("view more link")
        .replace("&#x23;", "#");
    let next = app
        .client
        .get(format!("{}{link}", app.url))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(next.contains("Kwame Asante"));
    assert!(!next.contains("Marta Lindqvist"));
}

#[tokio::test]
async fn seeding_the_demo_twice_changes_nothing() {
    let app = TestApp::demo().await;
    let again = jirga_web::demo::seed(app.store.as_ref(), Vec::new())
        .await
        .expect("seed");
    assert!(again.api_key.is_none());
    let page = app
        .list("site=demo&thread=/articles/flood-warnings&limit=50")
        .await;
    assert_eq!(page["thread"]["count"], 9);
    assert_eq!(page["comments"].as_array().map(Vec::len), Some(7));
    let urdu = app
        .list("site=demo&thread=/ur/articles/flood-warnings&limit=50")
        .await;
    assert_eq!(urdu["thread"]["count"], 4);
}

#[tokio::test]
async fn the_guidelines_say_what_on_topic_and_not_abusive_mean() {
    let app = TestApp::spawn().await;
    let html = app
        .client
        .get(format!("{}/guidelines", app.url))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(html.contains(r#"id="on-topic""#));
    assert!(html.contains(r#"id="not-abusive""#));
}

#[tokio::test]
async fn the_widget_is_served_compressed_and_under_30_kb() {
    let app = TestApp::spawn().await;
    let mut total = 0;
    for path in ["/widget.js", "/widget.css"] {
        let resp = app
            .client
            .get(format!("{}{path}", app.url))
            .send()
            .await
            .expect("get");
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(resp.headers()["access-control-allow-origin"], "*");
        let body = resp.bytes().await.expect("body");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&body).expect("gzip");
        total += gz.finish().expect("gzip").len();
    }
    assert!(total < 30 * 1024, "widget is {total} bytes gzipped");
}
