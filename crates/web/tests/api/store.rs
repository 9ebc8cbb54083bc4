//! Every method of the `Store` trait, called directly against the database these tests run on
//! (SQLite, or PostgreSQL with `JIRGA_TEST_POSTGRES`): the SQL is written once for both
//! (`crates/store-sql/shared/store.rs`), so each query is checked here on each database. The
//! last test fails when a method is added to the trait without being called here.

use super::helpers::test_database;
use chrono::{Duration, Utc};
use jirga_domain::{
    AuthorId, CommentId, CommentStatus, Cursor, ReportReason, SiteId, Sort, ThreadId, ThreadKey,
    Vote,
};
use jirga_moderation::SitePolicy;
use jirga_store::{
    AccountChange, AccountKey, AuthorRef, BanCheck, BanScope, BanState, CommentEdit, Event,
    EventKind, ImportAuthor, ImportComment, ImportLinks, Imported, ModAction, Moderated,
    NewAccount, NewAuthor, NewComment, NewModlogEntry, NewSite, SsoProfile, Store, StoreError,
    ThreadUpdate, TokenPurpose,
};
use std::sync::Arc;

struct Db {
    store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

async fn db() -> Db {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = test_database().await;
    let store = jirga_storage::open(url.as_deref(), dir.path())
        .await
        .expect("open store");
    Db { store, _dir: dir }
}

fn site_id(s: &str) -> SiteId {
    SiteId::parse(s).expect("site id")
}

fn key(k: &str) -> ThreadKey {
    ThreadKey::parse(k).expect("key")
}

async fn site(store: &dyn Store, id: &str) -> SiteId {
    store
        .create_site(NewSite {
            id: site_id(id),
            name: format!("Site {id}"),
            allowed_origins: vec!["https://news.example".into()],
            auto_create_threads: true,
            policy: SitePolicy::default(),
            api_key_hash: "hash".into(),
        })
        .await
        .expect("site");
    site_id(id)
}

async fn thread(store: &dyn Store, site: &SiteId, k: &str) -> ThreadId {
    store
        .put_thread(site, &key(k), ThreadUpdate::default())
        .await
        .expect("thread")
        .id
}

fn moderated(status: CommentStatus, abuse: f32) -> Moderated {
    Moderated {
        status,
        reasons: Vec::new(),
        version: "test".into(),
        abuse: Some(abuse),
        on_topic: Some(0.5),
    }
}

fn guest(name: &str, email: Option<&str>) -> AuthorRef {
    AuthorRef::Guest {
        name: name.into(),
        email: email.map(str::to_owned),
    }
}

struct Post<'a> {
    thread: ThreadId,
    parent: Option<CommentId>,
    author: AuthorRef,
    text: &'a str,
    status: CommentStatus,
    abuse: f32,
    ago_ms: i64,
}

impl<'a> Post<'a> {
    fn new(thread: ThreadId, text: &'a str) -> Self {
        Self {
            thread,
            parent: None,
            author: guest("Guest", Some("guest@example.org")),
            text,
            status: CommentStatus::Published,
            abuse: 0.1,
            ago_ms: 0,
        }
    }
}

async fn post(store: &dyn Store, p: Post<'_>) -> CommentId {
    store
        .insert_comment(NewComment {
            thread_id: p.thread,
            parent_id: p.parent,
            author: p.author,
            body_markdown: p.text.into(),
            body_html: format!("<p>{}</p>", p.text),
            moderated: moderated(p.status, p.abuse),
            edit_token_hash: "edit".into(),
            created_at: Utc::now() - Duration::milliseconds(p.ago_ms),
            text_hash: format!("hash-{}", p.text),
            ip_hash: Some("ip-1".into()),
        })
        .await
        .expect("insert")
        .id
}

fn entry(site: &SiteId, action: ModAction, comment: Option<CommentId>) -> NewModlogEntry {
    NewModlogEntry {
        site_id: site.clone(),
        moderator_id: None,
        moderator: "Mod".into(),
        action,
        comment_id: comment,
        author_id: None,
        note: Some("checked".into()),
    }
}

#[tokio::test]
async fn sites_and_threads() {
    let db = db().await;
    let s = db.store.as_ref();
    let news = site(s, "news").await;
    assert!(matches!(
        s.create_site(NewSite {
            id: news.clone(),
            name: "again".into(),
            allowed_origins: Vec::new(),
            auto_create_threads: false,
            policy: SitePolicy::default(),
            api_key_hash: "h".into(),
        })
        .await,
        Err(StoreError::Conflict(_))
    ));
    let mut changed = s.site(&news).await.expect("read").expect("site");
    changed.policy.premoderate = true;
    let updated = s
        .update_site(NewSite {
            id: news.clone(),
            name: "The News".into(),
            allowed_origins: vec!["https://a.example".into()],
            auto_create_threads: false,
            policy: changed.policy.clone(),
            api_key_hash: "ignored".into(),
        })
        .await
        .expect("update");
    assert_eq!(updated.name, "The News");
    assert!(updated.policy.premoderate);
    assert_eq!(updated.api_key_hash, "hash", "the API key stays");
    assert_eq!(s.sites().await.expect("sites").len(), 1);

    let t = s
        .put_thread(
            &news,
            &key("/a"),
            ThreadUpdate {
                title: Some("Floods".into()),
                text: Some("Rivers rose.".into()),
                ..ThreadUpdate::default()
            },
        )
        .await
        .expect("put");
    let again = s
        .put_thread(
            &news,
            &key("/a"),
            ThreadUpdate {
                closed: Some(true),
                ..ThreadUpdate::default()
            },
        )
        .await
        .expect("update thread");
    assert_eq!(
        (again.id, again.title.as_str(), again.closed),
        (t.id, "Floods", true)
    );
    assert_eq!(
        s.thread(&news, &key("/a"))
            .await
            .expect("read")
            .map(|t| t.id),
        Some(t.id)
    );
    assert_eq!(
        s.thread_by_id(t.id).await.expect("read").map(|t| t.text),
        Some("Rivers rose.".into())
    );
    assert!(
        s.thread(&news, &key("/none"))
            .await
            .expect("read")
            .is_none()
    );
    thread(s, &news, "/untitled").await;
    let recent = s.recent_threads(&news, 10).await.expect("recent");
    assert_eq!(recent.iter().map(|t| t.id).collect::<Vec<_>>(), vec![t.id]);
    post(s, Post::new(t.id, "one")).await;
    let counts = s
        .counts(&news, &[key("/a"), key("/none")])
        .await
        .expect("counts");
    assert_eq!(counts, vec![(key("/a"), 1)]);
    // A stamp where several processes share the database; none where one process sees all.
    let stamp = s.thread_stamp(t.id).await.expect("stamp");
    post(s, Post::new(t.id, "two")).await;
    let after = s.thread_stamp(t.id).await.expect("stamp");
    assert!(stamp.is_none() || stamp != after, "{stamp:?} {after:?}");
}

