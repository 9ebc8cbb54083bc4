//! Webhooks: a site's subscriptions get each event they asked for, POSTed as JSON from a
//! durable outbox in the database (`webhook_deliveries`), retried with exponential backoff for
//! up to a day, at least once (the event id is the same on every try, for the receiver to
//! de-duplicate).
//!
//! A JSON delivery is signed: `X-Jirga-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
//! "<t>.<body>" with the webhook's secret>`; a receiver checks the MAC and refuses a `t` more
//! than five minutes old (replays). `slack` and `discord` deliveries are chat messages for
//! those services' incoming-webhook URLs.
//!
//! Every instance runs a worker; a delivery is claimed (its next try moved a lease ahead)
//! before it is sent, so two instances do not send it at the same moment.

use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use jirga_domain::{SiteId, WebhookId};
use jirga_store::{Delivery, DeliveryOutcome, StoredComment, WebhookFormat};
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::Arc;

/// How long a claimed delivery is this instance's before another may try it.
const LEASE_SECS: i64 = 120;
/// Deliveries taken per round.
const BATCH: u32 = 20;
/// How much of a receiver's answer is kept for the delivery log.
const KEEP_RESPONSE: usize = 500;

/// The signature header of a body sent at `t`.
pub fn signature(secret: &str, t: i64, body: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(format!("{t}.{body}").as_bytes());
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// A comment as webhooks describe it.
pub fn comment_data(state: &AppState, c: &StoredComment, thread_key: &str) -> Value {
    json!({
        "id": c.id,
        "thread": thread_key,
        "thread_id": c.thread_id,
        "parent_id": c.parent_id,
        "author": {"id": c.author.id, "name": c.author.name},
        "status": c.status.as_str(),
        "reasons": c.reasons.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(),
        "body_markdown": c.body_markdown,
        "body_html": c.body_html,
        "created_at": crate::views::time(c.created_at),
        "moderate_url": format!("{}/moderate", state.public_url),
    })
}

/// Turns the journal's changes (noted by the store in the transactions that made them) into
/// deliveries: each event carries the comment as it is now and what the journal adds (the
/// report's reason, the moderator's action).
pub async fn process_journal(state: &AppState) -> jirga_store::StoreResult<usize> {
    let entries = state.store.journal_entries(100).await?;
    let mut made = 0;
    for e in &entries {
        let comment = state.store.comment(e.comment_id).await?;
        let mut data = match &comment {
            Some(c) => {
                let key = match state.store.thread_by_id(c.thread_id).await? {
                    Some(t) => t.key.to_string(),
                    None => String::new(),
                };
                json!({"comment": comment_data(state, c, &key)})
            }
            None => json!({"comment": {"id": e.comment_id}}),
        };
        let extra: Value = e
            .detail
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok())
            .unwrap_or(Value::Null);
        if let (Some(data), Value::Object(extra)) = (data.as_object_mut(), extra) {
            data.extend(extra);
        }
        let event_id = crate::auth::new_token().0;
        let payload = json!({
            "id": event_id,
            "type": e.event,
            "site": e.site_id,
            "created_at": crate::views::time(e.created_at),
            "data": data,
        });
        if state
            .store
            .take_journal_entry(e, &event_id, &payload.to_string())
            .await?
        {
            made += 1;
        }
    }
    Ok(made)
}

/// Puts an event in the outbox for the site's subscribed webhooks (or for one, a test) and
/// wakes the worker. A failure is logged, never passed on: the change the event tells of has
/// happened and stays.
pub async fn emit(
    state: &AppState,
    site: &SiteId,
    event: &str,
    data: Value,
    only: Option<WebhookId>,
) {
    let event_id = crate::auth::new_token().0;
    let payload = json!({
        "id": event_id,
        "type": event,
        "site": site,
        "created_at": crate::views::time(Utc::now()),
        "data": data,
    });
    match state
        .store
        .enqueue_event(site, event, &event_id, &payload.to_string(), only)
        .await
    {
        Ok(0) => {}
        Ok(_) => state.webhook_wake.notify_one(),
        Err(e) => tracing::warn!(%site, event, "cannot queue a webhook event: {e}"),
    }
}

/// When to try again after `attempts` failed tries (30 s, 1 min, 2 min ... at most an hour
/// apart, with the configured base), or `None` once the event is a day old.
pub fn retry_at(
    base_secs: u64,
    give_up_after: Duration,
    attempts: i32,
    created: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let step = i64::try_from(base_secs.max(1)).unwrap_or(30);
    let delay = step.saturating_mul(1i64 << attempts.clamp(0, 20)).min(3600);
    let next = now + Duration::seconds(delay);
    (next - created <= give_up_after).then_some(next)
}

