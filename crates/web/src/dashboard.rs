//! The moderators' dashboard, server-rendered: sign-in, the queue of held comments, the
//! queue of reader reports, the modlog, per-site settings and charts. Every action is a
//! form POST carrying a CSRF token derived from the session, and writes a modlog line in the
//! same transaction as the change it records.

use crate::auth::{cookie_value, same_origin_post, token_hash};
use crate::error::ApiError;
use crate::http::ClientIp;
use crate::pages::CSP;
use crate::service::moderation::{self, Decision};
use crate::state::{AppState, Limit};
use argon2::{Argon2, PasswordVerifier};
use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{Duration, Utc};
use jirga_domain::SiteId;
use jirga_moderation::SitePolicy;
use jirga_store::{
    AuthorRow, BanScope, ModAction, Moderator, NewModlogEntry, NewSite, QueueItem, ScoreBin,
};
use rand::RngCore;
use serde::Deserialize;
use tower_http::set_header::SetResponseHeaderLayer;

const COOKIE: &str = "jirga_mod";
const SESSION_HOURS: i64 = 12;

pub fn router(settings: &crate::Settings) -> Router<AppState> {
    // Forms carry a body: they get the body timeout (see `http::body_timeout`).
    let timed = crate::http::body_timeout(settings);
    Router::new()
        .route("/moderate", get(queue))
        .route("/moderate/login", post(login).layer(timed).get(login_page))
        .route("/moderate/logout", post(logout).layer(timed))
        .route(
            "/moderate/comments/{id}/decision",
            post(decide).layer(timed),
        )
        .route("/moderate/reports", get(reports))
        .route("/moderate/log", get(modlog))
        .route(
            "/moderate/settings/{site}",
            post(save_settings).layer(timed).get(settings_page),
        )
        .route("/moderate/charts", get(charts))
        .route("/moderate/authors/{site}", get(authors_page))
        .route(
            "/moderate/authors/{site}/{id}",
            post(save_badges).layer(timed),
        )
        .route("/dashboard.js", get(|| async { script() }))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../assets/dashboard.js"),
    )
}

/// What every dashboard page shows around its content: who is signed in, the form token,
/// and the sites in the navigation.
pub struct Chrome {
    pub me: String,
    pub csrf: String,
    pub sites: Vec<String>,
    /// The sites where this moderator is an admin.
    pub admin_of: Vec<String>,
}

/// Why a signed-in moderator's request is refused.
pub enum Denied {
    StaleForm,
    NotYourSite,
    NotAdmin,
}

impl IntoResponse for Denied {
    fn into_response(self) -> Response {
        let why = match self {
            Denied::StaleForm => "The form was stale or came from another site; reload the page.",
            Denied::NotYourSite => "You are not a moderator of this site.",
            Denied::NotAdmin => "Only an admin of this site may do this.",
        };
        (StatusCode::FORBIDDEN, why).into_response()
    }
}

/// A signed-in moderator. Pages that need one redirect to the sign-in page otherwise.
pub struct Session {
    pub moderator: Moderator,
    /// Goes into every form; a request without it changes nothing.
    pub csrf: String,
    token_hash: String,
}

impl Session {
    fn check(&self, csrf: &str) -> Result<(), Denied> {
        if csrf == self.csrf {
            Ok(())
        } else {
            Err(Denied::StaleForm)
        }
    }

    fn may(&self, site: &SiteId) -> Result<(), Denied> {
        if self.moderator.sites.contains(site) {
            Ok(())
        } else {
            Err(Denied::NotYourSite)
        }
    }

    fn admin(&self, site: &SiteId) -> Result<(), Denied> {
        if self.moderator.admin_of.contains(site) {
            Ok(())
        } else {
            Err(Denied::NotAdmin)
        }
    }

