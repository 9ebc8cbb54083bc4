//! Deterministic training of the abuse model: logistic regression by AdaGrad over hashed
//! features, examples visited in an order fixed by a seed, single-threaded. The same data
//! gives the same bytes.

use crate::data::{self, Example, KINDS, Split};
use jirga_moderation::features::{Features, extract};
use jirga_moderation::model::{Head, LinearModel, sigmoid};
use std::path::Path;

pub const BITS: u32 = 18;

#[derive(Debug, Clone, Copy)]
pub struct TrainConfig {
    pub epochs: usize,
    pub learning_rate: f32,
    pub l2: f32,
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            epochs: 4,
            // Chosen on the held-out 20 % of the training sets (not on C3, OLID or Fox).
            learning_rate: 0.05,
            l2: 1e-5,
            seed: 0,
        }
    }
}

pub struct Sample {
    pub features: Features,
    pub label: bool,
    pub weight: f32,
}

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// Trains one head. With `prior`, starts from it and is pulled back towards it (L2 to the
/// prior instead of to zero): adaptation that cannot forget everything it knew.
pub fn train_head(
    name: &str,
    samples: &[Sample],
    bits: u32,
    cfg: TrainConfig,
    prior: Option<&Head>,
) -> Head {
    let n = 1usize << bits;
    let anchor: Vec<f32> = prior
        .map(|p| p.weights.clone())
        .unwrap_or_else(|| vec![0.0; n]);
    let mut w = anchor.clone();
    let mut bias = prior.map_or(0.0, |p| p.bias);
    let mut g2 = vec![1e-6f32; n];
    let mut g2_bias = 1e-6f32;
    let mut order: Vec<usize> = (0..samples.len()).collect();
    let mut state = cfg.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    for _ in 0..cfg.epochs {
        for i in (1..order.len()).rev() {
            let j = (xorshift(&mut state) % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &i in &order {
            let s = &samples[i];
            let z = bias
                + s.features
                    .iter()
                    .map(|&(k, v)| w[k as usize] * v)
                    .sum::<f32>();
            let err = (sigmoid(z) - if s.label { 1.0 } else { 0.0 }) * s.weight;
            for &(k, v) in &s.features {
                let k = k as usize;
                let g = err * v + cfg.l2 * (w[k] - anchor[k]);
                g2[k] += g * g;
                w[k] -= cfg.learning_rate * g / g2[k].sqrt();
            }
            g2_bias += err * err;
            bias -= cfg.learning_rate * err / g2_bias.sqrt();
        }
    }
    Head {
        name: name.to_owned(),
        bias,
        weights: w,
    }
}

/// Samples from one set, weighted so that the set counts as much as any other and its two
/// classes count equally: sets of 1 % and of 60 % abuse both teach the boundary.
pub fn balanced(
    examples: &[Example],
    label: impl Fn(&Example) -> bool,
    bits: u32,
    total: f32,
) -> Vec<Sample> {
    let pos = examples.iter().filter(|e| label(e)).count().max(1) as f32;
    let neg = (examples.len() as f32 - pos).max(1.0);
    examples
        .iter()
        .map(|e| {
            let l = label(e);
            Sample {
                features: extract(&e.text, bits).features,
                label: l,
                weight: total * 0.5 / if l { pos } else { neg },
            }
        })
        .collect()
}

/// The permissively licensed training sets, already split. Every eighth training row of each
/// set is kept out of training as a calibration slice: the combination of the two models and
/// the default thresholds are fitted there, on rows neither model learned from.
pub struct Permissive {
    pub davidson: Split,
    pub civil: Split,
    pub wiki: Split,
    pub hatexplain: Split,
    pub mhs: Split,
    pub toxigen: Split,
    pub ruddit: Split,
    pub madlibs: Vec<Example>,
    pub calibration: Vec<(&'static str, Example)>,
}

impl Permissive {
    pub fn load(dir: &Path) -> Result<Self, data::DataError> {
        let mut calibration = Vec::new();
        let mut slice = |name: &'static str, mut s: Split| {
            let train = std::mem::take(&mut s.train);
            for (i, e) in train.into_iter().enumerate() {
                if i % 8 == 7 {
                    calibration.push((name, e));
                } else {
                    s.train.push(e);
                }
            }
            s
        };
        let davidson = slice("davidson", data::davidson(dir)?);
        let civil = slice("civil", data::civil(dir)?);
        let wiki = slice("wiki", data::wiki(dir)?);
        let hatexplain = slice("hatexplain", data::hatexplain(dir)?);
        let mhs = slice("mhs", data::mhs(dir)?);
        let toxigen = slice("toxigen", data::toxigen(dir)?);
        let ruddit = slice("ruddit", data::ruddit(dir)?);
        Ok(Self {
            davidson,
            civil,
            wiki,
            hatexplain,
            mhs,
            toxigen,
            ruddit,
            madlibs: data::madlibs(dir)?,
            calibration,
        })
    }

    /// Every set's training rows, with its name.
    pub fn train_sets(&self) -> Vec<(&'static str, &[Example])> {
        vec![
            ("davidson", &self.davidson.train),
            ("civil", &self.civil.train),
            ("wiki", &self.wiki.train),
            ("hatexplain", &self.hatexplain.train),
            ("mhs", &self.mhs.train),
            ("toxigen", &self.toxigen.train),
            ("ruddit", &self.ruddit.train),
            ("madlibs", &self.madlibs),
        ]
    }
}

/// The shipped n-gram abuse model: trained on the training parts of the permissive sets only.
pub fn abuse_model(sets: &Permissive, cfg: TrainConfig, version: &str) -> LinearModel {
    let per_set = 10_000.0;
    let mut samples = Vec::new();
    for (_, train) in sets.train_sets() {
        samples.extend(balanced(train, |e| e.label, BITS, per_set));
    }
    let mut heads = vec![train_head("abuse", &samples, BITS, cfg, None)];
    for (i, kind) in KINDS.iter().enumerate() {
        let kind_samples = balanced(&sets.civil.train, |e| e.kinds[i], BITS, per_set);
        heads.push(train_head(kind, &kind_samples, BITS, cfg, None));
    }
    LinearModel {
        version: version.to_owned(),
        bits: BITS,
        heads,
    }
}

/// The abuse model adapted to one site's own approve (false) / reject (true) decisions.
pub fn adapt(
    base: &LinearModel,
    history: &[Example],
    cfg: TrainConfig,
    version: &str,
) -> LinearModel {
    let samples = balanced(history, |e| e.label, base.bits, history.len() as f32);
    let mut heads = base.heads.clone();
    // Eight passes, pulled towards the shipped weights: chosen on a validation split of C3's
    // training rows (AUC 0.643, against 0.636 with four passes and 0.625 for a model trained
    // on the history alone).
    let cfg = TrainConfig {
        l2: 1e-4,
        epochs: 8,
        ..cfg
    };
    heads[0] = train_head("abuse", &samples, base.bits, cfg, Some(&base.heads[0]));
    LinearModel {
        version: version.to_owned(),
        bits: base.bits,
        heads,
    }
}

/// IDF for the on-topic model, from the training comments of the permissive sets.
pub fn ontopic_model(sets: &Permissive, version: &str) -> jirga_moderation::ontopic::OnTopicModel {
    let docs = [
        &sets.davidson.train,
        &sets.civil.train,
        &sets.wiki.train,
        &sets.hatexplain.train,
        &sets.mhs.train,
        &sets.ruddit.train,
    ]
    .into_iter()
    .flat_map(|s| s.iter().map(|e| e.text.as_str()));
    jirga_moderation::ontopic::OnTopicModel::fit(docs, version)
}
