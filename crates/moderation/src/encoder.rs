//! The sentence encoder: all-MiniLM-L6-v2 (a 6-layer BERT) run on the CPU with candle, turning
//! a text into a unit-length 384-number vector whose direction carries its meaning. The abuse
//! heads read it, and the on-topic check compares a comment's vector with its article's.
//!
//! The forward pass is written here (about a hundred lines) rather than taken from
//! candle-transformers, which would compile a hundred other models with it; a test holds it to
//! vectors from the reference implementation (sentence-transformers), cosine at least 0.999.

use candle_core::{D, DType, Device, Tensor};
use candle_nn::{Embedding, LayerNorm, Linear, Module};
use std::collections::HashMap;

/// Anything that turns texts into unit-length vectors of one fixed size.
pub trait Encoder: Send + Sync {
    fn dim(&self) -> usize;
    /// One vector per text, in order.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncoderError>;
}

#[derive(Debug, thiserror::Error)]
pub enum EncoderError {
    #[error("encoder weights: {0}")]
    Weights(String),
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    #[error("encoder: {0}")]
    Compute(#[from] candle_core::Error),
}

/// The weights and tokenizer `scripts/convert-minilm` wrote, compiled into the binary.
const SHIPPED_WEIGHTS: &[u8] = include_bytes!("../../../models/minilm/model.safetensors");
const SHIPPED_TOKENIZER: &[u8] = include_bytes!("../../../models/minilm/tokenizer.json");

pub const MINILM_VERSION: &str = "minilm-l6-v2-f16";

/// Tokens read per text: comments past this are judged by their beginning. 128 word pieces
/// cover about 90 words, enough for most comments; the cost grows with the square of it.
pub const MAX_TOKENS: usize = 128;

const HIDDEN: usize = 384;
const HEADS: usize = 12;
const LAYERS: usize = 6;
const EPS: f64 = 1e-12;

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_out: Linear,
    attention_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    output_norm: LayerNorm,
}

pub struct MiniLm {
    tokenizer: tokenizers::Tokenizer,
    /// Kept in f16 (half of the model's weights are this table); rows are widened when read.
    words: Embedding,
    positions: Tensor,
    token_type: Tensor,
    embedding_norm: LayerNorm,
    layers: Vec<Layer>,
    device: Device,
}

struct Weights(HashMap<String, Tensor>);

impl Weights {
    fn get(&self, name: &str, dtype: DType) -> Result<Tensor, EncoderError> {
        self.0
            .get(name)
            .ok_or_else(|| EncoderError::Weights(format!("missing tensor {name}")))?
            .to_dtype(dtype)
            .map_err(EncoderError::from)
    }
    fn linear(&self, prefix: &str) -> Result<Linear, EncoderError> {
        Ok(Linear::new(
            self.get(&format!("{prefix}.weight"), DType::F32)?,
            Some(self.get(&format!("{prefix}.bias"), DType::F32)?),
        ))
    }
    fn norm(&self, prefix: &str) -> Result<LayerNorm, EncoderError> {
        Ok(LayerNorm::new(
            self.get(&format!("{prefix}.weight"), DType::F32)?,
            self.get(&format!("{prefix}.bias"), DType::F32)?,
            EPS,
        ))
    }
}

impl MiniLm {
    /// The encoder compiled into the binary.
    pub fn shipped() -> Result<Self, EncoderError> {
        Self::from_bytes(SHIPPED_WEIGHTS, SHIPPED_TOKENIZER)
    }

    pub fn from_bytes(weights: &[u8], tokenizer: &[u8]) -> Result<Self, EncoderError> {
        let device = Device::Cpu;
        let w = Weights(candle_core::safetensors::load_buffer(weights, &device)?);
        let mut tokenizer = tokenizers::Tokenizer::from_bytes(tokenizer)
            .map_err(|e| EncoderError::Tokenizer(e.to_string()))?;
        tokenizer
            .with_truncation(Some(tokenizers::TruncationParams {
                max_length: MAX_TOKENS,
                ..Default::default()
            }))
            .map_err(|e| EncoderError::Tokenizer(e.to_string()))?;
        tokenizer.with_padding(Some(tokenizers::PaddingParams::default()));
        let layers = (0..LAYERS)
            .map(|i| {
                let p = format!("encoder.layer.{i}");
                Ok(Layer {
                    query: w.linear(&format!("{p}.attention.self.query"))?,
                    key: w.linear(&format!("{p}.attention.self.key"))?,
                    value: w.linear(&format!("{p}.attention.self.value"))?,
                    attention_out: w.linear(&format!("{p}.attention.output.dense"))?,
                    attention_norm: w.norm(&format!("{p}.attention.output.LayerNorm"))?,
                    intermediate: w.linear(&format!("{p}.intermediate.dense"))?,
                    output: w.linear(&format!("{p}.output.dense"))?,
                    output_norm: w.norm(&format!("{p}.output.LayerNorm"))?,
                })
            })
            .collect::<Result<Vec<_>, EncoderError>>()?;
        Ok(Self {
            tokenizer,
            words: Embedding::new(
                w.get("embeddings.word_embeddings.weight", DType::F16)?,
                HIDDEN,
            ),
            positions: w.get("embeddings.position_embeddings.weight", DType::F32)?,
            token_type: w
                .get("embeddings.token_type_embeddings.weight", DType::F32)?
                .get(0)?,
            embedding_norm: w.norm("embeddings.LayerNorm")?,
            layers,
            device,
        })
    }