    fn chrome(&self) -> Chrome {
        Chrome {
            admin_of: self
                .moderator
                .admin_of
                .iter()
                .map(ToString::to_string)
                .collect(),
            me: self.moderator.name.clone(),
            csrf: self.csrf.clone(),
            sites: self
                .moderator
                .sites
                .iter()
                .map(ToString::to_string)
                .collect(),
        }
    }

    fn entry(&self, site: &SiteId, action: ModAction) -> NewModlogEntry {
        moderation::entry(&self.moderator, site, action)
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let to_login = || Redirect::to("/moderate/login").into_response();
        let token = cookie_value(&parts.headers, COOKIE).ok_or_else(to_login)?;
        let hash = token_hash(&token);
        let moderator = state
            .store
            .session_moderator(&hash, Utc::now())
            .await
            .map_err(|e| ApiError::from(e).into_response())?
            .ok_or_else(to_login)?;
        Ok(Session {
            moderator,
            csrf: token_hash(&format!("csrf:{token}")),
            token_hash: hash,
        })
    }
}

fn render(t: &impl Template, status: StatusCode) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => ApiError::Internal(format!("template: {e}")).into_response(),
    }
}

fn internal(e: impl Into<ApiError>) -> Response {
    e.into().into_response()
}

#[derive(Template)]
#[template(path = "moderate/login.html")]
struct LoginPage {
    error: Option<String>,
}

