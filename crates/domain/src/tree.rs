//! Thread assembly: a page of top-level comments, each with its replies nested under it.
//!
//! A branch that is too deep or too long is cut: the reader gets how many replies were left
//! out and a cursor to fetch them. A comment that readers may not see (held, deleted) is left
//! out, unless visible replies hang under it; then it stays as a tombstone so the replies keep
//! their place in the conversation.

use crate::{Cursor, Sort};
use std::collections::HashMap;

/// What assembly needs to know about a comment.
pub trait Node {
    fn id(&self) -> i64;
    fn parent_id(&self) -> Option<i64>;
    fn created_ms(&self) -> i64;
    /// Whether readers may see it.
    fn visible(&self) -> bool;
}

/// How much of a branch one response carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeLimits {
    /// Levels of replies shown below each top-level comment of the page.
    pub max_depth: usize,
    /// Replies shown under any one comment.
    pub max_replies: usize,
}

impl Default for TreeLimits {
    fn default() -> Self {
        Self {
            max_depth: 3,
            max_replies: 5,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Branch<T> {
    pub comment: T,
    /// The comment itself is hidden; it is shown only to hold the replies under it.
    pub tombstone: bool,
    pub replies: Vec<Branch<T>>,
    /// Replies left out of this response.
    pub more_replies: usize,
    /// Where the left-out replies start: pass it with `parent` set to this comment's id.
    pub replies_cursor: Option<Cursor>,
}

/// The cursor that means "from the first reply".
pub const FIRST_REPLY: Cursor = Cursor {
    sort: Sort::Oldest,
    key: i64::MIN,
    id: i64::MIN,
};

/// Arranges `roots` (in page order) with the comments found `under` them (any order, any
/// status). Comments under no root are ignored.
pub fn assemble<T: Node>(roots: Vec<T>, under: Vec<T>, limits: TreeLimits) -> Vec<Branch<T>> {
    let mut arena = Arena::new(roots, under);
    arena.mark_kept();
    let root_count = arena.root_count;
    let kept: Vec<usize> = (0..root_count).filter(|&i| arena.kept[i]).collect();
    kept.into_iter()
        .filter_map(|i| arena.build(i, 0, limits))
        .collect()
}

struct Arena<T> {
    nodes: Vec<Option<T>>,
    visible: Vec<bool>,
    kept: Vec<bool>,
    children: Vec<Vec<usize>>,
    root_count: usize,
}

impl<T: Node> Arena<T> {
    fn new(roots: Vec<T>, under: Vec<T>) -> Self {
        let root_count = roots.len();
        let mut nodes: Vec<T> = roots;
        let mut seen: HashMap<i64, usize> = HashMap::new();
        for (i, n) in nodes.iter().enumerate() {
            seen.insert(n.id(), i);
        }
        for n in under {
            if let std::collections::hash_map::Entry::Vacant(slot) = seen.entry(n.id()) {
                slot.insert(nodes.len());
                nodes.push(n);
            }
        }
        let mut children = vec![Vec::new(); nodes.len()];
        for (i, n) in nodes.iter().enumerate().skip(root_count) {
            if let Some(&p) = n.parent_id().and_then(|p| seen.get(&p)) {
                children[p].push(i);
            }
        }
        for list in &mut children {
            list.sort_by_key(|&i| (nodes[i].created_ms(), nodes[i].id()));
        }
        let visible = nodes.iter().map(Node::visible).collect();
        Self {
            kept: vec![false; nodes.len()],
            visible,
            nodes: nodes.into_iter().map(Some).collect(),
            children,
            root_count,
        }
    }

    /// A node is kept when it or anything below it is visible. Iterative post-order, so a
    /// very deep chain of replies cannot overflow the stack.
    fn mark_kept(&mut self) {
        let mut on_path = vec![false; self.nodes.len()];
        for root in 0..self.root_count {
            let mut stack = vec![(root, false)];
            while let Some((i, expanded)) = stack.pop() {
                if expanded {
                    self.kept[i] =
                        self.visible[i] || self.children[i].iter().any(|&c| self.kept[c]);
                    continue;
                }
                if on_path[i] {
                    continue; // a cycle in bad data; visit each node once
                }
                on_path[i] = true;
                stack.push((i, true));
                stack.extend(self.children[i].iter().map(|&c| (c, false)));
            }
        }
    }

    fn build(&mut self, i: usize, depth: usize, limits: TreeLimits) -> Option<Branch<T>> {
        let comment = self.nodes[i].take()?;
        let kept: Vec<usize> = self.children[i]
            .iter()
            .copied()
            .filter(|&c| self.kept[c])
            .collect();
        let room = if depth >= limits.max_depth {
            0
        } else {
            limits.max_replies
        };
        let mut replies = Vec::new();
        for &c in kept.iter().take(room) {
            if let Some(b) = self.build(c, depth + 1, limits) {
                replies.push(b);
            }
        }
        let more_replies = kept.len() - replies.len();
        let replies_cursor = (more_replies > 0).then(|| match replies.last() {
            Some(last) => Cursor {
                sort: Sort::Oldest,
                key: last.comment.created_ms(),
                id: last.comment.id(),
            },
            None => FIRST_REPLY,
        });
        Some(Branch {
            tombstone: !self.visible[i],
            comment,
            replies,
            more_replies,
            replies_cursor,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone, PartialEq)]
    struct C {
        id: i64,
        parent: Option<i64>,
        visible: bool,
    }

    impl Node for C {
        fn id(&self) -> i64 {
            self.id
        }
        fn parent_id(&self) -> Option<i64> {
            self.parent
        }
        fn created_ms(&self) -> i64 {
            self.id * 10
        }
        fn visible(&self) -> bool {
            self.visible
        }
    }

    fn c(id: i64, parent: Option<i64>, visible: bool) -> C {
        C {
            id,
            parent,
            visible,
        }
    }

    #[test]
    fn nests_replies_in_order() {
        let roots = vec![c(1, None, true)];
        let under = vec![
            c(3, Some(1), true),
            c(2, Some(1), true),
            c(4, Some(2), true),
        ];
        let tree = assemble(roots, under, TreeLimits::default());
        let ids: Vec<i64> = tree[0].replies.iter().map(|b| b.comment.id).collect();
        assert_eq!(ids, vec![2, 3]);
        assert_eq!(tree[0].replies[0].replies[0].comment.id, 4);
        assert_eq!(tree[0].more_replies, 0);
    }

    #[test]
    fn long_branches_are_cut_with_a_cursor() {
        let roots = vec![c(1, None, true)];
        let under: Vec<C> = (2..10).map(|i| c(i, Some(1), true)).collect();
        let limits = TreeLimits {
            max_depth: 3,
            max_replies: 3,
        };
        let tree = assemble(roots, under, limits);
        assert_eq!(tree[0].replies.len(), 3);
        assert_eq!(tree[0].more_replies, 5);
        assert_eq!(tree[0].replies_cursor.map(|c| c.id), Some(4));
    }

    #[test]
    fn deep_branches_are_cut_at_max_depth() {
        let roots = vec![c(1, None, true)];
        let under: Vec<C> = (2..8).map(|i| c(i, Some(i - 1), true)).collect();
        let limits = TreeLimits {
            max_depth: 2,
            max_replies: 5,
        };
        let tree = assemble(roots, under, limits);
        let deepest = &tree[0].replies[0].replies[0];
        assert_eq!(deepest.comment.id, 3);
        assert!(deepest.replies.is_empty());
        assert_eq!(deepest.more_replies, 1);
        assert_eq!(deepest.replies_cursor, Some(FIRST_REPLY));
    }

    #[test]
    fn hidden_comments_stay_only_as_tombstones_over_visible_replies() {
        let roots = vec![c(1, None, true)];
        let under = vec![
            c(2, Some(1), false), // deleted, but 3 answers it
            c(3, Some(2), true),
            c(4, Some(1), false), // held, nothing under it
        ];
        let tree = assemble(roots, under, TreeLimits::default());
        assert_eq!(tree[0].replies.len(), 1);
        assert!(tree[0].replies[0].tombstone);
        assert_eq!(tree[0].replies[0].replies[0].comment.id, 3);
        assert_eq!(tree[0].more_replies, 0);
    }

    #[test]
    fn a_very_deep_chain_does_not_overflow() {
        let roots = vec![c(1, None, false)];
        let under: Vec<C> = (2..200_000)
            .map(|i| c(i, Some(i - 1), i == 199_999))
            .collect();
        let tree = assemble(roots, under, TreeLimits::default());
        assert!(tree[0].tombstone);
    }

    fn forest() -> impl Strategy<Value = Vec<C>> {
        // Comment i's parent is an earlier comment or none: the shape a real thread has.
        prop::collection::vec(
            (any::<bool>(), any::<prop::sample::Index>(), any::<bool>()),
            1..60,
        )
        .prop_map(|spec| {
            spec.into_iter()
                .enumerate()
                .map(|(i, (top, pick, visible))| {
                    let id = i as i64 + 1;
                    let parent = (!top && i > 0).then(|| pick.index(i) as i64 + 1);
                    c(id, parent, visible)
                })
                .collect()
        })
    }

    fn walk(
        b: &Branch<C>,
        out: &mut Vec<i64>,
        limits: TreeLimits,
        all: &[C],
    ) -> Result<(), TestCaseError> {
        if !b.tombstone {
            out.push(b.comment.id);
        }
        prop_assert!(b.replies.len() <= limits.max_replies);
        prop_assert_eq!(b.more_replies > 0, b.replies_cursor.is_some());
        let kids = all
            .iter()
            .filter(|x| x.parent == Some(b.comment.id))
            .count();
        prop_assert!(b.replies.len() + b.more_replies <= kids);
        for r in &b.replies {
            prop_assert_eq!(r.comment.parent, Some(b.comment.id));
            walk(r, out, limits, all)?;
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn without_cuts_every_visible_comment_appears_once(all in forest()) {
            let roots: Vec<C> = all.iter().filter(|x| x.parent.is_none()).cloned().collect();
            let under: Vec<C> = all.iter().filter(|x| x.parent.is_some()).cloned().collect();
            let limits = TreeLimits { max_depth: usize::MAX, max_replies: usize::MAX };
            let tree = assemble(roots, under, limits);
            let mut seen = Vec::new();
            for b in &tree {
                walk(b, &mut seen, limits, &all)?;
            }
            seen.sort_unstable();
            let want: Vec<i64> = all.iter().filter(|x| x.visible).map(|x| x.id).collect();
            prop_assert_eq!(seen, want);
        }

        #[test]
        fn cuts_account_for_every_kept_reply(all in forest(), depth in 0..4usize, width in 1..4usize) {
            let roots: Vec<C> = all.iter().filter(|x| x.parent.is_none()).cloned().collect();
            let under: Vec<C> = all.iter().filter(|x| x.parent.is_some()).cloned().collect();
            let limits = TreeLimits { max_depth: depth, max_replies: width };
            let tree = assemble(roots, under, limits);
            let mut seen = Vec::new();
            for b in &tree {
                walk(b, &mut seen, limits, &all)?;
                prop_assert!(!b.tombstone || !b.replies.is_empty() || b.more_replies > 0);
            }
        }
    }
}