#[tokio::test]
async fn comments_replies_pages_votes_and_reports() {
    let db = db().await;
    let s = db.store.as_ref();
    let news = site(s, "news").await;
    let t = thread(s, &news, "/a").await;
    let verified = s
        .create_author(NewAuthor {
            site_id: news.clone(),
            name: "City Council".into(),
            email: None,
            affiliation: Some("Press Office".into()),
            verified: true,
        })
        .await
        .expect("author");
    assert!(
        s.verified_name_taken(&news, "city council")
            .await
            .expect("taken")
    );
    assert!(
        !s.verified_name_taken(&news, "Someone")
            .await
            .expect("taken")
    );

    let first = post(
        s,
        Post {
            author: AuthorRef::Existing(verified),
            ago_ms: 3000,
            ..Post::new(t, "first")
        },
    )
    .await;
    let second = post(
        s,
        Post {
            ago_ms: 2000,
            ..Post::new(t, "second")
        },
    )
    .await;
    let reply = post(
        s,
        Post {
            parent: Some(first),
            ago_ms: 1000,
            ..Post::new(t, "reply")
        },
    )
    .await;
    let deep = post(
        s,
        Post {
            parent: Some(reply),
            ..Post::new(t, "deep")
        },
    )
    .await;
    let c = s.comment(deep).await.expect("read").expect("comment");
    assert_eq!(
        (c.root_id, c.depth, c.parent_id),
        (Some(first), 2, Some(reply))
    );
    assert_eq!(c.author.name, "Guest");
    let other = thread(s, &news, "/b").await;
    assert!(matches!(
        s.insert_comment(NewComment {
            thread_id: other,
            parent_id: Some(first),
            author: guest("X", None),
            body_markdown: "x".into(),
            body_html: "x".into(),
            moderated: moderated(CommentStatus::Published, 0.0),
            edit_token_hash: "e".into(),
            created_at: Utc::now(),
            text_hash: "x".into(),
            ip_hash: None,
        })
        .await,
        Err(StoreError::Conflict(_))
    ));

    // The same guest name and email is one author record.
    let g = s
        .guest_author(&news, "Guest", "guest@example.org")
        .await
        .expect("guest")
        .expect("a record");
    assert_eq!(s.comment(second).await.expect("c").expect("c").author.id, g);
    assert_eq!(s.author_published(g).await.expect("n"), 3);
    assert_eq!(
        s.same_text_count(&news, "hash-second", Utc::now() - Duration::hours(1))
            .await
            .expect("n"),
        1
    );

    let page = s
        .top_level_page(t, Sort::Oldest, None, 1)
        .await
        .expect("page");
    assert_eq!(page.iter().map(|c| c.id).collect::<Vec<_>>(), vec![first]);
    let after = Cursor {
        sort: Sort::Oldest,
        key: page[0].created_at.timestamp_millis(),
        id: page[0].id.get(),
    };
    let next = s
        .top_level_page(t, Sort::Oldest, Some(after), 10)
        .await
        .expect("page");
    assert_eq!(next.iter().map(|c| c.id).collect::<Vec<_>>(), vec![second]);
    let newest = s
        .top_level_page(t, Sort::Newest, None, 10)
        .await
        .expect("page");
    assert_eq!(
        newest.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![second, first]
    );
    let mut under: Vec<CommentId> = s
        .under_roots(&[first, second])
        .await
        .expect("under")
        .iter()
        .map(|c| c.id)
        .collect();
    under.sort();
    assert_eq!(under, vec![reply, deep]);

    assert_eq!(s.vote(second, "a", Vote::Up).await.expect("vote"), 1);
    assert_eq!(s.vote(second, "b", Vote::Up).await.expect("vote"), 2);
    assert_eq!(s.vote(second, "a", Vote::Down).await.expect("vote"), 0);
    let top = s
        .top_level_page(t, Sort::Top, None, 10)
        .await
        .expect("page");
    assert_eq!(top.len(), 2);
    assert!(
        s.report(first, "r1", ReportReason::Spam, Some("ads".into()))
            .await
            .expect("report")
    );
    assert!(
        !s.report(first, "r1", ReportReason::Abusive, None)
            .await
            .expect("again")
    );

    let edited = s
        .edit_comment(
            second,
            CommentEdit {
                body_markdown: "second, edited".into(),
                body_html: "<p>second, edited</p>".into(),
                moderated: moderated(CommentStatus::Held, 0.9),
                edited_at: Utc::now(),
                text_hash: "h2".into(),
            },
        )
        .await
        .expect("edit");
    assert_eq!(
        (edited.status, edited.body_markdown.as_str()),
        (CommentStatus::Held, "second, edited")
    );
    assert!(edited.edited_at.is_some());
    s.delete_comment(deep, Utc::now()).await.expect("delete");
    let gone = s
        .comment(deep)
        .await
        .expect("read")
        .expect("kept as a tombstone");
    assert_eq!(
        (gone.status, gone.body_markdown.as_str()),
        (CommentStatus::Deleted, "")
    );
    let all = s.site_comments(&news).await.expect("site comments");
    assert_eq!(all.len(), 3, "deleted comments are left out");
    assert_eq!(
        s.thread_by_id(t)
            .await
            .expect("t")
            .expect("t")
            .published_count,
        2
    );
}

#[tokio::test]
async fn feeds_read_published_comments_and_replies_newest_first() {
    let db = db().await;
    let s = db.store.as_ref();
    let news = site(s, "news").await;
    let (a, b) = (thread(s, &news, "/a").await, thread(s, &news, "/b").await);
    let asha = || guest("Asha", Some("asha@example.org"));
    let root = post(
        s,
        Post {
            author: asha(),
            ago_ms: 4000,
            ..Post::new(a, "root")
        },
    )
    .await;
    let reply = post(
        s,
        Post {
            parent: Some(root),
            author: guest("Bilal", None),
            ago_ms: 3000,
            ..Post::new(a, "reply")
        },
    )
    .await;
    let own = post(
        s,
        Post {
            parent: Some(root),
            author: asha(),
            ago_ms: 2000,
            ..Post::new(a, "own reply")
        },
    )
    .await;
    let held = post(
        s,
        Post {
            parent: Some(root),
            status: CommentStatus::Held,
            ..Post::new(a, "held reply")
        },
    )
    .await;
    let elsewhere = post(
        s,
        Post {
            ago_ms: 1000,
            ..Post::new(b, "elsewhere")
        },
    )
    .await;
    let ids = |v: Vec<(jirga_store::StoredComment, jirga_store::Thread)>| {
        v.into_iter().map(|(c, t)| (c.id, t.id)).collect::<Vec<_>>()
    };
    assert_eq!(
        ids(s.latest_published(&news, None, 10).await.expect("latest")),
        vec![(elsewhere, b), (own, a), (reply, a), (root, a)]
    );
    assert_eq!(
        ids(s.latest_published(&news, Some(a), 2).await.expect("thread")),
        vec![(own, a), (reply, a)]
    );
    let author = s.comment(root).await.expect("c").expect("c").author.id;
    // Replies by others, published: not the author's own, not the held one.
    assert_eq!(
        ids(s.replies_to(&news, author, 10).await.expect("replies")),
        vec![(reply, a)]
    );
    assert!(held > reply);
}

