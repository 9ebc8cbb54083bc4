//! The behaviour table (`models/behaviour/cases.tsv`): hand-written comments of every kind,
//! posted through the HTTP API under the demo's article at the default settings, against the
//! targets: at least 90 % of harmful comments held (each kind on its own), at least 80 % of
//! off-topic and spam held, at least 90 % of civil comments and replies and 80 % of harsh but
//! fair ones published. Threats and attacks on groups must be reported as their own kind.

use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeMap;

const CASES: &str = include_str!("../../../../models/behaviour/cases.tsv");

struct Case<'a> {
    kind: &'a str,
    expect_held: bool,
    parent: Option<&'a str>,
    text: &'a str,
}

fn cases() -> Vec<Case<'static>> {
    CASES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.splitn(4, '\t').collect();
            assert_eq!(f.len(), 4, "{l}");
            Case {
                kind: f[0],
                expect_held: f[1] == "held",
                parent: (f[2] != "-").then_some(f[2]),
                text: f[3],
            }
        })
        .collect()
}

async fn post(app: &TestApp, n: usize, parent: Option<i64>, text: &str) -> Value {
    let resp = app
        .post_comment(json!({
            "site": "demo", "thread": jirga_web::demo::THREAD, "parent_id": parent,
            "body": text, "author": {"name": format!("Reader {n}")}
        }))
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED, "{text}");
    resp.json().await.expect("json")
}

#[tokio::test]
async fn the_behaviour_table_meets_its_targets_through_the_api() {
    let app = TestApp::demo().await;
    // kind -> (cases, as expected, reported kinds of held ones)
    let mut by_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut wrong_kind = Vec::new();
    for (n, c) in cases().iter().enumerate() {
        let parent = match c.parent {
            Some(p) => {
                let created = post(&app, 1_000 + n, None, p).await;
                assert_eq!(created["status"], "published", "parent {p}: {created}");
                created["comment"]["id"].as_i64()
            }
            None => None,
        };
        let created = post(&app, n, parent, c.text).await;
        let held = created["status"] != "published";
        let entry = by_kind.entry(c.kind).or_default();
        entry.0 += 1;
        if held == c.expect_held {
            entry.1 += 1;
        } else {
            misses.push(format!("{}: {} -> {}", c.kind, c.text, created["reasons"]));
        }
        if held && matches!(c.kind, "threat" | "identity_attack" | "spam" | "off_topic") {
            let reported = created["reasons"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|r| r["kind"] == c.kind || r["code"] == c.kind);
            if !reported {
                wrong_kind.push(format!("{}: {} -> {}", c.kind, c.text, created["reasons"]));
            }
        }
    }
    let rate = |kinds: &[&str]| {
        let (n, ok) = kinds
            .iter()
            .filter_map(|k| by_kind.get(k))
            .fold((0, 0), |(n, ok), (a, b)| (n + a, ok + b));
        ok as f64 / n.max(1) as f64
    };
    let table: Vec<String> = by_kind
        .iter()
        .map(|(k, (n, ok))| format!("{k}: {ok}/{n}"))
        .collect();
    let report = format!(
        "{}\nmisses:\n{}\nheld under another kind:\n{}",
        table.join(", "),
        misses.join("\n"),
        wrong_kind.join("\n")
    );
    println!("{report}");
    for kind in ["threat", "identity_attack", "insult", "masked"] {
        assert!(rate(&[kind]) >= 0.9, "{kind} held below 90 %\n{report}");
    }
    assert!(rate(&["off_topic", "spam"]) >= 0.8, "{report}");
    assert!(rate(&["civil", "reply"]) >= 0.9, "{report}");
    assert!(rate(&["harsh_fair"]) >= 0.8, "{report}");
    // Held threats and attacks on groups are reported as such, not as plain abuse.
    assert!(wrong_kind.len() <= 1, "{report}");
}
