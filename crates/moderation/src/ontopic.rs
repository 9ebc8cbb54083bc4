//! On-topic: how much a comment shares the article's subject (and, for a reply, its
//! parent's). Both sides become IDF-weighted vectors of folded content words, hashed; the
//! score is their cosine. The article's vector is built once per thread and cached.

use crate::model::{Head, LinearModel};
use crate::text::{Token, tokens};
use std::collections::HashMap;

pub const BITS: u32 = 16;

/// Words too common to say anything about a subject.
const STOPWORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "but", "by", "can", "could", "did", "do", "does", "dont", "for", "from",
    "get", "got", "had", "has", "have", "he", "her", "here", "him", "his", "how", "i", "if", "im",
    "in", "into", "is", "it", "its", "just", "like", "me", "more", "most", "my", "no", "not",
    "now", "of", "on", "one", "only", "or", "other", "our", "out", "over", "people", "said", "say",
    "says", "she", "should", "so", "some", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "to", "too", "up", "us", "very", "was", "we", "were", "what",
    "when", "where", "which", "who", "why", "will", "with", "would", "you", "your", "s", "t",
];

/// Crude English suffix stripping: "warnings" and "warning" meet, "districts" and "district".
fn stem(word: &str) -> &str {
    for suffix in [
        "ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "es", "ed", "s", "ly",
    ] {
        if let Some(base) = word.strip_suffix(suffix)
            && base.chars().count() >= 4
        {
            return base;
        }
    }
    word
}

fn bucket(word: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in word.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h & ((1 << BITS) - 1)
}

/// The content words of a text, as buckets.
pub fn terms(text: &str) -> Vec<u32> {
    terms_of(&tokens(text))
}

/// `terms` of an already tokenised text.
pub fn terms_of(toks: &[Token]) -> Vec<u32> {
    toks.iter()
        .filter(|t| {
            t.text.chars().count() > 2
                && !STOPWORDS.contains(&t.text.as_str())
                && t.text.chars().any(char::is_alphabetic)
        })
        .map(|t| bucket(stem(&t.text)))
        .collect()
}

/// A unit-length sparse vector.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermVector(HashMap<u32, f32>);

impl TermVector {
    pub fn cosine(&self, other: &TermVector) -> f32 {
        let (small, large) = if self.0.len() < other.0.len() {
            (self, other)
        } else {
            (other, self)
        };
        small
            .0
            .iter()
            .map(|(k, v)| v * large.0.get(k).copied().unwrap_or(0.0))
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// How far the comment's similarity to its own article stands above its similarity to the
/// site's other recent articles, in standard deviations. Comments on a subject share words
/// with many articles; z-scoring asks whether they share more with this one. `None` with
/// fewer than `MIN_OTHERS` other articles to compare with.
pub fn relative_similarity(own: f32, others: &[f32]) -> Option<f32> {
    if others.len() < MIN_OTHERS {
        return None;
    }
    let n = (others.len() + 1) as f32;
    let mean = (own + others.iter().sum::<f32>()) / n;
    let var = (others.iter().map(|s| (s - mean).powi(2)).sum::<f32>() + (own - mean).powi(2)) / n;
    // A floor on the spread: when every similarity is near zero, tiny differences mean nothing.
    Some((own - mean) / var.sqrt().max(0.02))
}

/// Other articles needed before a comment is judged relative to them.
pub const MIN_OTHERS: usize = 4;

/// Inverse document frequencies, learned by `jirga train` from comment corpora.
pub struct OnTopicModel {
    pub version: String,
    idf: Vec<f32>,
}

impl OnTopicModel {
    pub fn from_linear(m: LinearModel) -> Option<Self> {
        let head = m.heads.into_iter().find(|h| h.name == "idf")?;
        (m.bits == BITS).then_some(Self {
            version: m.version,
            idf: head.weights,
        })
    }

    pub fn to_linear(&self) -> LinearModel {
        LinearModel {
            version: self.version.clone(),
            bits: BITS,
            heads: vec![Head {
                name: "idf".into(),
                bias: 0.0,
                weights: self.idf.clone(),
            }],
        }
    }

    /// IDF from a corpus of documents (one per text).
    pub fn fit<'a>(docs: impl Iterator<Item = &'a str>, version: &str) -> Self {
        let mut df = vec![0u32; 1 << BITS];
        let mut n = 0u32;
        for doc in docs {
            n += 1;
            let mut seen: Vec<u32> = terms(doc);
            seen.sort_unstable();
            seen.dedup();
            for b in seen {
                df[b as usize] += 1;
            }
        }
        let idf = df
            .iter()
            .map(|&d| ((1.0 + n as f32) / (1.0 + d as f32)).ln() + 1.0)
            .collect();
        Self {
            version: version.into(),
            idf,
        }
    }

    pub fn vector(&self, text: &str) -> TermVector {
        self.vector_of(&terms(text))
    }

    /// The vector of a text's `terms`.
    pub fn vector_of(&self, terms: &[u32]) -> TermVector {
        let mut tf: HashMap<u32, f32> = HashMap::new();
        for &b in terms {
            *tf.entry(b).or_default() += 1.0;
        }
        for (b, v) in tf.iter_mut() {
            *v = (1.0 + v.ln()) * self.idf[*b as usize];
        }
        let norm = tf.values().map(|v| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            for v in tf.values_mut() {
                *v /= norm;
            }
        }
        TermVector(tf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_on_the_subject_scores_higher_than_one_off_it() {
        let m = OnTopicModel::fit(
            [
                "the river flood warning",
                "football match tonight",
                "budget vote",
            ]
            .into_iter(),
            "t",
        );
        let article = m.vector("Two districts agree to share flood warnings for the river valley");
        let on = m.vector("Flood warnings for the whole river? About time.");
        let off = m.vector("Great football match tonight, what a goal");
        assert!(article.cosine(&on) > 0.3, "{}", article.cosine(&on));
        assert_eq!(article.cosine(&off), 0.0);
    }
}