#[tokio::test]
async fn webhooks_and_their_outbox() {
    use jirga_store::{DeliveryOutcome, NewWebhook, WebhookFormat};
    let db = db().await;
    let s = db.store.as_ref();
    let news = site(s, "news").await;
    let other = site(s, "other").await;
    let hook = |events: &[&str]| NewWebhook {
        site_id: news.clone(),
        url: "http://127.0.0.1:9/hook".into(),
        secret: "whsec".into(),
        events: events.iter().map(|e| (*e).to_owned()).collect(),
        format: WebhookFormat::Json,
    };
    let all = s
        .create_webhook(hook(&["comment.published", "comment.held"]))
        .await
        .expect("hook");
    let held_only = s
        .create_webhook(hook(&["comment.held"]))
        .await
        .expect("hook");
    assert_eq!(s.webhooks(&news).await.expect("list").len(), 2);
    assert_eq!(s.webhooks(&news).await.expect("list")[0], all);
    assert_eq!(
        s.enqueue_event(&news, "comment.published", "e1", "{}", None)
            .await
            .expect("q"),
        1
    );
    assert_eq!(
        s.enqueue_event(&news, "comment.held", "e2", "{}", None)
            .await
            .expect("q"),
        2
    );
    assert_eq!(
        s.enqueue_event(&news, "comment.edited", "e3", "{}", None)
            .await
            .expect("q"),
        0
    );
    assert_eq!(
        s.enqueue_event(&other, "comment.held", "e4", "{}", None)
            .await
            .expect("q"),
        0
    );
    assert_eq!(
        s.enqueue_event(&news, "test", "e5", "{}", Some(held_only.id))
            .await
            .expect("q"),
        1
    );
    assert_eq!(s.outbox_depth().await.expect("depth"), 4);

    let now = Utc::now() + Duration::seconds(1);
    let due = s.due_deliveries(now, 10).await.expect("due");
    assert_eq!(due.len(), 4);
    assert_eq!(due[0].event_id, "e1");
    assert_eq!(due[0].webhook.secret.expose(), "whsec");
    // One instance claims a delivery; a second claim of the same one fails.
    assert!(
        s.claim_delivery(&due[0], now + Duration::minutes(2))
            .await
            .expect("claim")
    );
    assert!(
        !s.claim_delivery(&due[0], now + Duration::minutes(2))
            .await
            .expect("again")
    );
    s.finish_delivery(
        due[0].id,
        DeliveryOutcome::Delivered {
            status: 204,
            response: String::new(),
        },
        now,
    )
    .await
    .expect("done");
    s.finish_delivery(
        due[1].id,
        DeliveryOutcome::Failed {
            status: Some(500),
            error: "the receiver answered 500".into(),
            response: Some("oops".into()),
            retry_at: Some(now + Duration::seconds(30)),
        },
        now,
    )
    .await
    .expect("failed");
    s.finish_delivery(
        due[2].id,
        DeliveryOutcome::Failed {
            status: None,
            error: "no answer in time".into(),
            response: None,
            retry_at: None,
        },
        now,
    )
    .await
    .expect("given up");
    assert_eq!(
        s.outbox_depth().await.expect("depth"),
        2,
        "one to retry, one never tried"
    );
    let later = s.due_deliveries(now, 10).await.expect("due");
    assert_eq!(
        later.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![due[3].id],
        "the retry waits"
    );
    let log = s.deliveries(&news, 10).await.expect("log");
    assert_eq!(log.len(), 4);
    let by_id = |id| log.iter().find(|d| d.id == id).expect("in the log");
    assert!(by_id(due[0].id).delivered_at.is_some());
    assert_eq!(
        (by_id(due[1].id).attempts, by_id(due[1].id).last_status),
        (1, Some(500))
    );
    assert_eq!(by_id(due[1].id).last_response.as_deref(), Some("oops"));
    assert!(by_id(due[2].id).given_up);
    // Changes are journalled in their own transactions, for sites with webhooks only.
    let t = thread(s, &news, "/journal").await;
    let quiet = thread(s, &other, "/quiet").await;
    let c = post(s, Post::new(t, "journalled")).await;
    post(s, Post::new(quiet, "not journalled: no webhooks there")).await;
    s.report(c, "r1", ReportReason::Spam, None)
        .await
        .expect("report");
    let journal = s.journal_entries(10).await.expect("journal");
    let got: Vec<(&str, CommentId)> = journal
        .iter()
        .map(|e| (e.event.as_str(), e.comment_id))
        .collect();
    assert_eq!(got, vec![("comment.published", c), ("comment.reported", c)]);
    assert!(
        journal[1]
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("spam"))
    );
    let before = s.outbox_depth().await.expect("depth");
    assert!(
        s.take_journal_entry(&journal[0], "e6", "{}")
            .await
            .expect("take")
    );
    assert!(
        !s.take_journal_entry(&journal[0], "e6", "{}")
            .await
            .expect("taken already")
    );
    assert_eq!(
        s.outbox_depth().await.expect("depth"),
        before + 1,
        "the one webhook subscribed"
    );
    assert!(
        s.take_journal_entry(&journal[1], "e7", "{}")
            .await
            .expect("take")
    );
    assert_eq!(
        s.outbox_depth().await.expect("depth"),
        before + 1,
        "nobody subscribed to reports"
    );
    assert!(s.journal_entries(10).await.expect("journal").is_empty());
    assert!(s.delete_webhook(&news, held_only.id).await.expect("delete"));
    assert!(
        !s.delete_webhook(&other, all.id)
            .await
            .expect("not that site's")
    );
    assert_eq!(
        s.deliveries(&news, 10).await.expect("log").len(),
        3,
        "e1, e2 and e6 remain"
    );
}

#[tokio::test]
async fn queues_decisions_bans_and_the_modlog() {
    let db = db().await;
    let s = db.store.as_ref();
    let news = site(s, "news").await;
    let t = thread(s, &news, "/a").await;
    let held = post(
        s,
        Post {
            status: CommentStatus::Held,
            abuse: 0.92,
            ..Post::new(t, "held")
        },
    )
    .await;
    let reported = post(
        s,
        Post {
            author: guest("Other", Some("Other@Example.org")),
            ..Post::new(t, "reported")
        },
    )
    .await;
    let fine = post(s, Post::new(t, "fine")).await;
    s.report(reported, "r1", ReportReason::Abusive, None)
        .await
        .expect("report");
    s.report(fine, "r2", ReportReason::Other, None)
        .await
        .expect("report");
    let sites = [news.clone()];
    let queue = s.held_queue(&sites, 10).await.expect("queue");
    assert_eq!(
        queue.iter().map(|q| q.comment.id).collect::<Vec<_>>(),
        vec![held]
    );
    assert_eq!(queue[0].thread_key, "/a");
    // Beside it, what its author did before: one published (reported once), this one held.
    assert_eq!(
        queue[0].history,
        jirga_store::AuthorHistory {
            published: 1,
            held: 1,
            rejected: 0,
            reports: 1,
            bans: 0
        }
    );
    let reports = s.report_queue(&sites, 10).await.expect("reports");
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0].reports.len(), 1);

    let approved = s
        .moderate(
            held,
            CommentStatus::Published,
            entry(&news, ModAction::Approve, Some(held)),
        )
        .await
        .expect("approve");
    assert_eq!(approved.status, CommentStatus::Published);
    s.dismiss_reports(fine, entry(&news, ModAction::DismissReports, Some(fine)))
        .await
        .expect("dismiss");
    assert_eq!(s.report_queue(&sites, 10).await.expect("q").len(), 1);

    let author = s.comment(reported).await.expect("c").expect("c").author.id;
    let scope = BanScope {
        email: true,
        address: false,
        shadow: false,
    };
    let banned = s
        .ban(
            reported,
            scope,
            Some(Utc::now() + Duration::days(1)),
            entry(&news, ModAction::Ban, Some(reported)),
            entry(&news, ModAction::Reject, Some(reported)),
        )
        .await
        .expect("ban");
    assert_eq!(banned.status, CommentStatus::Rejected);
    assert!(s.report_queue(&sites, 10).await.expect("q").is_empty());
    let now = Utc::now();
    let check = |author: Option<AuthorId>, email: Option<&'static str>| BanCheck {
        author_id: author,
        email,
        ip_hash: None,
    };
    assert_eq!(
        s.ban_state(&news, check(Some(author), None), now)
            .await
            .expect("b"),
        BanState::Banned
    );
    assert_eq!(
        s.ban_state(&news, check(None, Some("other@example.ORG")), now)
            .await
            .expect("b"),
        BanState::Banned,
        "the email ban is case-insensitive"
    );
    assert_eq!(
        s.ban_state(&news, check(None, Some("x@example.org")), now)
            .await
            .expect("b"),
        BanState::None
    );
    assert_eq!(
        s.ban_state(&news, check(Some(author), None), now + Duration::days(2))
            .await
            .expect("b"),
        BanState::None,
        "the ban ends"
    );

    s.log(entry(&news, ModAction::Settings, None))
        .await
        .expect("log");
    let log = s.modlog(&sites, 10).await.expect("modlog");
    // Each line names what it was about: the comment's text and thread.
    let approve = log
        .iter()
        .find(|e| e.action == ModAction::Approve)
        .expect("approve line");
    assert_eq!(
        (approve.excerpt.as_deref(), approve.thread_key.as_deref()),
        (Some("held"), Some("/a"))
    );
    let settings = log
        .iter()
        .find(|e| e.action == ModAction::Settings)
        .expect("settings line");
    assert_eq!(settings.excerpt, None);
    let actions: Vec<ModAction> = log.iter().map(|e| e.action).collect();
    for a in [
        ModAction::Approve,
        ModAction::DismissReports,
        ModAction::Ban,
        ModAction::Reject,
        ModAction::Settings,
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    let decisions = s.moderator_decisions(&news).await.expect("decisions");
    let mut d: Vec<(CommentId, bool)> = decisions.iter().map(|(c, r)| (c.id, *r)).collect();
    d.sort();
    assert_eq!(d, vec![(held, false), (reported, true)]);
    let days = s.daily_stats(&news, 7).await.expect("days");
    let total: i64 = days.iter().map(|d| d.published + d.held + d.rejected).sum();
    assert_eq!(total, 3);
    let bins = s.abuse_histogram(&news).await.expect("bins");
    assert_eq!(bins.iter().map(|b| b.comments).sum::<i64>(), 3);
    assert_eq!(bins[18].comments, 1, "0.92 falls in [0.90, 0.95)");
    assert_eq!(bins[2].rejected, 1, "the rejected one scored 0.1");
}

