//! Development aid: on-topic variants with the distilled MiniLM table, on SemEval (dev) and Fox.
use jirga_moderation::embed::{StaticEmbedding, cosine};
use jirga_training::{data, metrics::roc_auc, train};
use std::path::Path;

fn own_vs_other(
    pairs: &[(String, String)],
    score: &dyn Fn(&str, &str) -> f32,
    z: Option<&dyn Fn(&str, &[String]) -> Vec<f32>>,
) -> f64 {
    let mut arts: Vec<String> = pairs.iter().map(|p| p.0.clone()).collect();
    arts.sort();
    arts.dedup();
    let (mut s, mut l) = (vec![], vec![]);
    let mut st: u64 = 0x2545_f491_4f6c_dd1d;
    for (a, c) in pairs {
        let own = arts.iter().position(|x| x == a).unwrap_or(0);
        st ^= st << 13;
        st ^= st >> 7;
        st ^= st << 17;
        let mut other = (st % (arts.len() as u64 - 1)) as usize;
        if other >= own {
            other += 1;
        }
        match z {
            None => {
                s.push(score(a, c));
                s.push(score(&arts[other], c));
            }
            Some(zf) => {
                let zs = zf(c, &arts);
                s.push(zs[own]);
                s.push(zs[other]);
            }
        }
        l.push(true);
        l.push(false);
    }
    roc_auc(&s, &l).unwrap_or(0.0)
}

fn main() {
    let dir = Path::new("../shared/data");
    let sets = train::Permissive::load(dir).expect("load");
    let mut emb = StaticEmbedding::from_bytes(
        &std::fs::read("models/minilm-static.bin").expect("t"),
        &std::fs::read_to_string("models/minilm-vocab.txt").expect("v"),
    )
    .expect("emb");
    let ot = train::ontopic_model(&sets, "t");
    // IDF over token ids from the training comments.
    let mut df = vec![0u32; emb.vocab_size()];
    let mut n = 0u32;
    for s in [
        &sets.davidson.train,
        &sets.civil.train,
        &sets.wiki.train,
        &sets.hatexplain.train,
    ] {
        for e in s.iter() {
            n += 1;
            let mut ids = emb.token_ids(&e.text);
            ids.sort_unstable();
            ids.dedup();
            for i in ids {
                df[i as usize] += 1;
            }
        }
    }
    let idf: Vec<f32> = df
        .iter()
        .map(|&d| ((1.0 + n as f32) / (1.0 + d as f32)).ln())
        .collect();
    let fox: Vec<(String, String)> = data::fox(dir)
        .expect("fox")
        .into_iter()
        .map(|f| (f.article, f.text))
        .collect();
    let mut rdr =
        csv::Reader::from_path(dir.join("semeval2016_cqa_subtaskA/VAL-BASE.csv")).expect("semeval");
    let sem: Vec<(String, String)> = rdr
        .records()
        .map(|r| r.expect("row"))
        .map(|r| (format!("{}. {}", &r[0], &r[1]), r[2].to_owned()))
        .collect();
    for (name, pairs) in [("semeval dev", &sem), ("fox test", &fox)] {
        let tfidf = |a: &str, c: &str| ot.vector(a).cosine(&ot.vector(c));
        println!("{name}: tfidf {:.3}", own_vs_other(pairs, &tfidf, None));
        let e1 = |a: &str, c: &str| cosine(&emb.embed(a), &emb.embed(c));
        println!("{name}: emb uniform {:.3}", own_vs_other(pairs, &e1, None));
    }
    emb.set_weights(idf);
    for (name, pairs) in [("semeval dev", &sem), ("fox test", &fox)] {
        let e2 = |a: &str, c: &str| cosine(&emb.embed(a), &emb.embed(c));
        println!("{name}: emb idf {:.3}", own_vs_other(pairs, &e2, None));
        let mix = |a: &str, c: &str| {
            0.5 * cosine(&emb.embed(a), &emb.embed(c)) + 0.5 * ot.vector(a).cosine(&ot.vector(c))
        };
        println!("{name}: mix {:.3}", own_vs_other(pairs, &mix, None));
        let zf = |c: &str, arts: &[String]| {
            let ce = emb.embed(c);
            let sims: Vec<f32> = arts.iter().map(|a| cosine(&emb.embed(a), &ce)).collect();
            let m = sims.iter().sum::<f32>() / sims.len() as f32;
            let sd = (sims.iter().map(|s| (s - m).powi(2)).sum::<f32>() / sims.len() as f32)
                .sqrt()
                .max(1e-4);
            sims.iter().map(|s| (s - m) / sd).collect::<Vec<f32>>()
        };
        println!(
            "{name}: emb idf z {:.3}",
            own_vs_other(pairs, &e2, Some(&zf))
        );
    }
}
