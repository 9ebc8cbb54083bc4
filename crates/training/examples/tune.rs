//! Hyper-parameter sweep on held-out sets (development aid; prints AUCs).
use jirga_training::{data, eval, train};
use std::path::Path;

fn main() {
    let dir = Path::new("../shared/data");
    if let Ok(probe) = std::env::var("PROBE") {
        let m = jirga_moderation::model::LinearModel::from_bytes(
            &std::fs::read("models/abuse.jlm").expect("m"),
        )
        .expect("m");
        for t in probe.split('|') {
            println!("{t:?}: {:?}", m.score(t));
        }
        return;
    }
    let sets = train::Permissive::load(dir).expect("load");
    let ids = data::read_ids(Path::new("models/splits/c3_test_ids.txt")).expect("ids");
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ot = train::ontopic_model(&sets, "t");
    let r = eval::ontopic_fox(dir, &ot).expect("fox");
    println!("on-topic fox: auc {:.3} top1 {:.3}", r.auc, r.top1);
    {
        let fox = data::fox(dir).expect("fox");
        let mut arts: Vec<&str> = fox.iter().map(|f| f.article.as_str()).collect();
        arts.sort_unstable();
        arts.dedup();
        let vs: Vec<_> = arts.iter().map(|a| ot.vector(a)).collect();
        let (mut sc, mut lb) = (vec![], vec![]);
        let mut st: u64 = 0x2545_f491_4f6c_dd1d;
        for f in &fox {
            let own = arts.iter().position(|a| *a == f.article).unwrap_or(0);
            let c = ot.vector(&f.text);
            let sims: Vec<f32> = vs.iter().map(|v| v.cosine(&c)).collect();
            let mean = sims.iter().sum::<f32>() / sims.len() as f32;
            let sd = (sims.iter().map(|s| (s - mean).powi(2)).sum::<f32>() / sims.len() as f32)
                .sqrt()
                .max(1e-3);
            st ^= st << 13;
            st ^= st >> 7;
            st ^= st << 17;
            let mut other = (st % 9) as usize;
            if other >= own {
                other += 1;
            }
            sc.extend([(sims[own] - mean) / sd, (sims[other] - mean) / sd]);
            lb.extend([true, false]);
        }
        println!(
            "z-scored: auc {:.3}",
            jirga_training::metrics::roc_auc(&sc, &lb).unwrap_or(0.0)
        );
    }
    for spec in args {
        let p: Vec<f32> = spec.split(',').map(|x| x.parse().expect("num")).collect();
        let cfg = train::TrainConfig {
            epochs: p[0] as usize,
            learning_rate: p[1],
            l2: p[2],
            seed: 0,
        };
        let model = train::abuse_model(&sets, cfg, "tune");
        let score = |t: &str| model.probability(t);
        let rows = eval::abuse_rows(dir, &sets, &ids, &score, 0.5).expect("eval");
        let aucs: Vec<String> = rows
            .iter()
            .map(|r| format!("{:.3}", r.auc.unwrap_or(0.0)))
            .collect();
        println!("{spec}: {}", aucs.join(" "));
    }
}