#[tokio::test]
async fn moderators_sessions_and_author_badges() {
    let db = db().await;
    let s = db.store.as_ref();
    let news = site(s, "news").await;
    let other = site(s, "other").await;
    let id = s
        .create_moderator("Mod@Example.org", "Mod", "phc", std::slice::from_ref(&news))
        .await
        .expect("moderator");
    assert!(matches!(
        s.create_moderator("mod@example.org", "Again", "phc", &[])
            .await,
        Err(StoreError::Conflict(_))
    ));
    let m = s
        .moderator_by_email("MOD@example.org")
        .await
        .expect("read")
        .expect("found");
    assert_eq!(
        (m.id, m.sites.clone(), m.admin_of.len()),
        (id, vec![news.clone()], 0)
    );
    s.grant_admin(id, &other).await.expect("grant");
    let m = s
        .moderator_by_email("mod@example.org")
        .await
        .expect("r")
        .expect("m");
    assert_eq!(m.admin_of, vec![other.clone()]);
    assert_eq!(m.sites.len(), 2);

    let now = Utc::now();
    s.create_session("tok", id, now + Duration::hours(1))
        .await
        .expect("session");
    assert_eq!(
        s.session_moderator("tok", now)
            .await
            .expect("s")
            .map(|m| m.id),
        Some(id)
    );
    assert!(
        s.session_moderator("tok", now + Duration::hours(2))
            .await
            .expect("s")
            .is_none()
    );
    s.delete_session("tok").await.expect("delete");
    assert!(s.session_moderator("tok", now).await.expect("s").is_none());

    let t = thread(s, &news, "/a").await;
    post(
        s,
        Post {
            author: guest("Amina Khan", Some("amina@example.org")),
            ..Post::new(t, "a")
        },
    )
    .await;
    post(
        s,
        Post {
            author: guest("Bilal", None),
            ..Post::new(t, "b")
        },
    )
    .await;
    let found = s.site_authors(&news, "AMINA", 10).await.expect("authors");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].email.as_deref(), Some("amina@example.org"));
    let amina = found[0].author.id;
    s.set_badges(&news, amina, Some("Hydrologist".into()), true)
        .await
        .expect("badges");
    let all = s.site_authors(&news, "", 10).await.expect("authors");
    assert_eq!(all.len(), 2);
    let a = all.iter().find(|r| r.author.id == amina).expect("amina");
    assert_eq!(
        (a.author.affiliation.as_deref(), a.author.verified),
        (Some("Hydrologist"), true)
    );
    assert!(matches!(
        s.set_badges(&other, amina, None, false).await,
        Err(StoreError::NotFound(_))
    ));
}

