//! Static sentence vectors distilled from the all-MiniLM-L6-v2 encoder (Apache-2.0): a table
//! with one vector per WordPiece token (`scripts/distill_minilm.py` builds it), and BERT's own
//! uncased tokenisation. A text's vector is the IDF-weighted mean of its tokens' vectors, unit
//! length: a few microseconds, where the encoder takes milliseconds.

use crate::model::ModelError;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

pub struct StaticEmbedding {
    dims: usize,
    rows: Vec<i8>,
    scales: Vec<f32>,
    vocab: HashMap<String, u32>,
    unk: u32,
    /// Per-token weights (IDF from comment corpora); 1 when not fitted.
    weights: Vec<f32>,
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || "\u{201c}\u{201d}\u{2018}\u{2019}\u{2013}\u{2014}\u{2026}\u{ab}\u{bb}\u{bf}\u{a1}\u{b7}"
            .contains(c)
}

impl StaticEmbedding {
    pub fn from_bytes(table: &[u8], vocab_txt: &str) -> Result<Self, ModelError> {
        if table.len() < 16 || &table[..8] != b"JIRGAST1" {
            return Err(ModelError::BadMagic);
        }
        let word = |i: usize| {
            u32::from_le_bytes([table[i], table[i + 1], table[i + 2], table[i + 3]]) as usize
        };
        let (n, dims) = (word(8), word(12));
        if table.len() != 16 + n * (4 + dims) {
            return Err(ModelError::Truncated);
        }
        let mut rows = Vec::with_capacity(n * dims);
        let mut scales = Vec::with_capacity(n);
        for r in 0..n {
            let at = 16 + r * (4 + dims);
            scales.push(f32::from_le_bytes([
                table[at],
                table[at + 1],
                table[at + 2],
                table[at + 3],
            ]));
            rows.extend(table[at + 4..at + 4 + dims].iter().map(|&b| b as i8));
        }
        let vocab: HashMap<String, u32> = vocab_txt
            .lines()
            .enumerate()
            .map(|(i, t)| (t.to_owned(), i as u32))
            .collect();
        if vocab.len() != n {
            return Err(ModelError::Truncated);
        }
        let unk = vocab.get("[UNK]").copied().unwrap_or(0);
        Ok(Self {
            dims,
            rows,
            scales,
            vocab,
            unk,
            weights: vec![1.0; n],
        })
    }

    pub fn vocab_size(&self) -> usize {
        self.scales.len()
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    /// Token weights, one per vocabulary entry (for example IDF from a corpus).
    pub fn set_weights(&mut self, weights: Vec<f32>) {
        if weights.len() >= self.scales.len() {
            self.weights = weights[..self.scales.len()].to_vec();
        }
    }

    /// BERT's uncased tokenisation: lower case, accents off, punctuation split off, then
    /// WordPiece (longest match first, `##` for continuations).
    pub fn token_ids(&self, text: &str) -> Vec<u32> {
        let mut words: Vec<String> = Vec::new();
        let mut cur = String::new();
        for c in text
            .nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        {
            if c.is_whitespace() || c.is_control() {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
            } else if is_punct(c) {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
                words.push(c.to_string());
            } else {
                cur.extend(c.to_lowercase());
            }
        }
        if !cur.is_empty() {
            words.push(cur);
        }
        let mut ids = Vec::new();
        for w in words {
            let chars: Vec<char> = w.chars().collect();
            if chars.len() > 100 {
                ids.push(self.unk);
                continue;
            }
            let mut pieces = Vec::new();
            let mut start = 0;
            let mut ok = true;
            while start < chars.len() {
                let mut end = chars.len();
                let mut found = None;
                while end > start {
                    let sub: String = chars[start..end].iter().collect();
                    let key = if start > 0 { format!("##{sub}") } else { sub };
                    if let Some(&id) = self.vocab.get(&key) {
                        found = Some(id);
                        break;
                    }
                    end -= 1;
                }
                match found {
                    Some(id) => {
                        pieces.push(id);
                        start = end;
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                ids.extend(pieces);
            } else {
                ids.push(self.unk);
            }
        }
        ids
    }

    /// The unit-length vector of a text (all zeros when it has no known tokens).
    pub fn embed(&self, text: &str) -> Vec<f32> {
        let mut v = vec![0f32; self.dims];
        for id in self.token_ids(text) {
            let id = id as usize;
            let w = self.weights[id] * self.scales[id];
            for (slot, &q) in v
                .iter_mut()
                .zip(&self.rows[id * self.dims..(id + 1) * self.dims])
            {
                *slot += w * f32::from(q);
            }
        }
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            for x in &mut v {
                *x /= norm;
            }
        }
        v
    }
}

pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
