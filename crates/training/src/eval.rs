//! `jirga eval`: the shipped models on held-out data only, one row per set.

use crate::data::{self, Example};
use crate::metrics::{average_precision, false_positive_rate, precision_recall, roc_auc};
use crate::train::Permissive;
use std::fmt::Write;
use std::path::Path;

pub struct Row {
    pub set: String,
    pub n: usize,
    pub positives: usize,
    pub auc: Option<f64>,
    pub ap: Option<f64>,
    pub precision: f64,
    pub recall: f64,
    pub fpr: f64,
}

pub fn row(set: &str, examples: &[Example], score: &dyn Fn(&str) -> f32, threshold: f32) -> Row {
    let scores: Vec<f32> = examples.iter().map(|e| score(&e.text)).collect();
    let labels: Vec<bool> = examples.iter().map(|e| e.label).collect();
    let (precision, recall) = precision_recall(&scores, &labels, threshold);
    Row {
        set: set.to_owned(),
        n: examples.len(),
        positives: labels.iter().filter(|l| **l).count(),
        auc: roc_auc(&scores, &labels),
        ap: average_precision(&scores, &labels),
        precision,
        recall,
        fpr: false_positive_rate(&scores, &labels, threshold),
    }
}

/// Every held-out abuse set. `c3_test_ids` selects C3's test rows.
pub fn abuse_rows(
    dir: &Path,
    sets: &Permissive,
    c3_test_ids: &std::collections::HashSet<String>,
    score: &dyn Fn(&str) -> f32,
    threshold: f32,
) -> Result<Vec<Row>, data::DataError> {
    let fox: Vec<Example> = data::fox(dir)?
        .into_iter()
        .map(|f| Example {
            text: f.text,
            label: f.hateful,
            kinds: [false; 4],
        })
        .collect();
    Ok(vec![
        row(
            "c3 test (news comments)",
            &data::c3(dir, c3_test_ids)?.test,
            score,
            threshold,
        ),
        row(
            "olid official test (tweets)",
            &data::olid_test(dir)?,
            score,
            threshold,
        ),
        row("fox news comments (hateful)", &fox, score, threshold),
        row(
            "civil comments spans, held-out 20%",
            &sets.civil.test,
            score,
            threshold,
        ),
        row(
            "wiki talk in/out of context, held-out 20%",
            &sets.wiki.test,
            score,
            threshold,
        ),
        row(
            "davidson tweets, held-out 20%",
            &sets.davidson.test,
            score,
            threshold,
        ),
        row(
            "hatexplain, held-out 20%",
            &sets.hatexplain.test,
            score,
            threshold,
        ),
        row(
            "jigsaw identity comments",
            &data::identity_test(dir, false)?,
            score,
            threshold,
        ),
        row(
            "jigsaw identity comments, terms swapped",
            &data::identity_test(dir, true)?,
            score,
            threshold,
        ),
    ])
}

fn opt(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |v| format!("{v:.3}"))
}

pub fn markdown(title: &str, rows: &[Row], threshold: f32) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### {title}\n");
    let _ = writeln!(
        out,
        "| held-out set | n | positive | ROC-AUC | avg precision | precision @ {threshold:.2} | recall @ {threshold:.2} | false-positive rate @ {threshold:.2} |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {:.3} | {:.3} | {:.3} |",
            r.set,
            r.n,
            r.positives,
            opt(r.auc),
            opt(r.ap),
            r.precision,
            r.recall,
            r.fpr
        );
    }
    out
}

/// On-topic on Fox News: for each comment, the score against its own article and against
/// one other article chosen by a fixed seed; AUC of own over other, and how often the own
/// article ranks first among all ten.
pub struct OnTopicReport {
    pub comments: usize,
    pub articles: usize,
    pub auc: f64,
    pub top1: f64,
}

pub fn ontopic_fox(
    dir: &Path,
    model: &jirga_moderation::ontopic::OnTopicModel,
) -> Result<OnTopicReport, data::DataError> {
    let fox = data::fox(dir)?;
    let mut articles: Vec<&str> = fox.iter().map(|f| f.article.as_str()).collect();
    articles.sort_unstable();
    articles.dedup();
    let vectors: Vec<_> = articles.iter().map(|a| model.vector(a)).collect();
    let (mut scores, mut labels, mut top1) = (Vec::new(), Vec::new(), 0usize);
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for f in &fox {
        let own = articles.iter().position(|a| *a == f.article).unwrap_or(0);
        let c = model.vector(&f.text);
        let sims: Vec<f32> = vectors.iter().map(|v| v.cosine(&c)).collect();
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let mut other = (state % (articles.len() as u64 - 1)) as usize;
        if other >= own {
            other += 1;
        }
        scores.extend([sims[own], sims[other]]);
        labels.extend([true, false]);
        if sims
            .iter()
            .enumerate()
            .all(|(i, s)| i == own || *s < sims[own])
        {
            top1 += 1;
        }
    }
    Ok(OnTopicReport {
        comments: fox.len(),
        articles: articles.len(),
        auc: roc_auc(&scores, &labels).unwrap_or(0.5),
        top1: top1 as f64 / fox.len() as f64,
    })
}