#[tokio::test]
async fn accounts_tokens_sessions_export_and_deletion() {
    let db = db().await;
    let s = db.store.as_ref();
    let news = site(s, "news").await;
    let keep = site(s, "keep").await;
    let new = |email: Option<&str>, oidc: Option<(&str, &str)>| NewAccount {
        email: email.map(str::to_owned),
        name: "Reader".into(),
        password_hash: Some("phc".to_owned().into()),
        email_verified: false,
        oidc: oidc.map(|(i, s)| (i.to_owned(), s.to_owned())),
    };
    let a = s
        .create_account(new(Some("Reader@Example.org"), None))
        .await
        .expect("account");
    assert!(matches!(
        s.create_account(new(Some("reader@example.org"), None))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let o = s
        .create_account(new(None, Some(("https://id.example", "sub-1"))))
        .await
        .expect("oidc account");
    let by = |k| async move { s.account(k).await.expect("read").map(|a| a.id) };
    assert_eq!(by(AccountKey::Id(a.id)).await, Some(a.id));
    assert_eq!(
        by(AccountKey::Email("READER@example.org")).await,
        Some(a.id)
    );
    assert_eq!(
        by(AccountKey::Oidc {
            issuer: "https://id.example",
            subject: "sub-1"
        })
        .await,
        Some(o.id)
    );
    s.update_account(
        a.id,
        AccountChange {
            email_verified: Some(true),
            ..AccountChange::default()
        },
    )
    .await
    .expect("update");
    let a = s
        .account(AccountKey::Id(a.id))
        .await
        .expect("r")
        .expect("a");
    assert!(a.email_verified);

    let now = Utc::now();
    s.create_account_token("t1", a.id, TokenPurpose::Reset, now + Duration::hours(1))
        .await
        .expect("token");
    assert!(
        s.take_account_token("t1", TokenPurpose::Verify, now)
            .await
            .expect("t")
            .is_none()
    );
    s.create_account_token("t2", a.id, TokenPurpose::Reset, now + Duration::hours(1))
        .await
        .expect("token");
    assert_eq!(
        s.take_account_token("t2", TokenPurpose::Reset, now)
            .await
            .expect("t"),
        Some(a.id)
    );
    assert!(
        s.take_account_token("t2", TokenPurpose::Reset, now)
            .await
            .expect("t")
            .is_none(),
        "once"
    );

    s.create_account_session("s1", a.id, now + Duration::hours(1))
        .await
        .expect("s");
    s.create_account_session("s2", a.id, now + Duration::hours(1))
        .await
        .expect("s");
    assert_eq!(
        s.session_account("s1", now).await.expect("s").map(|a| a.id),
        Some(a.id)
    );
    assert_eq!(
        s.end_account_sessions(a.id, Some("s1")).await.expect("end"),
        1
    );
    assert!(s.session_account("s1", now).await.expect("s").is_none());

    let on_news = s.account_author(&news, &a).await.expect("author");
    assert_eq!(
        s.account_author(&news, &a).await.expect("again").id,
        on_news.id
    );
    let on_keep = s.account_author(&keep, &a).await.expect("author");
    let t = thread(s, &news, "/a").await;
    let k = thread(s, &keep, "/k").await;
    let mine = post(
        s,
        Post {
            author: AuthorRef::Existing(on_news.id),
            ..Post::new(t, "mine")
        },
    )
    .await;
    let kept = post(
        s,
        Post {
            author: AuthorRef::Existing(on_keep.id),
            ..Post::new(k, "kept")
        },
    )
    .await;
    let voter = jirga_store::account_voter(a.id);
    s.vote(kept, &voter, Vote::Up).await.expect("vote");
    s.report(mine, &voter, ReportReason::OffTopic, Some("note".into()))
        .await
        .expect("report");
    let data = s.account_data(a.id).await.expect("data").expect("exists");
    assert_eq!((data.authors.len(), data.comments.len()), (2, 2));
    assert_eq!(
        data.votes.iter().map(|v| v.0).collect::<Vec<_>>(),
        vec![kept]
    );
    assert_eq!(
        data.reports.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![mine]
    );
    assert_eq!(data.sessions.len(), 1);

    let removed = s
        .delete_account(a.id, std::slice::from_ref(&news), Utc::now())
        .await
        .expect("delete");
    assert_eq!(removed.iter().map(|c| c.id).collect::<Vec<_>>(), vec![mine]);
    assert_eq!(
        s.comment(mine).await.expect("c").expect("c").status,
        CommentStatus::Deleted
    );
    let left = s.comment(kept).await.expect("c").expect("c");
    assert_eq!(
        (left.status, left.author.name.as_str()),
        (CommentStatus::Published, jirga_store::DELETED_USER)
    );
    assert!(s.account(AccountKey::Id(a.id)).await.expect("r").is_none());
    assert!(s.session_account("s2", now).await.expect("s").is_none());
    assert_eq!(
        s.end_account_sessions(o.id, None).await.expect("none open"),
        0
    );
}

#[tokio::test]
async fn publisher_sign_on_accounts_and_revoked_tokens() {
    let db = db().await;
    let s = db.store.as_ref();
    let news = site(s, "news").await;
    let other = site(s, "other").await;
    let t0 = Utc::now();
    let profile = |name: &str, email: Option<&str>, at| SsoProfile {
        subject: "u-42".into(),
        name: name.into(),
        email: email.map(str::to_owned),
        affiliation: Some("Reporter".into()),
        verified: true,
        issued_at: at,
    };
    let (a, author) = s
        .sso_account(&news, profile("Amina", Some("amina@example.org"), t0))
        .await
        .expect("first sign-in");
    assert_eq!(a.oidc_issuer.as_deref(), Some("sso:news"));
    assert_eq!(
        (a.email.as_deref(), a.email_verified),
        (Some("amina@example.org"), true)
    );
    assert_eq!(
        (
            author.name.as_str(),
            author.affiliation.as_deref(),
            author.verified
        ),
        ("Amina", Some("Reporter"), true)
    );
    // A newer token renames; an older one changes nothing.
    let (b, renamed) = s
        .sso_account(
            &news,
            profile(
                "Amina K.",
                Some("amina@example.org"),
                t0 + Duration::seconds(5),
            ),
        )
        .await
        .expect("newer");
    assert_eq!(
        (b.id, b.name.as_str(), renamed.id, renamed.name.as_str()),
        (a.id, "Amina K.", author.id, "Amina K.")
    );
    let (c, kept) = s
        .sso_account(&news, profile("Old Name", None, t0))
        .await
        .expect("older");
    assert_eq!(
        (c.name.as_str(), kept.name.as_str(), c.email.as_deref()),
        ("Amina K.", "Amina K.", Some("amina@example.org"))
    );
    // The same publisher id on another site is another reader; an address another account
    // has is left off.
    let (d, _) = s
        .sso_account(&other, profile("Amina", Some("AMINA@example.org"), t0))
        .await
        .expect("other site");
    assert_ne!(d.id, a.id);
    assert_eq!(d.email, None);

    let until = Utc::now() + Duration::hours(1);
    assert!(!s.token_revoked(&news, "jti-1").await.expect("read"));
    assert!(s.revoke_token(&news, "jti-1", until).await.expect("revoke"));
    assert!(!s.revoke_token(&news, "jti-1", until).await.expect("again"));
    assert!(s.token_revoked(&news, "jti-1").await.expect("read"));
    assert!(!s.token_revoked(&other, "jti-1").await.expect("per site"));
}

#[tokio::test]
async fn secrets_events_readiness_and_gauges() {
    let db = db().await;
    let s = db.store.as_ref();
    let ready = s.readiness().await.expect("readiness");
    assert!(ready.current(), "{ready:?}");
    assert_eq!(
        ready.applied,
        Some(ready.expected),
        "a fresh database has every migration"
    );
    assert!(!s.pool_stats().is_empty());
    let news = site(s, "news").await;
    let t = thread(s, &news, "/a").await;
    assert_eq!(s.held_count().await.expect("held"), 0);
    post(
        s,
        Post {
            status: CommentStatus::Held,
            ..Post::new(t, "wait")
        },
    )
    .await;
    assert_eq!(s.held_count().await.expect("held"), 1);

    let a = s.secret("ip-salt-1").await.expect("secret");
    assert_eq!(s.secret("ip-salt-1").await.expect("again"), a);
    let b = s.secret("ip-salt-2").await.expect("secret");
    assert_ne!(a, b);
    assert_eq!(
        s.retire_secrets("ip-salt-", "ip-salt-2")
            .await
            .expect("retire"),
        1
    );
    assert_ne!(
        s.secret("ip-salt-1").await.expect("new"),
        a,
        "a retired secret is gone"
    );

    let mut events = s.subscribe();
    let event = Event {
        site: "news".into(),
        thread: "/a".into(),
        thread_id: ThreadId(7),
        kind: EventKind::Published,
        comment_id: Some(CommentId(9)),
        count: 3,
    };
    s.publish(&event).await.expect("publish");
    let heard = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        loop {
            match events.recv().await {
                Ok(e) if e.kind != EventKind::Resync => break e,
                Ok(_) => {}
                Err(e) => panic!("events: {e}"),
            }
        }
    })
    .await
    .expect("the event arrives");
    assert_eq!(heard, event);
}

