//! `jirga migrate-store`: a SQLite store with every kind of row is copied into a fresh
//! PostgreSQL database (on the machine's server, 127.0.0.1:5432 or JIRGA_TEST_POSTGRES), cut
//! off part-way, refused without --resume, finished with it, and read back through the store.

use jirga_domain::{
    CommentId, CommentStatus, ReportReason, SiteId, Sort, ThreadId, ThreadKey, Vote,
};
use jirga_store::{NewModlogEntry, Store};
use jirga_store_postgres::PgStore;
use jirga_store_sqlite::SqliteStore;
use std::process::Command;

fn jirga(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jirga"))
        .args(args)
        .output()
        .expect("run jirga");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn thread_ids(store: &dyn Store) -> Vec<(CommentId, String, CommentStatus, String)> {
    let site = SiteId::parse(jirga_web::demo::SITE).expect("site");
    let key = ThreadKey::parse(jirga_web::demo::THREAD).expect("key");
    let thread = store
        .thread(&site, &key)
        .await
        .expect("read")
        .expect("thread");
    let top = store
        .top_level_page(thread.id, Sort::Oldest, None, 100)
        .await
        .expect("page");
    let roots: Vec<CommentId> = top.iter().map(|c| c.id).collect();
    let mut all: Vec<_> = top
        .into_iter()
        .chain(store.under_roots(&roots).await.expect("replies"))
        .map(|c| (c.id, c.author.name, c.status, c.body_html))
        .collect();
    all.sort_by_key(|c| c.0);
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_store_moves_to_postgres_resumes_after_a_cut_and_verifies() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("jirga.db");
    let sqlite = SqliteStore::open_file(&db).await.expect("sqlite");
    jirga_web::demo::seed(&sqlite, vec!["https://news.example".into()])
        .await
        .expect("seed");
    let site = SiteId::parse(jirga_web::demo::SITE).expect("site");
    let comments = thread_ids(&sqlite).await;
    let (first, second) = (comments[0].0, comments[1].0);
    sqlite
        .vote(first, "reader-a", Vote::Up)
        .await
        .expect("vote");
    sqlite
        .vote(first, "reader-b", Vote::Up)
        .await
        .expect("vote");
    sqlite
        .report(
            second,
            "reader-c",
            ReportReason::Abusive,
            Some("rude".into()),
        )
        .await
        .expect("report");
    let entry = NewModlogEntry {
        site_id: site.clone(),
        moderator_id: None,
        moderator: "cli".into(),
        action: jirga_store::ModAction::Reject,
        comment_id: Some(second),
        author_id: None,
        note: Some("off-topic".into()),
    };
    sqlite
        .moderate(second, CommentStatus::Rejected, entry.clone())
        .await
        .expect("moderate");
    let author = sqlite
        .comment(second)
        .await
        .expect("read")
        .expect("c")
        .author
        .id;
    let scope = jirga_store::BanScope {
        email: true,
        address: false,
        shadow: true,
    };
    let ban = NewModlogEntry {
        action: jirga_store::ModAction::ShadowBan,
        ..entry.clone()
    };
    sqlite
        .ban(second, scope, None, ban, entry)
        .await
        .expect("ban");
    // A reader's account with its author record and a session (the tables of accounts).
    let account = sqlite
        .create_account(jirga_store::NewAccount {
            email: Some("reader@example.org".into()),
            name: "Reader".into(),
            password_hash: Some("$argon2id$not-a-real-hash".into()),
            email_verified: true,
            oidc: None,
        })
        .await
        .expect("account");
    let account_author = sqlite
        .account_author(&site, &account)
        .await
        .expect("author record");
    sqlite
        .create_account_session(
            "session-hash",
            account.id,
            chrono::Utc::now() + chrono::Duration::days(1),
        )
        .await
        .expect("session");
    let salt = sqlite.secret("ip_salt").await.expect("secret");
    drop(sqlite);

    let server = std::env::var("JIRGA_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let target = jirga_store_postgres::fresh_database(&server, "jirga_test")
        .await
        .expect("a PostgreSQL server for the test (scripts/postgres-up starts one)");
    let from = format!("sqlite://{}", db.display());

    // Cut off after 7 rows, as an interrupted run would be.
    let (ok, _, err) = jirga(&[
        "migrate-store",
        "--from",
        &from,
        "--to",
        &target,
        "--batch",
        "2",
        "--stop-after-rows",
        "7",
    ]);
    assert!(!ok);
    assert!(err.contains("stopped after"), "{err}");
    // A second plain run refuses the half-filled target...
    let (ok, _, err) = jirga(&["migrate-store", "--from", &from, "--to", &target]);
    assert!(!ok);
    assert!(err.contains("--resume"), "{err}");
    // ...and --resume finishes it, with counts and checksums equal.
    let (ok, out, err) = jirga(&[
        "migrate-store",
        "--from",
        &from,
        "--to",
        &target,
        "--resume",
        "--batch",
        "3",
    ]);
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("Verified"), "{out}");
    assert!(
        err.contains("comments") && err.contains('#'),
        "progress bar: {err}"
    );
    for table in [
        "sites",
        "threads",
        "authors",
        "comments",
        "votes",
        "reports",
        "moderators",
        "bans",
        "modlog",
    ] {
        let line = out.lines().find(|l| l.starts_with(table)).expect(table);
        assert!(line.ends_with("same"), "{line}");
    }

    // The copy reads as the original did, and takes new rows after the copied ids.
    let pg = PgStore::open(&target).await.expect("pg");
    let sqlite = SqliteStore::open_file(&db).await.expect("sqlite");
    assert_eq!(thread_ids(&pg).await, thread_ids(&sqlite).await);
    assert_eq!(
        pg.sites().await.expect("sites"),
        sqlite.sites().await.expect("sites")
    );
    assert_eq!(
        pg.modlog(std::slice::from_ref(&site), 10)
            .await
            .expect("log"),
        sqlite
            .modlog(std::slice::from_ref(&site), 10)
            .await
            .expect("log")
    );
    let who = jirga_store::BanCheck {
        author_id: Some(author),
        ..jirga_store::BanCheck::default()
    };
    assert_eq!(
        pg.ban_state(&site, who, chrono::Utc::now())
            .await
            .expect("ban"),
        jirga_store::BanState::Shadow
    );
    let signed_in = pg
        .session_account("session-hash", chrono::Utc::now())
        .await
        .expect("session")
        .expect("copied session");
    assert_eq!(signed_in, account);
    assert_eq!(
        pg.account_author(&site, &account).await.expect("author"),
        account_author
    );
    assert_eq!(pg.secret("ip_salt").await.expect("secret"), salt);
    assert_eq!(pg.comment(first).await.expect("c").expect("c").votes, 2);
    let moderator = pg
        .moderator_by_email(jirga_web::demo::MODERATOR_EMAIL)
        .await
        .expect("moderator")
        .expect("copied");
    assert_eq!(moderator.sites, vec![site.clone()]);
    let thread = pg
        .put_thread(
            &site,
            &ThreadKey::parse("/after-move").expect("key"),
            Default::default(),
        )
        .await
        .expect("a new thread gets a fresh id");
    assert!(thread.id > ThreadId(1));
}
