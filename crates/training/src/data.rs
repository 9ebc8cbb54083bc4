//! Loaders for the labelled sets in `shared/data`, each returning train and test examples.
//! Which file means what is documented in each set's SOURCE.md.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub const KINDS: [&str; 4] = ["insult", "threat", "identity_attack", "obscene"];

#[derive(Debug, Clone)]
pub struct Example {
    pub text: String,
    pub label: bool,
    /// Which of `KINDS` apply, where the set says (civil comments spans); else all false.
    pub kinds: [bool; 4],
}

#[derive(Debug, Default)]
pub struct Split {
    pub train: Vec<Example>,
    pub test: Vec<Example>,
}

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot parse {path}: {why}")]
    Parse { path: PathBuf, why: String },
}

type Result<T> = std::result::Result<T, DataError>;

fn ex(text: String, label: bool) -> Example {
    Example {
        text,
        label,
        kinds: [false; 4],
    }
}

/// A fixed 20 % of rows, chosen by a hash of a stable key (row id or text).
pub fn held_out(key: &str) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h.is_multiple_of(5)
}

fn split_by_key(rows: impl IntoIterator<Item = (String, Example)>) -> Split {
    let mut s = Split::default();
    for (key, e) in rows {
        if held_out(&key) {
            s.test.push(e);
        } else {
            s.train.push(e);
        }
    }
    s
}

fn read(path: &Path, delimiter: u8, quoting: bool) -> Result<Vec<HashMap<String, String>>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quoting(quoting)
        .flexible(true)
        .from_path(path)
        .map_err(|e| DataError::Io {
            path: path.to_owned(),
            source: std::io::Error::other(e.to_string()),
        })?;
    let headers = reader
        .headers()
        .map_err(|e| DataError::Parse {
            path: path.to_owned(),
            why: e.to_string(),
        })?
        .clone();
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| DataError::Parse {
            path: path.to_owned(),
            why: e.to_string(),
        })?;
        rows.push(
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect(),
        );
    }
    Ok(rows)
}

fn field<'a>(row: &'a HashMap<String, String>, name: &str, path: &Path) -> Result<&'a str> {
    row.get(name)
        .map(String::as_str)
        .ok_or_else(|| DataError::Parse {
            path: path.to_owned(),
            why: format!("no column {name}"),
        })
}

/// Davidson et al.: hate (0) or offensive (1) is abusive.
pub fn davidson(dir: &Path) -> Result<Split> {
    let path = dir.join("davidson_hate_offensive/labeled_data.csv");
    let rows = read(&path, b',', true)?;
    let mut out = Vec::new();
    for r in &rows {
        let class = field(r, "class", &path)?;
        let id = r.get("").cloned().unwrap_or_default();
        let mut e = ex(
            field(r, "tweet", &path)?.replace("&amp;", "&"),
            class != "2",
        );
        // Class 0 is hate speech: aimed at a group.
        e.kinds[IDENTITY] = class == "0";
        out.push((format!("d{id}"), e));
    }
    Ok(split_by_key(out))
}

/// Civil Comments toxic spans: toxic unless most workers said "not toxic"; a kind applies
/// when at least half of the workers marked a span of that type.
pub fn civil(dir: &Path) -> Result<Split> {
    let base = dir.join("civil_comments_toxic_spans");
    let comments = read(&base.join("comments.csv"), b',', true)?;
    let annotations = read(&base.join("annotations.csv"), b',', true)?;
    let spans = read(&base.join("spans.csv"), b',', true)?;
    // annotation id -> (comment, worker); one vote per worker and comment.
    let mut by_annotation: HashMap<String, (String, String)> = HashMap::new();
    let mut votes: HashMap<String, HashMap<String, bool>> = HashMap::new();
    for a in &annotations {
        let comment = a.get("comment_id").cloned().unwrap_or_default();
        let worker = a.get("worker").cloned().unwrap_or_default();
        let not_toxic = a.get("not toxic").is_some_and(|v| v == "True");
        by_annotation.insert(
            a.get("annotation").cloned().unwrap_or_default(),
            (comment.clone(), worker.clone()),
        );
        votes.entry(comment).or_default().insert(worker, not_toxic);
    }
    let mut kind_votes: HashMap<String, [HashSet<String>; 4]> = HashMap::new();
    for s in &spans {
        let Some((comment, worker)) = s.get("annotation").and_then(|a| by_annotation.get(a)) else {
            continue;
        };
        let kind = match s.get("type").map(String::as_str) {
            Some("Insult") => 0,
            Some("Threat") => 1,
            Some("Identity based Attack") => 2,
            Some("Profane/Obscene") => 3,
            _ => continue,
        };
        kind_votes.entry(comment.clone()).or_default()[kind].insert(worker.clone());
    }
    let mut out = Vec::new();
    for c in &comments {
        let id = c.get("comment_id").cloned().unwrap_or_default();
        let Some(v) = votes.get(&id) else { continue };
        let workers = v.len();
        let not_toxic = v.values().filter(|n| **n).count();
        let mut e = ex(
            c.get("comment_text").cloned().unwrap_or_default(),
            not_toxic * 2 <= workers,
        );
        if let Some(k) = kind_votes.get(&id) {
            for (i, set) in k.iter().enumerate() {
                e.kinds[i] = set.len() * 2 >= workers;
            }
        }
        out.push((format!("c{id}"), e));
    }
    Ok(split_by_key(out))
}

