//! Readers' accounts over HTTP, with mail read from a real SMTP server on loopback: sign-up,
//! verification by mail, sign-in, commenting as the account, CSRF, the data download, sign out
//! everywhere, password reset by mail, and account deletion under both site settings.

use crate::helpers::{TestApp, error_code};
use crate::smtp::SmtpSink;
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub const PASSWORD: &str = "a long enough passphrase";

/// A browser, as far as the tests need one: keeps cookies, sends Origin on POST.
pub struct Browser {
    pub client: reqwest::Client,
    pub url: String,
    pub cookies: BTreeMap<String, String>,
    /// The `set-cookie` headers of the last response.
    pub last_set_cookie: Vec<String>,
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        Self {
            client: reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .expect("client"),
            url: app.url.clone(),
            cookies: BTreeMap::new(),
            last_set_cookie: Vec::new(),
        }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, resp: &reqwest::Response) {
        self.last_set_cookie = resp
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect();
        for set in &self.last_set_cookie {
            let pair = set.split(';').next().unwrap_or_default();
            if let Some((k, v)) = pair.split_once('=') {
                if v.is_empty() || set.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_owned(), v.to_owned());
                }
            }
        }
    }

    /// Keeps the cookies; returns (status, Location, body).
    async fn answer(&mut self, resp: reqwest::Response) -> (StatusCode, String, String) {
        self.keep(&resp);
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (resp.status(), location, resp.text().await.expect("text"))
    }

    pub async fn get(&mut self, path_or_url: &str) -> (StatusCode, String, String) {
        let url = if path_or_url.starts_with("http") {
            path_or_url.to_owned()
        } else {
            format!("{}{path_or_url}", self.url)
        };
        let resp = self
            .client
            .get(url)
            .header("cookie", self.cookie_header())
            .send()
            .await
            .expect("get");
        self.answer(resp).await
    }

    pub async fn post(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, String, String) {
        let resp = self
            .client
            .post(format!("{}{path}", self.url))
            .header("cookie", self.cookie_header())
            .header("origin", &self.url)
            .form(form)
            .send()
            .await
            .expect("post");
        self.answer(resp).await
    }

    pub async fn me(&mut self) -> Value {
        let (status, _, body) = self.get("/api/v1/me?site=news").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_str(&body).expect("json")
    }

    /// An API call with the session cookie and, when given, the CSRF token.
    pub async fn api(
        &self,
        method: reqwest::Method,
        path: &str,
        csrf: Option<&str>,
        body: Value,
    ) -> reqwest::Response {
        let mut req = self
            .client
            .request(method, format!("{}/api/v1{path}", self.url))
            .header("cookie", self.cookie_header())
            .json(&body);
        if let Some(t) = csrf {
            req = req.header("x-jirga-csrf", t);
        }
        req.send().await.expect("api")
    }

    /// The hidden CSRF field of a page.
    pub async fn form_csrf(&mut self, path: &str) -> String {
        let (_, _, html) = self.get(path).await;
        html.split(r#"name="csrf" value=""#)
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("csrf field")
            .to_owned()
    }
}

