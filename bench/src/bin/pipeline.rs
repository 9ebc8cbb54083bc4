//! Times the whole moderation pipeline (rules, encoder, abuse heads, on-topic) per comment, on one
//! core, over real news comments: C3's test split scored against Fox News articles, as
//! replies and as top-level comments. Also times loading the models.
//!
//! cargo run --release -p jirga-bench --bin pipeline [-- ../shared/data]

use jirga_bench::quantile;
use jirga_moderation::{ModerationInput, Pipeline, SitePolicy};
use jirga_training::data;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "../shared/data".into()),
    );
    let started = Instant::now();
    let pipeline = Pipeline::shipped().expect("shipped models");
    let load_ms = started.elapsed().as_secs_f64() * 1e3;

    let ids =
        data::read_ids(std::path::Path::new("models/splits/c3_test_ids.txt")).expect("c3 split");
    let comments: Vec<String> = data::c3(&dir, &ids)
        .expect("c3")
        .test
        .into_iter()
        .map(|e| e.text)
        .collect();
    let fox = data::fox(&dir).expect("fox");
    let mut articles: Vec<String> = fox.iter().map(|f| f.article.clone()).collect();
    articles.sort();
    articles.dedup();
    let policy = SitePolicy::default();
    // The site's other recent articles, for the relative on-topic check.
    let others: Vec<(&str, &str)> = articles.iter().map(|a| ("", a.as_str())).collect();

    // Warm up: build each article's representation once, as a server does per thread.
    for a in &articles {
        let _ = pipeline.assess(&input(
            a,
            None,
            "warm up the article cache with a comment",
            &others,
            &policy,
        ));
    }
    let mut times = Vec::with_capacity(comments.len() * 2);
    // Comments of 50 to 70 words, top-level: the budget is stated for a 60-word comment.
    let mut sixty = Vec::new();
    let mut chars = 0usize;
    for (i, c) in comments.iter().enumerate() {
        let article = &articles[i % articles.len()];
        let parent = (i % 3 == 0).then(|| comments[(i + 1) % comments.len()].as_str());
        let t = Instant::now();
        let a = pipeline.assess(&input(article, parent, c, &others, &policy));
        let us = t.elapsed().as_secs_f64() * 1e6;
        times.push(us);
        if parent.is_none() && (50..=70).contains(&c.split_whitespace().count()) {
            sixty.push(us);
        }
        std::hint::black_box(a);
        chars += c.chars().count();
    }
    times.sort_by(f64::total_cmp);
    sixty.sort_by(f64::total_cmp);
    let total: f64 = times.iter().sum();
    println!("| what | value |");
    println!("|---|---:|");
    println!("| models loaded (encoder, abuse, on-topic) | {load_ms:.1} ms |");
    println!(
        "| comments scored | {} (mean {} characters; a third as replies) |",
        times.len(),
        chars / times.len().max(1)
    );
    println!("| median per comment | {:.0} µs |", quantile(&times, 0.5));
    println!("| p90 per comment | {:.0} µs |", quantile(&times, 0.9));
    println!("| p99 per comment | {:.0} µs |", quantile(&times, 0.99));
    println!(
        "| 50 to 70 words, top-level ({} comments): median / p99 | {:.1} / {:.1} ms |",
        sixty.len(),
        quantile(&sixty, 0.5) / 1e3,
        quantile(&sixty, 0.99) / 1e3
    );
    println!(
        "| throughput, one core | {:.0} comments/s |",
        times.len() as f64 / (total / 1e6)
    );
}

fn input<'a>(
    article: &'a str,
    parent: Option<&'a str>,
    body: &'a str,
    others: &'a [(&'a str, &'a str)],
    site: &'a SitePolicy,
) -> ModerationInput<'a> {
    ModerationInput {
        other_articles: others,
        ..ModerationInput::text("", article, parent, body, site)
    }
}
