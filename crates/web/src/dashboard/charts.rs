//! Comments per day by where they stand now.

use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jirga_store::{DayStats, ScoreBin};

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
        match (
            state.store.daily_stats(site, 30).await,
            state.store.abuse_histogram(site).await,
        ) {
            (Ok(days), Ok(bins)) => charts.push(chart(site.to_string(), &days, &bins)),
            (Err(e), _) | (_, Err(e)) => return internal(e),
        }
    }
    let page = ChartsPage {
        chrome: session.chrome(),
        charts,
    };
    render(&page, StatusCode::OK)
}

/// One site's charts: comments per day by where they stand, and the abuse scores in tenths.
fn chart(site: String, days: &[DayStats], bins: &[ScoreBin]) -> Chart {
    let (days, day_labels) = day_bars(days);
    // Tenths for the chart: the store counts twentieths.
    let tenths: Vec<i64> = bins
        .chunks(2)
        .map(|p| p.iter().map(|b| b.comments).sum())
        .collect();
    Chart {
        site,
        days,
        day_labels,
        histogram: histogram_bars(&tenths),
        total: tenths.iter().sum(),
    }
}

fn bar_height(n: i64, max: i64) -> u32 {
    (n as f64 / max.max(1) as f64 * f64::from(CHART_H - 10)).round() as u32
}

/// A stacked bar per day (published, held, rejected from the bottom) and its date label.
fn day_bars(days: &[DayStats]) -> (Vec<Bar>, Vec<(u32, String)>) {
    let max_day = days
        .iter()
        .map(|d| d.published + d.held + d.rejected)
        .max()
        .unwrap_or(0);
    let mut bars = Vec::new();
    let mut labels = Vec::new();
    for (i, d) in days.iter().enumerate() {
        let x = 40 + i as u32 * 22;
        let mut top = CHART_H;
        for (n, class) in [
            (d.published, "published"),
            (d.held, "held"),
            (d.rejected, "rejected"),
        ] {
            let h = bar_height(n, max_day);
            top -= h.min(top);
            bars.push(Bar {
                x,
                y: top,
                height: h,
                class,
                label: format!("{}: {n} {class}", d.day),
            });
        }
        labels.push((x, d.day.get(5..).unwrap_or(&d.day).to_owned()));
    }
    (bars, labels)
}

/// A bar per tenth of the abuse score; those from 0.6 up in the held colour.
fn histogram_bars(tenths: &[i64]) -> Vec<Bar> {
    let max_bin = tenths.iter().copied().max().unwrap_or(0);
    tenths
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let h = bar_height(n, max_bin);
            Bar {
                x: 40 + i as u32 * 36,
                y: CHART_H - h,
                height: h,
                class: if i >= 6 { "held" } else { "published" },
                label: format!("abuse score {}-{}%: {n} comments", i * 10, i * 10 + 10),
            }
        })
        .collect()
}
