//! The importers against the peers' own test inputs (`../shared/fixtures/import`), stored in
//! a real SQLite database. Each test says what the file holds and so what it must import.
//! (The same store code runs on PostgreSQL; `crates/web/tests/api/store.rs` calls the import
//! methods on both databases.)

use jirga_domain::{CommentStatus, SiteId, SitePolicy, ThreadKey};
use jirga_import::run::{Options, Report, import, undo};
use jirga_import::urls::MapRule;
use jirga_import::{Format, ReadOptions, input, reader};
use jirga_store::{AuthorRef, Moderated, NewComment, NewSite, Store, StoredComment, ThreadUpdate};
use jirga_store_sqlite::SqliteStore;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/import")
        .join(path)
}

async fn store() -> (tempfile::TempDir, SqliteStore, SiteId) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(dir.path()).await.expect("store");
    let site = SiteId::parse("news").expect("site");
    store
        .create_site(NewSite {
            id: site.clone(),
            name: "News".into(),
            allowed_origins: vec![],
            auto_create_threads: true,
            policy: SitePolicy::default(),
            api_key_hash: "h".into(),
        })
        .await
        .expect("site");
    (dir, store, site)
}

fn options(site: &SiteId, format: Format) -> Options {
    Options {
        site: site.clone(),
        format,
        file_name: "export".into(),
        maps: vec![],
        dry_run: false,
        pingbacks: false,
        moderate: None,
    }
}

async fn run(store: &dyn Store, path: &str, opts: &Options) -> Report {
    let opened = input::open(&fixture(path)).expect("fixture");
    let records = reader(opts.format, opened.reader, &ReadOptions::default());
    import(store, records, opts, &|_| {}).await.expect("import")
}

fn counts(report: &Report) -> (BTreeMap<&str, u64>, BTreeMap<&str, u64>) {
    (
        report
            .states
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .filter(|(_, v)| *v > 0)
            .collect(),
        report
            .skipped
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect(),
    )
}

/// Every comment of the site, deleted ones too, by thread key.
async fn comments(store: &dyn Store, site: &SiteId, key: &str) -> Vec<StoredComment> {
    let key = ThreadKey::parse(key).expect("key");
    let Some(thread) = store.thread(site, &key).await.expect("thread") else {
        return vec![];
    };
    let roots = store
        .top_level_page(thread.id, jirga_domain::Sort::Oldest, None, 1000)
        .await
        .expect("page");
    let ids: Vec<_> = roots.iter().map(|c| c.id).collect();
    let mut all = roots;
    all.extend(store.under_roots(&ids).await.expect("replies"));
    all
}

#[tokio::test]
async fn disqus_isso_fixture() {
    // 3 threads: "/" on example.org, a stub without a link, a localhost blog post. 6 posts:
    // 4 (top) and its reply 5 on "/", 6 on thread 1337 which the file does not have,
    // 8 on the blog post, 9 deleted on "/" and 11 replying to the deleted 9.
    let (_dir, store, site) = store().await;
    let opts = options(&site, Format::Disqus);
    let report = run(&store, "disqus/isso__disqus.xml", &opts).await;
    assert_eq!(report.comments_read, 6);
    assert_eq!(report.imported, 5);
    let (states, skipped) = counts(&report);
    assert_eq!(states, BTreeMap::from([("deleted", 1), ("published", 4)]));
    assert_eq!(skipped, BTreeMap::from([("unknown_thread", 1)]));
    assert_eq!(report.replies, 2);
    let front = comments(&store, &site, "/").await;
    // The deleted 9 stays as the placeholder its reply hangs from; readers see 4, 5, 11.
    let deleted = front
        .iter()
        .find(|c| c.status == CommentStatus::Deleted)
        .expect("placeholder");
    assert!(
        deleted.body_html.is_empty(),
        "a deleted comment's text is not kept"
    );
    assert_eq!(
        front
            .iter()
            .filter(|c| c.parent_id == Some(deleted.id))
            .count(),
        1
    );
    assert_eq!(front.len(), 4, "4, 5, 9 (placeholder) and 11 under /");
    let thread = store
        .thread(&site, &ThreadKey::parse("/").expect("key"))
        .await
        .expect("t")
        .expect("thread");
    assert_eq!(thread.published_count, 3);
    assert_eq!(thread.url.as_deref(), Some("http://example.org/"));
    let blog = comments(&store, &site, "/blog/2013/02/12/redacted/index.html").await;
    assert_eq!(blog.len(), 1);
}

