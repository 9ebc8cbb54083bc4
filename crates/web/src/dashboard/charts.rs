//! Comments per day by where they stand now.

use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::session::{Chrome, Session, internal, render};

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
pub(super) struct ChartsPage {
    chrome: Chrome,
    charts: Vec<Chart>,
}

const CHART_H: u32 = 120;

pub(super) async fn charts(State(state): State<AppState>, session: Session) -> Response {
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
