//! Comments per day by where they stand now.

use crate::i18n::Locale;
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

/// A day's stacked bars, and the count written above them (none on an empty day).
pub struct Day {
    pub bars: Vec<Bar>,
    pub x: u32,
    pub total: i64,
    pub top: u32,
}

/// A label on an axis, in SVG units.
pub struct Tick {
    pub x: u32,
    pub y: u32,
    pub text: String,
}

pub struct Chart {
    pub site: String,
    pub days: Vec<Day>,
    /// Dates under the bars, a week apart so they never overlap.
    pub day_ticks: Vec<Tick>,
    /// Counts up the left side: 0, half and the largest day.
    pub count_ticks: Vec<Tick>,
    pub histogram: Vec<Bar>,
    pub histogram_ticks: Vec<Tick>,
    pub histogram_counts: Vec<Tick>,
    pub total: i64,
    /// What the chart shows, in words, for a screen reader.
    pub summary: String,
}

#[derive(Template)]
#[template(path = "moderate/charts.html")]
pub(super) struct ChartsPage {
    chrome: Chrome,
    charts: Vec<Chart>,
}

/// The height of the plotting area, from its top (y = 10) to the axis (y = 130).
const CHART_H: u32 = 120;
const AXIS_Y: u32 = 130;
const DAYS: i64 = 30;

pub(super) async fn charts(State(state): State<AppState>, session: Session) -> Response {
    let mut charts = Vec::new();
    for site in &session.moderator.sites {
        match (
            state.store.daily_stats(site, 30).await,
            state.store.abuse_histogram(site).await,
        ) {
            (Ok(days), Ok(bins)) => charts.push(chart(session.l, site.to_string(), &days, &bins)),
            (Err(e), _) | (_, Err(e)) => return internal(e),
        }
    }
    let page = ChartsPage {
        chrome: session.chrome(),
        charts,
    };
    render(&page, StatusCode::OK)
}

/// Every one of the last `DAYS` days up to `today`, oldest first, with zeros for the days
/// nobody commented on (the store leaves those out).
pub fn every_day(stats: &[DayStats], today: chrono::NaiveDate) -> Vec<DayStats> {
    (0..DAYS)
        .rev()
        .map(|back| {
            let day = (today - chrono::Duration::days(back))
                .format("%Y-%m-%d")
                .to_string();
            stats
                .iter()
                .find(|d| d.day == day)
                .cloned()
                .unwrap_or(DayStats {
                    day,
                    published: 0,
                    held: 0,
                    rejected: 0,
                })
        })
        .collect()
}

/// One site's charts: comments per day by where they stand, and the abuse scores in tenths.
fn chart(l: &Locale, site: String, stats: &[DayStats], bins: &[ScoreBin]) -> Chart {
    let days = every_day(stats, chrono::Utc::now().date_naive());
    let max_day = days
        .iter()
        .map(|d| d.published + d.held + d.rejected)
        .max()
        .unwrap_or(0);
    let (bars, day_ticks) = day_bars(l, &days, max_day);
    // Tenths for the chart: the store counts twentieths.
    let tenths: Vec<i64> = bins
        .chunks(2)
        .map(|p| p.iter().map(|b| b.comments).sum())
        .collect();
    let total_posted: i64 = days.iter().map(|d| d.published + d.held + d.rejected).sum();
    let held: i64 = days.iter().map(|d| d.held).sum();
    let rejected: i64 = days.iter().map(|d| d.rejected).sum();
    Chart {
        summary: l.format(
            "dash-chart-summary",
            &[
                ("total", total_posted.into()),
                ("days", DAYS.into()),
                ("published", (total_posted - held - rejected).into()),
                ("held", held.into()),
                ("rejected", rejected.into()),
                ("busiest", max_day.into()),
            ],
        ),
        site,
        days: bars,
        day_ticks,
        count_ticks: count_ticks(max_day),
        histogram_ticks: (0..=10)
            .step_by(2)
            .map(|i| Tick {
                x: 40 + i * 36,
                y: AXIS_Y + 14,
                text: format!("{:.1}", f64::from(i) / 10.0),
            })
            .collect(),
        histogram_counts: histogram_counts(&tenths),
        histogram: histogram_bars(l, &tenths),
        total: tenths.iter().sum(),
    }
}