#[tokio::test]
async fn disqus_remark42_fixture_with_broken_xml() {
    // A stray character before <?xml. 2 threads (one with an empty <id/>). 6 posts: 3
    // ordinary ones, one without dsq:id (its legacy <id> names it), one isSpam, and one that
    // is not well-formed (an unquoted attribute), which is reported and skipped.
    let (_dir, store, site) = store().await;
    let opts = options(&site, Format::Disqus);
    let report = run(&store, "disqus/remark42__disqus.xml", &opts).await;
    let (states, skipped) = counts(&report);
    assert_eq!(states, BTreeMap::from([("published", 4), ("rejected", 1)]));
    assert_eq!(skipped, BTreeMap::from([("malformed", 1)]));
    assert_eq!(report.problems.len(), 1);
    assert!(
        report.problems[0].starts_with("byte "),
        "{:?}",
        report.problems
    );
    // The spam is stored rejected with the reason, never published.
    let all = store.site_comments(&site).await.expect("comments");
    let spam = all
        .iter()
        .find(|c| c.body_markdown.contains("ugly spam"))
        .expect("spam kept");
    assert_eq!(spam.status, CommentStatus::Rejected);
    assert_eq!(spam.reasons.first().map(|r| r.code.as_str()), Some("spam"));
    // Cyrillic HTML bodies: links kept, the text as it was.
    assert!(all.iter().any(|c| c.body_html.contains("<a href=\"http://blogs.msdn.com/b/b8/archive/2011/08/29/improvements-in-windows-explorer.aspx\"")));
}

