//! The abuse model: logistic regressions over hashed features (`features.rs`), one head for
//! "abusive" and one per kind (insult, threat, identity attack, obscene). Trained by
//! `jirga train` from the labelled data; loaded here from a small binary file.

use crate::features::{Extracted, extract, extract_tokens};
use crate::text::{Token, tokens};
pub use jirga_domain::policy::Span;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("not a Jirga model file (bad magic)")]
    BadMagic,
    #[error("model file is truncated or malformed")]
    Truncated,
}

/// One logistic regression.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub name: String,
    pub bias: f32,
    pub weights: Vec<f32>,
}

impl Head {
    pub fn logit(&self, features: &[(u32, f32)]) -> f32 {
        self.bias
            + features
                .iter()
                .map(|&(k, v)| self.weights[k as usize] * v)
                .sum::<f32>()
    }
}

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    pub version: String,
    pub bits: u32,
    /// `heads[0]` is the main score; the rest are kinds.
    pub heads: Vec<Head>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AbuseScore {
    pub score: f32,
    /// The main head's logit (what the combination with the encoder reads).
    pub logit: f32,
    /// The most likely kind when the text reads as abusive.
    pub kind: Option<String>,
    pub spans: Vec<Span>,
}

const MAGIC: &[u8; 8] = b"JIRGALM1";

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], ModelError> {
        if self.0.len() < n {
            return Err(ModelError::Truncated);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_bits(self.u32()?))
    }
    fn string(&mut self) -> Result<String, ModelError> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| ModelError::Truncated)
    }
}

impl LinearModel {
    /// Weights are stored as 16-bit integers with one scale per head: a quarter of the size,
    /// with rounding far below what changes a decision.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(self.version.len() as u32).to_le_bytes());
        out.extend_from_slice(self.version.as_bytes());
        out.extend_from_slice(&(self.heads.len() as u32).to_le_bytes());
        for h in &self.heads {
            out.extend_from_slice(&(h.name.len() as u32).to_le_bytes());
            out.extend_from_slice(h.name.as_bytes());
            out.extend_from_slice(&h.bias.to_bits().to_le_bytes());
            let max = h
                .weights
                .iter()
                .fold(0f32, |m, w| m.max(w.abs()))
                .max(f32::MIN_POSITIVE);
            let scale = max / f32::from(i16::MAX);
            out.extend_from_slice(&scale.to_bits().to_le_bytes());
            for w in &h.weights {
                let q = (w / scale)
                    .round()
                    .clamp(f32::from(i16::MIN), f32::from(i16::MAX)) as i16;
                out.extend_from_slice(&q.to_le_bytes());
            }
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        let mut r = Reader(bytes);
        if r.take(8)? != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let bits = r.u32()?;
        if !(8..=24).contains(&bits) {
            return Err(ModelError::Truncated);
        }
        let version = r.string()?;
        let n = r.u32()? as usize;
        let mut heads = Vec::with_capacity(n.min(16));
        for _ in 0..n {
            let name = r.string()?;
            let bias = r.f32()?;
            let scale = r.f32()?;
            let raw = r.take(2 << bits)?;
            let weights = raw
                .chunks_exact(2)
                .map(|c| f32::from(i16::from_le_bytes([c[0], c[1]])) * scale)
                .collect();
            heads.push(Head {
                name,
                bias,
                weights,
            });
        }
        if heads.is_empty() {
            return Err(ModelError::Truncated);
        }
        Ok(Self {
            version,
            bits,
            heads,
        })
    }

    pub fn extract(&self, text: &str) -> Extracted {
        extract(text, self.bits)
    }

    /// Probability from the main head.
    pub fn probability(&self, text: &str) -> f32 {
        sigmoid(self.heads[0].logit(&self.extract(text).features))
    }

    /// Score, kind and the words that drove it.
    pub fn score(&self, text: &str) -> AbuseScore {
        self.score_tokens(text, &tokens(text))
    }

    /// `score` of a text already tokenised (`toks` are `text::tokens(text)`).
    pub fn score_tokens(&self, text: &str, toks: &[Token]) -> AbuseScore {
        let ex = extract_tokens(toks, self.bits);
        let main = &self.heads[0];
        let logit = main.logit(&ex.features);
        let score = sigmoid(logit);
        let kind = self.heads[1..]
            .iter()
            .map(|h| (h.name.clone(), sigmoid(h.logit(&ex.features))))
            .filter(|(_, p)| *p >= 0.5)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(name, _)| name);
        let spans = spans(main, &ex, toks, text);
        AbuseScore {
            score,
            logit,
            kind,
            spans,
        }
    }
}

/// Words whose own features push the main score up the most.
fn spans(head: &Head, ex: &Extracted, toks: &[Token], text: &str) -> Vec<Span> {
    let value: std::collections::HashMap<u32, f32> = ex.features.iter().copied().collect();
    let contributions: Vec<f32> = ex
        .token_buckets
        .iter()
        .map(|buckets| {
            buckets
                .iter()
                .map(|b| head.weights[*b as usize] * value.get(b).copied().unwrap_or(0.0))
                .sum()
        })
        .collect();
    let top = contributions.iter().copied().fold(0f32, f32::max);
    if top <= 0.15 {
        return Vec::new();
    }
    let mut out: Vec<Span> = toks
        .iter()
        .zip(&contributions)
        .filter(|(_, c)| **c >= top * 0.5)
        .map(|(t, _)| Span {
            start: t.start,
            end: t.end,
            text: text[t.start..t.end].to_owned(),
        })
        .collect();
    out.truncate(5);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_survives_the_round_trip_through_bytes() {
        let bits = 8;
        let head = |name: &str, k: f32| Head {
            name: name.into(),
            bias: -0.5,
            weights: (0..1 << bits).map(|i| (i as f32 - 128.0) * k).collect(),
        };
        let m = LinearModel {
            version: "t".into(),
            bits,
            heads: vec![head("abuse", 0.01), head("insult", 0.02)],
        };
        let back = LinearModel::from_bytes(&m.to_bytes()).expect("parse");
        assert_eq!(back.version, "t");
        for (a, b) in m.heads.iter().zip(&back.heads) {
            for (x, y) in a.weights.iter().zip(&b.weights) {
                assert!((x - y).abs() < 1e-4);
            }
        }
        assert!(matches!(
            LinearModel::from_bytes(b"nonsense"),
            Err(ModelError::Truncated | ModelError::BadMagic)
        ));
        assert!(matches!(
            LinearModel::from_bytes(&m.to_bytes()[..100]),
            Err(ModelError::Truncated)
        ));
    }
}