fn bar_height(n: i64, max: i64) -> u32 {
    (n as f64 / max.max(1) as f64 * f64::from(CHART_H)).round() as u32
}

/// 0, half and the largest count, up the left side of the per-day chart.
fn count_ticks(max: i64) -> Vec<Tick> {
    let mut values = vec![0, max];
    if max >= 2 {
        values.insert(1, max / 2);
    }
    values
        .into_iter()
        .map(|v| Tick {
            x: 32,
            y: AXIS_Y - bar_height(v, max) + 3,
            text: v.to_string(),
        })
        .collect()
}

/// A stacked bar per day (published, held, rejected from the bottom) and a date every week,
/// today's included.
fn day_bars(l: &Locale, days: &[DayStats], max_day: i64) -> (Vec<Day>, Vec<Tick>) {
    let mut out = Vec::new();
    let mut ticks = Vec::new();
    for (i, d) in days.iter().enumerate() {
        let x = 40 + i as u32 * 22;
        let mut top = AXIS_Y;
        let mut bars = Vec::new();
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
                label: l.format(
                    "dash-chart-bar",
                    &[
                        ("day", d.day.clone().into()),
                        ("n", n.into()),
                        ("state", class.into()),
                    ],
                ),
            });
        }
        out.push(Day {
            bars,
            x: x + 9,
            total: d.published + d.held + d.rejected,
            top: top.saturating_sub(3),
        });
        // Counted back from today, so today is labelled and labels never crowd each other.
        if (days.len() - 1 - i).is_multiple_of(7) {
            ticks.push(Tick {
                x: x + 9,
                y: AXIS_Y + 14,
                text: d.day.get(5..).unwrap_or(&d.day).to_owned(),
            });
        }
    }
    (out, ticks)
}

/// The count above each non-empty bar of the histogram.
fn histogram_counts(tenths: &[i64]) -> Vec<Tick> {
    let max_bin = tenths.iter().copied().max().unwrap_or(0);
    tenths
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, &n)| Tick {
            x: 40 + i as u32 * 36 + 15,
            y: AXIS_Y - bar_height(n, max_bin) - 3,
            text: n.to_string(),
        })
        .collect()
}

/// A bar per tenth of the abuse score; those from 0.6 up in the held colour.
fn histogram_bars(l: &Locale, tenths: &[i64]) -> Vec<Bar> {
    let max_bin = tenths.iter().copied().max().unwrap_or(0);
    tenths
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let h = bar_height(n, max_bin);
            Bar {
                x: 40 + i as u32 * 36,
                y: AXIS_Y - h,
                height: h,
                class: if i >= 6 { "held" } else { "published" },
                label: l.format(
                    "dash-chart-histogram-bar",
                    &[
                        ("from", (i * 10).into()),
                        ("to", (i * 10 + 10).into()),
                        ("n", n.into()),
                    ],
                ),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_day_is_shown_even_the_empty_ones() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        let stats = vec![DayStats {
            day: "2026-11-28".into(),
            published: 3,
            held: 1,
            rejected: 0,
        }];
        let days = every_day(&stats, today);
        assert_eq!(days.len(), 30);
        assert_eq!(days[0].day, "2026-11-01");
        assert_eq!(days[29].day, "2026-11-30");
        assert_eq!((days[27].published, days[27].held), (3, 1));
        assert_eq!(days.iter().map(|d| d.published).sum::<i64>(), 3);
        let (bars, ticks) = day_bars(crate::i18n::english(), &days, 4);
        assert_eq!(bars.len(), 30);
        assert_eq!(bars[27].total, 4);
        let labels: Vec<&str> = ticks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(labels, vec!["11-02", "11-09", "11-16", "11-23", "11-30"]);
        let counts = count_ticks(4);
        let texts: Vec<&str> = counts.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, vec!["0", "2", "4"]);
    }
}
