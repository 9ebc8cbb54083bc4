//! Encoder vectors of whole data sets, computed once and kept in a cache folder (by default
//! `.cache/embeddings` under the working directory; never committed): embedding a hundred
//! thousand texts takes minutes on two cores, fitting heads on the vectors takes seconds.
//! A cache file is named by a hash of the encoder version and every text, so a changed set or
//! encoder is embedded again rather than read stale.

use jirga_moderation::encoder::EncoderError;
use jirga_moderation::encoder::{BatchFn, Encoder, MINILM_VERSION, MiniLm, embed_all_with};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::PathBuf;

pub struct Embedder {
    encoder: MiniLm,
    dir: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error(transparent)]
    Encoder(#[from] EncoderError),
    #[error("embedding cache {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Texts embedded per batch (similar lengths together).
const BATCH: usize = 32;

impl Embedder {
    /// The shipped encoder with its abuse branch; `JIRGA_ABUSE_BRANCH` names another branch
    /// file to train and evaluate heads on (for comparing fine-tuning runs without a rebuild).
    pub fn new(dir: PathBuf) -> Result<Self, EmbedError> {
        let encoder = match std::env::var_os("JIRGA_ABUSE_BRANCH") {
            Some(path) => {
                let bytes = std::fs::read(&path).map_err(|source| EmbedError::Io {
                    path: PathBuf::from(&path),
                    source,
                })?;
                MiniLm::original()?.with_abuse_branch(&bytes)?
            }
            None => MiniLm::shipped()?,
        };
        Ok(Self { encoder, dir })
    }

    /// `JIRGA_EMBEDDING_CACHE`, else `.cache/embeddings`.
    pub fn default_dir() -> PathBuf {
        std::env::var_os("JIRGA_EMBEDDING_CACHE")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(".cache/embeddings"))
    }

    pub fn encoder(&self) -> &MiniLm {
        &self.encoder
    }

    /// The meaning vector of each text (on-topic); `name` only labels the cache file and the
    /// progress line.
    pub fn embed(&self, name: &str, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.cached(name, MINILM_VERSION, texts, &|batch| {
            self.encoder.embed(batch)
        })
    }

    /// The abuse branch's vector of each text (what the abuse and kind heads read).
    pub fn embed_abuse(&self, name: &str, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let version = self.encoder.version();
        self.cached(&format!("{name}-abuse"), &version, texts, &|batch| {
            Ok(self
                .encoder
                .embed_both(batch)?
                .into_iter()
                .map(|v| v.abuse)
                .collect())
        })
    }

    fn cached(
        &self,
        name: &str,
        version: &str,
        texts: &[&str],
        embed: &BatchFn<'_>,
    ) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut h = Sha256::new();
        h.update(version.as_bytes());
        for t in texts {
            h.update((t.len() as u64).to_le_bytes());
            h.update(t.as_bytes());
        }
        let digest = hex::encode(&h.finalize()[..8]);
        let path = self.dir.join(format!("{name}-{digest}.f32"));
        let dim = self.encoder.dim();
        if let Ok(bytes) = std::fs::read(&path)
            && bytes.len() == texts.len() * dim * 4
        {
            return Ok(bytes
                .chunks_exact(dim * 4)
                .map(|row| {
                    row.chunks_exact(4)
                        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                        .collect()
                })
                .collect());
        }
        let started = std::time::Instant::now();
        let mut done = 0usize;
        let vectors = embed_all_with(texts, BATCH, embed, |n| {
            done += n;
            if done % (BATCH * 64) < n || done == texts.len() {
                eprint!(
                    "\rembedding {name}: {done}/{} ({:.0} s)   ",
                    texts.len(),
                    started.elapsed().as_secs_f32()
                );
            }
        })?;
        eprintln!();
        let io = |source| EmbedError::Io {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(&self.dir).map_err(io)?;
        let tmp = path.with_extension("tmp");
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp).map_err(io)?);
        for v in &vectors {
            for x in v {
                f.write_all(&x.to_le_bytes()).map_err(io)?;
            }
        }
        f.flush().map_err(io)?;
        drop(f);
        std::fs::rename(&tmp, &path).map_err(io)?;
        Ok(vectors)
    }
}