/// Wikipedia talk comments at natural toxicity rates, rated with and without context.
pub fn wiki(dir: &Path) -> Result<Split> {
    let mut out = Vec::new();
    for file in ["gc.csv", "gn.csv"] {
        let path = dir.join("wiki_toxicity_context").join(file);
        for r in read(&path, b',', true)? {
            let id = field(&r, "id", &path)?.to_owned();
            let label = field(&r, "label", &path)?.trim() == "1";
            out.push((
                format!("w{file}{id}"),
                ex(field(&r, "text", &path)?.to_owned(), label),
            ));
        }
    }
    Ok(split_by_key(out))
}

/// HateXplain (via MAGPIE): offensive (1) or hate (2) is abusive.
pub fn hatexplain(dir: &Path) -> Result<Split> {
    let path = dir.join("hatexplain_magpie/preprocessed.csv");
    let mut out = Vec::new();
    for r in read(&path, b',', true)? {
        let text = field(&r, "text", &path)?
            .replace("<user>", "@USER")
            .replace("<number>", "1");
        let label = field(&r, "label", &path)?;
        let mut e = ex(text.clone(), label != "0");
        // 2 is hate: aimed at a group.
        e.kinds[IDENTITY] = label == "2";
        out.push((format!("h{text}"), e));
    }
    Ok(split_by_key(out))
}

/// Jigsaw's synthetic identity sentences ("Mark is a gay person" is fine, "murder american"
/// is not); every fifth row, for training only: they teach that naming a group is not abuse.
pub fn madlibs(dir: &Path) -> Result<Vec<Example>> {
    let path = dir.join("jigsaw_bias_eval/bias_madlibs_77k.csv");
    Ok(read(&path, b',', true)?
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 5 == 0)
        .filter_map(|(_, r)| Some(ex(r.get("Text")?.clone(), r.get("Label")? == "BAD")))
        .collect())
}

/// Real Wikipedia comments that mention identities (and the identity-swapped copy).
pub fn identity_test(dir: &Path, fuzzed: bool) -> Result<Vec<Example>> {
    let name = if fuzzed {
        "toxicity_fuzzed_testset.csv"
    } else {
        "toxicity_nonfuzzed_testset.csv"
    };
    let path = dir.join("jigsaw_bias_eval").join(name);
    read(&path, b',', true)?
        .iter()
        .map(|r| {
            Ok(ex(
                field(r, "comment", &path)?.to_owned(),
                field(r, "toxic", &path)? == "True",
            ))
        })
        .collect()
}

/// One Fox News comment with its article.
#[derive(Debug, Clone)]
pub struct FoxComment {
    pub text: String,
    pub hateful: bool,
    /// Article title and description.
    pub article: String,
}

pub fn fox(dir: &Path) -> Result<Vec<FoxComment>> {
    let path = dir.join("fox_news_comments/fox-news-comments.json");
    let text = std::fs::read_to_string(&path).map_err(|e| DataError::Io {
        path: path.clone(),
        source: e,
    })?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: serde_json::Value =
                serde_json::from_str(line).map_err(|e| DataError::Parse {
                    path: path.clone(),
                    why: e.to_string(),
                })?;
            let s = |k: &str| {
                v.get(k)
                    .and_then(|x| x.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            Ok(FoxComment {
                text: s("text"),
                hateful: v.get("label").and_then(serde_json::Value::as_i64) == Some(1),
                article: format!("{}. {}", s("title"), s("meta")),
            })
        })
        .collect()
}

