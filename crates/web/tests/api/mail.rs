//! Mail to commenters and moderators, read from a real SMTP server on loopback: the address
//! confirmation, the outcome of each decision (with the moderator's note and the appeal link,
//! followed as a reader would), replies gathered into one mail with one-click unsubscribe, and
//! the moderators' digest.

use crate::dashboard::{Moderator, add_moderator};
use crate::helpers::TestApp;
use crate::smtp::SmtpSink;
use jirga_domain::{CommentId, CommentStatus};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "a long enough password";

async fn post(
    app: &TestApp,
    site: &str,
    parent: Option<i64>,
    name: &str,
    email: &str,
    text: &str,
    replies: bool,
) -> Value {
    let resp = app
        .post_comment(json!({
            "site": site, "thread": "/weir", "parent_id": parent, "body": text,
            "author": {"name": name, "email": email}, "notify_replies": replies,
            "url": "https://news.example/weir", "title": "The weir gauges"
        }))
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json().await.expect("json")
}

/// The author record of a posted comment (the 201 body).
async fn author_of(app: &TestApp, posted: &Value) -> jirga_domain::AuthorId {
    let id = posted["comment"]["id"].as_i64().expect("id");
    app.store
        .comment(CommentId(id))
        .await
        .expect("read")
        .expect("comment")
        .author
        .id
}

/// A server that sends its mail to a fresh SMTP sink.
async fn with_mail(tweak: impl FnOnce(&mut jirga_web::Settings)) -> (SmtpSink, TestApp) {
    let sink = SmtpSink::start().await;
    let smtp = sink.url();
    let app = TestApp::with(move |s| {
        s.smtp_url = Some(smtp.into());
        tweak(s);
    })
    .await;
    (sink, app)
}

async fn open(app: &TestApp, link: &str) -> (StatusCode, String) {
    assert!(link.starts_with(&app.url), "{link}");
    let resp = app.client.get(link).send().await.expect("get");
    (resp.status(), resp.text().await.expect("text"))
}

