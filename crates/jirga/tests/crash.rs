//! Durability: comments are posted while the server is killed with SIGKILL at random moments,
//! 20 times over; every comment that got a 201 must be there afterwards, and SQLite's
//! integrity check must pass.

use jirga_store::Store;
use jirga_store_sqlite::SqliteStore;
use std::io::BufRead;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const KILLS: usize = 20;

fn start(data: &str) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jirga"))
        .args(["serve", "--addr", "127.0.0.1:0", "--data", data])
        .env("JIRGA_RATE_LIMITS__POSTS_PER_MINUTE", "100000000")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("first line");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("the server prints its address")
        .to_owned();
    (child, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_accepted_comment_survives_repeated_kill_9() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().to_str().expect("path").to_owned();
    let status = Command::new(env!("CARGO_BIN_EXE_jirga"))
        .args(["site", "add", "news", "--name", "News", "--data", &data])
        .stdout(Stdio::null())
        .status()
        .expect("site add");
    assert!(status.success());

    let accepted: Arc<Mutex<Vec<(i64, String)>>> = Arc::default();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .expect("client");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut n = 0u64;
    for round in 0..KILLS {
        let (mut child, url) = start(&data);
        // Four writers post until the server dies under them.
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let (client, url, accepted) = (client.clone(), url.clone(), accepted.clone());
                let base = n + w * 1_000_000;
                tokio::spawn(async move {
                    for i in 0.. {
                        let body = format!("Crash round {round}, writer {w}, comment {} about the river gauges.", base + i);
                        let resp = client
                            .post(format!("{url}/api/v1/comments"))
                            .json(&serde_json::json!({"site": "news", "thread": "/crash", "body": body, "author": {"name": "Writer"}}))
                            .send()
                            .await;
                        match resp {
                            Ok(r) if r.status() == reqwest::StatusCode::CREATED => {
                                let v: serde_json::Value = match r.json().await {
                                    Ok(v) => v,
                                    Err(_) => break,
                                };
                                let id = v["comment"]["id"].as_i64().expect("id");
                                accepted.lock().expect("lock").push((id, body));
                            }
                            _ => break,
                        }
                    }
                })
            })
            .collect();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        tokio::time::sleep(Duration::from_millis(50 + seed % 250)).await;
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        for w in writers {
            let _ = w.await;
        }
        n += 10_000_000;
    }

    let store = SqliteStore::open(dir.path()).await.expect("reopen");
    assert_eq!(store.integrity_check().await.expect("check"), "ok");
    let accepted = accepted.lock().expect("lock").clone();
    assert!(
        accepted.len() >= KILLS,
        "only {} comments were accepted",
        accepted.len()
    );
    for (id, body) in &accepted {
        let c = store
            .comment(jirga_domain::CommentId(*id))
            .await
            .expect("read")
            .unwrap_or_else(|| panic!("comment {id} that got a 201 is gone"));
        assert_eq!(&c.body_markdown, body);
    }
    println!(
        "{} comments accepted across {KILLS} kills; all present; integrity ok",
        accepted.len()
    );
}