#[tokio::test]
async fn imports_run_again_add_nothing_and_undo_exactly() {
    let db = db().await;
    let s = db.store.as_ref();
    let news = site(s, "news").await;
    let existing = thread(s, &news, "/old-article").await;
    let batch = s
        .create_import_batch(&news, "disqus", "export.xml")
        .await
        .expect("batch");
    // A thread the site had is used as it is; a new one belongs to the batch.
    let made_update = ThreadUpdate {
        title: Some("New".into()),
        url: Some("https://news.example/new-article".into()),
        ..ThreadUpdate::default()
    };
    let ids = s
        .import_threads(
            batch,
            &news,
            &[
                (key("/old-article"), ThreadUpdate::default(), None),
                (key("/new-article"), made_update, None),
            ],
        )
        .await
        .expect("threads");
    assert_eq!(ids[0], existing);
    let made = s
        .thread_by_id(ids[1])
        .await
        .expect("t")
        .expect("new thread");
    assert_eq!(
        (made.title.as_str(), made.url.as_deref()),
        ("New", Some("https://news.example/new-article"))
    );
    let item = |ext: &str, parent: Option<&str>, status: CommentStatus| ImportComment {
        external_id: ext.into(),
        thread_id: made.id,
        parent: parent.map(str::to_owned),
        author: ImportAuthor {
            key: "user:amna".into(),
            name: "Amna".into(),
            email: Some("amna@example.org".into()),
            ..ImportAuthor::default()
        },
        body_markdown: format!("Comment {ext}"),
        body_html: format!("<p>Comment {ext}</p>"),
        status,
        reasons: Vec::new(),
        created_at: Utc::now(),
        text_hash: format!("h{ext}"),
        edited_at: None,
        abuse_score: None,
        on_topic_score: None,
        votes: Vec::new(),
    };
    // "c" replies to "b", which comes later in the file; "a" is a plain top-level comment.
    let first = s
        .import_comments(
            batch,
            &news,
            "disqus",
            &[
                item("a", None, CommentStatus::Published),
                item("c", Some("b"), CommentStatus::Published),
            ],
        )
        .await
        .expect("import");
    let second = s
        .import_comments(
            batch,
            &news,
            "disqus",
            &[
                item("b", Some("a"), CommentStatus::Held),
                item("d", None, CommentStatus::Held),
            ],
        )
        .await
        .expect("import");
    let (Imported::New(a), Imported::New(c), Imported::New(b), Imported::New(d)) =
        (first[0], first[1], second[0], second[1])
    else {
        panic!("all new: {first:?} {second:?}");
    };
    let links = s.finish_import(batch, "{}").await.expect("finish");
    assert_eq!(
        links,
        ImportLinks {
            linked: 1,
            orphans: 0
        }
    );
    let c_row = s.comment(c).await.expect("c").expect("c exists");
    assert_eq!(
        (c_row.parent_id, c_row.depth),
        (Some(b), 2),
        "linked under b, under a"
    );
    let b_row = s.comment(b).await.expect("b").expect("b exists");
    assert_eq!(
        b_row.author.id, c_row.author.id,
        "one author per source key"
    );
    let t = s.thread_by_id(made.id).await.expect("t").expect("thread");
    assert_eq!(t.published_count, 2, "a and c; b is held");
    // The same records again: nothing new.
    let again = s
        .import_comments(
            batch,
            &news,
            "disqus",
            &[item("a", None, CommentStatus::Published)],
        )
        .await
        .expect("again");
    assert_eq!(again, vec![Imported::Existing(a)]);
    // A reader replies to the imported "a" after the import.
    let reader = post(
        s,
        Post {
            parent: Some(a),
            ..Post::new(made.id, "A reader's reply")
        },
    )
    .await;
    // A moderator rejects the imported "d": the modlog, which is never rewritten, names it.
    s.log(entry(&news, ModAction::Reject, Some(d)))
        .await
        .expect("log");
    let listed = s.import_batches(&news).await.expect("batches");
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].id, listed[0].comments, listed[0].undone_at),
        (batch, 4, None)
    );
    assert!(
        s.undo_import(&site(s, "other").await, batch).await.is_err(),
        "another site's batch"
    );
    assert_eq!(
        s.undo_import(&news, batch).await.expect("undo"),
        2,
        "b and c removed"
    );
    // "a" stays as the placeholder the reader's reply hangs from; the reply is untouched.
    let a_row = s.comment(a).await.expect("a").expect("placeholder");
    assert_eq!(
        (a_row.status, a_row.body_html.as_str()),
        (CommentStatus::Deleted, "")
    );
    assert!(s.comment(reader).await.expect("reply").is_some());
    assert!(s.comment(b).await.expect("b").is_none());
    let d_row = s
        .comment(d)
        .await
        .expect("d")
        .expect("the modlog's comment stays");
    assert_eq!(
        (d_row.status, d_row.body_markdown.as_str()),
        (CommentStatus::Deleted, "")
    );
    assert_eq!(
        s.modlog(std::slice::from_ref(&news), 10)
            .await
            .expect("modlog")[0]
            .comment_id,
        Some(d)
    );
    assert!(
        s.thread_by_id(made.id).await.expect("t").is_some(),
        "still has the reader's reply"
    );
    assert!(s.thread_by_id(existing).await.expect("t").is_some());
    assert!(
        s.import_batches(&news).await.expect("b")[0]
            .undone_at
            .is_some()
    );
    assert!(s.undo_import(&news, batch).await.is_err(), "undone once");
}

/// An appeal puts a rejected comment back in the held queue with its reasons; a comment that
/// is not rejected cannot be appealed.
#[tokio::test]
async fn appeals_send_a_rejected_comment_back_to_the_queue() {
    let db = db().await;
    let s = db.store.as_ref();
    let news = site(s, "news").await;
    let t = thread(s, &news, "/appeal").await;
    let id = post(
        s,
        Post {
            status: CommentStatus::Rejected,
            ..Post::new(t, "Rejected by mistake")
        },
    )
    .await;
    let reasons = vec![jirga_domain::Reason::new(
        "appeal",
        "Appeal from the author: it was on topic.",
    )];
    let after = s.appeal(id, &reasons).await.expect("appeal");
    assert_eq!(
        (after.status, after.reasons.clone()),
        (CommentStatus::Held, reasons.clone())
    );
    assert!(
        s.held_queue(std::slice::from_ref(&news), 10)
            .await
            .expect("queue")
            .iter()
            .any(|q| q.comment.id == id)
    );
    assert!(matches!(
        s.appeal(id, &reasons).await,
        Err(StoreError::Conflict(_))
    ));
}

