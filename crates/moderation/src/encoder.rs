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
/// The top layers fine-tuned for abuse by `scripts/finetune-encoder` (f16).
const SHIPPED_BRANCH: &[u8] = include_bytes!("../../../models/minilm/abuse-branch.safetensors");

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
    /// Fine-tuned copies of the top layers for the abuse heads (`scripts/finetune-encoder`).
    branch: Option<Branch>,
    device: Device,
}

struct Branch {
    /// The first layer replaced: layers below it are shared with the meaning vector.
    from: usize,
    layers: Vec<Layer>,
    version: String,
}

struct Weights(HashMap<String, Tensor>);

impl Weights {
    fn get(&self, name: &str, dtype: DType) -> Result<Tensor, EncoderError> {
        let t = self
            .0
            .get(name)
            .ok_or_else(|| EncoderError::Weights(format!("missing tensor {name}")))?;
        if t.dtype() == DType::U8 {
            // int8 with a scale per row, stored as u8 + 128 (`finetune_encoder.py --int8`).
            let scale = self
                .0
                .get(&format!("{name}_scale"))
                .ok_or_else(|| EncoderError::Weights(format!("missing scale of {name}")))?;
            let w = (t.to_dtype(DType::F32)? - 128.0)?
                .broadcast_mul(&scale.to_dtype(DType::F32)?.unsqueeze(1)?)?;
            return Ok(w.to_dtype(dtype)?);
        }
        t.to_dtype(dtype).map_err(EncoderError::from)
    }
    fn linear(&self, prefix: &str) -> Result<Linear, EncoderError> {
        Ok(Linear::new(
            self.get(&format!("{prefix}.weight"), DType::F32)?,
            Some(self.get(&format!("{prefix}.bias"), DType::F32)?),
        ))
    }
    fn layer(&self, i: usize) -> Result<Layer, EncoderError> {
        let p = format!("encoder.layer.{i}");
        Ok(Layer {
            query: self.linear(&format!("{p}.attention.self.query"))?,
            key: self.linear(&format!("{p}.attention.self.key"))?,
            value: self.linear(&format!("{p}.attention.self.value"))?,
            attention_out: self.linear(&format!("{p}.attention.output.dense"))?,
            attention_norm: self.norm(&format!("{p}.attention.output.LayerNorm"))?,
            intermediate: self.linear(&format!("{p}.intermediate.dense"))?,
            output: self.linear(&format!("{p}.output.dense"))?,
            output_norm: self.norm(&format!("{p}.output.LayerNorm"))?,
        })
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
    /// The encoder compiled into the binary, with its fine-tuned abuse branch.
    pub fn shipped() -> Result<Self, EncoderError> {
        Self::original()?.with_abuse_branch(SHIPPED_BRANCH)
    }

    /// The encoder as published, without the abuse branch.
    pub fn original() -> Result<Self, EncoderError> {
        Self::from_bytes(SHIPPED_WEIGHTS, SHIPPED_TOKENIZER)
    }

    /// The encoder's name with its abuse branch's: heads are trained for exactly one.
    pub fn version(&self) -> String {
        match self.branch_version() {
            Some(b) => format!("{MINILM_VERSION}+{b}"),
            None => MINILM_VERSION.to_owned(),
        }
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
            .map(|i| w.layer(i))
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
            branch: None,
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

    /// The embeddings layer: word, position and token-type vectors, normalised.
    fn embed_tokens(&self, ids: &Tensor) -> Result<Tensor, EncoderError> {
        let (_, len) = ids.dims2()?;
        let words = self.words.forward(ids)?.to_dtype(DType::F32)?;
        let x = words
            .broadcast_add(&self.positions.narrow(0, 0, len)?)?
            .broadcast_add(&self.token_type)?;
        Ok(self.embedding_norm.forward(&x)?)
    }

    fn forward(&self, ids: &Tensor, mask: &Tensor) -> Result<Tensor, EncoderError> {
        let bias = attention_bias(mask)?;
        let x = run_layers(self.embed_tokens(ids)?, &bias, &self.layers)?;
        pool(&x, mask)
    }

    /// Both views of a batch: the meaning vector (the original encoder) and, when an abuse
    /// branch is loaded, the branch's vector (the shared lower layers run once).
    fn forward_both(&self, ids: &Tensor, mask: &Tensor) -> Result<(Tensor, Tensor), EncoderError> {
        let Some(branch) = &self.branch else {
            let v = self.forward(ids, mask)?;
            return Ok((v.clone(), v));
        };
        let bias = attention_bias(mask)?;
        let shared = run_layers(self.embed_tokens(ids)?, &bias, &self.layers[..branch.from])?;
        let meaning = run_layers(shared.clone(), &bias, &self.layers[branch.from..])?;
        let abuse = run_layers(shared, &bias, &branch.layers)?;
        Ok((pool(&meaning, mask)?, pool(&abuse, mask)?))
    }

    /// The meaning vectors and the abuse branch's vectors of `texts`, in order. Without a
    /// branch the two are the same vectors.
    pub fn embed_both(&self, texts: &[&str]) -> Result<Vec<Views>, EncoderError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let (ids, mask) = self.tokenize(texts)?;
        let (meaning, abuse) = self.forward_both(&ids, &mask)?;
        Ok(meaning
            .to_vec2()?
            .into_iter()
            .zip(abuse.to_vec2()?)
            .map(|(meaning, abuse)| Views { meaning, abuse })
            .collect())
    }

    /// The abuse branch's vectors alone (the meaning vectors without a branch).
    pub fn embed_abuse(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncoderError> {
        Ok(self
            .embed_both(texts)?
            .into_iter()
            .map(|v| v.abuse)
            .collect())
    }

    /// Loads fine-tuned copies of the top layers (tensor names as in the full model; the
    /// file's `branch_from` metadata, else the lowest layer present, says where they start).
    pub fn with_abuse_branch(mut self, weights: &[u8]) -> Result<Self, EncoderError> {
        let w = Weights(candle_core::safetensors::load_buffer(
            weights,
            &self.device,
        )?);
        let from = (0..LAYERS)
            .find(|i| {
                w.0.contains_key(&format!("encoder.layer.{i}.output.dense.weight"))
            })
            .ok_or_else(|| EncoderError::Weights("abuse branch holds no layer".into()))?;
        let layers = (from..LAYERS)
            .map(|i| w.layer(i))
            .collect::<Result<Vec<_>, _>>()?;
        let digest = <sha2::Sha256 as sha2::Digest>::digest(weights);
        self.branch = Some(Branch {
            from,
            layers,
            version: format!("abuse-branch-{from}-{}", hex::encode(&digest[..4])),
        });
        Ok(self)
    }

    /// Names the abuse branch (with a digest of its weights), `None` without one.
    pub fn branch_version(&self) -> Option<&str> {
        self.branch.as_ref().map(|b| b.version.as_str())
    }

    /// How many word pieces the encoder would read of this text (at most `MAX_TOKENS`).
    pub fn token_count(&self, text: &str) -> usize {
        self.tokenizer
            .encode(text, true)
            .map_or(0, |e| e.get_ids().len())
    }
}

/// What the encoder makes of one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Views {
    /// The original sentence vector: what the text is about (on-topic, replies).
    pub meaning: Vec<f32>,
    /// The abuse branch's vector (the abuse and kind heads read it).
    pub abuse: Vec<f32>,
}

/// 0 where a token may be attended to, a large negative number on padding.
fn attention_bias(mask: &Tensor) -> Result<Tensor, EncoderError> {
    let (batch, len) = mask.dims2()?;
    Ok(((mask - 1.0)? * 1e4)?.reshape((batch, 1, 1, len))?)
}

fn run_layers(mut x: Tensor, bias: &Tensor, layers: &[Layer]) -> Result<Tensor, EncoderError> {
    let (batch, len, _) = x.dims3()?;
    let head_dim = HIDDEN / HEADS;
    let scale = 1.0 / (head_dim as f64).sqrt();
    let split = |t: Tensor| -> candle_core::Result<Tensor> {
        t.reshape((batch, len, HEADS, head_dim))?
            .transpose(1, 2)?
            .contiguous()
    };
    for l in layers {
        let q = split(l.query.forward(&x)?)?;
        let k = split(l.key.forward(&x)?)?;
        let v = split(l.value.forward(&x)?)?;
        let scores = (q.matmul(&k.t()?)? * scale)?.broadcast_add(bias)?;
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
    Ok(x)
}

/// Mean of the real tokens' vectors, then unit length.
fn pool(x: &Tensor, mask: &Tensor) -> Result<Tensor, EncoderError> {
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
    progress: impl FnMut(usize),
) -> Result<Vec<Vec<f32>>, EncoderError> {
    embed_all_with(texts, batch, &|b| encoder.embed(b), progress)
}

/// Vectors of one batch of texts, in order.
pub type BatchFn<'a> = dyn Fn(&[&str]) -> Result<Vec<Vec<f32>>, EncoderError> + 'a;

/// `embed_all` with any batch function (the meaning vectors, or the abuse branch's).
pub fn embed_all_with(
    texts: &[&str],
    batch: usize,
    embed: &BatchFn<'_>,
    mut progress: impl FnMut(usize),
) -> Result<Vec<Vec<f32>>, EncoderError> {
    let mut order: Vec<usize> = (0..texts.len()).collect();
    order.sort_by_key(|&i| texts[i].len());
    let mut out = vec![Vec::new(); texts.len()];
    for chunk in order.chunks(batch.max(1)) {
        let batch_texts: Vec<&str> = chunk.iter().map(|&i| texts[i]).collect();
        for (&i, v) in chunk.iter().zip(embed(&batch_texts)?) {
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

    #[test]
    fn the_abuse_branch_shares_the_lower_layers_and_keeps_the_meaning_vector() {
        let texts = [
            "I will find the council leader and make her pay.",
            "The council should publish the flood maps.",
            "Agreed.",
        ];
        let shipped = MiniLm::shipped().expect("shipped encoder");
        assert!(
            shipped.branch_version().is_some(),
            "the shipped encoder has its branch"
        );
        let plain = MiniLm::original()
            .expect("encoder")
            .embed(&texts)
            .expect("embed");
        let both = shipped.embed_both(&texts).expect("embed");
        for (p, b) in plain.iter().zip(&both) {
            // The meaning vector is the published encoder's, whatever the branch.
            assert!(dot(p, &b.meaning) > 0.99999);
            assert!((dot(&b.abuse, &b.abuse) - 1.0).abs() < 1e-4);
        }
        // The fine-tuned layers see something else in the same text.
        assert!(both.iter().any(|b| dot(&b.meaning, &b.abuse) < 0.99));
        // The published weights loaded as a "branch" from layer 0 give the same vectors both
        // ways: the branch path is the ordinary forward pass on other weights.
        let same = MiniLm::original()
            .expect("encoder")
            .with_abuse_branch(SHIPPED_WEIGHTS)
            .expect("branch");
        for v in same.embed_both(&texts).expect("embed") {
            assert!(dot(&v.meaning, &v.abuse) > 0.99999);
        }
        assert_eq!(shipped.embed_abuse(&[]).expect("empty").len(), 0);
    }
}