/// A chat line for Slack or Discord.
fn summary(d: &Delivery) -> String {
    let payload: Value = serde_json::from_str(&d.payload).unwrap_or(Value::Null);
    let c = &payload["data"]["comment"];
    let who = c["author"]["name"].as_str().unwrap_or("someone");
    let thread = c["thread"].as_str().unwrap_or("");
    let text: String = c["body_markdown"]
        .as_str()
        .unwrap_or("")
        .chars()
        .take(200)
        .collect();
    let what = match d.event.as_str() {
        "comment.published" => "New comment",
        "comment.held" => "Comment held for review",
        "comment.rejected" => "Comment rejected",
        "comment.edited" => "Comment edited",
        "comment.deleted" => "Comment deleted",
        "comment.reported" => "Comment reported",
        "moderator.action" => "Moderator action",
        _ => "Test event from Jirga",
    };
    if thread.is_empty() {
        format!("{what} on {}", d.webhook.site_id)
    } else {
        format!("{what} by {who} on {thread}: {text}")
    }
}

async fn send(
    client: &reqwest::Client,
    d: &Delivery,
) -> Result<(u16, String), (Option<u16>, String, Option<String>)> {
    let now = Utc::now().timestamp();
    let body = match d.webhook.format {
        WebhookFormat::Json => d.payload.clone(),
        WebhookFormat::Slack => json!({"text": summary(d)}).to_string(),
        WebhookFormat::Discord => json!({"content": summary(d)}).to_string(),
    };
    let resp = client
        .post(&d.webhook.url)
        .header("content-type", "application/json")
        .header("user-agent", "Jirga-Webhooks")
        .header("x-jirga-event", &d.event)
        .header("x-jirga-delivery", &d.event_id)
        .header("x-jirga-timestamp", now.to_string())
        .header(
            "x-jirga-signature",
            signature(d.webhook.secret.expose(), now, &body),
        )
        .body(body)
        .send()
        .await
        .map_err(|e| (None, describe(&e), None))?;
    let status = resp.status().as_u16();
    let text: String = resp
        .text()
        .await
        .unwrap_or_default()
        .chars()
        .take(KEEP_RESPONSE)
        .collect();
    if (200..300).contains(&status) {
        Ok((status, text))
    } else {
        Err((
            Some(status),
            format!("the receiver answered {status}"),
            Some(text),
        ))
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "no answer in time".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else {
        e.to_string()
    }
}

/// One round: every due delivery this instance can claim, sent at once.
pub async fn deliver_due(
    state: &AppState,
    client: &reqwest::Client,
) -> jirga_store::StoreResult<usize> {
    let now = Utc::now();
    let due = state.store.due_deliveries(now, BATCH).await?;
    let mut sending = tokio::task::JoinSet::new();
    for d in due {
        if !state
            .store
            .claim_delivery(&d, now + Duration::seconds(LEASE_SECS))
            .await?
        {
            continue;
        }
        let (state, client) = (state.clone(), client.clone());
        sending.spawn(async move {
            let outcome = match send(&client, &d).await {
                Ok((status, response)) => DeliveryOutcome::Delivered { status, response },
                Err((status, error, response)) => {
                    let s = &state.settings;
                    let give_up = Duration::hours(i64::from(s.webhook_give_up_hours.max(1)));
                    DeliveryOutcome::Failed {
                        status,
                        error,
                        response,
                        retry_at: retry_at(
                            s.webhook_retry_secs,
                            give_up,
                            d.attempts,
                            d.created_at,
                            Utc::now(),
                        ),
                    }
                }
            };
            if let Err(e) = state.store.finish_delivery(d.id, outcome, Utc::now()).await {
                tracing::warn!(delivery = d.id, "cannot record a webhook delivery: {e}");
            }
        });
    }
    let n = sending.len();
    while sending.join_next().await.is_some() {}
    Ok(n)
}

/// The worker: a round when woken (a change was written) or every second (retries fall due,
/// and changes written by other instances).
pub async fn worker(state: AppState) {
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(
            state.settings.webhook_timeout_secs.max(1),
        ))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default();
    let wake: Arc<tokio::sync::Notify> = state.webhook_wake.clone();
    loop {
        if let Err(e) = process_journal(&state).await {
            tracing::warn!("webhook journal: {e}");
        }
        if let Err(e) = deliver_due(&state, &client).await {
            tracing::warn!("webhook deliveries: {e}");
        }
        let _ = tokio::time::timeout(std::time::Duration::from_secs(1), wake.notified()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_stop_after_a_day() {
        let t0 = Utc::now();
        let day = Duration::hours(24);
        let delays: Vec<i64> = (0..8)
            .map(|n| (retry_at(30, day, n, t0, t0).expect("retry") - t0).num_seconds())
            .collect();
        assert_eq!(delays, vec![30, 60, 120, 240, 480, 960, 1920, 3600]);
        assert_eq!(
            retry_at(
                30,
                day,
                20,
                t0,
                t0 + Duration::hours(23) + Duration::minutes(30)
            ),
            None
        );
    }

    #[test]
    fn the_signature_is_an_hmac_of_the_timestamp_and_body() {
        let sig = signature("s3cret", 1_800_000_000, "{\"a\":1}");
        let mut mac = Hmac::<Sha256>::new_from_slice(b"s3cret").expect("key");
        mac.update(b"1800000000.{\"a\":1}");
        assert_eq!(
            sig,
            format!(
                "t=1800000000,v1={}",
                hex::encode(mac.finalize().into_bytes())
            )
        );
    }
}
