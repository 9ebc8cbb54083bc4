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
    row_from_scores(set, &labels, &scores, threshold)
}

pub fn row_from_scores(set: &str, labels: &[bool], scores: &[f32], threshold: f32) -> Row {
    let (precision, recall) = precision_recall(scores, labels, threshold);
    Row {
        set: set.to_owned(),
        n: labels.len(),
        positives: labels.iter().filter(|l| **l).count(),
        auc: roc_auc(scores, labels),
        ap: average_precision(scores, labels),
        precision,
        recall,
        fpr: false_positive_rate(scores, labels, threshold),
    }
}

/// A held-out set: a short name (for caches), its title, its rows.
pub type EvalSet = (&'static str, String, Vec<Example>);

/// Every held-out abuse set, with a short name for caches. `c3_test_ids` selects C3's test rows.
pub fn abuse_sets(
    dir: &Path,
    sets: &Permissive,
    c3_test_ids: &std::collections::HashSet<String>,
) -> Result<Vec<EvalSet>, data::DataError> {
    let fox: Vec<Example> = data::fox(dir)?
        .into_iter()
        .map(|f| Example {
            text: f.text,
            label: f.hateful,
            kinds: [false; 4],
        })
        .collect();
    let held = |s: &crate::data::Split| s.test.clone();
    Ok(vec![
        (
            "c3",
            "c3 test (news comments)".into(),
            data::c3(dir, c3_test_ids)?.test,
        ),
        (
            "olid",
            "olid official test (tweets)".into(),
            data::olid_test(dir)?,
        ),
        ("fox", "fox news comments (hateful)".into(), fox),
        (
            "civil",
            "civil comments spans, held-out 20%".into(),
            held(&sets.civil),
        ),
        (
            "wiki",
            "wiki talk in/out of context, held-out 20%".into(),
            held(&sets.wiki),
        ),
        (
            "davidson",
            "davidson tweets, held-out 20%".into(),
            held(&sets.davidson),
        ),
        (
            "hatexplain",
            "hatexplain, held-out 20%".into(),
            held(&sets.hatexplain),
        ),
        (
            "mhs",
            "measuring hate speech, held-out 20%".into(),
            held(&sets.mhs),
        ),
        (
            "toxigen",
            "toxigen (implicit hate), held-out 20%".into(),
            held(&sets.toxigen),
        ),
        (
            "ruddit",
            "ruddit (reddit), held-out 20%".into(),
            held(&sets.ruddit),
        ),
        (
            "identity",
            "jigsaw identity comments".into(),
            data::identity_test(dir, false)?,
        ),
        (
            "identity-swapped",
            "jigsaw identity comments, terms swapped".into(),
            data::identity_test(dir, true)?,
        ),
    ])
}

/// Every held-out abuse set scored by `score`.
pub fn abuse_rows(
    dir: &Path,
    sets: &Permissive,
    c3_test_ids: &std::collections::HashSet<String>,
    score: &dyn Fn(&str) -> f32,
    threshold: f32,
) -> Result<Vec<Row>, data::DataError> {
    Ok(abuse_sets(dir, sets, c3_test_ids)?
        .iter()
        .map(|(_, name, examples)| row(name, examples, score, threshold))
        .collect())
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

/// On-topic as "comment under its own article against the same comment under another":
/// the cosine alone, and relative to all the candidate articles (what the pipeline does when a
/// site has enough recent articles). Also how often the own article ranks first.
pub struct OnTopicReport {
    pub set: String,
    pub comments: usize,
    pub articles: usize,
    pub auc: f64,
    pub auc_relative: f64,
    pub top1: f64,
}

/// `pairs` are (article, comment). For each comment, one other article is chosen by a fixed seed.
pub fn ontopic(
    set: &str,
    pairs: &[(String, String)],
    model: &jirga_moderation::ontopic::OnTopicModel,
) -> OnTopicReport {
    let articles = distinct_articles(pairs);
    let vectors: Vec<_> = articles.iter().map(|a| model.vector(a)).collect();
    let sims: Vec<Vec<f32>> = pairs
        .iter()
        .map(|(_, text)| {
            let c = model.vector(text);
            vectors.iter().map(|v| v.cosine(&c)).collect()
        })
        .collect();
    ontopic_from_similarities(set, pairs, &articles, &sims)
}

/// The distinct articles of `pairs`, sorted.
pub fn distinct_articles(pairs: &[(String, String)]) -> Vec<&str> {
    let mut articles: Vec<&str> = pairs.iter().map(|p| p.0.as_str()).collect();
    articles.sort_unstable();
    articles.dedup();
    articles
}

/// As `ontopic`, from each comment's similarity to each of `articles`.
pub fn ontopic_from_similarities(
    set: &str,
    pairs: &[(String, String)],
    articles: &[&str],
    similarities: &[Vec<f32>],
) -> OnTopicReport {
    use jirga_moderation::ontopic::relative_similarity;
    let (mut raw, mut rel, mut labels, mut top1) = (Vec::new(), Vec::new(), Vec::new(), 0usize);
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for ((article, _), sims) in pairs.iter().zip(similarities) {
        let own = articles.iter().position(|a| a == article).unwrap_or(0);
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let mut other = (state % (articles.len() as u64 - 1)) as usize;
        if other >= own {
            other += 1;
        }
        // Relative to at most 20 candidates, as a site's 20 most recent articles.
        let candidates: Vec<usize> = (0..articles.len())
            .map(|k| (own + k) % articles.len())
            .take(20)
            .collect();
        let relative = |i: usize| {
            let others: Vec<f32> = candidates
                .iter()
                .chain([&other])
                .filter(|&&j| j != i)
                .map(|&j| sims[j])
                .collect();
            relative_similarity(sims[i], &others).unwrap_or(0.0)
        };
        raw.extend([sims[own], sims[other]]);
        rel.extend([relative(own), relative(other)]);
        labels.extend([true, false]);
        if sims
            .iter()
            .enumerate()
            .all(|(i, s)| i == own || *s < sims[own])
        {
            top1 += 1;
        }
    }
    OnTopicReport {
        set: set.to_owned(),
        comments: pairs.len(),
        articles: articles.len(),
        auc: roc_auc(&raw, &labels).unwrap_or(0.5),
        auc_relative: roc_auc(&rel, &labels).unwrap_or(0.5),
        top1: top1 as f64 / pairs.len().max(1) as f64,
    }
}

pub fn fox_pairs(dir: &Path) -> Result<Vec<(String, String)>, data::DataError> {
    Ok(data::fox(dir)?
        .into_iter()
        .map(|f| (f.article, f.text))
        .collect())
}

/// SemEval 2016 task 3 (validation file): comment under its own question (subject + body).
pub fn semeval_pairs(dir: &Path) -> Result<Vec<(String, String)>, data::DataError> {
    let path = dir.join("semeval2016_cqa_subtaskA/VAL-BASE.csv");
    let mut reader = csv::Reader::from_path(&path).map_err(|e| data::DataError::Parse {
        path: path.clone(),
        why: e.to_string(),
    })?;
    let mut out = Vec::new();
    for rec in reader.records() {
        let r = rec.map_err(|e| data::DataError::Parse {
            path: path.clone(),
            why: e.to_string(),
        })?;
        out.push((format!("{}. {}", &r[0], &r[1]), r[2].to_owned()));
    }
    Ok(out)
}

pub fn ontopic_markdown(title: &str, rows: &[OnTopicReport]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### {title}\n");
    let _ = writeln!(
        out,
        "| set | comments | articles | ROC-AUC own vs other, cosine | ROC-AUC, relative to the other articles (shipped rule) | own article ranked first |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.3} | {:.3} | {:.3} |",
            r.set, r.comments, r.articles, r.auc, r.auc_relative, r.top1
        );
    }
    out
}
