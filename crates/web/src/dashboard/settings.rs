//! A site's moderation settings, with the threshold curve from its own history.

use crate::error::ApiError;
use crate::service::sites;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jirga_domain::SiteId;
use jirga_moderation::SitePolicy;
use jirga_store::{ScoreBin, Site};
use serde::Deserialize;

use super::session::{Chrome, Flash, Session, internal, render};
use crate::i18n::Locale;

#[derive(Template)]
#[template(path = "moderate/settings.html")]
pub(super) struct SettingsPage {
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
    /// With publisher sign-on configured: the tokens refused lately, newest first.
    sso: Option<Vec<crate::state::SsoRefused>>,
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
    /// On that row, the site's own threshold when it falls inside the twentieth the row
    /// counts from (0.684 is counted from 0.65): the row then holds a little more than it would.
    pub current_at: Option<String>,
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
                current_at: (from == own
                    && hold_abuse <= 1.0
                    && (f64::from(hold_abuse) - from as f64 / n as f64).abs() > 0.005)
                    .then(|| format!("{hold_abuse:.2}")),
            }
        })
        .collect()
}

pub(super) async fn curve_of(state: &AppState, site: &SiteId, hold_abuse: f32) -> Vec<CurveRow> {
    state
        .store
        .abuse_histogram(site)
        .await
        .map(|bins| threshold_curve(&bins, hold_abuse))
        .unwrap_or_default()
}

/// The numbers `jirga train --site` kept with the site's model, in a sentence.
fn site_model_status(l: &Locale, state: &AppState, site: &SiteId) -> Option<String> {
    let file = jirga_moderation::site_heads_file(&site_model_file(site));
    let bytes = std::fs::read(state.settings.data.join("models").join(file)).ok()?;
    let v = jirga_moderation::heads::EncoderHeads::from_json(&bytes)
        .ok()?
        .validation?;
    Some(l.format(
        "dash-site-model",
        &[
            ("held", v.held_back.into()),
            ("decisions", v.decisions.into()),
            ("own", format!("{:.3}", v.adapted_auc).into()),
            ("shipped", format!("{:.3}", v.shipped_auc).into()),
            ("better", if v.better() { "yes" } else { "no" }.into()),
        ],
    ))
}

/// The site named in the path, if this moderator may change it.
async fn own_site(state: &AppState, session: &Session, raw: &str) -> Result<Site, Response> {
    let id = SiteId::parse(raw).map_err(|_| ApiError::UnknownSite.into_response())?;
    session.may(&id).map_err(IntoResponse::into_response)?;
    match state.store.site(&id).await {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(ApiError::UnknownSite.into_response()),
        Err(e) => Err(internal(e)),
    }
}

impl SettingsPage {
    /// The page for a site's stored settings, with its word lists as `words` shows them (as
    /// stored, or as typed into a form that was refused).
    async fn of(
        state: &AppState,
        session: &Session,
        site: Site,
        words: (String, String),
        error: Option<String>,
        saved: bool,
    ) -> Self {
        Self {
            chrome: session.chrome(),
            site: site.id.to_string(),
            name: site.name,
            banned: words.0,
            watched: words.1,
            curve: curve_of(state, &site.id, site.policy.hold_abuse).await,
            site_model: site_model_status(session.l, state, &site.id),
            sso: state
                .settings
                .sso
                .iter()
                .any(|s| s.site == site.id.as_str())
                .then(|| state.sso_refusals(site.id.as_str())),
            policy: site.policy,
            error,
            saved,
        }
    }
}

pub(super) async fn settings_page(
    State(state): State<AppState>,
    session: Session,
    Path(site): Path<String>,
    axum::extract::Query(f): axum::extract::Query<Flash>,
) -> Response {
    let site = match own_site(&state, &session, &site).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let policy = &site.policy;
    let words = (
        policy.banned_words.join("\n"),
        policy.watched_words.join("\n"),
    );
    let page = SettingsPage::of(&state, &session, site, words, None, f.done.is_some()).await;
    render(&page, StatusCode::OK)
}

#[derive(Deserialize)]
pub(super) struct SettingsForm {
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
    /// The site's default language (a catalogue's tag); absent: as it was.
    language: Option<String>,
    /// Hold comments in a script the models cannot read; absent (an older form): as it was.
    unread_languages: Option<String>,
}

/// The file `jirga train --site` writes for a site, in the data folder's `models/`.
pub fn site_model_file(site: &SiteId) -> String {
    format!("site-{site}.jlm")
}