    /// Token ids and attention mask of a batch, padded to its longest text.
    fn tokenize(&self, texts: &[&str]) -> Result<(Tensor, Tensor), EncoderError> {
        let enc = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| EncoderError::Tokenizer(e.to_string()))?;
        let len = enc.first().map_or(0, |e| e.get_ids().len());
        let ids: Vec<u32> = enc.iter().flat_map(|e| e.get_ids().to_vec()).collect();
        let mask: Vec<f32> = enc
            .iter()
            .flat_map(|e| e.get_attention_mask().iter().map(|&m| m as f32))
            .collect();
        Ok((
            Tensor::from_vec(ids, (texts.len(), len), &self.device)?,
            Tensor::from_vec(mask, (texts.len(), len), &self.device)?,
        ))
    }

    fn forward(&self, ids: &Tensor, mask: &Tensor) -> Result<Tensor, EncoderError> {
        let (batch, len) = ids.dims2()?;
        let words = self.words.forward(ids)?.to_dtype(DType::F32)?;
        let x = words
            .broadcast_add(&self.positions.narrow(0, 0, len)?)?
            .broadcast_add(&self.token_type)?;
        let mut x = self.embedding_norm.forward(&x)?;
        // 0 where a token may be attended to, a large negative number on padding.
        let bias = ((mask - 1.0)? * 1e4)?.reshape((batch, 1, 1, len))?;
        let head_dim = HIDDEN / HEADS;
        let scale = 1.0 / (head_dim as f64).sqrt();
        let split = |t: Tensor| -> candle_core::Result<Tensor> {
            t.reshape((batch, len, HEADS, head_dim))?
                .transpose(1, 2)?
                .contiguous()
        };
        for l in &self.layers {
            let q = split(l.query.forward(&x)?)?;
            let k = split(l.key.forward(&x)?)?;
            let v = split(l.value.forward(&x)?)?;
            let scores = (q.matmul(&k.t()?)? * scale)?.broadcast_add(&bias)?;
            let attention = candle_nn::ops::softmax_last_dim(&scores)?;
            let context = attention
                .matmul(&v)?
                .transpose(1, 2)?
                .reshape((batch, len, HIDDEN))?;
            let attended = l
                .attention_norm
                .forward(&(l.attention_out.forward(&context)? + &x)?)?;
            let inner = l.intermediate.forward(&attended)?.gelu_erf()?;
            x = l
                .output_norm
                .forward(&(l.output.forward(&inner)? + &attended)?)?;
        }
        // Mean of the real tokens' vectors, then unit length.
        let m = mask.unsqueeze(2)?;
        let summed = x.broadcast_mul(&m)?.sum(1)?;
        let counts = m.sum(1)?.clamp(1e-9, f64::MAX)?;
        let mean = summed.broadcast_div(&counts)?;
        let norm = mean
            .sqr()?
            .sum_keepdim(D::Minus1)?
            .sqrt()?
            .clamp(1e-12, f64::MAX)?;
        Ok(mean.broadcast_div(&norm)?)
    }

    /// How many word pieces the encoder would read of this text (at most `MAX_TOKENS`).
    pub fn token_count(&self, text: &str) -> usize {
        self.tokenizer
            .encode(text, true)
            .map_or(0, |e| e.get_ids().len())
    }
}

impl Encoder for MiniLm {
    fn dim(&self) -> usize {
        HIDDEN
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncoderError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let (ids, mask) = self.tokenize(texts)?;
        Ok(self.forward(&ids, &mask)?.to_vec2()?)
    }
}

/// Embeds many texts in batches of similar length (less padding), keeping their order.
pub fn embed_all(
    encoder: &dyn Encoder,
    texts: &[&str],
    batch: usize,
    mut progress: impl FnMut(usize),
) -> Result<Vec<Vec<f32>>, EncoderError> {
    let mut order: Vec<usize> = (0..texts.len()).collect();
    order.sort_by_key(|&i| texts[i].len());
    let mut out = vec![Vec::new(); texts.len()];
    for chunk in order.chunks(batch.max(1)) {
        let batch_texts: Vec<&str> = chunk.iter().map(|&i| texts[i]).collect();
        for (&i, v) in chunk.iter().zip(encoder.embed(&batch_texts)?) {
            out[i] = v;
        }
        progress(chunk.len());
    }
    Ok(out)
}

pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sentences and their vectors from sentence-transformers with the original f32 weights,
    /// written by `scripts/convert-minilm`.
    const REFERENCE: &str = include_str!("../../../models/minilm/reference.json");

    #[test]
    fn vectors_match_the_reference_implementation() {
        let reference: Vec<(String, Vec<f32>)> =
            serde_json::from_str(REFERENCE).expect("reference.json");
        assert!(reference.len() >= 20);
        let m = MiniLm::shipped().expect("shipped encoder");
        let texts: Vec<&str> = reference.iter().map(|(t, _)| t.as_str()).collect();
        // In one batch (padded) and one at a time: padding must not change a vector.
        let batched = m.embed(&texts).expect("embed");
        for ((text, want), got) in reference.iter().zip(&batched) {
            let single = &m.embed(&[text]).expect("embed")[0];
            for v in [got, single] {
                let cos = dot(want, v);
                assert!(cos >= 0.999, "{cos} for {text:?}");
            }
        }
    }

    #[test]
    fn related_sentences_are_closer_than_unrelated_ones() {
        let m = MiniLm::shipped().expect("shipped encoder");
        let v = m
            .embed(&[
                "The river burst its banks and flooded the town.",
                "Floodwater covered the streets after the river overflowed.",
                "Cream the butter and sugar, then fold in the mashed bananas.",
            ])
            .expect("embed");
        assert!(dot(&v[0], &v[1]) > dot(&v[0], &v[2]) + 0.3);
        assert_eq!(m.embed(&[]).expect("empty").len(), 0);
    }
}
