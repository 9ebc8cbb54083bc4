//! Deterministic training of the abuse model: logistic regression by AdaGrad over hashed
//! features, examples visited in an order fixed by a seed, single-threaded. The same data
//! gives the same bytes.

use crate::data::{self, Example, KINDS, Split};
use crate::embed::Embedder;
use jirga_moderation::features::{Features, extract};
use jirga_moderation::heads::{Combine, DenseHead, EncoderHeads, Thresholds};
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

/// The shuffle's state for a seed (never zero, which xorshift would keep forever).
fn seed_state(seed: u64) -> u64 {
    seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1
}

/// Fisher-Yates with xorshift: the visiting order of an epoch, fixed by the state.
fn shuffle(order: &mut [usize], state: &mut u64) {
    for i in (1..order.len()).rev() {
        let j = (xorshift(state) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
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
    let mut state = seed_state(cfg.seed);
    for _ in 0..cfg.epochs {
        shuffle(&mut order, &mut state);
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

/// One example for a head on the encoder's vector.
pub struct DenseSample<'a> {
    pub x: &'a [f32],
    pub label: bool,
    pub weight: f32,
}

/// Logistic regression on dense vectors by AdaGrad, in a fixed order: the same data gives the
/// same weights, bit for bit.
pub fn train_dense(name: &str, samples: &[DenseSample<'_>], cfg: DenseConfig) -> DenseHead {
    let dim = samples.first().map_or(0, |s| s.x.len());
    let mut w = vec![0f32; dim];
    let mut bias = 0f32;
    let mut g2 = vec![1e-6f32; dim];
    let mut g2_bias = 1e-6f32;
    let mut order: Vec<usize> = (0..samples.len()).collect();
    let mut state = seed_state(cfg.seed);
    for _ in 0..cfg.epochs {
        shuffle(&mut order, &mut state);
        for &i in &order {
            let s = &samples[i];
            let z = bias + jirga_moderation::encoder::dot(&w, s.x);
            let err = (sigmoid(z) - if s.label { 1.0 } else { 0.0 }) * s.weight;
            for (k, &v) in s.x.iter().enumerate() {
                let g = err * v + cfg.l2 * w[k];
                g2[k] += g * g;
                w[k] -= cfg.learning_rate * g / g2[k].sqrt();
            }
            g2_bias += err * err;
            bias -= cfg.learning_rate * err / g2_bias.sqrt();
        }
    }
    DenseHead {
        name: name.to_owned(),
        bias,
        weights: w,
    }
}

#[derive(Debug, Clone, Copy)]
pub struct DenseConfig {
    pub epochs: usize,
    pub learning_rate: f32,
    pub l2: f32,
    pub seed: u64,
}

impl Default for DenseConfig {
    fn default() -> Self {
        Self {
            epochs: 8,
            learning_rate: 0.3,
            l2: 1e-4,
            seed: 0,
        }
    }
}

/// Rows per set that train the encoder heads (the first ones of the training split, which is
/// already in hash order): embedding costs milliseconds a text, and more rows of one set add
/// little after a few thousand.
pub const ENCODER_ROWS_PER_SET: usize = 2_500;
/// Calibration rows per set.
pub const CALIBRATION_ROWS_PER_SET: usize = 600;

/// How many of a set's training rows train the encoder heads. Civil comments carries the only
/// typed spans (threat, insult...): all of its rows.
fn heads_rows(name: &str, len: usize) -> usize {
    if name == "civil" {
        len
    } else {
        len.min(ENCODER_ROWS_PER_SET)
    }
}

/// The sets' training rows for the encoder heads with their vectors.
pub struct Embedded<'a> {
    pub name: &'static str,
    pub examples: &'a [Example],
    pub vectors: Vec<Vec<f32>>,
}

pub fn embed_sets<'a>(
    sets: &'a Permissive,
    embedder: &Embedder,
) -> Result<Vec<Embedded<'a>>, crate::embed::EmbedError> {
    sets.train_sets()
        .into_iter()
        .map(|(name, examples)| {
            let examples = &examples[..heads_rows(name, examples.len())];
            let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
            Ok(Embedded {
                name,
                examples,
                vectors: embedder.embed_abuse(&format!("train-{name}"), &texts)?,
            })
        })
        .collect()
}

/// Samples for one head: each set weighs the same, and within a set the two classes weigh the
/// same. Sets with no positive for this head contribute negatives only (at half weight).
fn dense_samples<'a>(
    sets: &'a [Embedded<'_>],
    label: impl Fn(&Example) -> bool,
) -> Vec<DenseSample<'a>> {
    let mut out = Vec::new();
    for s in sets {
        let pos = s.examples.iter().filter(|e| label(e)).count();
        let neg = s.examples.len() - pos;
        for (e, x) in s.examples.iter().zip(&s.vectors) {
            let l = label(e);
            out.push(DenseSample {
                x,
                label: l,
                weight: class_weight(l, pos, neg),
            });
        }
    }
    out
}