async fn login_page() -> Response {
    render(&LoginPage { error: None }, StatusCode::OK)
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: axum::http::HeaderMap,
    axum::Form(form): axum::Form<LoginForm>,
) -> Response {
    // Login CSRF: the form must come from a page of this server.
    if !same_origin_post(&state, &headers) {
        return (
            StatusCode::FORBIDDEN,
            "The form came from another site's page.",
        )
            .into_response();
    }
    // Per address and per account: guessing passwords from many addresses for one account,
    // or for many accounts from one address, is slowed down either way.
    if let Err(e) = state
        .check_rate(Limit::SignIn, ip)
        .and_then(|()| state.check_sign_in_account(&form.email))
    {
        return e.into_response();
    }
    let fail = || {
        render(
            &LoginPage {
                error: Some("Wrong email or password.".into()),
            },
            StatusCode::UNAUTHORIZED,
        )
    };
    let moderator = match state.store.moderator_by_email(form.email.trim()).await {
        Ok(Some(m)) => m,
        Ok(None) => return fail(),
        Err(e) => return internal(e),
    };
    if Argon2::default()
        .verify_password(form.password.as_bytes(), moderator.password_hash.as_str())
        .is_err()
    {
        return fail();
    }
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    if let Err(e) = state
        .store
        .create_session(
            &token_hash(&token),
            moderator.id,
            Utc::now() + Duration::hours(SESSION_HOURS),
        )
        .await
    {
        return internal(e);
    }
    let secure = if state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        SESSION_HOURS * 3600
    );
    let mut resp = Redirect::to("/moderate").into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    session: Session,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Response {
    if let Err(r) = session.check(&form.csrf) {
        return r.into_response();
    }
    if let Err(e) = state.store.delete_session(&session.token_hash).await {
        return internal(e);
    }
    let mut resp = Redirect::to("/moderate/login").into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("jirga_mod=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    resp
}

/// A comment laid out for a moderator: its text with the flagged words marked.
pub struct Card {
    pub id: i64,
    pub site: String,
    pub article: String,
    pub article_key: String,
    pub author: String,
    pub author_id: i64,
    pub when: String,
    pub parent: Option<String>,
    /// (text, marked) pieces of the comment as written.
    pub pieces: Vec<(String, bool)>,
    pub abuse: String,
    pub on_topic: String,
    pub reasons: Vec<String>,
    pub reports: Vec<String>,
}

fn pieces(text: &str, spans: &[(usize, usize)]) -> Vec<(String, bool)> {
    let mut spans: Vec<(usize, usize)> = spans
        .iter()
        .copied()
        .filter(|(s, e)| {
            s < e && *e <= text.len() && text.is_char_boundary(*s) && text.is_char_boundary(*e)
        })
        .collect();
    spans.sort_unstable();
    let mut out = Vec::new();
    let mut at = 0;
    for (s, e) in spans {
        if s < at {
            continue;
        }
        if s > at {
            out.push((text[at..s].to_owned(), false));
        }
        out.push((text[s..e].to_owned(), true));
        at = e;
    }
    if at < text.len() {
        out.push((text[at..].to_owned(), false));
    }
    out
}

fn card(item: QueueItem) -> Card {
    let c = &item.comment;
    let spans: Vec<(usize, usize)> = c
        .reasons
        .iter()
        .flat_map(|r| r.spans.iter().map(|s| (s.start, s.end)))
        .collect();
    let score = |v: Option<f32>| v.map_or("n/a".to_owned(), |v| format!("{:.0}%", v * 100.0));
    Card {
        id: c.id,
        site: c.site_id.to_string(),
        article: item.thread_title,
        article_key: item.thread_key,
        author: c.author.name.clone(),
        author_id: c.author.id,
        when: c.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        parent: item.parent.map(|p| p.body_markdown),
        pieces: pieces(&c.body_markdown, &spans),
        abuse: score(c.abuse_score),
        on_topic: score(c.on_topic_score),
        reasons: c
            .reasons
            .iter()
            .map(|r| match &r.kind {
                Some(kind) => format!("{} ({kind})", r.message),
                None => r.message.clone(),
            })
            .collect(),
        reports: item
            .reports
            .iter()
            .map(|(reason, n)| format!("{reason} \u{d7} {n}"))
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "moderate/queue.html")]
struct QueuePage {
    chrome: Chrome,
    cards: Vec<Card>,
    reports: bool,
    flash: Option<String>,
}

#[derive(Deserialize)]
struct Flash {
    done: Option<String>,
}

async fn queue(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Query(f): axum::extract::Query<Flash>,
) -> Response {
    let items = state.store.held_queue(&session.moderator.sites, 100).await;
    queue_page(items, &session, f, false)
}

async fn reports(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Query(f): axum::extract::Query<Flash>,
) -> Response {
    let items = state
        .store
        .report_queue(&session.moderator.sites, 100)
        .await;
    queue_page(items, &session, f, true)
}

fn queue_page(
    items: jirga_store::StoreResult<Vec<QueueItem>>,
    session: &Session,
    f: Flash,
    reports: bool,
) -> Response {
    match items {
        Ok(items) => render(
            &QueuePage {
                chrome: session.chrome(),
                cards: items.into_iter().map(card).collect(),
                reports,
                flash: f.done,
            },
            StatusCode::OK,
        ),
        Err(e) => internal(e),
    }
}

#[derive(Deserialize)]
struct DecisionForm {
    csrf: String,
    action: String,
    note: Option<String>,
    /// For bans: days, or empty for no expiry.
    ban_days: Option<String>,
    /// For bans: also ban the author's email, the comment's address; make it a shadow-ban.
    ban_email: Option<String>,
    ban_address: Option<String>,
    shadow: Option<String>,
    /// Where to go back to.
    back: Option<String>,
}

async fn decide(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<DecisionForm>,
) -> Response {
    if let Err(r) = session.check(&form.csrf) {
        return r.into_response();
    }
    let decision = match form.decision() {
        Ok(d) => d,
        Err(why) => return (StatusCode::UNPROCESSABLE_ENTITY, why).into_response(),
    };
    let done = decision.done();
    match moderation::decide(&state, &session.moderator, id, decision, form.note).await {
        Ok(_) => {
            let back = match form.back.as_deref() {
                Some("/moderate/reports") => "/moderate/reports",
                _ => "/moderate",
            };
            Redirect::to(&format!("{back}?done={}", done.replace(' ', "+"))).into_response()
        }
        Err(ApiError::NotYourSite) => Denied::NotYourSite.into_response(),
        Err(e) => internal(e),
    }
}

impl DecisionForm {
    /// The form's buttons and ban options as a decision.
    fn decision(&self) -> Result<Decision, &'static str> {
        Ok(match self.action.as_str() {
            "approve" => Decision::Approve,
            "reject" => Decision::Reject,
            "dismiss" => Decision::DismissReports,
            "ban" => {
                let days = self
                    .ban_days
                    .as_deref()
                    .map(str::trim)
                    .filter(|d| !d.is_empty());
                let until = match days.map(str::parse::<i64>) {
                    None => None,
                    Some(Ok(d)) if (1..=3650).contains(&d) => Some(Utc::now() + Duration::days(d)),
                    Some(_) => {
                        return Err(
                            "Ban length is a number of days from 1 to 3650, or empty for no end.",
                        );
                    }
                };
                Decision::Ban {
                    until,
                    scope: BanScope {
                        email: self.ban_email.is_some(),
                        address: self.ban_address.is_some(),
                        shadow: self.shadow.is_some(),
                    },
                }
            }
            _ => return Err("Unknown action."),
        })
    }
}