/// Signs up, confirms by the mailed link and signs in; returns the signed-in browser.
pub async fn new_reader(app: &TestApp, sink: &SmtpSink, name: &str, email: &str) -> Browser {
    let mut b = Browser::new(app);
    let before = sink.count_to(email);
    let (status, _, html) = b
        .post(
            "/account/sign-up",
            &[("name", name), ("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Check your mail"), "{html}");
    let mail = sink.mail_to(email, before).await;
    let link = mail.link(&format!("{}/account/verify?token=", app.url));
    let (status, _, html) = b.get(&link).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let (status, location, _) = b
        .post(
            "/account/sign-in",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/account");
    b
}

#[tokio::test]
async fn a_reader_signs_up_by_mail_comments_downloads_their_data_and_deletes_the_account() {
    let sink = SmtpSink::start().await;
    let smtp = sink.url();
    // This reader signs in, up and out a dozen times within the minute.
    let app = TestApp::with(move |s| {
        s.smtp_url = Some(smtp.into());
        s.rate_limits.sign_ins_per_minute = 100;
    })
    .await;
    let email = "ada@example.org";
    let mut b = Browser::new(&app);

    // Sign up: nothing is signed in until the address is confirmed.
    let (status, _, html) = b
        .post(
            "/account/sign-up",
            &[
                ("name", "Ada Reader"),
                ("email", email),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("at least 10 characters"), "{html}");
    let (status, _, _) = b
        .post(
            "/account/sign-up",
            &[
                ("name", "Ada Reader"),
                ("email", email),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let first = sink.mail_to(email, 0).await;
    assert!(first.text().contains("Subject: Confirm your email address"));
    let (status, _, html) = b
        .post(
            "/account/sign-in",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "unverified sign-in: {html}");
    assert!(!b.cookies.contains_key("jirga_session"));
    // Signing in unverified sent a second link; either works once.
    let second = sink.mail_to(email, 1).await;
    let link = second.link(&format!("{}/account/verify?token=", app.url));
    assert_eq!(b.get(&link).await.0, StatusCode::OK);
    assert_eq!(
        b.get(&link).await.0,
        StatusCode::BAD_REQUEST,
        "a link works once"
    );

    // Sign in: a wrong password is refused; the right one sets the session cookie.
    let (status, _, _) = b
        .post(
            "/account/sign-in",
            &[("email", email), ("password", "not the password")],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = b
        .post(
            "/account/sign-in",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let set = b.last_set_cookie.join("\n");
    assert!(
        set.contains("jirga_session=") && set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    let me = b.me().await;
    assert_eq!(me["signed_in"], true);
    assert_eq!(me["name"], "Ada Reader");
    let csrf = me["csrf"].as_str().expect("csrf").to_owned();

    // Commenting as the account: the CSRF token is required with the cookie.
    let post = json!({"site": "news", "thread": "/accounts", "body": "The new bridge timetable works for the early shift."});
    let resp = b
        .api(reqwest::Method::POST, "/comments", None, post.clone())
        .await;
    assert_eq!(error_code(resp, StatusCode::FORBIDDEN).await, "csrf_failed");
    let resp = b
        .api(
            reqwest::Method::POST,
            "/comments",
            Some("forged"),
            post.clone(),
        )
        .await;
    assert_eq!(error_code(resp, StatusCode::FORBIDDEN).await, "csrf_failed");
    let resp = b
        .api(reqwest::Method::POST, "/comments", Some(&csrf), post)
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let mine: Value = resp.json().await.expect("json");
    let id = mine["comment"]["id"].as_i64().expect("id");
    assert_eq!(mine["comment"]["author"]["name"], "Ada Reader");
    let other = app
        .comment("/accounts", None, "A guest's view on the bridge timetable.")
        .await;
    let other_id = other["comment"]["id"].as_i64().expect("id");
    let resp = b
        .api(
            reqwest::Method::POST,
            &format!("/comments/{other_id}/votes"),
            Some(&csrf),
            json!({"value": 1}),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let listed = app.list("site=news&thread=/accounts").await;
    assert!(
        !listed.to_string().contains(email),
        "no email in a public response"
    );

    // The data download: the account, its comment and its vote, and no secrets.
    let (status, _, json_text) = b.get("/account/export").await;
    assert_eq!(status, StatusCode::OK);
    let data: Value = serde_json::from_str(&json_text).expect("export is JSON");
    assert_eq!(data["account"]["email"], email);
    assert_eq!(data["comments"][0]["id"], id);
    assert_eq!(
        data["comments"][0]["body_markdown"],
        "The new bridge timetable works for the early shift."
    );
    assert_eq!(data["votes"][0]["comment_id"], other_id);
    assert_eq!(data["sessions"].as_array().expect("sessions").len(), 1);
    assert!(!json_text.contains("argon2") && !json_text.contains("token_hash"));

    // Sign out everywhere: a second browser's session ends too.
    let mut phone = Browser::new(&app);
    let (status, _, _) = phone
        .post(
            "/account/sign-in",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(phone.me().await["signed_in"], true);
    let form_csrf = b.form_csrf("/account").await;
    let (status, _, _) = b
        .post("/account/sign-out-everywhere", &[("csrf", "forged")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = b
        .post("/account/sign-out-everywhere", &[("csrf", &form_csrf)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(phone.me().await["signed_in"], false);
    assert_eq!(b.me().await["signed_in"], false);

    // Password reset by mail: the old password stops working.
    let before = sink.count_to(email);
    let (status, _, _) = b.post("/account/reset", &[("email", email)]).await;
    assert_eq!(status, StatusCode::OK);
    let mail = sink.mail_to(email, before).await;
    let link = mail.link(&format!("{}/account/reset/confirm?token=", app.url));
    let token = link.split("token=").nth(1).expect("token").to_owned();
    let (status, _, _) = b
        .post(
            "/account/reset/confirm",
            &[("token", &token), ("password", "a brand new passphrase")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = b
        .post(
            "/account/sign-in",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = b
        .post(
            "/account/sign-in",
            &[("email", email), ("password", "a brand new passphrase")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Deletion ("news" keeps comments): the comment stays, credited to "deleted user".
    let form_csrf = b.form_csrf("/account").await;
    let (status, _, _) = b.post("/account/delete", &[("csrf", &form_csrf)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "needs the word");
    let (status, _, html) = b
        .post(
            "/account/delete",
            &[("csrf", &form_csrf), ("confirm", "delete")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(b.me().await["signed_in"], false);
    let listed = app.list("site=news&thread=/accounts").await;
    let kept = listed["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .find(|c| c["id"] == id)
        .expect("kept");
    assert_eq!(kept["author"]["name"], "deleted user");
    assert!(
        app.store
            .account(jirga_store::AccountKey::Email(email))
            .await
            .expect("lookup")
            .is_none()
    );
    let (status, _, _) = b
        .post(
            "/account/sign-in",
            &[("email", email), ("password", "a brand new passphrase")],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_site_may_remove_a_deleted_accounts_comments_or_take_accounts_only() {
    let sink = SmtpSink::start().await;
    let smtp = sink.url();
    let app = TestApp::with(move |s| s.smtp_url = Some(smtp.into())).await;
    let site = jirga_domain::SiteId::parse("news").expect("id");
    let mut news = app.store.site(&site).await.expect("site").expect("news");
    news.policy.remove_deleted_accounts_comments = true;
    news.policy.guests_allowed = false;
    app.store
        .update_site(jirga_store::NewSite {
            id: news.id.clone(),
            name: news.name.clone(),
            allowed_origins: news.allowed_origins.clone(),
            auto_create_threads: true,
            policy: news.policy.clone(),
            api_key_hash: news.api_key_hash.clone(),
        })
        .await
        .expect("update");

    let resp = app
        .post_comment(json!({"site": "news", "thread": "/members", "body": "A guest's try.", "author": {"name": "Guest"}}))
        .await;
    assert_eq!(
        error_code(resp, StatusCode::UNAUTHORIZED).await,
        "sign_in_required"
    );

    let mut b = new_reader(&app, &sink, "Bo Reader", "bo@example.org").await;
    let csrf = b.me().await["csrf"].as_str().expect("csrf").to_owned();
    let resp = b
        .api(
            reqwest::Method::POST,
            "/comments",
            Some(&csrf),
            json!({"site": "news", "thread": "/members", "body": "Members only, and glad of it."}),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert_eq!(
        app.list("site=news&thread=/members").await["thread"]["count"],
        1
    );
    let form_csrf = b.form_csrf("/account").await;
    let (status, _, html) = b
        .post(
            "/account/delete",
            &[("csrf", &form_csrf), ("confirm", "delete")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("1 of your comments were removed"), "{html}");
    let after = app.list("site=news&thread=/members").await;
    assert_eq!(after["thread"]["count"], 0);
    assert!(!after.to_string().contains("Members only"));
}

#[tokio::test]
async fn forms_sent_from_another_sites_page_change_nothing() {
    let sink = SmtpSink::start().await;
    let smtp = sink.url();
    let app = TestApp::with(move |s| s.smtp_url = Some(smtp.into())).await;
    let client = reqwest::Client::new();
    for path in [
        "/account/sign-up",
        "/account/sign-in",
        "/account/reset",
        "/moderate/login",
    ] {
        let resp = client
            .post(format!("{}{path}", app.url))
            .header("origin", "https://evil.example")
            .form(&[
                ("name", "Mallory"),
                ("email", "victim@example.org"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{path}");
    }
    assert!(
        app.store
            .account(jirga_store::AccountKey::Email("victim@example.org"))
            .await
            .expect("lookup")
            .is_none()
    );
    assert_eq!(sink.count_to("victim@example.org"), 0);
}

#[tokio::test]
async fn an_account_is_rate_limited_whatever_address_it_posts_from() {
    let sink = SmtpSink::start().await;
    let smtp = sink.url();
    let app = TestApp::with(move |s| {
        s.smtp_url = Some(smtp.into());
        s.rate_limits.posts_per_minute = 2;
        s.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    })
    .await;
    let mut b = new_reader(&app, &sink, "Cy Reader", "cy@example.org").await;
    let csrf = b.me().await["csrf"].as_str().expect("csrf").to_owned();
    let post = |addr: &'static str, n: usize, signed_in: bool| {
        let mut req = b
            .client
            .post(app.api("/comments"))
            .header("x-forwarded-for", addr)
            .json(&json!({"site": "news", "thread": "/limits",
                          "body": format!("Point {n} about the new cycle lanes."),
                          "author": {"name": "Guest"}}));
        if signed_in {
            req = req
                .header("cookie", b.cookie_header())
                .header("x-jirga-csrf", &csrf);
        }
        req.send()
    };
    assert_eq!(
        post("203.0.113.1", 1, true).await.expect("post").status(),
        StatusCode::CREATED
    );
    assert_eq!(
        post("203.0.113.1", 2, true).await.expect("post").status(),
        StatusCode::CREATED
    );
    // A fresh address does not help the account: its own limit is spent.
    let resp = post("203.0.113.2", 3, true).await.expect("post");
    assert!(resp.headers().contains_key("retry-after"));
    assert_eq!(
        error_code(resp, StatusCode::TOO_MANY_REQUESTS).await,
        "rate_limited"
    );
    // The address itself is not spent: a guest there still posts.
    assert_eq!(
        post("203.0.113.2", 4, false).await.expect("post").status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn after_signing_in_the_reader_goes_back_to_an_allowed_article_only() {
    let sink = SmtpSink::start().await;
    let smtp = sink.url();
    let app = TestApp::with(move |s| s.smtp_url = Some(smtp.into())).await;
    new_reader(&app, &sink, "Di Reader", "di@example.org").await;
    let mut b = Browser::new(&app);
    // The article is on an origin the site allows: a page sends the browser on (a redirect
    // would be stopped by the CSP's form-action 'self').
    let article = "https://news.example/2026/11/bridge?x=1&y=2";
    let (status, _, html) = b
        .post(
            "/account/sign-in",
            &[
                ("email", "di@example.org"),
                ("password", PASSWORD),
                ("return", article),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(b.cookies.contains_key("jirga_session"));
    assert!(
        html.contains(r#"<meta http-equiv="refresh" content="0;url=https://news.example/2026/11/bridge?x=1&#38;y=2">"#)
            || html.contains(r#"content="0;url=https://news.example/2026/11/bridge?x=1&amp;y=2""#),
        "{html}"
    );
    // Anywhere else: the account page instead (no open redirect).
    for elsewhere in [
        "https://evil.example/phish",
        "//evil.example/x",
        "javascript:alert(1)",
    ] {
        let mut b = Browser::new(&app);
        let (status, location, _) = b
            .post(
                "/account/sign-in",
                &[
                    ("email", "di@example.org"),
                    ("password", PASSWORD),
                    ("return", elsewhere),
                ],
            )
            .await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/account"),
            "{elsewhere}"
        );
    }
}