/// The mail outbox (claimed once, retried, given up), readers' addresses (confirming one
/// merges the guest records with it), reply notices gathered per reader and taken once, and
/// moderators' digests taken once per period.
#[tokio::test]
async fn mail_outbox_addresses_replies_and_digests() {
    let db = db().await;
    let s = db.store.as_ref();
    let news = site(s, "news").await;
    let t = thread(s, &news, "/mail").await;
    let now = Utc::now();

    // The outbox.
    let mail = jirga_store::NewMail {
        site_id: Some(news.clone()),
        to: "reader@example.org".into(),
        subject: "Hello".into(),
        body: "Text".into(),
        unsubscribe: Some("https://jirga.example/mail/unsubscribe?x".into()),
    };
    s.enqueue_mail(mail.clone(), now).await.expect("enqueue");
    let due = s.due_mail(now, 10).await.expect("due");
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].mail, mail);
    assert!(
        s.claim_mail(&due[0], now + Duration::minutes(2))
            .await
            .expect("claim")
    );
    assert!(
        !s.claim_mail(&due[0], now + Duration::minutes(2))
            .await
            .expect("again")
    );
    assert!(s.due_mail(now, 10).await.expect("due").is_empty());
    s.finish_mail(due[0].id, Some("refused".into()), Some(now), now)
        .await
        .expect("failed once");
    let again = s.due_mail(now, 10).await.expect("due");
    assert_eq!(again[0].attempts, 1);
    s.finish_mail(again[0].id, None, None, now)
        .await
        .expect("sent");
    assert_eq!(s.mail_backlog().await.expect("backlog"), 0);
    s.enqueue_mail(mail.clone(), now).await.expect("enqueue");
    let id = s.due_mail(now, 10).await.expect("due")[0].id;
    s.finish_mail(id, Some("bad address".into()), None, now)
        .await
        .expect("given up");
    assert!(
        s.due_mail(now + Duration::days(2), 10)
            .await
            .expect("due")
            .is_empty()
    );

    // One guest, two names, one address (in two cases); another guest with another address.
    let first = post(
        s,
        Post {
            author: guest("Ali", Some("ali@example.org")),
            ..Post::new(t, "First, as Ali")
        },
    )
    .await;
    let second = post(
        s,
        Post {
            author: guest("Ali K.", Some("ALI@example.org")),
            ..Post::new(t, "Second, as Ali K.")
        },
    )
    .await;
    let other = post(
        s,
        Post {
            author: guest("Bea", Some("bea@example.org")),
            ..Post::new(t, "Bea's")
        },
    )
    .await;
    let c1 = s
        .contact(first)
        .await
        .expect("contact")
        .expect("an address");
    let c2 = s
        .contact(second)
        .await
        .expect("contact")
        .expect("an address");
    assert_eq!(c2.email, "ali@example.org");
    assert_ne!(c1.author_id, c2.author_id);
    assert!(!c1.confirmed && !c1.replies);
    let anonymous = post(
        s,
        Post {
            author: guest("Anon", None),
            ..Post::new(t, "No address")
        },
    )
    .await;
    assert_eq!(s.contact(anonymous).await.expect("contact"), None);

    // A confirmation mail at most once per gap.
    let gap = Duration::hours(24);
    assert!(
        s.note_confirm_sent(&news, "ali@example.org", now, gap)
            .await
            .expect("first")
    );
    assert!(
        !s.note_confirm_sent(&news, "Ali@example.org", now, gap)
            .await
            .expect("again")
    );
    assert!(
        s.note_confirm_sent(&news, "ali@example.org", now + Duration::hours(25), gap)
            .await
            .expect("a day later")
    );

    // Confirming from the second comment's mail: one author, named as the confirmer is now.
    let kept = s
        .confirm_email(&news, "ali@example.org", c2.author_id, now)
        .await
        .expect("confirm");
    assert_eq!(kept, c2.author_id);
    let (a, b) = (
        s.comment(first).await.expect("read").expect("first"),
        s.comment(second).await.expect("read").expect("second"),
    );
    assert_eq!((a.author.id, b.author.id), (kept, kept));
    assert_eq!(a.author.name, "Ali K.");
    assert!(
        s.contact(first)
            .await
            .expect("contact")
            .expect("address")
            .confirmed
    );
    assert!(
        !s.contact(other)
            .await
            .expect("contact")
            .expect("address")
            .confirmed
    );
    // A later record with the address joins the one confirmed before, whoever confirms.
    let third = post(
        s,
        Post {
            author: guest("A. K.", Some("ali@example.org")),
            ..Post::new(t, "Third name")
        },
    )
    .await;
    let c3 = s.contact(third).await.expect("contact").expect("address");
    assert!(!c3.confirmed);
    assert_eq!(
        s.confirm_email(&news, "ali@example.org", c3.author_id, now)
            .await
            .expect("confirm"),
        kept
    );
    assert_eq!(
        s.comment(third).await.expect("read").expect("c").author.id,
        kept
    );
    // A ban of the confirmed author follows the address, whatever the moderator ticked.
    s.ban(
        first,
        BanScope::default(),
        None,
        entry(&news, ModAction::Ban, Some(first)),
        entry(&news, ModAction::Reject, Some(first)),
    )
    .await
    .expect("ban");
    let by_email = BanCheck {
        author_id: None,
        email: Some("ali@example.org"),
        ip_hash: Some("another-address"),
    };
    assert_eq!(
        s.ban_state(&news, by_email, now).await.expect("ban state"),
        BanState::Banned
    );

    // Reply notices: only for a reader who asked; gathered; taken once per gap.
    s.set_reply_mail(&news, "bea@example.org", true)
        .await
        .expect("on");
    assert!(s.contact(other).await.expect("c").expect("a").replies);
    s.add_reply_notice(&news, "Bea@example.org", first, now - Duration::minutes(5))
        .await
        .expect("notice");
    s.add_reply_notice(&news, "bea@example.org", second, now)
        .await
        .expect("notice");
    let (gather, every) = (Duration::minutes(2), Duration::hours(1));
    assert_eq!(
        s.reply_mail_due(now, gather, every).await.expect("due"),
        vec![(news.clone(), "bea@example.org".to_owned())]
    );
    assert!(
        s.reply_mail_due(now, Duration::minutes(10), every)
            .await
            .expect("not gathered yet")
            .is_empty()
    );
    assert_eq!(
        s.take_reply_notices(&news, "bea@example.org", now, every)
            .await
            .expect("take"),
        vec![first, second]
    );
    assert!(
        s.take_reply_notices(&news, "bea@example.org", now, every)
            .await
            .expect("taken")
            .is_empty()
    );
    // The next reply waits for the hour to pass.
    s.add_reply_notice(&news, "bea@example.org", third, now)
        .await
        .expect("notice");
    let later = now + Duration::minutes(5);
    assert!(
        s.reply_mail_due(later, gather, every)
            .await
            .expect("due")
            .is_empty()
    );
    let hour_on = now + Duration::minutes(61);
    assert_eq!(
        s.reply_mail_due(hour_on, gather, every)
            .await
            .expect("due")
            .len(),
        1
    );
    // Unsubscribing drops what waits.
    s.set_reply_mail(&news, "bea@example.org", false)
        .await
        .expect("off");
    assert!(
        s.reply_mail_due(hour_on, gather, every)
            .await
            .expect("due")
            .is_empty()
    );
    assert!(!s.contact(other).await.expect("c").expect("a").replies);

    // The moderator's note is kept with the comment's reasons.
    let note = vec![jirga_domain::Reason::new(
        "moderator_note",
        "A note from the moderator: no.",
    )];
    s.set_reasons(other, &note).await.expect("reasons");
    assert_eq!(
        s.comment(other).await.expect("read").expect("c").reasons,
        note
    );

    // Digests: due once per period, taken by one caller.
    let m = s
        .create_moderator(
            "digest@example.org",
            "Dee",
            "phc",
            std::slice::from_ref(&news),
        )
        .await
        .expect("moderator");
    assert!(
        s.take_due_digests(now)
            .await
            .expect("none asked")
            .is_empty()
    );
    s.set_digest(m, 24).await.expect("digest");
    let taken = s.take_due_digests(now).await.expect("due");
    assert_eq!(
        taken.iter().map(|m| m.digest_hours).collect::<Vec<_>>(),
        vec![24]
    );
    assert!(
        s.take_due_digests(now + Duration::hours(1))
            .await
            .expect("taken")
            .is_empty()
    );
    assert_eq!(
        s.take_due_digests(now + Duration::hours(25))
            .await
            .expect("a day on")
            .len(),
        1
    );
}

