//! Several stateless instances on one PostgreSQL: live updates and cache invalidation travel
//! between them, and a restart of PostgreSQL costs 503s, never an accepted comment.

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Events, Instance, PrivatePg, add_site};

async fn post(client: &reqwest::Client, url: &str, thread: &str, body: &str) -> reqwest::Response {
    client
        .post(format!("{url}/api/v1/comments"))
        .json(
            &json!({"site": "news", "thread": thread, "body": body, "author": {"name": "Reader"}}),
        )
        .send()
        .await
        .expect("post")
}

async fn listing(client: &reqwest::Client, url: &str, thread: &str) -> Value {
    let resp = client
        .get(format!(
            "{url}/api/v1/comments?site=news&thread={thread}&limit=50"
        ))
        .send()
        .await
        .expect("get");
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json().await.expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comment_posted_to_one_instance_reaches_readers_and_caches_of_another() {
    let pg = PrivatePg::start();
    add_site(&pg.url, "news");
    let (a, b) = (Instance::start(&pg.url), Instance::start(&pg.url));
    let client = reqwest::Client::new();

    // B has the thread's page cached before A writes.
    let first: Value = post(
        &client,
        &a.url,
        "/shared",
        "Gauges on the lower river rose overnight.",
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(
        listing(&client, &b.url, "/shared").await["thread"]["count"],
        1
    );
    assert_eq!(
        listing(&client, &b.url, "/shared").await["thread"]["count"],
        1
    );

    let mut events = Events::open(&b.url, "news", "/shared").await;
    let mut lat = Vec::new();
    for i in 0..20 {
        let sent = Instant::now();
        let resp = post(
            &client,
            &a.url,
            "/shared",
            &format!("Update {i} on the lower river gauges."),
        )
        .await;
        assert_eq!(resp.status(), StatusCode::CREATED);
        let ev = events
            .next(Duration::from_secs(5))
            .await
            .expect("event on B");
        lat.push(sent.elapsed());
        assert_eq!(ev["kind"], "published");
        assert_eq!(ev["count"], i + 2);
        assert_eq!(
            ev["comment"]["body_html"],
            format!("<p>Update {i} on the lower river gauges.</p>\n")
        );
    }
    lat.sort();
    println!(
        "A's POST sent -> B's reader has the event: median {:?}, max {:?} (20 comments; includes the POST itself)",
        lat[lat.len() / 2],
        lat[lat.len() - 1]
    );
    // B's cache was invalidated by A's writes: its next read has all 21.
    assert_eq!(
        listing(&client, &b.url, "/shared").await["thread"]["count"],
        21
    );

    // A deletion on A: B's reader hears it, B's cache drops the comment.
    let id = first["comment"]["id"].as_i64().expect("id");
    let resp = client
        .delete(format!("{}/api/v1/comments/{id}", a.url))
        .header(
            "x-jirga-edit-token",
            first["edit_token"].as_str().expect("token"),
        )
        .send()
        .await
        .expect("delete");
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    // At once, without waiting for the event: B checks its cached page's stamp against the
    // thread's row, so the deleted comment is not served from B's cache.
    let page = listing(&client, &b.url, "/shared").await;
    assert_eq!(page["thread"]["count"], 20);
    assert!(
        !page
            .to_string()
            .contains("Gauges on the lower river rose overnight")
    );
    let ev = events
        .next(Duration::from_secs(5))
        .await
        .expect("removal on B");
    assert_eq!(ev["kind"], "removed");
    assert_eq!(ev["comment_id"], id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_postgres_restart_costs_503s_and_no_accepted_comment() {
    let pg = PrivatePg::start();
    add_site(&pg.url, "news");
    let (a, b) = (Instance::start(&pg.url), Instance::start(&pg.url));
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let mut events = Events::open(&b.url, "news", "/restart").await;

    let accepted: Arc<Mutex<Vec<i64>>> = Arc::default();
    let unavailable: Arc<Mutex<u32>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let url = if w % 2 == 0 { a.url.clone() } else { b.url.clone() };
            let (client, accepted, unavailable, stop) =
                (client.clone(), accepted.clone(), unavailable.clone(), stop.clone());
            tokio::spawn(async move {
                let mut i = 0;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    i += 1;
                    let body = format!("Writer {w} comment {i} on the reservoir levels.");
                    match client
                        .post(format!("{url}/api/v1/comments"))
                        .json(&json!({"site": "news", "thread": "/restart", "body": body, "author": {"name": "Reader"}}))
                        .send()
                        .await
                    {
                        Ok(r) if r.status() == StatusCode::CREATED => {
                            let v: Value = r.json().await.expect("json");
                            accepted.lock().expect("lock").push(v["comment"]["id"].as_i64().expect("id"));
                        }
                        Ok(r) if r.status() == StatusCode::SERVICE_UNAVAILABLE => {
                            assert!(r.headers().contains_key("retry-after"), "503 carries Retry-After");
                            let body: Value = r.json().await.expect("json");
                            assert_eq!(body["error"]["code"], "unavailable");
                            *unavailable.lock().expect("lock") += 1;
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        }
                        Ok(r) => panic!("unexpected {}: {}", r.status(), r.text().await.unwrap_or_default()),
                        Err(e) => panic!("request failed: {e}"),
                    }
                }
            })
        })
        .collect();

    tokio::time::sleep(Duration::from_millis(700)).await;
    let before = accepted.lock().expect("lock").len();
    assert!(before > 0, "comments were accepted before the restart");
    pg.down();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // While PostgreSQL is down, both instances answer 503 with Retry-After.
    for url in [&a.url, &b.url] {
        let r = client
            .get(format!("{url}/api/v1/comments?site=news&thread=/restart"))
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers()["retry-after"], "2");
    }
    pg.up();
    // Both instances reconnect on their own: comments are accepted again through each.
    let restarted = Instant::now();
    let mut back = [false, false];
    while back != [true, true] {
        assert!(
            restarted.elapsed() < Duration::from_secs(30),
            "instances did not come back"
        );
        for (k, url) in [&a.url, &b.url].into_iter().enumerate() {
            if !back[k] {
                back[k] = post(
                    &client,
                    url,
                    "/probe",
                    "Is the database back for the reservoir story?",
                )
                .await
                .status()
                    == StatusCode::CREATED;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for w in writers {
        w.await.expect("writer");
    }
    let accepted = accepted.lock().expect("lock").clone();
    let unavailable = *unavailable.lock().expect("lock");
    assert!(
        accepted.len() > before,
        "comments were accepted after the restart"
    );
    assert!(
        unavailable > 0,
        "writers saw 503s while the database was down"
    );

    // Every comment that got a 201 is in the database.
    let store = jirga_store_postgres::PgStore::open(&pg.url)
        .await
        .expect("open");
    for id in &accepted {
        use jirga_store::Store;
        assert!(
            store
                .comment(jirga_domain::CommentId(*id))
                .await
                .expect("read")
                .is_some(),
            "comment {id} lost"
        );
    }

    // The thread's count, kept by concurrent writers on two instances, matches its rows.
    let (kept, counted): (i64, i64) = sqlx::query_as(
        "SELECT t.published_count, (SELECT COUNT(*) FROM comments c WHERE c.thread_id = t.id AND c.status = 'published') \
         FROM threads t WHERE t.key = '/restart'",
    )
    .fetch_one(store.pool())
    .await
    .expect("count");
    assert_eq!(kept, counted);

    // B's listener reconnected too: its reader (connected before the restart) hears A's post.
    while events.next(Duration::from_millis(200)).await.is_some() {}
    let resp = post(
        &client,
        &a.url,
        "/restart",
        "After the restart, the spillway is closed.",
    )
    .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let mut heard = false;
    while let Some(ev) = events.next(Duration::from_secs(5)).await {
        if ev["comment"]["body_html"] == "<p>After the restart, the spillway is closed.</p>\n" {
            heard = true;
            break;
        }
    }
    assert!(heard, "B's reader heard a post made on A after the restart");
    println!(
        "{} comments accepted ({} before the stop), {} answered 503 while PostgreSQL was down; all present",
        accepted.len(),
        before,
        unavailable
    );
}