#[derive(Template)]
#[template(path = "moderate/log.html")]
struct LogPage {
    chrome: Chrome,
    rows: Vec<jirga_store::ModlogEntry>,
}

async fn modlog(State(state): State<AppState>, session: Session) -> Response {
    match state.store.modlog(&session.moderator.sites, 500).await {
        Ok(rows) => render(
            &LogPage {
                chrome: session.chrome(),
                rows,
            },
            StatusCode::OK,
        ),
        Err(e) => internal(e),
    }
}

#[derive(Template)]
#[template(path = "moderate/settings.html")]
struct SettingsPage {
    chrome: Chrome,
    site: String,
    /// The site's display name, as the publisher registered it.
    name: String,
    policy: SitePolicy,
    banned: String,
    watched: String,
    error: Option<String>,
    saved: bool,
    /// How the site's own model did against the shipped one when it was trained.
    site_model: Option<String>,
    /// What each abuse hold threshold would have held of the site's comments.
    curve: Vec<CurveRow>,
}

/// One abuse threshold and what it would have held of a site's comments so far.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveRow {
    pub threshold: String,
    pub held: i64,
    /// Share of all scored comments, in percent, for the text and the bar.
    pub percent: String,
    pub bar: u32,
    pub rejected: i64,
    /// The row closest to the site's hold threshold.
    pub current: bool,
}

/// The thresholds 0.30, 0.40 ... 0.90 (and the bin nearest the site's own) against the
/// recorded abuse scores: how many comments each would have held, and of those how many the
/// moderators rejected. Bins are twentieths, so a threshold is read at the bin below it.
pub fn threshold_curve(bins: &[ScoreBin], hold_abuse: f32) -> Vec<CurveRow> {
    let total: i64 = bins.iter().map(|b| b.comments).sum();
    let n = bins.len();
    let own = ((f64::from(hold_abuse) * n as f64).floor() as usize).min(n);
    let mut starts: Vec<usize> = (6..=18).step_by(2).map(|i| i * n / 20).collect();
    if hold_abuse <= 1.0 && !starts.contains(&own) {
        starts.push(own);
        starts.sort_unstable();
    }
    starts
        .into_iter()
        .map(|from| {
            let held: i64 = bins[from.min(n)..].iter().map(|b| b.comments).sum();
            let rejected: i64 = bins[from.min(n)..].iter().map(|b| b.rejected).sum();
            let share = if total > 0 {
                held as f64 * 100.0 / total as f64
            } else {
                0.0
            };
            CurveRow {
                threshold: format!("{:.2}", from as f64 / n as f64),
                held,
                percent: format!("{share:.1}"),
                bar: share.round().clamp(0.0, 100.0) as u32,
                rejected,
                current: from == own && hold_abuse <= 1.0,
            }
        })
        .collect()
}