fn parse_policy(
    l: &Locale,
    site: &SiteId,
    f: &SettingsForm,
    current: &SitePolicy,
) -> Result<SitePolicy, String> {
    let unit = |name: &str, raw: &str, max: f32| -> Result<f32, String> {
        raw.trim()
            .parse::<f32>()
            .ok()
            .filter(|v| (0.0..=max).contains(v))
            .ok_or_else(|| l.t2("dash-error-unit", "name", l.t(name), "max", max))
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
        hold_abuse: unit("dash-name-hold-abuse", &f.hold_abuse, 1.0)?,
        reject_abuse: unit("dash-name-reject-abuse", &f.reject_abuse, 1.01)?,
        hold_threat: match &f.hold_threat {
            Some(raw) => unit("dash-name-hold-threat", raw, 1.01)?,
            None => current.hold_threat,
        },
        hold_identity_attack: match &f.hold_identity_attack {
            Some(raw) => unit("dash-name-hold-identity", raw, 1.01)?,
            None => current.hold_identity_attack,
        },
        hold_off_topic: unit("dash-name-hold-off-topic", &f.hold_off_topic, 1.0)?,
        hold_off_topic_z: f
            .hold_off_topic_z
            .trim()
            .parse::<f32>()
            .ok()
            .filter(|v| (-5.0..=5.0).contains(v))
            .ok_or_else(|| l.t("dash-error-off-topic-z"))?,
        max_links: f
            .max_links
            .trim()
            .parse()
            .map_err(|_| l.t("dash-error-links"))?,
        banned_words: words(&f.banned_words),
        watched_words: words(&f.watched_words),
        abuse_model: f.use_site_model.as_ref().map(|_| site_model_file(site)),
        hold_new_authors: f
            .hold_new_authors
            .trim()
            .parse()
            .ok()
            .filter(|n| *n <= 100)
            .ok_or_else(|| l.t("dash-error-new-authors"))?,
        guests_allowed: match f.guests.as_deref() {
            None => current.guests_allowed,
            Some("allow") => true,
            Some("accounts") => false,
            Some(_) => return Err(l.t("dash-error-guests")),
        },
        remove_deleted_accounts_comments: match f.deleted_accounts.as_deref() {
            None => current.remove_deleted_accounts_comments,
            Some("keep") => false,
            Some("remove") => true,
            Some(_) => return Err(l.t("dash-error-deleted-accounts")),
        },
        language: match f.language.as_deref().map(str::trim) {
            None => current.language.clone(),
            Some("") => None,
            Some(tag) => Some(
                crate::i18n::find(tag)
                    .map(|found| found.tag.clone())
                    .ok_or_else(|| l.t("dash-error-language"))?,
            ),
        },
        hold_unread_languages: match f.unread_languages.as_deref() {
            None => current.hold_unread_languages,
            Some("hold") => true,
            Some("publish") => false,
            Some(_) => return Err(l.t("dash-error-unread")),
        },
    })
}

pub(super) async fn save_settings(
    State(state): State<AppState>,
    session: Session,
    Path(site): Path<String>,
    axum::Form(form): axum::Form<SettingsForm>,
) -> Response {
    if let Err(r) = session.check(&form.csrf) {
        return r.into_response();
    }
    let current = match own_site(&state, &session, &site).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match parse_policy(session.l, &current.id, &form, &current.policy) {
        Ok(policy) => {
            let done = format!("/moderate/settings/{}?done=saved", current.id);
            match sites::save_policy(&state, &session.moderator, current, policy).await {
                Ok(_) => Redirect::to(&done).into_response(),
                Err(e) => internal(e),
            }
        }
        Err(error) => {
            let typed = (form.banned_words.clone(), form.watched_words.clone());
            let page = SettingsPage::of(&state, &session, current, typed, Some(error), false).await;
            render(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;

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
        // The shipped 0.684 is counted from its twentieth, 0.65, and says so.
        let shipped = threshold_curve(&bins, 0.684);
        let now = shipped.iter().find(|r| r.current).expect("a current row");
        assert_eq!(
            (now.threshold.as_str(), now.current_at.as_deref()),
            ("0.65", Some("0.68"))
        );
        assert_eq!(at("0.60").current_at.as_deref(), Some("0.61"));
        let exact = threshold_curve(&bins, 0.75);
        assert_eq!(
            exact
                .iter()
                .find(|r| r.current)
                .and_then(|r| r.current_at.clone()),
            None
        );
        // No comments yet: zero rows, no division by zero.
        assert!(
            threshold_curve(&[ScoreBin::default(); SCORE_BINS], 0.6)
                .iter()
                .all(|r| r.held == 0 && r.percent == "0.0")
        );
    }
}
