//! Mail to readers about their comments, and to moderators about the queue, through a durable
//! outbox (`mail_outbox`): a restart loses none, and with several instances each mail is
//! claimed by one before it is sent.
//!
//! What a reader is mailed, when they gave an address:
//! - an address not yet confirmed gets one mail (at most one a day): what happened to the
//!   comment, and a link that confirms the address. Confirming makes every guest record with
//!   that address on the site one author, and lets the mail below go to it. Until then,
//!   nothing else is sent: anyone can type anyone's address into a form.
//! - a confirmed address (or a verified account's) is told when a comment is held (why), when
//!   a held comment is published, and when one is rejected (why, the moderator's note when the
//!   moderator sends it, and a signed link to ask for another look). A comment published at
//!   once is not mailed about: the widget already said so.
//! - replies, when the reader asked for them: gathered for `reply_mail_gather_secs`, then at
//!   most one mail per `reply_mail_every_minutes`, each with a signed one-click unsubscribe
//!   link and `List-Unsubscribe` headers. Shadow-banned authors are never mailed about the
//!   comments they are not told of.

use crate::i18n::Locale;
use crate::service::comments::{APPEAL, SHADOW_BAN};
use crate::service::feeds::{display_title, sign};
use crate::state::AppState;
use chrono::{Duration, Utc};
use jirga_domain::{CommentId, CommentStatus, SiteId};
use jirga_store::{Contact, NewMail, OutMail, StoredComment, Thread};

/// How long a claimed mail is this instance's before another may try it.
const LEASE_SECS: i64 = 120;
/// Tries before a mail is given up (the waits double from a minute to an hour: about 9 hours).
const TRIES: i64 = 12;
/// At most one confirmation mail per address and site in this time.
const CONFIRM_GAP_HOURS: i64 = 24;
/// The reason code of a moderator's note that the author is shown.
pub const MODERATOR_NOTE: &str = "moderator_note";

/// After a comment is posted: the author's mail (a confirmation, or a hold or a rejection),
/// the reply opt-in, and the reply notice for the comment it answers.
pub async fn posted(state: &AppState, comment: &StoredComment, wants_replies: bool) {
    if let Err(e) = try_posted(state, comment, wants_replies).await {
        tracing::warn!("mail after comment {}: {e}", comment.id);
    }
    state.mail_wake.notify_one();
}

async fn try_posted(
    state: &AppState,
    c: &StoredComment,
    wants_replies: bool,
) -> anyhow::Result<()> {
    if c.reasons.iter().any(|r| r.code == SHADOW_BAN) {
        return Ok(());
    }
    if let Some(contact) = state.store.contact(c.id).await? {
        if wants_replies {
            state
                .store
                .set_reply_mail(&contact.site_id, &contact.email, true)
                .await?;
        }
        if !contact.confirmed {
            let now = Utc::now();
            let gap = Duration::hours(CONFIRM_GAP_HOURS);
            if state
                .store
                .note_confirm_sent(&contact.site_id, &contact.email, now, gap)
                .await?
            {
                let mail = confirm_mail(state, c, &contact).await?;
                state.store.enqueue_mail(mail, now).await?;
            }
        } else if c.status != CommentStatus::Published {
            let mail = outcome_mail(state, c, &contact).await?;
            state.store.enqueue_mail(mail, Utc::now()).await?;
        }
    }
    reply_notice(state, c).await
}

/// After a moderator's decision changed a comment's status: the author's mail (unless the
/// decision is a shadow-ban), and the reply notice if it is now published.
pub async fn decided(state: &AppState, after: &StoredComment, tell_author: bool) {
    let result = async {
        if tell_author
            && let Some(contact) = state.store.contact(after.id).await?
            && contact.confirmed
        {
            let mail = outcome_mail(state, after, &contact).await?;
            state.store.enqueue_mail(mail, Utc::now()).await?;
        }
        reply_notice(state, after).await
    }
    .await;
    if let Err(e) = result {
        tracing::warn!("mail after a decision on comment {}: {e}", after.id);
    }
    state.mail_wake.notify_one();
}

/// A published reply is noted for the author of the comment it answers, if they asked for
/// replies by mail at a confirmed address (and it is not their own reply).
async fn reply_notice(state: &AppState, c: &StoredComment) -> anyhow::Result<()> {
    let Some(parent) = c.parent_id else {
        return Ok(());
    };
    if c.status != CommentStatus::Published {
        return Ok(());
    }
    if let Some(p) = state.store.contact(parent).await?
        && p.confirmed
        && p.replies
        && p.author_id != c.author.id
    {
        state
            .store
            .add_reply_notice(&p.site_id, &p.email, c.id, Utc::now())
            .await?;
    }
    Ok(())
}