async fn curve_of(state: &AppState, site: &SiteId, hold_abuse: f32) -> Vec<CurveRow> {
    state
        .store
        .abuse_histogram(site)
        .await
        .map(|bins| threshold_curve(&bins, hold_abuse))
        .unwrap_or_default()
}

/// The numbers `jirga train --site` kept with the site's model, in a sentence.
fn site_model_status(state: &AppState, site: &SiteId) -> Option<String> {
    let file = jirga_moderation::site_heads_file(&site_model_file(site));
    let bytes = std::fs::read(state.settings.data.join("models").join(file)).ok()?;
    let v = jirga_moderation::heads::EncoderHeads::from_json(&bytes)
        .ok()?
        .validation?;
    let verdict = if v.better() {
        "it is used when this box is ticked"
    } else {
        "it did no better, so it is not used even when this box is ticked"
    };
    Some(format!(
        "On the {} of its {} decisions held back when it was trained, this site's model ranked rejected above approved comments with ROC-AUC {:.3}, the shipped model with {:.3}: {verdict}.",
        v.held_back, v.decisions, v.adapted_auc, v.shipped_auc
    ))
}

async fn settings_page(
    State(state): State<AppState>,
    session: Session,
    Path(site): Path<String>,
    axum::extract::Query(f): axum::extract::Query<Flash>,
) -> Response {
    let Ok(id) = SiteId::parse(&site) else {
        return ApiError::UnknownSite.into_response();
    };
    if let Err(r) = session.may(&id) {
        return r.into_response();
    }
    match state.store.site(&id).await {
        Ok(Some(s)) => render(
            &SettingsPage {
                chrome: session.chrome(),
                site: s.id.to_string(),
                name: s.name.clone(),
                banned: s.policy.banned_words.join("\n"),
                watched: s.policy.watched_words.join("\n"),
                curve: curve_of(&state, &id, s.policy.hold_abuse).await,
                policy: s.policy,
                error: None,
                saved: f.done.is_some(),
                site_model: site_model_status(&state, &id),
            },
            StatusCode::OK,
        ),
        Ok(None) => ApiError::UnknownSite.into_response(),
        Err(e) => internal(e),
    }
}

#[derive(Deserialize)]
struct SettingsForm {
    csrf: String,
    premoderate: Option<String>,
    hold_abuse: String,
    /// Absent (an older form): as it was.
    hold_threat: Option<String>,
    hold_identity_attack: Option<String>,
    reject_abuse: String,
    hold_off_topic: String,
    hold_off_topic_z: String,
    max_links: String,
    banned_words: String,
    watched_words: String,
    use_site_model: Option<String>,
    hold_new_authors: String,
    /// "allow" or "accounts"; absent: as it was.
    guests: Option<String>,
    /// "keep" or "remove"; absent: as it was.
    deleted_accounts: Option<String>,
}

/// The file `jirga train --site` writes for a site, in the data folder's `models/`.
pub fn site_model_file(site: &SiteId) -> String {
    format!("site-{site}.jlm")
}

