//! Criterion micro-benchmarks: the moderation pipeline on one comment, Markdown rendering of
//! one body, and assembling a 200-comment thread into its nested page.
//!
//! cargo bench -p jirga-bench --bench micro

use criterion::{Criterion, criterion_group, criterion_main};
use jirga_domain::tree::{self, Node, TreeLimits};
use jirga_domain::{BodyLimits, CommentBody};
use jirga_moderation::{ModerationInput, Pipeline, SitePolicy};
use std::hint::black_box;

const ARTICLE: &str = "Two river districts agree to share flood warnings. The councils will run one \
    control room for the gauges on the river and its tributaries, and send text and siren alerts \
    to both districts at once. The running costs are split by the number of homes at risk.";

const COMMENT: &str = "About time. In April the siren on our street went off forty minutes after \
    the water was already in the cellars. If one office really gets the alert out in minutes, \
    that is money well spent, *as long as* the gauges are checked every season. See \
    [the council papers](https://example.org/papers) for the costs.";

#[derive(Clone)]
struct C {
    id: i64,
    parent: Option<i64>,
}

impl Node for C {
    fn id(&self) -> i64 {
        self.id
    }
    fn parent_id(&self) -> Option<i64> {
        self.parent
    }
    fn created_ms(&self) -> i64 {
        self.id
    }
    fn visible(&self) -> bool {
        true
    }
}

/// 20 top-level comments and 180 replies at depths 1-2, parents picked by a fixed rule.
fn thread() -> (Vec<C>, Vec<C>) {
    let mut depth = Vec::new();
    let mut all = Vec::new();
    for i in 0..200i64 {
        let parent = if i < 20 {
            None
        } else {
            (0..i)
                .rev()
                .map(|j| (j * 7 + i) % i)
                .find(|&j| depth[j as usize] <= 1)
        };
        depth.push(parent.map_or(0, |p| depth[p as usize] + 1));
        all.push(C { id: i, parent });
    }
    let roots = all.iter().filter(|c| c.parent.is_none()).cloned().collect();
    let under = all.into_iter().filter(|c| c.parent.is_some()).collect();
    (roots, under)
}

fn benches(c: &mut Criterion) {
    let pipeline = Pipeline::shipped().expect("models");
    let policy = SitePolicy::default();
    let input = ModerationInput::text("Flood warnings", ARTICLE, None, COMMENT, &policy);
    c.bench_function("pipeline: one comment (rules, abuse, on-topic)", |b| {
        b.iter(|| black_box(pipeline.assess(black_box(&input))))
    });
    c.bench_function("body: parse and render Markdown", |b| {
        b.iter(|| {
            black_box(CommentBody::parse(
                black_box(COMMENT),
                BodyLimits::default(),
            ))
        })
    });
    let (roots, under) = thread();
    let whole = TreeLimits {
        max_depth: 10,
        max_replies: 100,
    };
    c.bench_function("thread: assemble 200 comments", |b| {
        b.iter(|| black_box(tree::assemble(roots.clone(), under.clone(), whole)))
    });
}

criterion_group!(micro, benches);
criterion_main!(micro);