/// A row's weight for the encoder heads (and the fine-tuning that precedes them): every set
/// counts the same, and within a set its two classes count the same.
fn class_weight(positive: bool, pos: usize, neg: usize) -> f32 {
    let n = if positive { pos } else { neg };
    0.5 / n.max(1) as f32 * 1_000.0
}

/// Threshold holding `share` of `scores` (the ordinary comments): the score at that quantile.
pub fn threshold_for(mut scores: Vec<f32>, share: f32) -> f32 {
    if scores.is_empty() {
        return 0.5;
    }
    scores.sort_by(|a, b| b.total_cmp(a));
    let k = ((scores.len() as f32 * share).floor() as usize).min(scores.len() - 1);
    scores[k]
}

/// Share of ordinary comments the default thresholds hold: abuse, threat, identity attack.
pub const HOLD_SHARES: (f32, f32, f32) = (0.02, 0.01, 0.015);

/// The encoder heads and their combination with the n-gram model `ngram`.
pub fn encoder_heads(
    embedded: &[Embedded<'_>],
    calibration_vectors: &[Vec<f32>],
    calibration: &[&(&'static str, Example)],
    ngram: &LinearModel,
    cfg: DenseConfig,
    version: &str,
    encoder_version: &str,
) -> EncoderHeads {
    let abuse = train_dense("abuse", &dense_samples(embedded, |e| e.label), cfg);
    let kinds: Vec<DenseHead> = KINDS
        .iter()
        .enumerate()
        .map(|(i, kind)| train_dense(kind, &dense_samples(embedded, |e| e.kinds[i]), cfg))
        .collect();
    // The combination: a logistic regression over the two logits on the calibration slice.
    let feats: Vec<[f32; 2]> = calibration
        .iter()
        .zip(calibration_vectors)
        .map(|((_, e), x)| {
            let g = ngram.heads[0].logit(&ngram.extract(&e.text).features);
            [g, abuse.logit(x)]
        })
        .collect();
    let mut per_set: std::collections::HashMap<(&str, bool), usize> = Default::default();
    for (name, e) in calibration {
        *per_set.entry((name, e.label)).or_default() += 1;
    }
    let stacked: Vec<DenseSample<'_>> = calibration
        .iter()
        .zip(&feats)
        .map(|((name, e), f)| DenseSample {
            x: f,
            label: e.label,
            weight: 100.0 / per_set[&(*name, e.label)] as f32,
        })
        .collect();
    let c = train_dense(
        "combine",
        &stacked,
        DenseConfig {
            epochs: 30,
            learning_rate: 0.1,
            l2: 0.0,
            ..cfg
        },
    );
    let combine = Combine {
        bias: c.bias,
        ngram: c.weights[0],
        encoder: c.weights[1],
    };
    // How each part ranks the calibration slice (rows none of them learned from; the
    // combination itself was fitted here, so its own figure is a little flattering).
    let labels: Vec<bool> = calibration.iter().map(|(_, e)| e.label).collect();
    let auc = |scores: Vec<f32>| crate::metrics::roc_auc(&scores, &labels).unwrap_or(0.5);
    eprintln!(
        "calibration slice ({} rows) ROC-AUC: n-gram {:.3}, encoder head {:.3}, combined {:.3}",
        labels.len(),
        auc(feats.iter().map(|f| f[0]).collect()),
        auc(feats.iter().map(|f| f[1]).collect()),
        auc(feats.iter().map(|f| combine.logit(f[0], f[1])).collect())
    );
    // Default thresholds on ordinary comments of the calibration slice: the rows no rater
    // found abusive in the sets sampled from natural discussion (Wikipedia talk pages, Reddit
    // threads). Not Civil Comments' (pre-selected as toxic) nor MHS's (enriched for hate).
    let ordinary: Vec<usize> = calibration
        .iter()
        .enumerate()
        .filter(|(_, (name, e))| !e.label && matches!(*name, "wiki" | "ruddit"))
        .map(|(i, _)| i)
        .collect();
    let kind_scores = |k: &str| -> Vec<f32> {
        let head = kinds.iter().find(|h| h.name == k).unwrap_or(&kinds[0]);
        ordinary
            .iter()
            .map(|&i| sigmoid(head.logit(&calibration_vectors[i])))
            .collect()
    };
    let abuse_scores: Vec<f32> = ordinary
        .iter()
        .map(|&i| sigmoid(combine.logit(feats[i][0], feats[i][1])))
        .collect();
    let (a, t, id) = HOLD_SHARES;
    let thresholds = Thresholds {
        abuse: threshold_for(abuse_scores, a),
        threat: threshold_for(kind_scores("threat"), t),
        identity_attack: threshold_for(kind_scores("identity_attack"), id),
        abuse_holds: a,
        threat_holds: t,
        identity_attack_holds: id,
    };
    EncoderHeads {
        version: version.to_owned(),
        encoder: encoder_version.to_owned(),
        abuse,
        kinds,
        combine,
        thresholds,
        validation: None,
    }
}

/// The calibration rows used (at most `CALIBRATION_ROWS_PER_SET` a set).
pub fn calibration_rows(sets: &Permissive) -> Vec<&(&'static str, Example)> {
    let mut count: std::collections::HashMap<&str, usize> = Default::default();
    sets.calibration
        .iter()
        .filter(|(name, _)| {
            let c = count.entry(name).or_default();
            *c += 1;
            *c <= CALIBRATION_ROWS_PER_SET
        })
        .collect()
}

/// A site's own model, fitted to its moderators' decisions, with what it scored against the
/// shipped model on the part of that history it did not learn from.
pub struct SiteModel {
    pub ngram: LinearModel,
    pub heads: EncoderHeads,
    pub validation: jirga_moderation::heads::Validation,
}

/// Every fifth decision (in the order given) is kept back to validate the adapted model.
fn is_validation(i: usize) -> bool {
    i % 5 == 4
}

/// Adapts the shipped models to a site's history (`label`: rejected): the n-gram model is
/// pulled toward the site's decisions from the shipped weights, the encoder gets an abuse head
/// of the site's own, and the two are combined as the shipped ones are. Both the adapted and
/// the shipped models are then scored on the held-back fifth, and the numbers kept with the
/// model so that a site never switches on a worse one.
pub fn adapt_site(
    base_ngram: &LinearModel,
    base_heads: &EncoderHeads,
    history: &[Example],
    vectors: &[Vec<f32>],
    version: &str,
) -> SiteModel {
    let (mut fit, mut fit_x, mut val, mut val_x) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (i, (e, x)) in history.iter().zip(vectors).enumerate() {
        if is_validation(i) {
            val.push(e.clone());
            val_x.push(x);
        } else {
            fit.push(e.clone());
            fit_x.push(x);
        }
    }
    let ngram = adapt(base_ngram, &fit, TrainConfig::default(), version);
    let pos = fit.iter().filter(|e| e.label).count().max(1) as f32;
    let neg = (fit.len() as f32 - pos).max(1.0);
    let weight = |l: bool| if l { 500.0 / pos } else { 500.0 / neg };
    let samples: Vec<DenseSample<'_>> = fit
        .iter()
        .zip(&fit_x)
        .map(|(e, x)| DenseSample {
            x,
            label: e.label,
            weight: weight(e.label),
        })
        .collect();
    // A head of the site's own on the encoder's vectors: a site's moderators draw their own
    // line, and a few thousand decisions teach it better than nudging the shipped head does.
    let abuse = train_dense("abuse", &samples, DenseConfig::default());
    // Combined with the shipped weights: refitting them on the rows the head just learned
    // would trust the head's over-confident in-sample scores.
    let combine = base_heads.combine;
    let score = |ng: &LinearModel, head: &DenseHead, comb: &Combine, e: &Example, x: &[f32]| {
        sigmoid(comb.logit(
            ng.heads[0].logit(&ng.extract(&e.text).features),
            head.logit(x),
        ))
    };
    let labels: Vec<bool> = val.iter().map(|e| e.label).collect();
    let shipped: Vec<f32> = val
        .iter()
        .zip(&val_x)
        .map(|(e, x)| score(base_ngram, &base_heads.abuse, &base_heads.combine, e, x))
        .collect();
    let adapted: Vec<f32> = val
        .iter()
        .zip(&val_x)
        .map(|(e, x)| score(&ngram, &abuse, &combine, e, x))
        .collect();
    let validation = jirga_moderation::heads::Validation {
        decisions: history.len(),
        held_back: val.len(),
        shipped_auc: crate::metrics::roc_auc(&shipped, &labels).unwrap_or(0.5) as f32,
        adapted_auc: crate::metrics::roc_auc(&adapted, &labels).unwrap_or(0.5) as f32,
    };
    SiteModel {
        ngram,
        heads: EncoderHeads {
            version: version.to_owned(),
            abuse,
            combine,
            validation: Some(validation),
            ..base_heads.clone()
        },
        validation,
    }
}

/// The rows `scripts/finetune-encoder` learns from, written as JSON lines into `dir`: the
/// same training rows as the encoder heads (`train.jsonl`, each with its set, label, kinds and
/// the balancing weight the heads use), the calibration slice (`calibration.jsonl`), which the
/// fine-tuning must not see, and the held-out sets (`test-NAME.jsonl`) it may report on. The
/// data are chosen here, once, so that Python and Rust never disagree about what is training.
pub fn export_finetune_rows(
    sets: &Permissive,
    tests: &[crate::eval::EvalSet],
    dir: &Path,
) -> std::io::Result<usize> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let line = |f: &mut dyn Write, set: &str, e: &Example, weight: f32| {
        let v = serde_json::json!({
            "set": set, "text": e.text, "label": e.label, "kinds": e.kinds, "weight": weight,
        });
        writeln!(f, "{v}")
    };
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join("train.jsonl"))?);
    let mut n = 0;
    for (name, examples) in sets.train_sets() {
        let examples = &examples[..heads_rows(name, examples.len())];
        let pos = examples.iter().filter(|e| e.label).count();
        let neg = examples.len() - pos;
        for e in examples {
            line(&mut f, name, e, class_weight(e.label, pos, neg))?;
            n += 1;
        }
    }
    f.flush()?;
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join("calibration.jsonl"))?);
    for (name, e) in calibration_rows(sets) {
        line(&mut f, name, e, 1.0)?;
    }
    f.flush()?;
    for (key, _, examples) in tests {
        let mut f = std::io::BufWriter::new(std::fs::File::create(
            dir.join(format!("test-{key}.jsonl")),
        )?);
        for e in examples {
            line(&mut f, key, e, 1.0)?;
        }
        f.flush()?;
    }
    Ok(n)
}