/// A site written out with `jirga export` and read back with `jirga import --format jirga`
/// into another site is the same site: threads (one without comments), authors with their
/// affiliation and verified mark, comments in every state with their reasons, scores, edit
/// time, nesting and votes. Compared by content, since the ids are the database's own.
#[tokio::test]
async fn export_then_import_gives_the_same_site() {
    use jirga_import::run::{Options, import};
    let db = db().await;
    let s = db.store.as_ref();
    let news = site(s, "news").await;
    let article = s
        .put_thread(
            &news,
            &key("/2026/11/budget/"),
            ThreadUpdate {
                title: Some("Budget passes".into()),
                url: Some("https://news.example/2026/11/budget/".into()),
                text: Some("The assembly passed the budget.".into()),
                closed: None,
            },
        )
        .await
        .expect("thread")
        .id;
    s.put_thread(
        &news,
        &key("/quiet/"),
        ThreadUpdate {
            title: Some("No comments yet".into()),
            closed: Some(true),
            ..ThreadUpdate::default()
        },
    )
    .await
    .expect("thread");
    let columnist = s
        .create_author(NewAuthor {
            site_id: news.clone(),
            name: "Amna Rauf".into(),
            email: Some("amna@news.example".into()),
            affiliation: Some("Economics desk".into()),
            verified: true,
        })
        .await
        .expect("author");
    let top = post(
        s,
        Post {
            author: AuthorRef::Existing(columnist),
            ..Post::new(article, "The **deficit** target is the real story.")
        },
    )
    .await;
    let reply = post(
        s,
        Post {
            parent: Some(top),
            author: guest("Bilal", Some("bilal@example.org")),
            ..Post::new(article, "Which target, the old or the revised one?")
        },
    )
    .await;
    post(
        s,
        Post {
            parent: Some(reply),
            author: AuthorRef::Existing(columnist),
            ..Post::new(article, "The revised one, 4.9 %.")
        },
    )
    .await;
    post(
        s,
        Post {
            status: CommentStatus::Held,
            abuse: 0.7,
            author: guest("Anonymous", None),
            ..Post::new(article, "Held for a moderator")
        },
    )
    .await;
    post(
        s,
        Post {
            status: CommentStatus::Rejected,
            abuse: 0.99,
            ..Post::new(article, "Rejected")
        },
    )
    .await;
    let gone = post(s, Post::new(article, "Deleted by its author")).await;
    post(
        s,
        Post {
            parent: Some(gone),
            ..Post::new(article, "A reply to a deleted comment")
        },
    )
    .await;
    s.delete_comment(gone, Utc::now()).await.expect("delete");
    s.edit_comment(
        top,
        CommentEdit {
            body_markdown: "The **deficit** target is the story.".into(),
            body_html: "<p>The <strong>deficit</strong> target is the story.</p>".into(),
            moderated: moderated(CommentStatus::Published, 0.05),
            edited_at: Utc::now(),
            text_hash: "h-edit".into(),
        },
    )
    .await
    .expect("edit");
    for (voter, vote) in [("r1", Vote::Up), ("r2", Vote::Up), ("r3", Vote::Down)] {
        s.vote(top, voter, vote).await.expect("vote");
    }

    // The pages an export reads, two rows at a time.
    let first = s
        .export_threads(&news, ThreadId(0), 1)
        .await
        .expect("threads");
    let rest = s
        .export_threads(&news, first[0].id, 10)
        .await
        .expect("threads");
    assert_eq!((first.len(), rest.len()), (1, 1));
    let authors = s
        .export_authors(&news, AuthorId(0), 10)
        .await
        .expect("authors");
    assert!(authors.iter().any(|a| a.id == columnist && a.verified));
    let page = s
        .export_comments(&news, CommentId(0), 2)
        .await
        .expect("comments");
    assert_eq!(page.len(), 2);
    assert_eq!(page[0].1.len(), 3, "the first comment's three votes");

    let mut written = Vec::new();
    let counts = jirga_import::export::jirga(s, &news, &mut written)
        .await
        .expect("export");
    assert_eq!((counts.threads, counts.comments, counts.votes), (2, 7, 3));
    let copy = site(s, "copy").await;
    let opts = Options {
        site: copy.clone(),
        format: jirga_import::Format::Jirga,
        file_name: "news.jsonl".into(),
        maps: vec![],
        dry_run: false,
        pingbacks: false,
        moderate: None,
    };
    let records = jirga_import::reader(
        jirga_import::Format::Jirga,
        written.as_slice(),
        &jirga_import::ReadOptions::default(),
    );
    let report = import(s, records, &opts, &|_| {}).await.expect("import");
    assert_eq!((report.imported, report.skipped.len()), (7, 0));
    let mut again = Vec::new();
    jirga_import::export::jirga(s, &copy, &mut again)
        .await
        .expect("export the copy");
    let before = same_site(&written);
    assert_eq!(before.len(), 9, "two threads, seven comments");
    assert!(
        before
            .iter()
            .any(|l| l.contains("\"r3\"") && l.contains("Economics desk"))
    );
    assert_eq!(before, same_site(&again));
    let copy_thread = s
        .thread(&copy, &key("/2026/11/budget/"))
        .await
        .expect("thread")
        .expect("copied");
    assert_eq!(
        copy_thread.published_count, 4,
        "top, two replies, the reply under the placeholder"
    );

    // Read back once more: nothing new.
    let records = jirga_import::reader(
        jirga_import::Format::Jirga,
        written.as_slice(),
        &jirga_import::ReadOptions::default(),
    );
    let report = import(s, records, &opts, &|_| {}).await.expect("import");
    assert_eq!((report.imported, report.already_imported), (0, 7));

    // Disqus XML for leaving: every comment in a state Disqus can say, nesting kept.
    let mut xml = Vec::new();
    jirga_import::export::disqus(s, &news, false, &mut xml)
        .await
        .expect("disqus export");
    let third = site(s, "third").await;
    let records = jirga_import::reader(
        jirga_import::Format::Disqus,
        xml.as_slice(),
        &jirga_import::ReadOptions::default(),
    );
    let report = import(
        s,
        records,
        &Options {
            site: third,
            format: jirga_import::Format::Disqus,
            ..opts.clone()
        },
        &|_| {},
    )
    .await
    .expect("import disqus");
    let states: Vec<(&str, u64)> = report
        .states
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        states,
        vec![
            ("deleted", 1),
            ("held", 1),
            ("published", 4),
            ("rejected", 1)
        ]
    );
    assert_eq!(report.replies, 3);
}

/// An export's content without the ids the database gave: threads by key, authors by what
/// they say, comments by thread, author, time and text (and their parent's).
fn same_site(export: &[u8]) -> Vec<String> {
    use serde_json::Value;
    let lines: Vec<Value> = export
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("a JSON line"))
        .collect();
    fn of<'a>(lines: &'a [serde_json::Value], kind: &'a str) -> impl Iterator<Item = &'a Value> {
        lines.iter().filter(move |l| l["type"] == kind)
    }
    let threads: std::collections::HashMap<String, String> = of(&lines, "thread")
        .map(|t| (t["id"].to_string(), t["key"].to_string()))
        .collect();
    let authors: std::collections::HashMap<String, String> = of(&lines, "author")
        .map(|a| {
            (
                a["id"].to_string(),
                format!(
                    "{} {} {} {}",
                    a["name"], a["email"], a["affiliation"], a["verified"]
                ),
            )
        })
        .collect();
    let comments: std::collections::HashMap<String, String> = of(&lines, "comment")
        .map(|c| {
            (
                c["id"].to_string(),
                format!(
                    "{} {} {} {}",
                    threads[&c["thread"].to_string()],
                    authors[&c["author"].to_string()],
                    c["created_at"],
                    c["body"]
                ),
            )
        })
        .collect();
    let mut out: Vec<String> = of(&lines, "thread")
        .map(|t| {
            format!(
                "thread {} {} {} {} {} {}",
                t["key"], t["title"], t["url"], t["text"], t["closed"], t["created_at"]
            )
        })
        .chain(of(&lines, "comment").map(|c| {
            format!(
                "comment {} parent {} status {} reasons {} edited {} scores {} {} votes {}",
                comments[&c["id"].to_string()],
                comments
                    .get(&c["parent"].to_string())
                    .map_or("none", String::as_str),
                c["status"],
                c["reasons"],
                c["edited_at"],
                c["abuse_score"],
                c["on_topic_score"],
                c["votes"]
            )
        }))
        .collect();
    out.sort();
    out
}

/// Each method of the `Store` trait is called by a test above.
#[test]
fn every_store_method_is_called_here() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/src/lib.rs");
    let trait_src = std::fs::read_to_string(root).expect("store source");
    let body = trait_src
        .split("pub trait Store")
        .nth(1)
        .expect("the Store trait");
    let here = include_str!("store.rs");
    let mut missing = Vec::new();
    for line in body.lines() {
        let line = line.trim_start();
        let Some(rest) = line
            .strip_prefix("async fn ")
            .or_else(|| line.strip_prefix("fn "))
        else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !here.contains(&format!(".{name}(")) {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "Store methods no test here calls: {missing:?}"
    );
}