fn parse_policy(
    site: &SiteId,
    f: &SettingsForm,
    current: &SitePolicy,
) -> Result<SitePolicy, String> {
    let unit = |name: &str, raw: &str, max: f32| -> Result<f32, String> {
        raw.trim()
            .parse::<f32>()
            .ok()
            .filter(|v| (0.0..=max).contains(v))
            .ok_or_else(|| format!("{name} must be a number from 0 to {max}."))
    };
    let words = |raw: &str| -> Vec<String> {
        raw.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| l.chars().take(100).collect())
            .take(1_000)
            .collect()
    };
    Ok(SitePolicy {
        premoderate: f.premoderate.is_some(),
        hold_abuse: unit("The abuse hold threshold", &f.hold_abuse, 1.0)?,
        reject_abuse: unit("The abuse reject threshold", &f.reject_abuse, 1.01)?,
        hold_threat: match &f.hold_threat {
            Some(raw) => unit("The threat hold threshold", raw, 1.01)?,
            None => current.hold_threat,
        },
        hold_identity_attack: match &f.hold_identity_attack {
            Some(raw) => unit("The identity-attack hold threshold", raw, 1.01)?,
            None => current.hold_identity_attack,
        },
        hold_off_topic: unit("The off-topic threshold", &f.hold_off_topic, 1.0)?,
        hold_off_topic_z: f
            .hold_off_topic_z
            .trim()
            .parse::<f32>()
            .ok()
            .filter(|v| (-5.0..=5.0).contains(v))
            .ok_or_else(|| {
                "The relative off-topic threshold must be a number from -5 to 5.".to_owned()
            })?,
        max_links: f
            .max_links
            .trim()
            .parse()
            .map_err(|_| "The link limit must be a whole number.".to_owned())?,
        banned_words: words(&f.banned_words),
        watched_words: words(&f.watched_words),
        abuse_model: f.use_site_model.as_ref().map(|_| site_model_file(site)),
        hold_new_authors: f
            .hold_new_authors
            .trim()
            .parse()
            .ok()
            .filter(|n| *n <= 100)
            .ok_or_else(|| {
                "Holding new authors takes a number of comments from 0 to 100.".to_owned()
            })?,
        guests_allowed: match f.guests.as_deref() {
            None => current.guests_allowed,
            Some("allow") => true,
            Some("accounts") => false,
            Some(_) => return Err("Guests are either allowed or not.".into()),
        },
        remove_deleted_accounts_comments: match f.deleted_accounts.as_deref() {
            None => current.remove_deleted_accounts_comments,
            Some("keep") => false,
            Some("remove") => true,
            Some(_) => return Err("A deleted account's comments are kept or removed.".into()),
        },
    })
}