/// C3 (Globe and Mail): toxic when the mean crowd rating is 2 or more. The test rows are
/// those listed in `test_ids` (the baseline's stratified split).
pub fn c3(dir: &Path, test_ids: &HashSet<String>) -> Result<Split> {
    let path = dir.join("c3/C3_anonymized.csv");
    let mut s = Split::default();
    for r in read(&path, b',', true)? {
        let level: f32 = field(&r, "crowd_toxicity_level", &path)?
            .parse()
            .map_err(|_| DataError::Parse {
                path: path.clone(),
                why: "toxicity level".into(),
            })?;
        let e = ex(field(&r, "comment_text", &path)?.to_owned(), level >= 2.0);
        if test_ids.contains(field(&r, "comment_counter", &path)?) {
            s.test.push(e);
        } else {
            s.train.push(e);
        }
    }
    Ok(s)
}

/// OLID's official level-A test set: offensive (OFF) or not.
pub fn olid_test(dir: &Path) -> Result<Vec<Example>> {
    let base = dir.join("olid");
    let labels_path = base.join("labels-levela.csv");
    let labels = std::fs::read_to_string(&labels_path).map_err(|e| DataError::Io {
        path: labels_path,
        source: e,
    })?;
    let gold: HashMap<&str, bool> = labels
        .lines()
        .filter_map(|l| l.trim().split_once(','))
        .map(|(id, lab)| (id, lab == "OFF"))
        .collect();
    let path = base.join("testset-levela.tsv");
    read(&path, b'\t', false)?
        .iter()
        .map(|r| {
            let id = field(r, "id", &path)?;
            let label = *gold.get(id).ok_or_else(|| DataError::Parse {
                path: path.clone(),
                why: format!("no gold label for {id}"),
            })?;
            Ok(ex(field(r, "tweet", &path)?.to_owned(), label))
        })
        .collect()
}

/// `models/splits/c3_test_ids.txt`, one comment_counter a line.
pub fn read_ids(path: &Path) -> Result<HashSet<String>> {
    let text = std::fs::read_to_string(path).map_err(|e| DataError::Io {
        path: path.to_owned(),
        source: e,
    })?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// Which of `KINDS` is identity attack.
const IDENTITY: usize = 2;

/// Measuring Hate Speech (partial): hate speech score above 0 is abusive; its comments are
/// about identity groups, so an abusive one is an identity attack.
pub fn mhs(dir: &Path) -> Result<Split> {
    let path = dir.join("measuring_hate_speech_partial/mhs_comments_binary.csv");
    let mut out = Vec::new();
    for r in read(&path, b',', true)? {
        let label = field(&r, "label", &path)? == "1";
        let mut e = ex(field(&r, "text", &path)?.to_owned(), label);
        e.kinds[IDENTITY] = label;
        out.push((format!("m{}", field(&r, "comment_id", &path)?), e));
    }
    Ok(split_by_key(out))
}

/// ToxiGen (human-annotated part): statements about 13 groups, many with no rude word; a
/// human toxicity rating of 3 or more (of 5) is abusive and an identity attack.
pub fn toxigen(dir: &Path) -> Result<Split> {
    let path = dir.join("toxigen_annotated/toxigen_annotated_train.csv");
    let mut out = Vec::new();
    for r in read(&path, b',', true)? {
        let score: f32 =
            field(&r, "toxicity_human", &path)?
                .parse()
                .map_err(|_| DataError::Parse {
                    path: path.clone(),
                    why: "toxicity_human".into(),
                })?;
        let text = field(&r, "text", &path)?.to_owned();
        let mut e = ex(text.clone(), score >= 3.0);
        e.kinds[IDENTITY] = e.label;
        out.push((format!("t{text}"), e));
    }
    Ok(split_by_key(out))
}

/// Ruddit: Reddit comments scored from supportive (-1) to offensive (+1); above 0.25 is
/// abusive (the set's "borderline and up"). Deleted comments are skipped.
pub fn ruddit(dir: &Path) -> Result<Split> {
    let path = dir.join("ruddit/ruddit_with_text.csv");
    let mut out = Vec::new();
    for r in read(&path, b',', true)? {
        let text = field(&r, "txt", &path)?;
        if text == "[deleted]" || text == "[removed]" || text.trim().is_empty() {
            continue;
        }
        let score: f32 = field(&r, "offensiveness_score", &path)?
            .parse()
            .map_err(|_| DataError::Parse {
                path: path.clone(),
                why: "offensiveness_score".into(),
            })?;
        out.push((
            format!("r{}", field(&r, "comment_id", &path)?),
            ex(text.to_owned(), score > 0.25),
        ));
    }
    Ok(split_by_key(out))
}
