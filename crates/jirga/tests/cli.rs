//! The `jirga` binary's administrative commands, run as a user runs them.

use jirga_domain::{CommentBody, CommentStatus, SiteId, ThreadKey};
use jirga_store::{AuthorRef, Moderated, NewComment, NewModlogEntry, Store, ThreadUpdate};
use jirga_store_sqlite::SqliteStore;
use std::io::Write;
use std::process::{Command, Stdio};

fn jirga(args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jirga"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run jirga");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn score_reads_json_lines_and_answers_each_in_order() {
    let input = concat!(
        r#"{"title": "Flood office", "article": "Two councils share one flood warning office for the river.", "comment": "You are a pathetic idiot."}"#,
        "\n",
        "not json\n",
        r#"{"comment": "Thanks for the clear explanation of the costs."}"#,
        "\n"
    );
    let (ok, out, err) = jirga(&["score"], input);
    assert!(ok, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["decision"], "hold");
    assert_eq!(lines[0]["reasons"][0]["code"], "abuse");
    assert!(lines[0]["abuse"].as_f64().expect("score") > 0.6);
    assert_eq!(lines[1]["error"]["code"], "invalid_line");
    assert_eq!(lines[2]["decision"], "publish");
    assert!(lines[2]["on_topic"].is_null(), "no article to compare with");
}

#[tokio::test]
async fn a_site_trains_its_own_model_from_its_moderators_and_replays_its_history() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().to_str().expect("path");
    let (ok, out, err) = jirga(
        &["site", "add", "paper", "--name", "Paper", "--data", data],
        "",
    );
    assert!(ok, "{err}");
    assert!(out.contains("API key"));

    // Too little history: a clear refusal.
    let (ok, _, err) = jirga(&["train", "--site", "paper", "--data", data], "");
    assert!(!ok);
    assert!(err.contains("at least 10"), "{err}");

    let store = SqliteStore::open(dir.path()).await.expect("store");
    let site = SiteId::parse("paper").expect("id");
    let thread = store
        .put_thread(
            &site,
            &ThreadKey::parse("/a").expect("key"),
            ThreadUpdate::default(),
        )
        .await
        .expect("thread");
    for i in 0..24 {
        let reject = i % 2 == 0;
        let text = if reject {
            format!("Get lost, you clown number {i}.")
        } else {
            format!("Useful point number {i} about the budget.")
        };
        let body = CommentBody::parse(&text, Default::default()).expect("body");
        let c = store
            .insert_comment(NewComment {
                ip_hash: None,
                thread_id: thread.id,
                parent_id: None,
                author: AuthorRef::Guest {
                    name: format!("r{i}"),
                    email: None,
                },
                body_markdown: body.markdown().into(),
                body_html: body.html().into(),
                moderated: Moderated {
                    status: CommentStatus::Held,
                    reasons: vec![],
                    version: "t".into(),
                    abuse: None,
                    on_topic: None,
                },
                edit_token_hash: "x".into(),
                created_at: chrono::Utc::now(),
                text_hash: jirga_moderation::text_hash(body.markdown()),
            })
            .await
            .expect("insert");
        let entry = NewModlogEntry {
            site_id: site.clone(),
            moderator_id: None,
            moderator: "test".into(),
            action: if reject {
                jirga_store::ModAction::Reject
            } else {
                jirga_store::ModAction::Approve
            },
            comment_id: Some(c.id),
            author_id: None,
            note: None,
        };
        let status = if reject {
            CommentStatus::Rejected
        } else {
            CommentStatus::Published
        };
        store.moderate(c.id, status, entry).await.expect("moderate");
    }
    let (ok, out, err) = jirga(&["train", "--site", "paper", "--data", data], "");
    assert!(ok, "{err}");
    assert!(out.contains("24 decisions"), "{out}");
    assert!(dir.path().join("models/site-paper.jlm").exists());
    // The encoder heads, with how they and the shipped ones did on held-back decisions.
    assert!(dir.path().join("models/site-paper.heads.json").exists());
    assert!(out.contains("ROC-AUC"), "{out}");

    let (ok, out, err) = jirga(
        &[
            "moderation",
            "replay",
            "--site",
            "paper",
            "--hold-abuse",
            "0.99",
            "--data",
            data,
        ],
        "",
    );
    assert!(ok, "{err}");
    assert!(out.contains("Replayed 24 comments"), "{out}");
    assert!(
        out.contains("| published |") && out.contains("| rejected |"),
        "{out}"
    );
}

#[tokio::test]
async fn the_demo_prints_its_url_and_a_moderator_who_can_sign_in() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().expect("tmp");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jirga"))
        .args([
            "demo",
            "--addr",
            "127.0.0.1:0",
            "--data",
            dir.path().to_str().expect("path"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("demo");
    let mut lines = std::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
    let (mut password, mut url) = (None, None);
    for line in lines.by_ref().take(3) {
        let line = line.expect("line");
        if let Some(rest) = line.split("with password ").nth(1) {
            password = Some(rest.trim().to_owned());
        }
        if let Some(rest) = line.split("open ").nth(1) {
            url = rest
                .split(' ')
                .next()
                .map(|u| u.trim_end_matches('/').to_owned());
        }
    }
    let (password, url) = (password.expect("password line"), url.expect("URL line"));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let page = client.get(format!("{url}/")).send().await.expect("page");
    assert_eq!(page.status(), reqwest::StatusCode::OK);
    let login = client
        .post(format!("{url}/moderate/login"))
        .form(&[
            ("email", "moderator@demo.example"),
            ("password", password.as_str()),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(
        login.status(),
        reqwest::StatusCode::SEE_OTHER,
        "the printed password signs in"
    );
    child.kill().expect("stop");
    let _ = child.wait();
}

#[tokio::test]
async fn logs_can_be_json_lines_and_a_proxys_request_id_comes_back() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().expect("tmp");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jirga"))
        .args([
            "demo",
            "--addr",
            "127.0.0.1:0",
            "--data",
            dir.path().to_str().expect("path"),
        ])
        .env("JIRGA_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("demo");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let stdout = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let url = loop {
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("a line");
        if let Some(rest) = line.split("open ").nth(1) {
            break rest
                .split(' ')
                .next()
                .expect("url")
                .trim_end_matches('/')
                .to_owned();
        }
    };
    let client = reqwest::Client::new();
    let health = client
        .get(format!("{url}/healthz"))
        .header("x-request-id", "edge-7f3a")
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.headers()["x-request-id"], "edge-7f3a");
    // A sign-up with no mail server configured: the mail is logged, as one JSON object.
    let signed_up = client
        .post(format!("{url}/account/sign-up"))
        .form(&[
            ("name", "Log Reader"),
            ("email", "log@example.org"),
            ("password", "a long enough password"),
        ])
        .send()
        .await
        .expect("sign up");
    assert!(signed_up.status().is_success(), "{}", signed_up.status());
    let logged = loop {
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("the mail's log line");
        if line.starts_with('{') && line.contains("log@example.org") {
            break line;
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    let entry: serde_json::Value = serde_json::from_str(&logged).expect("a JSON log line");
    assert_eq!(entry["level"], "INFO", "{entry}");
    assert_eq!(
        entry["to"], "log@example.org",
        "fields are top-level: {entry}"
    );
    assert!(entry["timestamp"].is_string(), "{entry}");
}
