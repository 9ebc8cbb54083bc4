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
