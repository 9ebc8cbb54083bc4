#![doc = include_str!("../README.md")]

use serde::{Deserialize, Serialize};

/// Everything a stage may look at. The article and the parent are here so that on-topic
/// checks compare the comment with what it sits under.
#[derive(Debug, Clone, Copy)]
pub struct ModerationInput<'a> {
    pub article_title: &'a str,
    pub article_text: &'a str,
    /// The body of the comment this one answers, if it is a reply.
    pub parent_body: Option<&'a str>,
    pub body: &'a str,
    pub author_name: &'a str,
    pub site: SitePolicy,
}

/// The site's settings that stages obey.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePolicy {
    /// Hold every comment for a moderator.
    pub premoderate: bool,
}

/// Why a comment was not simply published: a stable code and a sentence for its author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModerationDecision {
    Publish,
    Hold { reasons: Vec<Reason> },
    Reject { reasons: Vec<Reason> },
}

impl ModerationDecision {
    pub fn reasons(&self) -> &[Reason] {
        match self {
            ModerationDecision::Publish => &[],
            ModerationDecision::Hold { reasons } | ModerationDecision::Reject { reasons } => {
                reasons
            }
        }
    }
}

/// One step of the pipeline. `None` means "nothing to say about this comment".
pub trait Stage: Send + Sync {
    fn judge(&self, input: &ModerationInput<'_>) -> Option<ModerationDecision>;
}

/// Holds everything when the site asks for pre-moderation.
pub struct PreModeration;

impl Stage for PreModeration {
    fn judge(&self, input: &ModerationInput<'_>) -> Option<ModerationDecision> {
        input.site.premoderate.then(|| ModerationDecision::Hold {
            reasons: vec![Reason {
                code: "premoderation".into(),
                message: "Every comment on this site is read by a moderator before it appears."
                    .into(),
            }],
        })
    }
}

/// The stages in order. The strictest verdict wins: any rejection rejects, else any hold
/// holds, and the reasons of every stage that spoke are kept.
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
    version: String,
}

impl Default for Pipeline {
    fn default() -> Self {
        Self {
            stages: vec![Box::new(PreModeration)],
            version: "rules-0".into(),
        }
    }
}

impl Pipeline {
    pub fn new(stages: Vec<Box<dyn Stage>>, version: impl Into<String>) -> Self {
        Self {
            stages,
            version: version.into(),
        }
    }

    /// The version stored with each decision, so decisions can be replayed and compared.
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn decide(&self, input: &ModerationInput<'_>) -> ModerationDecision {
        let mut held = Vec::new();
        let mut rejected = Vec::new();
        for stage in &self.stages {
            match stage.judge(input) {
                None | Some(ModerationDecision::Publish) => {}
                Some(ModerationDecision::Hold { reasons }) => held.extend(reasons),
                Some(ModerationDecision::Reject { reasons }) => rejected.extend(reasons),
            }
        }
        if !rejected.is_empty() {
            rejected.extend(held);
            ModerationDecision::Reject { reasons: rejected }
        } else if !held.is_empty() {
            ModerationDecision::Hold { reasons: held }
        } else {
            ModerationDecision::Publish
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(premoderate: bool) -> ModerationInput<'static> {
        ModerationInput {
            article_title: "Talks on border security",
            article_text: "",
            parent_body: None,
            body: "A fair point about the talks.",
            author_name: "Reader",
            site: SitePolicy { premoderate },
        }
    }

    #[test]
    fn ordinary_comments_are_published() {
        assert_eq!(
            Pipeline::default().decide(&input(false)),
            ModerationDecision::Publish
        );
    }

    #[test]
    fn premoderated_sites_hold_with_a_reason() {
        let d = Pipeline::default().decide(&input(true));
        assert!(matches!(d, ModerationDecision::Hold { .. }));
        assert_eq!(d.reasons()[0].code, "premoderation");
    }

    struct Rejects;
    impl Stage for Rejects {
        fn judge(&self, _: &ModerationInput<'_>) -> Option<ModerationDecision> {
            Some(ModerationDecision::Reject {
                reasons: vec![Reason {
                    code: "x".into(),
                    message: "x".into(),
                }],
            })
        }
    }

    #[test]
    fn the_strictest_verdict_wins_and_keeps_all_reasons() {
        let p = Pipeline::new(vec![Box::new(PreModeration), Box::new(Rejects)], "t");
        let d = p.decide(&input(true));
        assert!(matches!(d, ModerationDecision::Reject { .. }));
        let codes: Vec<&str> = d.reasons().iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, vec!["x", "premoderation"]);
    }
}
