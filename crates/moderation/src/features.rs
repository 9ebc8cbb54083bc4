//! Hashed features of a text, shared by training and scoring so the two cannot disagree:
//! folded words, word pairs and character 3- to 5-grams of each word, hashed into a fixed
//! number of buckets and scaled to unit length.

use crate::text::{Token, tokens};

/// A sparse feature vector: (bucket, value), buckets unique.
pub type Features = Vec<(u32, f32)>;

fn fnv(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Which token each feature came from, for explanations.
pub struct Extracted {
    pub features: Features,
    /// For each token (in the order of the tokens extracted from), the buckets it produced on its own (word and character grams).
    pub token_buckets: Vec<Vec<u32>>,
}

pub fn extract(text: &str, bits: u32) -> Extracted {
    extract_tokens(&tokens(text), bits)
}

/// The features of an already tokenised text (the pipeline tokenises each comment once).
pub fn extract_tokens(toks: &[Token], bits: u32) -> Extracted {
    let mask = (1u64 << bits) - 1;
    let mut counts: std::collections::HashMap<u32, f32> = std::collections::HashMap::new();
    let mut token_buckets = Vec::with_capacity(toks.len());
    for (i, t) in toks.iter().enumerate() {
        let mut own = Vec::new();
        let w = (fnv(&[b"w", t.text.as_bytes()]) & mask) as u32;
        own.push(w);
        let padded: Vec<char> = std::iter::once('<')
            .chain(t.text.chars())
            .chain(std::iter::once('>'))
            .collect();
        for n in 3..=5 {
            for win in padded.windows(n) {
                let gram: String = win.iter().collect();
                own.push((fnv(&[b"c", gram.as_bytes()]) & mask) as u32);
            }
        }
        if let Some(next) = toks.get(i + 1) {
            let b = (fnv(&[b"b", t.text.as_bytes(), next.text.as_bytes()]) & mask) as u32;
            *counts.entry(b).or_default() += 1.0;
        }
        for &b in &own {
            *counts.entry(b).or_default() += 1.0;
        }
        token_buckets.push(own);
    }
    let mut features: Features = counts.into_iter().map(|(k, c)| (k, 1.0 + c.ln())).collect();
    // Sorted before summing: the same text gives the same bits, whatever the hash map did.
    features.sort_unstable_by_key(|f| f.0);
    let norm = features.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        for f in &mut features {
            f.1 /= norm;
        }
    }
    Extracted {
        features,
        token_buckets,
    }
}
