//! Logistic heads on the encoder's vector, and how their verdict is combined with the word
//! and character n-gram model. `jirga train` writes them to `models/abuse-heads.json`:
//!
//! - `abuse`: is the comment abusive at all (the encoder's view);
//! - one head per kind (`insult`, `threat`, `identity_attack`, `obscene`): threats and
//!   attacks on groups often use no rude word, so they get their own heads and thresholds;
//! - `combine`: a logistic regression over the two abuse logits (n-gram and encoder), fitted
//!   on a slice of the training data that neither model saw.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DenseHead {
    pub name: String,
    pub bias: f32,
    pub weights: Vec<f32>,
}

impl DenseHead {
    pub fn logit(&self, x: &[f32]) -> f32 {
        self.bias + crate::encoder::dot(&self.weights, x)
    }
}

/// score = sigmoid(bias + ngram · n-gram logit + encoder · encoder logit)
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Combine {
    pub bias: f32,
    pub ngram: f32,
    pub encoder: f32,
}

impl Combine {
    pub fn logit(&self, ngram: f32, encoder: f32) -> f32 {
        self.bias + self.ngram * ngram + self.encoder * encoder
    }
}

/// Default thresholds, each chosen on held-out training data as the score that holds a stated
/// share of ordinary (not abusive) comments; `jirga eval` reports what they hold on test sets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    pub abuse: f32,
    pub threat: f32,
    pub identity_attack: f32,
    /// Share of ordinary comments each threshold holds, as measured when it was chosen.
    pub abuse_holds: f32,
    pub threat_holds: f32,
    pub identity_attack_holds: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EncoderHeads {
    pub version: String,
    pub encoder: String,
    pub abuse: DenseHead,
    pub kinds: Vec<DenseHead>,
    pub combine: Combine,
    pub thresholds: Thresholds,
    /// For a site's own model: how it and the shipped one did on the decisions held back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation: Option<Validation>,
}

/// A site model against the shipped one on the site's held-back decisions (ROC-AUC).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Validation {
    pub decisions: usize,
    pub held_back: usize,
    pub shipped_auc: f32,
    pub adapted_auc: f32,
}

impl Validation {
    /// A site model is used only when it beat the shipped one on the site's own decisions.
    pub fn better(&self) -> bool {
        self.adapted_auc > self.shipped_auc
    }
}

impl EncoderHeads {
    pub fn from_json(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    pub fn kind(&self, name: &str) -> Option<&DenseHead> {
        self.kinds.iter().find(|k| k.name == name)
    }
}
