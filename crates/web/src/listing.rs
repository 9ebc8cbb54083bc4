//! Reading a thread: the page of top-level comments with replies nested, or a page of one
//! comment's replies. Shared by the JSON API and the server-rendered article page.

use crate::error::ApiError;
use crate::state::AppState;
use crate::views::{CommentJson, ThreadJson, ThreadPageJson};
use jirga_domain::tree::{self, Node, TreeLimits};
use jirga_domain::{CommentId, ThreadId};
use jirga_domain::{Cursor, SiteId, Sort, ThreadKey};
use jirga_store::{StoredComment, Thread};

pub struct PageRequest {
    pub site: SiteId,
    pub key: ThreadKey,
    pub sort: Sort,
    pub cursor: Option<Cursor>,
    pub limit: u32,
    /// List this comment's replies instead of the top-level comments.
    pub parent: Option<CommentId>,
    /// The one branch holding this comment instead: its top-level comment with all the
    /// replies under it (up to `MAX_DEPTH` and `MAX_REPLIES`), for a link to one comment.
    pub around: Option<CommentId>,
    /// Override the server's cut of long and deep branches (bounded).
    pub replies: Option<usize>,
    pub depth: Option<usize>,
}

/// Most replies per comment and levels a client may ask for in one response.
pub const MAX_REPLIES: usize = 100;
pub const MAX_DEPTH: usize = 10;

pub const MAX_PAGE: u32 = 50;

/// The page, and its thread's id and stamp when the thread exists (for the read cache).
pub async fn thread_page(
    state: &AppState,
    req: PageRequest,
) -> Result<(ThreadPageJson, Option<(ThreadId, Option<String>)>), ApiError> {
    state
        .store
        .site(&req.site)
        .await?
        .ok_or(ApiError::UnknownSite)?;
    let limit = req.limit.clamp(1, MAX_PAGE);
    let Some(thread) = state.store.thread(&req.site, &req.key).await? else {
        // An article nobody has commented on yet: an empty section, not an error.
        if req.parent.is_some() || req.around.is_some() {
            return Err(ApiError::UnknownComment);
        }
        let page = ThreadPageJson {
            site: req.site.to_string(),
            thread: ThreadJson {
                key: req.key.to_string(),
                title: String::new(),
                url: None,
                closed: false,
                count: 0,
            },
            sort: req.sort.as_str(),
            comments: Vec::new(),
            next_cursor: None,
        };
        return Ok((page, None));
    };
    let limits = TreeLimits {
        max_depth: req
            .depth
            .unwrap_or(state.settings.reply_depth)
            .min(MAX_DEPTH),
        max_replies: req
            .replies
            .unwrap_or(state.settings.replies_per_comment)
            .min(MAX_REPLIES),
    };
    let (branches, next_cursor, sort) = match (req.around, req.parent) {
        (Some(target), _) => branch(state, &thread, target).await?,
        (None, None) => top_level(state, &thread, req.sort, req.cursor, limit, limits).await?,
        (None, Some(parent)) => replies(state, &thread, parent, req.cursor, limit, limits).await?,
    };
    let page = ThreadPageJson {
        site: req.site.to_string(),
        thread: ThreadJson::from(&thread),
        sort: sort.as_str(),
        comments: branches.into_iter().map(CommentJson::public).collect(),
        next_cursor: next_cursor.map(|c| c.encode()),
    };
    Ok((page, Some((thread.id, thread.stamp))))
}

type Assembled = (Vec<tree::Branch<StoredComment>>, Option<Cursor>, Sort);

async fn top_level(
    state: &AppState,
    thread: &Thread,
    sort: Sort,
    cursor: Option<Cursor>,
    limit: u32,
    limits: TreeLimits,
) -> Result<Assembled, ApiError> {
    if cursor.is_some_and(|c| c.sort != sort) {
        return Err(ApiError::InvalidCursor);
    }
    let mut roots = state
        .store
        .top_level_page(thread.id, sort, cursor, limit + 1)
        .await?;
    let more = roots.len() > limit as usize;
    roots.truncate(limit as usize);
    let next = if more {
        roots.last().map(|c| Cursor {
            sort,
            key: if sort == Sort::Top {
                c.votes
            } else {
                c.created_ms()
            },
            id: c.id.get(),
        })
    } else {
        None
    };
    let ids: Vec<CommentId> = roots.iter().map(|c| c.id).collect();
    let under = state.store.under_roots(&ids).await?;
    Ok((tree::assemble(roots, under, limits), next, sort))
}

/// The branch holding `target`: its top-level comment and everything under it, as far as the
/// largest cut a client may ask for reaches.
async fn branch(
    state: &AppState,
    thread: &Thread,
    target: CommentId,
) -> Result<Assembled, ApiError> {
    let target = state
        .store
        .comment(target)
        .await?
        .filter(|c| c.thread_id == thread.id)
        .ok_or(ApiError::UnknownComment)?;
    let root_id = target.root_id.unwrap_or(target.id);
    let root = state
        .store
        .comment(root_id)
        .await?
        .ok_or(ApiError::UnknownComment)?;
    let under = state.store.under_roots(&[root_id]).await?;
    let limits = TreeLimits {
        max_depth: MAX_DEPTH,
        max_replies: MAX_REPLIES,
    };
    Ok((
        tree::assemble(vec![root], under, limits),
        None,
        Sort::Oldest,
    ))
}

async fn replies(
    state: &AppState,
    thread: &Thread,
    parent: CommentId,
    cursor: Option<Cursor>,
    limit: u32,
    limits: TreeLimits,
) -> Result<Assembled, ApiError> {
    if cursor.is_some_and(|c| c.sort != Sort::Oldest) {
        return Err(ApiError::InvalidCursor);
    }
    let parent = state
        .store
        .comment(parent)
        .await?
        .filter(|c| c.thread_id == thread.id)
        .ok_or(ApiError::UnknownComment)?;
    let root = parent.root_id.unwrap_or(parent.id);
    let all = state.store.under_roots(&[root]).await?;
    let after = cursor.unwrap_or(tree::FIRST_REPLY);
    let children: Vec<StoredComment> = all
        .iter()
        .filter(|c| {
            c.parent_id == Some(parent.id) && (c.created_ms(), c.id.get()) > (after.key, after.id)
        })
        .cloned()
        .collect();
    let mut branches = tree::assemble(children, all, limits);
    let more = branches.len() > limit as usize;
    branches.truncate(limit as usize);
    let next = if more {
        branches.last().map(|b| Cursor {
            sort: Sort::Oldest,
            key: b.comment.created_ms(),
            id: b.comment.id.get(),
        })
    } else {
        None
    };
    Ok((branches, next, Sort::Oldest))
}