#[tokio::test]
async fn the_same_file_twice_adds_nothing_and_undo_removes_exactly_the_batch() {
    let (_dir, store, site) = store().await;
    // A reader's own comment on "/" before the import: no import may touch it.
    let front = store
        .put_thread(
            &site,
            &ThreadKey::parse("/").expect("k"),
            ThreadUpdate::default(),
        )
        .await
        .expect("thread");
    let own = store
        .insert_comment(NewComment {
            thread_id: front.id,
            parent_id: None,
            author: AuthorRef::Guest {
                name: "Reader".into(),
                email: None,
            },
            body_markdown: "Mine".into(),
            body_html: "<p>Mine</p>".into(),
            moderated: Moderated {
                status: CommentStatus::Published,
                reasons: vec![],
                version: "t".into(),
                abuse: None,
                on_topic: None,
            },
            edit_token_hash: "x".into(),
            created_at: chrono::Utc::now(),
            text_hash: "m".into(),
            ip_hash: None,
        })
        .await
        .expect("own comment");
    let opts = options(&site, Format::Disqus);
    let first = run(&store, "disqus/isso__disqus.xml", &opts).await;
    assert_eq!(first.imported, 5);
    assert!(
        !first
            .unmatched_urls
            .contains(&"http://example.org/".to_owned()),
        "/ existed"
    );
    let again = run(&store, "disqus/isso__disqus.xml", &opts).await;
    assert_eq!((again.imported, again.already_imported), (0, 5));
    assert_eq!(
        comments(&store, &site, "/").await.len(),
        5,
        "4 imported + the reader's"
    );

    let removed = undo(&store, &site, first.batch.expect("batch"))
        .await
        .expect("undo");
    assert_eq!(removed, 5);
    let left = comments(&store, &site, "/").await;
    assert_eq!(left.iter().map(|c| c.id).collect::<Vec<_>>(), vec![own.id]);
    // The thread the batch made for the blog post is gone; "/" was the site's and stays.
    assert!(
        store
            .thread(
                &site,
                &ThreadKey::parse("/blog/2013/02/12/redacted/index.html").expect("k")
            )
            .await
            .expect("t")
            .is_none()
    );
    assert!(
        store
            .thread(&site, &ThreadKey::parse("/").expect("k"))
            .await
            .expect("t")
            .is_some()
    );
    let batches = store.import_batches(&site).await.expect("batches");
    assert_eq!(batches.len(), 2);
    assert!(
        batches
            .iter()
            .any(|b| b.undone_at.is_some() && b.comments == 0)
    );
    // Undoing twice is refused, not repeated.
    assert!(
        undo(&store, &site, first.batch.expect("batch"))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_dry_run_stores_nothing_and_lists_unmatched_urls() {
    let (_dir, store, site) = store().await;
    let mut opts = options(&site, Format::Disqus);
    opts.dry_run = true;
    opts.maps =
        vec![MapRule::parse("http://localhost:4000/blog/* https://news.example/*").expect("rule")];
    let report = run(&store, "disqus/isso__disqus.xml", &opts).await;
    assert_eq!(report.batch, None);
    assert_eq!(report.imported, 5);
    assert!(
        report
            .unmatched_urls
            .contains(&"https://news.example/2013/02/12/redacted/index.html".to_owned()),
        "{:?}",
        report.unmatched_urls
    );
    assert!(store.site_comments(&site).await.expect("c").is_empty());
    assert!(store.import_batches(&site).await.expect("b").is_empty());
}

#[tokio::test]
async fn wordpress_isso_fixture() {
    // Post 18 (/2014/test/) has 7 approved comments: 2, 6, 10, 11 at the top, 7 replying to
    // 6, and 8 and 9 replying to 7. A second item (?p=4, no post_id) has one comment whose
    // id, 11, repeats one of post 18's: it is a different comment and is kept. A third item
    // has no comments and makes no thread.
    let (_dir, store, site) = store().await;
    let opts = options(&site, Format::Wxr);
    let report = run(&store, "wordpress_wxr/isso__wordpress.xml", &opts).await;
    let (states, skipped) = counts(&report);
    assert_eq!(report.comments_read, 8);
    assert_eq!(states, BTreeMap::from([("published", 8)]));
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(report.threads.len(), 2);
    let post = comments(&store, &site, "/2014/test/").await;
    assert_eq!(post.len(), 7);
    let id_of = |text: &str| {
        post.iter()
            .find(|c| c.body_markdown.contains(text))
            .map(|c| c.id)
    };
    let zweiter = id_of("Zweiter").expect("comment 6");
    let seven: Vec<_> = post
        .iter()
        .filter(|c| c.parent_id == Some(zweiter))
        .collect();
    assert_eq!(seven.len(), 1, "7 replies to 6");
    assert_eq!(
        post.iter()
            .filter(|c| c.parent_id == Some(seven[0].id))
            .count(),
        2,
        "8 and 9 reply to 7"
    );
    assert_eq!(post.iter().filter(|c| c.depth == 2).count(), 2);
    assert_eq!(comments(&store, &site, "/?p=4").await.len(), 1);
    // Names in CDATA are decoded once.
    let first = post
        .iter()
        .find(|c| c.body_markdown.contains("Erster"))
        .expect("comment 2");
    assert_eq!(first.author.name, "Ohai");
}

#[tokio::test]
async fn wordpress_remark42_fixture_pending_pingbacks_and_orphans() {
    // Post 100 has 4 comments: 8 approved, 9 pending (0), 13 a pingback, and 14 approved
    // replying to the pingback 13. Pingbacks are skipped by default, so 14 loses its parent
    // and is kept at the top level; with --pingbacks all four go in and 14 sits under 13.
    let (_dir, store, site) = store().await;
    let opts = options(&site, Format::Wxr);
    let path = "wordpress_wxr/remark42__wordpress_test_xmlTestWP.xml";
    let report = run(&store, path, &opts).await;
    assert_eq!(report.comments_read, 4, "{report:#?}");
    let (states, skipped) = counts(&report);
    assert_eq!(states, BTreeMap::from([("held", 1), ("published", 2)]));
    assert_eq!(skipped, BTreeMap::from([("pingback", 1)]));
    assert_eq!(report.orphans, 1);
    let held = store.site_comments(&site).await.expect("c");
    let held = held
        .iter()
        .find(|c| c.status == CommentStatus::Held)
        .expect("pending one");
    assert_eq!(held.reasons[0].code, "import_held");

    let (_dir2, store2, site2) = self::store().await;
    let mut with = options(&site2, Format::Wxr);
    with.pingbacks = true;
    let report = run(&store2, path, &with).await;
    assert_eq!((report.imported, report.orphans), (4, 0));
    let all = store2.site_comments(&site2).await.expect("c");
    assert_eq!(
        all.iter().filter(|c| c.parent_id.is_some()).count(),
        1,
        "14 under 13"
    );
}

#[tokio::test]
async fn remark42_backup_stream() {
    let (_dir, store, site) = store().await;
    let opts = options(&site, Format::Remark42);
    let report = run(
        &store,
        "remark42_native/remark42__native_test_TestNative_Import.jsonl",
        &opts,
    )
    .await;
    assert_eq!(report.comments_read, 2);
    assert_eq!(report.imported, 2);
    // Comment 2's parent "1234" is not in the file: kept, as a top-level comment.
    assert_eq!(report.orphans, 1);
    let all = store.site_comments(&site).await.expect("c");
    assert!(
        all.iter()
            .any(|c| c.body_html.contains("<a href=\"http://radio-t.com\""))
    );
}

#[tokio::test]
async fn commento_fixture_with_an_anonymous_commenter() {
    // 3 approved comments on two pages of example.com: one by "anonymous" (no commenter
    // record: a guest, not a dropped comment), one reply.
    let (_dir, store, site) = store().await;
    let opts = options(&site, Format::Commento);
    let report = run(
        &store,
        "commento_json/remark42__migrator_testdata_commento.json",
        &opts,
    )
    .await;
    let (states, skipped) = counts(&report);
    assert_eq!(states, BTreeMap::from([("published", 3)]));
    assert!(skipped.is_empty());
    assert_eq!(report.replies, 1);
    let all = store.site_comments(&site).await.expect("c");
    assert!(all.iter().any(|c| c.author.name == "Anonymous"));
    assert!(
        report
            .unmatched_urls
            .contains(&"https://example.com/blog/post/1".to_owned())
    );
}

#[tokio::test]
async fn commento_states_are_honoured() {
    // A file this test writes: approved, unapproved, flagged and deleted comments.
    let (_dir, store, site) = store().await;
    let comment = |hex: &str, state: &str, deleted: bool| {
        serde_json::json!({"commentHex": hex, "domain": "news.example", "url": "/a", "commenterHex": "c1",
            "markdown": format!("Comment {hex}"), "html": "", "parentHex": "root", "score": 0,
            "state": state, "creationDate": "2021-03-12T11:21:56Z", "deleted": deleted})
    };
    let export = serde_json::json!({"version": 1, "comments": [
        comment("a1", "approved", false), comment("b2", "unapproved", false),
        comment("c3", "flagged", false), comment("d4", "approved", true)],
        "commenters": [{"commenterHex": "c1", "email": "c1@example.org", "name": "Commenter One"}]});
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("commento.json");
    std::fs::write(&file, export.to_string()).expect("write");
    let opts = options(&site, Format::Commento);
    let opened = input::open(&file).expect("open");
    assert_eq!(opened.sniffed, Some(Format::Commento));
    let report = import(
        &store,
        reader(Format::Commento, opened.reader, &ReadOptions::default()),
        &opts,
        &|_| {},
    )
    .await
    .expect("import");
    let (states, _) = counts(&report);
    assert_eq!(
        states,
        BTreeMap::from([("deleted", 1), ("held", 2), ("published", 1)])
    );
}

#[tokio::test]
async fn isso_database_built_from_its_schema() {
    // Isso's own schema (the fixture), filled here: on /blog/a/ a visible comment (1), a reply
    // to it (2), a pending one (3), a deleted one kept for its reply (4, mode 4, no text) and
    // that reply (5); on /blog/b/ one visible comment by a guest without an email (6).
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("comments.db");
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(&path)
                .create_if_missing(true),
        )
        .await
        .expect("isso db");
    let schema = std::fs::read_to_string(fixture("isso_sqlite/isso_schema_upstream_v5.sql"))
        .expect("schema");
    sqlx::raw_sql(sqlx::AssertSqlSafe(schema))
        .execute(&pool)
        .await
        .expect("schema");
    sqlx::raw_sql(
        "INSERT INTO threads (id, uri, title) VALUES (1, '/blog/a/', 'A'), (2, '/blog/b/', NULL);
         INSERT INTO comments (tid, id, parent, created, mode, text, author, email, voters) VALUES
           (1, 1, NULL, 1400000000.25, 1, 'First *comment*', 'Ayesha', 'ayesha@example.org', x''),
           (1, 2, 1, 1400000100.0, 1, 'A reply', 'Bilal', NULL, x''),
           (1, 3, NULL, 1400000200.0, 2, 'Waiting for review', 'Chand', NULL, x''),
           (1, 4, NULL, 1400000300.0, 4, '', NULL, NULL, x''),
           (1, 5, 4, 1400000400.0, 1, 'Reply to a deleted one', 'Ayesha', 'ayesha@example.org', x''),
           (2, 6, NULL, 1400000500.0, 1, 'On the other page', NULL, NULL, x'');",
    )
    .execute(&pool)
    .await
    .expect("rows");
    pool.close().await;
    let (_d, store, site) = store().await;
    let opened = input::open(&path).expect("open");
    assert_eq!(opened.sniffed, Some(Format::Isso));
    let opts = options(&site, Format::Isso);
    let records = jirga_import::records(Format::Isso, opened, &path, &ReadOptions::default())
        .await
        .expect("records");
    let report = import(&store, records, &opts, &|_| {})
        .await
        .expect("import");
    let (states, skipped) = counts(&report);
    assert_eq!(
        states,
        BTreeMap::from([("deleted", 1), ("held", 1), ("published", 4)])
    );
    assert!(skipped.is_empty());
    assert_eq!(report.replies, 2);
    let a = comments(&store, &site, "/blog/a/").await;
    // 1, 2, the placeholder 4 and 5; the pending 3 waits in the queue, not on the page.
    assert_eq!(a.len(), 4);
    let first = a
        .iter()
        .find(|c| c.body_markdown.starts_with("First"))
        .expect("1");
    assert_eq!(first.body_html, "<p>First <em>comment</em></p>\n");
    assert_eq!(first.created_at.timestamp_millis(), 1_400_000_000_250);
    let b = comments(&store, &site, "/blog/b/").await;
    assert_eq!(
        b.iter().map(|c| c.author.name.as_str()).collect::<Vec<_>>(),
        vec!["Anonymous"]
    );
    // Ayesha's two comments share one author.
    let ayesha: Vec<_> = a
        .iter()
        .filter(|c| c.author.name == "Ayesha")
        .map(|c| c.author.id)
        .collect();
    assert_eq!(ayesha.len(), 2);
    assert_eq!(ayesha[0], ayesha[1]);
}

/// `--moderate`: the shipped models read what the old system published. A threat against an
/// official and a dehumanising attack on a group are held with the models' reasons; ordinary
/// comments stay published; an import rejects nothing.
#[tokio::test]
async fn moderate_holds_what_the_models_would_hold_and_rejects_nothing() {
    let (_dir, store, site) = store().await;
    let posts = [
        "Thanks for laying out the budget numbers so clearly; the debt table was useful.",
        "The finance minister should be shot for this, and I know where he lives.",
        "These people are vermin and should be wiped out, every last one of them.",
        "The revised deficit target still assumes growth the central bank does not expect.",
    ];
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="utf-8"?><disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<thread dsq:id="1"><link>https://news.example/budget/</link><title>Budget passes</title></thread>"#,
    );
    for (i, text) in posts.iter().enumerate() {
        xml.push_str(&format!(
            r#"<post dsq:id="p{i}"><message><![CDATA[<p>{text}</p>]]></message><createdAt>2024-05-0{}T10:00:00Z</createdAt><author><name>Reader {i}</name><isAnonymous>true</isAnonymous></author><thread dsq:id="1"/></post>"#,
            i + 1
        ));
    }
    xml.push_str("</disqus>");
    let pipeline = jirga_moderation::Pipeline::shipped().expect("shipped models");
    let opts = Options {
        moderate: Some(jirga_import::run::Moderate::new(
            std::sync::Arc::new(pipeline),
            &SitePolicy::default(),
        )),
        ..options(&site, Format::Disqus)
    };
    let records = reader(Format::Disqus, xml.as_bytes(), &ReadOptions::default());
    let report = import(&store, records, &opts, &|_| {})
        .await
        .expect("import");
    assert_eq!(report.imported, 4);
    assert_eq!(report.held_by_models, 2, "{:?}", report.states);
    let all: Vec<StoredComment> = store
        .export_comments(&site, jirga_domain::CommentId(0), 100)
        .await
        .expect("comments")
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    let by_text = |start: &str| {
        all.iter()
            .find(|c| c.body_markdown.starts_with(start))
            .unwrap_or_else(|| panic!("{start}: {all:?}"))
    };
    for held in ["The finance minister", "These people are vermin"] {
        let c = by_text(held);
        assert_eq!(c.status, CommentStatus::Held, "{held}");
        assert!(!c.reasons.is_empty(), "{held}: the models say why");
    }
    for published in ["Thanks for laying out", "The revised deficit"] {
        let c = by_text(published);
        assert_eq!(c.status, CommentStatus::Published, "{published}");
        assert!(c.abuse_score.is_some(), "scores are kept");
    }
    assert!(!report.states.contains_key("rejected"));
}