#[tokio::test]
async fn a_commenter_confirms_their_address_and_hears_of_each_decision() {
    let (sink, app) = with_mail(|_| {}).await;
    add_moderator(&app, "mod@example.org", "strict").await;
    let m = Moderator::sign_in(&app, "mod@example.org", PASSWORD)
        .await
        .expect("sign in");
    let ali = "ali@example.org";

    // First comment: held (the site reads everything first). One mail: the confirmation,
    // which says where the comment stands.
    let first = post(
        &app,
        "strict",
        None,
        "Ali",
        ali,
        "The upstream gauge has read late all week.",
        false,
    )
    .await;
    assert_eq!(first["status"], "held");
    let mail = sink.mail_to(ali, 0).await;
    let text = mail.text();
    assert!(
        text.contains("Subject: Confirm your address for comments on STRICT"),
        "{text}"
    );
    assert!(text.contains("waiting for a moderator"), "{text}");
    assert!(
        text.contains("Every comment on this site is read by a moderator"),
        "{text}"
    );
    let confirm = mail.link(&format!("{}/mail/confirm?", app.url));
    // A changed link is refused; the whole one confirms.
    let (status, _) = open(&app, &confirm.replace("author=", "author=9")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, page) = open(&app, &confirm).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Address confirmed"), "{page}");

    // From now on each outcome is mailed: held (why) ...
    let second = post(
        &app,
        "strict",
        None,
        "Ali",
        ali,
        "And the lower gauge was never recalibrated.",
        false,
    )
    .await;
    let id = second["comment"]["id"].as_i64().expect("id");
    let held = sink.mail_to(ali, 1).await.text();
    assert!(held.contains("is waiting for a moderator"), "{held}");
    assert!(held.contains("We will mail you again"), "{held}");
    // ... rejected, with the moderator's note when they send it, and a link to appeal ...
    let csrf = m.csrf().await;
    let status = m
        .post(
            &format!("/moderate/comments/{id}/decision"),
            &[
                ("csrf", &csrf),
                ("action", "reject"),
                ("note", "Please keep to the weir itself."),
                ("note_to_author", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let rejected = sink.mail_to(ali, 2).await;
    let text = rejected.text();
    assert!(text.contains("was not published"), "{text}");
    assert!(text.contains("A note from the moderator"), "{text}");
    assert!(text.contains("Please keep to the weir itself."), "{text}");
    let appeal = rejected.link(&format!("{}/mail/appeal?", app.url));
    // The note is among the reasons the author sees in the widget too.
    let stored = app
        .store
        .comment(CommentId(id))
        .await
        .expect("read")
        .expect("comment");
    assert!(
        stored
            .reasons
            .iter()
            .any(|r| r.code == "moderator_note" && r.message.contains("keep to the weir"))
    );
    // The appeal link opens a form; sending it puts the comment back in the queue as an appeal.
    let (status, form) = open(&app, &appeal).await;
    assert_eq!(status, StatusCode::OK, "{form}");
    assert!(form.contains("Ask for another look"), "{form}");
    let sig = appeal.split("sig=").nth(1).expect("sig").to_owned();
    let resp = app
        .client
        .post(format!("{}/mail/appeal", app.url))
        .form(&[
            ("comment", id.to_string().as_str()),
            ("sig", sig.as_str()),
            ("appeal", "It was about the gauges, as the article is."),
        ])
        .send()
        .await
        .expect("appeal");
    assert_eq!(resp.status(), StatusCode::OK);
    let after = app
        .store
        .comment(CommentId(id))
        .await
        .expect("read")
        .expect("comment");
    assert_eq!(after.status, CommentStatus::Held);
    assert!(
        after
            .reasons
            .iter()
            .any(|r| r.code == "appeal" && r.message.contains("about the gauges"))
    );
    let (_, queue) = m.get("/moderate").await;
    assert!(queue.contains("Appeal from the author"), "{queue}");
    // The queue and the modlog link to the comment in its thread.
    let in_thread = format!(r#"href="https://news.example/weir#comment-{id}""#);
    assert!(queue.contains(&in_thread), "{queue}");
    let (_, log) = m.get("/moderate/log").await;
    assert!(log.contains(&in_thread), "{log}");
    // A second appeal is refused.
    let (status, _) = open(&app, &appeal).await;
    assert_eq!(status, StatusCode::CONFLICT);
    // ... and published, when the moderator agrees.
    let csrf = m.csrf().await;
    m.post(
        &format!("/moderate/comments/{id}/decision"),
        &[("csrf", &csrf), ("action", "approve"), ("note", "")],
    )
    .await;
    let published = sink.mail_to(ali, 3).await.text();
    assert!(published.contains("is published"), "{published}");
    assert!(
        published.contains(&format!("https://news.example/weir#comment-{id}")),
        "{published}"
    );

    // A new name with the same address is joined to the one author once it is confirmed;
    // within a day the confirmation is not sent again.
    let third = post(
        &app,
        "strict",
        None,
        "Ali Khan",
        ali,
        "One more on the gauges.",
        false,
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        sink.count_to(ali),
        4,
        "no second confirmation mail within a day"
    );
    let first_author = author_of(&app, &first).await;
    assert_eq!(author_of(&app, &second).await, first_author);
    let before = author_of(&app, &third).await;
    assert_ne!(before, first_author);
    // Opening a confirmation link again joins every record with the address.
    let (status, _) = open(&app, &confirm).await;
    assert_eq!(status, StatusCode::OK);
    let third_author = author_of(&app, &third).await;
    assert_eq!(third_author, first_author);

    // A guest who gives no address gets no mail, and nothing fails.
    let resp = app
        .post_comment(json!({"site": "strict", "thread": "/weir", "body": "No address here.", "author": {"name": "Anon"}}))
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn replies_come_gathered_in_one_mail_and_stop_with_one_click() {
    let (sink, app) = with_mail(|s| s.reply_mail_gather_secs = 2).await;
    let bea = "bea@example.org";
    let top = post(
        &app,
        "news",
        None,
        "Bea",
        bea,
        "The weir's gauges should be read twice a day.",
        true,
    )
    .await;
    let top_id = top["comment"]["id"].as_i64().expect("id");
    let confirm = sink.mail_to(bea, 0).await;
    assert!(
        confirm.text().contains("It is published"),
        "{}",
        confirm.text()
    );
    let (status, _) = open(&app, &confirm.link(&format!("{}/mail/confirm?", app.url))).await;
    assert_eq!(status, StatusCode::OK);

    // Two replies from Cy and one from Bea herself: one mail, with Cy's two.
    let r1 = post(
        &app,
        "news",
        Some(top_id),
        "Cy",
        "cy@example.org",
        "Twice a day is what the manual says.",
        false,
    )
    .await;
    post(
        &app,
        "news",
        Some(top_id),
        "Cy",
        "cy@example.org",
        "And the log should be public.",
        false,
    )
    .await;
    post(
        &app,
        "news",
        Some(top_id),
        "Bea",
        bea,
        "Agreed on the log, the whole of it.",
        false,
    )
    .await;
    let mail = sink.mail_to(bea, 1).await;
    let text = mail.text();
    assert!(
        text.contains("Subject: 2 replies to your comments on NEWS"),
        "{text}"
    );
    assert!(
        text.contains("Twice a day is what the manual says."),
        "{text}"
    );
    assert!(text.contains("And the log should be public."), "{text}");
    assert!(!text.contains("Agreed on the log"), "{text}");
    assert!(
        text.contains(&format!(
            "https://news.example/weir#comment-{}",
            r1["comment"]["id"]
        )),
        "{text}"
    );
    // The first one is the header's, in angle brackets.
    let unsubscribe = mail
        .link(&format!("{}/mail/unsubscribe?", app.url))
        .trim_end_matches('>')
        .to_owned();
    let headers = text.replace("\r\n ", " ");
    assert!(
        headers.contains(&format!("List-Unsubscribe: <{unsubscribe}>")),
        "{text}"
    );
    assert!(
        headers.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{text}"
    );
    // Cy asked for nothing, and gets only the confirmation.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(sink.count_to("cy@example.org"), 1);

    // The mail client's one-click POST stops them; the page's link does too and can undo it.
    let resp = app
        .client
        .post(&unsubscribe)
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .expect("one click");
    assert_eq!(resp.status(), StatusCode::OK);
    let (status, page) = open(&app, &unsubscribe).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Mail me replies again"), "{page}");
    let (status, _) = open(&app, &unsubscribe.replace("sig=", "sig=00")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    post(
        &app,
        "news",
        Some(top_id),
        "Cy",
        "cy@example.org",
        "One more on the log.",
        false,
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    assert_eq!(sink.count_to(bea), 2, "no reply mail after unsubscribing");
}

#[tokio::test]
async fn a_moderator_asks_for_a_digest_of_the_queue() {
    let (sink, app) = with_mail(|_| {}).await;
    add_moderator(&app, "digest@example.org", "strict").await;
    let m = Moderator::sign_in(&app, "digest@example.org", PASSWORD)
        .await
        .expect("sign in");
    post(
        &app,
        "strict",
        None,
        "Dan",
        "dan@example.org",
        "The gauges need a second reader.",
        false,
    )
    .await;
    let csrf = m.csrf().await;
    assert_eq!(
        m.post("/moderate/digest", &[("csrf", &csrf), ("hours", "7")])
            .await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        m.post("/moderate/digest", &[("csrf", &csrf), ("hours", "24")])
            .await,
        StatusCode::SEE_OTHER
    );
    let (_, queue) = m.get("/moderate").await;
    assert!(queue.contains(r#"<option value="24" selected>"#), "{queue}");
    let text = sink.mail_to("digest@example.org", 0).await.text();
    assert!(
        text.contains("Subject: 1 comment waiting for a moderator"),
        "{text}"
    );
    assert!(
        text.contains("Waiting for you: 1 held, 0 reported."),
        "{text}"
    );
    assert!(text.contains("The gauges need a second reader."), "{text}");
    assert!(text.contains(&format!("{}/moderate", app.url)), "{text}");
    // Taken for the day: no second one.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(sink.count_to("digest@example.org"), 1);
}