async fn save_settings(
    State(state): State<AppState>,
    session: Session,
    Path(site): Path<String>,
    axum::Form(form): axum::Form<SettingsForm>,
) -> Response {
    if let Err(r) = session.check(&form.csrf) {
        return r.into_response();
    }
    let Ok(id) = SiteId::parse(&site) else {
        return ApiError::UnknownSite.into_response();
    };
    if let Err(r) = session.may(&id) {
        return r.into_response();
    }
    let current = match state.store.site(&id).await {
        Ok(Some(s)) => s,
        Ok(None) => return ApiError::UnknownSite.into_response(),
        Err(e) => return internal(e),
    };
    let policy = match parse_policy(&id, &form, &current.policy) {
        Ok(p) => p,
        Err(error) => {
            return render(
                &SettingsPage {
                    chrome: session.chrome(),
                    site: current.id.to_string(),
                    name: current.name.clone(),
                    banned: form.banned_words.clone(),
                    watched: form.watched_words.clone(),
                    curve: curve_of(&state, &current.id, current.policy.hold_abuse).await,
                    policy: current.policy,
                    error: Some(error),
                    saved: false,
                    site_model: site_model_status(&state, &current.id),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let mut entry = session.entry(&id, ModAction::Settings);
    entry.note = serde_json::to_string(&policy).ok();
    let updated = NewSite {
        id: current.id,
        name: current.name,
        allowed_origins: current.allowed_origins,
        auto_create_threads: current.auto_create_threads,
        policy,
        api_key_hash: current.api_key_hash,
    };
    if let Err(e) = state.store.update_site(updated).await {
        return internal(e);
    }
    if let Err(e) = state.store.log(entry).await {
        return internal(e);
    }
    Redirect::to(&format!("/moderate/settings/{id}?done=saved")).into_response()
}

#[derive(Template)]
#[template(path = "moderate/authors.html")]
struct AuthorsPage {
    chrome: Chrome,
    site: String,
    query: String,
    authors: Vec<AuthorRow>,
    done: Option<String>,
}

#[derive(Deserialize)]
struct AuthorsQuery {
    q: Option<String>,
    done: Option<String>,
}

async fn authors_page(
    State(state): State<AppState>,
    session: Session,
    Path(site): Path<String>,
    axum::extract::Query(q): axum::extract::Query<AuthorsQuery>,
) -> Response {
    let Ok(id) = SiteId::parse(&site) else {
        return ApiError::UnknownSite.into_response();
    };
    if let Err(r) = session.admin(&id) {
        return r.into_response();
    }
    let query: String = q.q.unwrap_or_default().trim().chars().take(100).collect();
    match state.store.site_authors(&id, &query, 200).await {
        Ok(authors) => render(
            &AuthorsPage {
                chrome: session.chrome(),
                site: id.to_string(),
                query,
                authors,
                done: q.done.filter(|d| d == "saved").map(|_| "Saved.".to_owned()),
            },
            StatusCode::OK,
        ),
        Err(e) => internal(e),
    }
}

#[derive(Deserialize)]
struct BadgeForm {
    csrf: String,
    affiliation: Option<String>,
    verified: Option<String>,
}

async fn save_badges(
    State(state): State<AppState>,
    session: Session,
    Path((site, author)): Path<(String, i64)>,
    axum::Form(form): axum::Form<BadgeForm>,
) -> Response {
    if let Err(r) = session.check(&form.csrf) {
        return r.into_response();
    }
    let Ok(id) = SiteId::parse(&site) else {
        return ApiError::UnknownSite.into_response();
    };
    if let Err(r) = session.admin(&id) {
        return r.into_response();
    }
    let affiliation: Option<String> = form
        .affiliation
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| a.chars().take(120).collect());
    let verified = form.verified.is_some();
    match state
        .store
        .set_badges(&id, author, affiliation.clone(), verified)
        .await
    {
        Ok(()) => {}
        Err(jirga_store::StoreError::NotFound(_)) => {
            return ApiError::UnknownComment.into_response();
        }
        Err(e) => return internal(e),
    }
    let mut entry = session.entry(&id, ModAction::Badges);
    entry.author_id = Some(author);
    entry.note = Some(format!(
        "verified: {}; affiliation: {}",
        if verified { "yes" } else { "no" },
        affiliation.as_deref().unwrap_or("none")
    ));
    if let Err(e) = state.store.log(entry).await {
        return internal(e);
    }
    // The author's name line changed wherever they commented: drop cached pages.
    state.cache.clear();
    Redirect::to(&format!("/moderate/authors/{id}?done=saved")).into_response()
}

/// One bar of a chart, in SVG units.
pub struct Bar {
    pub x: u32,
    pub y: u32,
    pub height: u32,
    pub class: &'static str,
    pub label: String,
}

pub struct Chart {
    pub site: String,
    pub days: Vec<Bar>,
    pub day_labels: Vec<(u32, String)>,
    pub histogram: Vec<Bar>,
    pub total: i64,
}

#[derive(Template)]
#[template(path = "moderate/charts.html")]
struct ChartsPage {
    chrome: Chrome,
    charts: Vec<Chart>,
}

const CHART_H: u32 = 120;

async fn charts(State(state): State<AppState>, session: Session) -> Response {
    let mut charts = Vec::new();
    for site in &session.moderator.sites {
        let (days, hist) = match (
            state.store.daily_stats(site, 30).await,
            state.store.abuse_histogram(site).await,
        ) {
            (Ok(d), Ok(h)) => (d, h),
            (Err(e), _) | (_, Err(e)) => return internal(e),
        };
        let max_day = days
            .iter()
            .map(|d| d.published + d.held + d.rejected)
            .max()
            .unwrap_or(0)
            .max(1);
        let mut bars = Vec::new();
        let mut labels = Vec::new();
        for (i, d) in days.iter().enumerate() {
            let x = 40 + i as u32 * 22;
            let mut top = CHART_H;
            for (n, class, what) in [
                (d.published, "published", "published"),
                (d.held, "held", "held"),
                (d.rejected, "rejected", "rejected"),
            ] {
                let h = (n as f64 / max_day as f64 * f64::from(CHART_H - 10)).round() as u32;
                top -= h.min(top);
                bars.push(Bar {
                    x,
                    y: top,
                    height: h,
                    class,
                    label: format!("{}: {n} {what}", d.day),
                });
            }
            labels.push((x, d.day.get(5..).unwrap_or(&d.day).to_owned()));
        }
        // Tenths for the chart: the store counts twentieths.
        let hist: Vec<i64> = hist
            .chunks(2)
            .map(|p| p.iter().map(|b| b.comments).sum())
            .collect();
        let max_bin = hist.iter().copied().max().unwrap_or(0).max(1);
        let histogram = hist
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let h = (n as f64 / max_bin as f64 * f64::from(CHART_H - 10)).round() as u32;
                Bar {
                    x: 40 + i as u32 * 36,
                    y: CHART_H - h,
                    height: h,
                    class: if i >= 6 { "held" } else { "published" },
                    label: format!("abuse score {}-{}%: {n} comments", i * 10, i * 10 + 10),
                }
            })
            .collect();
        charts.push(Chart {
            site: site.to_string(),
            days: bars,
            day_labels: labels,
            histogram,
            total: hist.iter().sum(),
        });
    }
    render(
        &ChartsPage {
            chrome: session.chrome(),
            charts,
        },
        StatusCode::OK,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_mark_the_flagged_words() {
        let p = pieces("you are a fool, a fool", &[(10, 14), (18, 22)]);
        assert_eq!(
            p,
            vec![
                ("you are a ".to_owned(), false),
                ("fool".to_owned(), true),
                (", a ".to_owned(), false),
                ("fool".to_owned(), true)
            ]
        );
        // Bad offsets are ignored rather than panicking.
        assert_eq!(pieces("é", &[(0, 1)]), vec![("é".to_owned(), false)]);
    }

    #[test]
    fn the_threshold_curve_counts_what_each_threshold_would_hold() {
        use jirga_store::SCORE_BINS;
        let mut bins = [ScoreBin::default(); SCORE_BINS];
        // 10 comments under 0.05, 4 at [0.35, 0.40), 3 at [0.60, 0.65) of which 2 rejected,
        // 1 at [0.95, 1] rejected.
        bins[0].comments = 10;
        bins[7].comments = 4;
        bins[12] = ScoreBin {
            comments: 3,
            rejected: 2,
        };
        bins[19] = ScoreBin {
            comments: 1,
            rejected: 1,
        };
        let rows = threshold_curve(&bins, 0.614);
        let at = |t: &str| rows.iter().find(|r| r.threshold == t).expect(t);
        assert_eq!((at("0.30").held, at("0.30").rejected), (8, 3));
        assert_eq!((at("0.40").held, at("0.40").rejected), (4, 3));
        assert_eq!(at("0.40").percent, "22.2");
        assert_eq!((at("0.90").held, at("0.90").rejected), (1, 1));
        // The site's 0.614 is read at its bin, 0.60, and marked.
        assert!(at("0.60").current);
        assert_eq!(rows.iter().filter(|r| r.current).count(), 1);
        // A threshold between the listed ones gets its own row; "off" (above 1) none.
        assert!(
            threshold_curve(&bins, 0.75)
                .iter()
                .any(|r| r.threshold == "0.75" && r.current)
        );
        assert!(!threshold_curve(&bins, 1.01).iter().any(|r| r.current));
        // No comments yet: zero rows, no division by zero.
        assert!(
            threshold_curve(&[ScoreBin::default(); SCORE_BINS], 0.6)
                .iter()
                .all(|r| r.held == 0 && r.percent == "0.0")
        );
    }
}
