use jirga_domain::SiteId;
use jirga_moderation::SitePolicy;
use jirga_store::{NewAuthor, NewSite, Store};
use jirga_web::config::RateLimits;
use jirga_web::{Application, Frontpage, Settings};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::sync::oneshot;

pub const ORIGIN: &str = "https://news.example";
pub const OTHER_ORIGIN: &str = "https://other.example";

pub struct TestApp {
    pub url: String,
    pub client: reqwest::Client,
    pub store: Arc<dyn Store>,
    /// API key of site "news".
    pub api_key: String,
    _dir: tempfile::TempDir,
    _stop: oneshot::Sender<()>,
}

pub fn test_settings() -> Settings {
    Settings {
        addr: "127.0.0.1:0".parse().expect("addr"),
        rate_limits: RateLimits {
            posts_per_minute: 10_000,
            actions_per_minute: 10_000,
            ..RateLimits::default()
        },
        ..Settings::default()
    }
}

/// With `JIRGA_TEST_POSTGRES` set to a server URL (`postgres://postgres@127.0.0.1:5432`), each
/// test gets a fresh PostgreSQL database there; otherwise a fresh SQLite file.
pub async fn test_database() -> Option<String> {
    let server = std::env::var("JIRGA_TEST_POSTGRES").ok()?;
    Some(
        jirga_store_postgres::fresh_database(&server, "jirga_test")
            .await
            .expect("create a test database"),
    )
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::with(|_| {}).await
    }

    /// Sites: "news" (threads created by first comment, origin news.example), "closed-shop"
    /// (registered threads only), "strict" (pre-moderated), "other" (origin other.example).
    pub async fn with(tweak: impl FnOnce(&mut Settings)) -> Self {
        Self::build(tweak, false).await
    }

    /// The server as `jirga demo` runs it: the demo site seeded and its article at `/`.
    pub async fn demo() -> Self {
        Self::build(|_| {}, true).await
    }

    async fn build(tweak: impl FnOnce(&mut Settings), demo: bool) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut settings = test_settings();
        settings.data = dir.path().to_path_buf();
        tweak(&mut settings);
        if settings.database.is_none()
            && let Some(url) = test_database().await
        {
            settings.database = Some(url.into());
        }
        let store = jirga_storage::open(
            settings.database.as_ref().map(jirga_domain::Secret::expose),
            &settings.data,
        )
        .await
        .expect("open store");
        let (api_key, hash) = jirga_web::auth::new_api_key();
        for (id, origin, auto, premoderate) in [
            ("news", ORIGIN, true, false),
            ("closed-shop", ORIGIN, false, false),
            ("strict", ORIGIN, true, true),
            ("other", OTHER_ORIGIN, true, false),
        ] {
            let made = store
                .create_site(NewSite {
                    id: SiteId::parse(id).expect("id"),
                    name: id.to_uppercase(),
                    allowed_origins: vec![origin.to_owned()],
                    auto_create_threads: auto,
                    policy: SitePolicy {
                        premoderate,
                        ..SitePolicy::default()
                    },
                    api_key_hash: hash.clone(),
                })
                .await;
            match made {
                // Conflict: a database another test app made first (a restart).
                Ok(_) | Err(jirga_store::StoreError::Conflict(_)) => {}
                Err(e) => panic!("site {id}: {e}"),
            }
        }
        let mut front = Frontpage::default();
        if demo {
            front.demo = Some(
                jirga_web::demo::seed(store.as_ref(), Vec::new())
                    .await
                    .expect("seed")
                    .demo,
            );
        }
        let app = Application::build(settings, store.clone(), front)
            .await
            .expect("build");
        let url = format!("http://127.0.0.1:{}", app.port());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        Self {
            url,
            client: reqwest::Client::new(),
            store,
            api_key,
            _dir: dir,
            _stop: stop,
        }
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    pub async fn post_comment(&self, body: Value) -> Response {
        self.client
            .post(self.api("/comments"))
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    /// Posts a comment that must be accepted; returns the whole 201 body.
    pub async fn comment(&self, thread: &str, parent: Option<i64>, text: &str) -> Value {
        let resp = self
            .post_comment(json!({
                "site": "news", "thread": thread, "parent_id": parent, "body": text,
                "author": {"name": "Reader", "email": "reader@example.org"}
            }))
            .await;
        assert_eq!(resp.status(), StatusCode::CREATED);
        let body: Value = resp.json().await.expect("json");
        assert_eq!(body["status"], "published", "{body}");
        body
    }

    pub async fn list(&self, query: &str) -> Value {
        let resp = self
            .client
            .get(self.api(&format!("/comments?{query}")))
            .send()
            .await
            .expect("request");
        assert_eq!(resp.status(), StatusCode::OK, "GET /comments?{query}");
        resp.json().await.expect("json")
    }

    /// A moderator of "news" rejects comment `id` (as the dashboard's Reject does).
    pub async fn reject(&self, id: i64) {
        self.store
            .moderate(
                jirga_domain::CommentId(id),
                jirga_domain::CommentStatus::Rejected,
                jirga_store::NewModlogEntry {
                    site_id: jirga_domain::SiteId::parse("news").expect("site"),
                    moderator_id: None,
                    moderator: "Mod".into(),
                    action: jirga_store::ModAction::Reject,
                    comment_id: Some(jirga_domain::CommentId(id)),
                    author_id: None,
                    note: None,
                },
            )
            .await
            .expect("reject");
    }

    pub async fn verified_author(&self, site: &str, name: &str) -> jirga_domain::AuthorId {
        self.store
            .create_author(NewAuthor {
                site_id: SiteId::parse(site).expect("id"),
                name: name.into(),
                email: None,
                affiliation: Some("Press Office".into()),
                verified: true,
            })
            .await
            .expect("author")
    }
}

/// Asserts the JSON error shape and returns the code.
pub async fn error_code(resp: Response, status: StatusCode) -> String {
    assert_eq!(resp.status(), status);
    let body: Value = resp.json().await.expect("error body is JSON");
    let message = body["error"]["message"].as_str().expect("message");
    assert!(!message.is_empty());
    body["error"]["code"].as_str().expect("code").to_owned()
}

pub fn ids(comments: &Value) -> Vec<i64> {
    comments
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["id"].as_i64().expect("id"))
        .collect()
}

/// A `multipart/form-data` body as a browser sends a form with a file: the fields in order,
/// then the file. Answers (content type, body).
pub fn multipart(fields: &[(&str, &str)], file: (&str, &str, &[u8])) -> (String, Vec<u8>) {
    const BOUNDARY: &str = "----jirga-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    let (name, file_name, bytes) = file;
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}