/// The article a comment is under and its link to the comment, if the article has an address.
async fn place(state: &AppState, c: &StoredComment) -> anyhow::Result<(Thread, Option<String>)> {
    let thread = state
        .store
        .thread_by_id(c.thread_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("thread {} is gone", c.thread_id))?;
    let link = thread
        .url
        .as_ref()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .map(|u| format!("{}#comment-{}", u.split('#').next().unwrap_or(u), c.id));
    Ok((thread, link))
}

/// A site's name as readers know it (its id if it cannot be read).
pub async fn site_name(state: &AppState, site: &SiteId) -> String {
    site_words(state, site).await.0
}

/// A site's name and the language its mail is written in (the site's own, else English),
/// from one read of the site.
pub async fn site_words(state: &AppState, site: &SiteId) -> (String, &'static Locale) {
    match state.store.site(site).await {
        Ok(Some(s)) => {
            let l = s.policy.language.as_deref().and_then(crate::i18n::find);
            (s.name, l.unwrap_or_else(crate::i18n::english))
        }
        _ => (site.to_string(), crate::i18n::english()),
    }
}

/// The first `max` characters of a text on one line, with "…" if it went on.
pub fn short(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = text.chars().take(max).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// The first words of a comment, quoted.
fn excerpt(c: &StoredComment) -> String {
    format!("> {}", short(&c.body_markdown, 280))
}

/// Why a comment was held or rejected, in the words readers are shown.
fn why(l: &Locale, c: &StoredComment) -> String {
    let lines: Vec<String> = c
        .reasons
        .iter()
        .filter(|r| r.code != APPEAL && r.code != MODERATOR_NOTE)
        .map(|r| format!("- {}", l.reason(r)))
        .collect();
    lines.join("\n")
}

pub fn confirm_what(site: &SiteId, email: &str, author: i64) -> String {
    format!("confirm:{site}:{}:{author}", email.to_lowercase())
}

pub fn unsubscribe_what(site: &SiteId, email: &str) -> String {
    format!("unsubscribe:{site}:{}", email.to_lowercase())
}

pub fn appeal_what(id: CommentId) -> String {
    format!("appeal:{id}")
}

fn enc(s: &str) -> String {
    crate::accounts::enc(s)
}

async fn confirm_link(state: &AppState, c: &Contact) -> anyhow::Result<String> {
    let what = confirm_what(&c.site_id, &c.email, c.author_id.get());
    Ok(format!(
        "{}/mail/confirm?site={}&email={}&author={}&sig={}",
        state.public_url,
        enc(c.site_id.as_str()),
        enc(&c.email),
        c.author_id,
        sign(state, &what).await?
    ))
}

pub async fn unsubscribe_link(
    state: &AppState,
    site: &SiteId,
    email: &str,
) -> anyhow::Result<String> {
    Ok(format!(
        "{}/mail/unsubscribe?site={}&email={}&sig={}",
        state.public_url,
        enc(site.as_str()),
        enc(&email.to_lowercase()),
        sign(state, &unsubscribe_what(site, email)).await?
    ))
}

async fn appeal_link(state: &AppState, id: CommentId) -> anyhow::Result<String> {
    Ok(format!(
        "{}/mail/appeal?comment={id}&sig={}",
        state.public_url,
        sign(state, &appeal_what(id)).await?
    ))
}

/// One sentence on where a comment stands, and why; `link` is the comment in its thread.
fn standing(l: &Locale, c: &StoredComment, link: Option<&str>) -> String {
    match c.status {
        CommentStatus::Published => match link {
            Some(link) => l.t1("mail-published-at", "link", link),
            None => l.t("mail-published"),
        },
        CommentStatus::Held => l.t1("mail-waiting-because", "why", why(l, c)),
        _ => l.t1("mail-rejected-because", "why", why(l, c)),
    }
}

async fn confirm_mail(
    state: &AppState,
    c: &StoredComment,
    contact: &Contact,
) -> anyhow::Result<NewMail> {
    let (thread, link) = place(state, c).await?;
    let (site, l) = site_words(state, &c.site_id).await;
    let body = l.format(
        "mail-confirm-body",
        &[
            ("name", c.author.name.clone().into()),
            ("title", display_title(&thread).into()),
            ("site", site.clone().into()),
            ("excerpt", excerpt(c).into()),
            ("standing", standing(l, c, link.as_deref()).into()),
            ("link", confirm_link(state, contact).await?.into()),
        ],
    );
    Ok(NewMail {
        site_id: Some(c.site_id.clone()),
        to: contact.email.clone(),
        subject: l.t1("mail-confirm-subject", "site", site),
        body,
        unsubscribe: None,
    })
}

/// The mail that tells a confirmed author where their comment stands now.
async fn outcome_mail(
    state: &AppState,
    c: &StoredComment,
    contact: &Contact,
) -> anyhow::Result<NewMail> {
    let (thread, link) = place(state, c).await?;
    let (site, l) = site_words(state, &c.site_id).await;
    let title = display_title(&thread);
    let standing = standing(l, c, link.as_deref());
    let (subject, body) = match c.status {
        CommentStatus::Held => (
            l.t1("mail-held-subject", "title", &title),
            format!(
                "{}\n\n{}\n\n{}",
                excerpt(c),
                standing,
                l.t("mail-held-again")
            ),
        ),
        CommentStatus::Published => (
            l.t1("mail-published-subject", "title", &title),
            format!(
                "{}\n\n{}\n\n{}",
                l.t("mail-published-after-hold"),
                excerpt(c),
                standing
            ),
        ),
        _ => {
            let mut body = format!("{}\n\n{standing}", excerpt(c));
            if let Some(note) = c.reasons.iter().find(|r| r.code == MODERATOR_NOTE) {
                body.push_str(&format!("\n\n{}", l.reason(note)));
            }
            if c.reasons.iter().any(|r| r.code == APPEAL) {
                body.push_str(&format!("\n\n{}", l.t("mail-appeal-final")));
            } else {
                let link = appeal_link(state, c.id).await?;
                body.push_str(&format!("\n\n{}", l.t1("mail-appeal-offer", "link", link)));
            }
            (l.t1("mail-rejected-subject", "title", &title), body)
        }
    };
    let body = l.format(
        "mail-outcome-body",
        &[
            ("name", c.author.name.clone().into()),
            ("body", body.into()),
            ("site", site.into()),
        ],
    );
    Ok(NewMail {
        site_id: Some(c.site_id.clone()),
        to: contact.email.clone(),
        subject,
        body,
        unsubscribe: None,
    })
}

/// The replies waiting for one reader, in one mail.
async fn reply_mail(
    state: &AppState,
    site: &SiteId,
    email: &str,
    ids: &[CommentId],
) -> anyhow::Result<Option<NewMail>> {
    let (site_name, l) = site_words(state, site).await;
    let mut parts = Vec::new();
    let mut last_title = String::new();
    for id in ids {
        let Some(c) = state.store.comment(*id).await? else {
            continue;
        };
        if c.status != CommentStatus::Published {
            continue;
        }
        let (thread, link) = place(state, &c).await?;
        let mut part = format!(
            "{}\n{}",
            l.t2(
                "mail-reply-line",
                "name",
                &c.author.name,
                "title",
                display_title(&thread)
            ),
            excerpt(&c)
        );
        if let Some(l) = link {
            part.push_str(&format!("\n{l}"));
        }
        last_title = display_title(&thread);
        parts.push(part);
    }
    if parts.is_empty() {
        return Ok(None);
    }
    let subject = if parts.len() == 1 {
        l.t1("mail-reply-subject-one", "title", last_title)
    } else {
        l.t2(
            "mail-reply-subject-many",
            "n",
            parts.len(),
            "site",
            &site_name,
        )
    };
    let unsubscribe = unsubscribe_link(state, site, email).await?;
    let body = format!(
        "{}\n\n\u{2014}\n{}\n",
        parts.join("\n\n"),
        l.format(
            "mail-reply-footer",
            &[
                ("site", site_name.clone().into()),
                ("minutes", state.settings.reply_mail_every_minutes.into(),),
                ("link", unsubscribe.clone().into()),
            ],
        )
    );
    Ok(Some(NewMail {
        site_id: Some(site.clone()),
        to: email.to_owned(),
        subject,
        body,
        unsubscribe: Some(unsubscribe),
    }))
}

/// Turns the replies that are due into mails.
async fn reply_mails(state: &AppState) -> anyhow::Result<()> {
    let now = Utc::now();
    let gather = Duration::seconds(i64::try_from(state.settings.reply_mail_gather_secs)?);
    let gap = Duration::minutes(i64::try_from(state.settings.reply_mail_every_minutes)?);
    for (site, email) in state.store.reply_mail_due(now, gather, gap).await? {
        let ids = state
            .store
            .take_reply_notices(&site, &email, now, gap)
            .await?;
        if ids.is_empty() {
            continue;
        }
        if let Some(mail) = reply_mail(state, &site, &email, &ids).await? {
            state.store.enqueue_mail(mail, now).await?;
        }
    }
    Ok(())
}

/// Moderators' digests of the queue that are due.
async fn digests(state: &AppState) -> anyhow::Result<()> {
    let now = Utc::now();
    for m in state.store.take_due_digests(now).await? {
        let held = state.store.held_queue(&m.sites, 100).await?;
        let reported = state.store.report_queue(&m.sites, 100).await?;
        if held.is_empty() && reported.is_empty() {
            continue;
        }
        let l = match m.sites.first() {
            Some(site) => site_words(state, site).await.1,
            None => crate::i18n::english(),
        };
        let mut body = format!("{}\n\n", l.t1("mail-hello", "name", &m.name));
        let count = |n: usize| {
            if n >= 100 {
                l.t1("mail-or-more", "n", n)
            } else {
                n.to_string()
            }
        };
        body.push_str(&l.t2(
            "mail-digest-waiting",
            "held",
            count(held.len()),
            "reported",
            count(reported.len()),
        ));
        body.push('\n');
        for (what, items) in [
            ("mail-digest-held", &held),
            ("mail-digest-reported", &reported),
        ] {
            if items.is_empty() {
                continue;
            }
            body.push_str(&format!("\n{}\n", l.t(what)));
            for item in items.iter().take(10) {
                let c = &item.comment;
                let reasons: Vec<&str> = c.reasons.iter().map(|r| r.code.as_str()).collect();
                let article = if item.thread_title.trim().is_empty() {
                    &item.thread_key
                } else {
                    &item.thread_title
                };
                body.push_str(&format!(
                    "- {} ({}): {}\n",
                    l.t2("mail-digest-item", "name", &c.author.name, "title", article),
                    reasons.join(", "),
                    short(&c.body_markdown, 120)
                ));
            }
            if items.len() > 10 {
                body.push_str(&format!(
                    "  {}\n",
                    l.t1("mail-digest-more", "n", items.len() - 10)
                ));
            }
        }
        body.push_str(&format!(
            "\n{}\n",
            l.t2(
                "mail-digest-footer",
                "link",
                format!("{}/moderate", state.public_url),
                "hours",
                m.digest_hours
            )
        ));
        let total = held.len() + reported.len();
        state
            .store
            .enqueue_mail(
                NewMail {
                    site_id: None,
                    to: m.email.clone(),
                    subject: l.t1("mail-digest-subject", "n", total),
                    body,
                    unsubscribe: None,
                },
                now,
            )
            .await?;
    }
    Ok(())
}

/// The wait before try number `attempts + 1`, or none: give up.
fn retry_after(attempts: i64) -> Option<Duration> {
    (attempts + 1 < TRIES).then(|| Duration::seconds((60i64 << attempts.clamp(0, 6)).min(3600)))
}

/// Sends what is due in the outbox.
async fn send_due(state: &AppState) -> anyhow::Result<()> {
    let now = Utc::now();
    for m in state.store.due_mail(now, 20).await? {
        if !state
            .store
            .claim_mail(&m, now + Duration::seconds(LEASE_SECS))
            .await?
        {
            continue;
        }
        send_one(state, &m).await?;
    }
    Ok(())
}

async fn send_one(state: &AppState, m: &OutMail) -> anyhow::Result<()> {
    let sent = state
        .mailer
        .send_with(
            &m.mail.to,
            &m.mail.subject,
            m.mail.body.clone(),
            m.mail.unsubscribe.as_deref(),
        )
        .await;
    let now = Utc::now();
    match sent {
        Ok(()) => state.store.finish_mail(m.id, None, None, now).await?,
        Err(e) => {
            tracing::warn!("mail {} to {}: {e}", m.id, m.mail.to);
            let retry = retry_after(m.attempts).map(|d| now + d);
            state
                .store
                .finish_mail(m.id, Some(e.to_string()), retry, now)
                .await?;
        }
    }
    Ok(())
}

/// Runs on every instance: replies and digests into the outbox, the outbox out.
pub async fn worker(state: AppState) {
    let wake = state.mail_wake.clone();
    loop {
        if let Err(e) = reply_mails(&state).await {
            tracing::warn!("reply mail: {e}");
        }
        if let Err(e) = digests(&state).await {
            tracing::warn!("moderators' digests: {e}");
        }
        if let Err(e) = send_due(&state).await {
            tracing::warn!("mail outbox: {e}");
        }
        let _ = tokio::time::timeout(std::time::Duration::from_secs(1), wake.notified()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_mail_is_tried_again_less_and_less_often_then_given_up() {
        assert_eq!(retry_after(0), Some(Duration::seconds(60)));
        assert_eq!(retry_after(1), Some(Duration::seconds(120)));
        assert_eq!(retry_after(5), Some(Duration::seconds(1920)));
        assert_eq!(retry_after(6), Some(Duration::seconds(3600)));
        assert_eq!(retry_after(10), Some(Duration::seconds(3600)));
        assert_eq!(retry_after(TRIES - 1), None);
    }

    #[test]
    fn links_for_one_purpose_sign_other_words_than_for_another() {
        let site = SiteId::parse("news").expect("site");
        assert_ne!(
            confirm_what(&site, "A@x.example", 3),
            unsubscribe_what(&site, "a@x.example")
        );
        assert_eq!(
            unsubscribe_what(&site, "A@X.example"),
            "unsubscribe:news:a@x.example"
        );
    }
}
