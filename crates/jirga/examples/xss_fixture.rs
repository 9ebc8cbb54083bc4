//! Test fixture for `tests/browser/xss.test.mjs`: fills a data folder so that every XSS
//! payload of the corpus sits in every place where text from users or publishers is shown —
//! comment bodies (through the real Markdown renderer), author names, affiliations, site
//! names, article titles, modlog notes and moderator names — as published, held and reported
//! comments. Rows go in through the store, as an administrator's tools would put them.
//!
//! xss_fixture DATA_DIR CORPUS.jsonl ORIGIN   prints JSON: the moderators and widget pages.

use chrono::Utc;
use jirga_domain::{
    AuthorId, BodyLimits, CommentBody, CommentStatus, ReportReason, SiteId, ThreadId, ThreadKey,
};
use jirga_moderation::SitePolicy;
use jirga_store::{
    AuthorRef, Moderated, NewAuthor, NewComment, NewModlogEntry, NewSite, Store, ThreadUpdate,
};
use jirga_store_sqlite::SqliteStore;

/// Payloads per site: the dashboard's queues show 100 at a time.
const PER_SITE: usize = 100;
/// Comments per widget page (the widget's largest page).
const PER_PAGE: usize = 50;
const PASSWORD: &str = "fixture-password-1234";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (data, corpus, origin) = match (args.next(), args.next(), args.next()) {
        (Some(d), Some(c), Some(o)) => (d, c, o),
        _ => anyhow::bail!("usage: xss_fixture DATA_DIR CORPUS.jsonl ORIGIN"),
    };
    let payloads: Vec<String> = std::fs::read_to_string(&corpus)?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let store = SqliteStore::open(std::path::Path::new(&data)).await?;
    let sites = payloads.len().div_ceil(PER_SITE);
    let mut site_ids = Vec::new();
    // Every payload is also a site's name: these sites hold no comments.
    for (i, p) in payloads.iter().enumerate() {
        let id = SiteId::parse(&format!("named{i}"))?;
        store.create_site(new_site(&id, p, &origin)).await?;
        site_ids.push(id);
    }
    let mut pages = Vec::new();
    let mut moderators = Vec::new();
    let hash = jirga_web::auth::hash_password_now(PASSWORD)?;
    for s in 0..sites {
        let id = SiteId::parse(&format!("xss{s}"))?;
        store
            .create_site(new_site(&id, &payloads[s * PER_SITE], &origin))
            .await?;
        let email = format!("mod{s}@fixture.example");
        let mut theirs = vec![id.clone()];
        if s == 0 {
            theirs.extend(site_ids.iter().cloned());
        }
        let moderator = store
            .create_moderator(&email, &payloads[s], &hash, &theirs)
            .await?;
        // An admin of its payload site too, so the Authors page (badges) is rendered.
        store.grant_admin(moderator, &id).await?;
        moderators.push(serde_json::json!({"email": email, "password": PASSWORD, "sites": theirs.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "admin_of": [id.to_string()]}));
    }
    // Every payload is also a reader's account name, with a session to open its account page
    // and an author record (with the payload as its granted affiliation) on its site.
    let mut sessions = Vec::new();
    // One account whose author record on each named site carries a payload as its granted
    // affiliation: its account page shows every payload at once.
    let bulk = store
        .create_account(jirga_store::NewAccount {
            email: Some("bulk@fixture.example".into()),
            name: payloads[0].clone(),
            password_hash: None,
            email_verified: true,
            oidc: None,
        })
        .await?;
    for (site, p) in site_ids.iter().zip(&payloads) {
        let author = store.account_author(site, &bulk).await?;
        store
            .set_badges(site, author.id, Some(p.clone()), true)
            .await?;
    }
    let bulk_token = "fixture-session-bulk".to_owned();
    store
        .create_account_session(
            &jirga_web::auth::token_hash(&bulk_token),
            bulk.id,
            Utc::now() + chrono::Duration::days(1),
        )
        .await?;
    for (i, p) in payloads.iter().enumerate() {
        let site = SiteId::parse(&format!("xss{}", i / PER_SITE))?;
        let account = store
            .create_account(jirga_store::NewAccount {
                email: Some(format!("reader{i}@fixture.example")),
                name: p.clone(),
                password_hash: None,
                email_verified: true,
                oidc: None,
            })
            .await?;
        let author = store.account_author(&site, &account).await?;
        store
            .set_badges(&site, author.id, Some(p.clone()), true)
            .await?;
        let token = format!("fixture-session-{i}");
        store
            .create_account_session(
                &jirga_web::auth::token_hash(&token),
                account.id,
                Utc::now() + chrono::Duration::days(1),
            )
            .await?;
        sessions.push(token);
    }
    for (i, p) in payloads.iter().enumerate() {
        let site = SiteId::parse(&format!("xss{}", i / PER_SITE))?;
        // A body with control characters is refused at the door (422); as a body it goes in
        // without them, and with them everywhere else.
        let body = match CommentBody::parse(p, BodyLimits::default()) {
            Ok(b) => b,
            Err(_) => {
                let clean: String = p.chars().filter(|c| !c.is_control()).collect();
                CommentBody::parse(&clean, BodyLimits::default())
                    .map_err(|e| anyhow::anyhow!("payload {i} is not a valid body: {e}"))?
            }
        };
        let author = store
            .create_author(NewAuthor {
                site_id: site.clone(),
                name: p.clone(),
                email: None,
                affiliation: Some(p.clone()),
                verified: true,
            })
            .await?;
        // Published, in a widget page of 50; reported, so it is in the reports queue.
        let page = format!("/pub{}", (i % PER_SITE) / PER_PAGE);
        let thread = store
            .put_thread(&site, &ThreadKey::parse(&page)?, ThreadUpdate::default())
            .await?;
        let published = store
            .insert_comment(comment(thread.id, author, &body, CommentStatus::Published))
            .await?;
        store
            .report(
                published.id,
                "fixture",
                ReportReason::Abusive,
                Some(p.clone()),
            )
            .await?;
        if !pages
            .iter()
            .any(|(s, t): &(String, String)| *s == site.to_string() && *t == page)
        {
            pages.push((site.to_string(), page));
        }
        // Held, under an article titled with the payload, in the held queue.
        let held_thread = store
            .put_thread(
                &site,
                &ThreadKey::parse(&format!("/held{i}"))?,
                ThreadUpdate {
                    title: Some(p.clone()),
                    text: Some(p.clone()),
                    ..ThreadUpdate::default()
                },
            )
            .await?;
        store
            .insert_comment(comment(held_thread.id, author, &body, CommentStatus::Held))
            .await?;
        store
            .log(NewModlogEntry {
                site_id: site.clone(),
                moderator_id: None,
                moderator: p.clone(),
                action: jirga_store::ModAction::Note,
                comment_id: Some(published.id),
                author_id: Some(author),
                note: Some(p.clone()),
            })
            .await?;
    }
    println!(
        "{}",
        serde_json::json!({
            "payloads": payloads.len(),
            "moderators": moderators,
            "pages": pages.iter().map(|(s, t)| serde_json::json!({"site": s, "thread": t})).collect::<Vec<_>>(),
            "named_sites": site_ids.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            "account_sessions": sessions,
            "bulk_account_session": bulk_token,
        })
    );
    Ok(())
}

fn new_site(id: &SiteId, name: &str, origin: &str) -> NewSite {
    NewSite {
        id: id.clone(),
        name: name.to_owned(),
        allowed_origins: vec![origin.to_owned()],
        auto_create_threads: true,
        policy: SitePolicy::default(),
        api_key_hash: "fixture".into(),
    }
}

fn comment(
    thread_id: ThreadId,
    author: AuthorId,
    body: &CommentBody,
    status: CommentStatus,
) -> NewComment {
    NewComment {
        ip_hash: None,
        thread_id,
        parent_id: None,
        author: AuthorRef::Existing(author),
        body_markdown: body.markdown().to_owned(),
        body_html: body.html().to_owned(),
        moderated: Moderated {
            status,
            reasons: Vec::new(),
            version: "fixture".into(),
            abuse: None,
            on_topic: None,
        },
        edit_token_hash: "fixture".into(),
        created_at: Utc::now(),
        text_hash: jirga_moderation::text_hash(body.markdown()),
    }
}
