//! The shipped pipeline on real comments from the labelled data (read from shared/data, never
//! copied here), and floors just under the measured held-out metrics so a regression shows.

use jirga_moderation::{ModerationDecision, ModerationInput, Pipeline, SitePolicy};
use jirga_training::{data, eval, train};
use std::path::PathBuf;

fn data_dir() -> PathBuf {
    std::env::var_os("JIRGA_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn codes(d: &ModerationDecision) -> Vec<&str> {
    d.reasons().iter().map(|r| r.code.as_str()).collect()
}

fn decide(p: &Pipeline, article: &str, parent: Option<&str>, body: &str) -> ModerationDecision {
    decide_among(p, article, parent, body, &[])
}

/// As on a site whose other recent articles are `others`.
fn decide_among(
    p: &Pipeline,
    article: &str,
    parent: Option<&str>,
    body: &str,
    others: &[(&str, &str)],
) -> ModerationDecision {
    let site = SitePolicy::default();
    p.decide(&ModerationInput {
        other_articles: others,
        ..ModerationInput::text("", article, parent, body, &site)
    })
}

#[test]
fn an_abusive_news_comment_is_held_for_abuse_with_the_words_marked() {
    let ids = data::read_ids(&repo("models/splits/c3_test_ids.txt")).expect("ids");
    let c3 = data::c3(&data_dir(), &ids).expect("c3");
    // A comment from C3's test split (never trained on) that crowd raters found toxic.
    let text = c3
        .test
        .iter()
        .find(|e| e.label && e.text.starts_with("Stupid heading."))
        .expect("the example")
        .text
        .clone();
    let p = Pipeline::shipped().expect("models");
    let d = decide(&p, "", None, &text);
    assert!(matches!(d, ModerationDecision::Hold { .. }), "{d:?}");
    assert_eq!(codes(&d), vec!["abuse"]);
    assert!(
        d.reasons()[0].spans.iter().any(|s| s.text == "Stupid"),
        "{d:?}"
    );
}

#[test]
fn an_ordinary_comment_is_published_under_its_article_and_held_as_off_topic_under_an_unrelated_one()
{
    let fox = data::fox(&data_dir()).expect("fox");
    let c = &fox[181];
    assert!(!c.hateful);
    // An unrelated article (the first one in the file, on gay rights, is close to this
    // comment's subject, and a comment may fairly sit under it).
    let other = fox
        .iter()
        .find(|f| {
            f.article
                .starts_with("States moving to restore work requirements")
        })
        .expect("another article");
    let p = Pipeline::shipped().expect("models");
    // As on a site whose recent articles are the ten Fox News articles.
    let mut articles: Vec<&str> = fox.iter().map(|f| f.article.as_str()).collect();
    articles.sort_unstable();
    articles.dedup();
    let others: Vec<(&str, &str)> = articles.iter().map(|a| ("", *a)).collect();
    assert_eq!(
        decide_among(&p, &c.article, None, &c.text, &others),
        ModerationDecision::Publish
    );
    let d = decide_among(&p, &other.article, None, &c.text, &others);
    assert_eq!(codes(&d), vec!["off_topic"], "{d:?}");
}

#[test]
fn a_reply_that_answers_its_parent_is_on_topic_even_when_it_drifts_from_the_article() {
    let fox = data::fox(&data_dir()).expect("fox");
    let article = &fox[181].article;
    let path = data_dir().join("wiki_toxicity_context/gc.csv");
    let mut reader = csv::Reader::from_path(&path).expect("gc.csv");
    let headers = reader.headers().expect("headers").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let (id, text, parent) = (col("id"), col("text"), col("parent"));
    let row = reader
        .records()
        .map(|r| r.expect("row"))
        .find(|r| &r[id] == "101093734.242386.242386")
        .expect("the example");
    let p = Pipeline::shipped().expect("models");
    assert_eq!(
        decide(&p, article, Some(&row[parent]), &row[text]),
        ModerationDecision::Publish
    );
    assert_eq!(
        codes(&decide(&p, article, None, &row[text])),
        vec!["off_topic"]
    );
}

/// Floors a little under what `jirga eval` printed for the shipped models (see the README).
#[test]
fn held_out_quality_does_not_regress() {
    let dir = data_dir();
    let abuse = jirga_moderation::model::LinearModel::from_bytes(
        &std::fs::read(repo("models/abuse.jlm")).expect("model"),
    )
    .expect("abuse model");
    let sets = train::Permissive::load(&dir).expect("sets");
    let ids = data::read_ids(&repo("models/splits/c3_test_ids.txt")).expect("ids");
    let score = |t: &str| abuse.probability(t);
    let rows = eval::abuse_rows(&dir, &sets, &ids, &score, 0.6).expect("eval");
    let auc = |name: &str| {
        rows.iter()
            .find(|r| r.set.starts_with(name))
            .and_then(|r| r.auc)
            .expect(name)
    };
    assert!(auc("c3 test") >= 0.60, "c3 {}", auc("c3 test"));
    assert!(
        auc("olid official test") >= 0.69,
        "olid {}",
        auc("olid official test")
    );
    assert!(auc("jigsaw identity comments") >= 0.84);
    let ontopic = jirga_moderation::ontopic::OnTopicModel::from_linear(
        jirga_moderation::model::LinearModel::from_bytes(
            &std::fs::read(repo("models/ontopic.jlm")).expect("model"),
        )
        .expect("parse"),
    )
    .expect("on-topic model");
    let fox = eval::ontopic("fox", &eval::fox_pairs(&dir).expect("fox"), &ontopic);
    assert!(fox.auc >= 0.63, "fox on-topic {}", fox.auc);
    assert!(
        fox.auc_relative >= 0.70,
        "fox on-topic, relative {}",
        fox.auc_relative
    );
}

/// The shipped abuse score (n-gram model and encoder heads combined) on OLID's official test
/// tweets, never trained on: a floor a little under what `jirga eval` printed.
#[test]
fn the_shipped_combination_does_not_regress_on_held_out_tweets() {
    use jirga_moderation::encoder::{MiniLm, embed_all_with};
    let olid = data::olid_test(&data_dir()).expect("olid");
    let ngram = jirga_moderation::shipped_abuse_model().expect("n-gram model");
    let heads = jirga_moderation::shipped_heads().expect("heads");
    let encoder = MiniLm::shipped().expect("encoder");
    let texts: Vec<&str> = olid.iter().map(|e| e.text.as_str()).collect();
    let vectors = embed_all_with(&texts, 32, &|b| encoder.embed_abuse(b), |_| {}).expect("embed");
    let combined: Vec<f32> = olid
        .iter()
        .zip(&vectors)
        .map(|(e, v)| {
            let g = ngram.heads[0].logit(&ngram.extract(&e.text).features);
            heads.combine.logit(g, heads.abuse.logit(v))
        })
        .collect();
    let ngram_only: Vec<f32> = olid
        .iter()
        .map(|e| ngram.heads[0].logit(&ngram.extract(&e.text).features))
        .collect();
    let labels: Vec<bool> = olid.iter().map(|e| e.label).collect();
    let auc = jirga_training::metrics::roc_auc(&combined, &labels).expect("auc");
    let alone = jirga_training::metrics::roc_auc(&ngram_only, &labels).expect("auc");
    // jirga eval: 0.840 with the fine-tuned branch; #11's target is 0.82.
    assert!(auc >= 0.82, "combined {auc}");
    assert!(auc > alone + 0.02, "combined {auc}, n-gram alone {alone}");
}
