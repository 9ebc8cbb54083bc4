//! What readers and moderators can do, as functions: the HTTP API, the dashboard and the CLI
//! call these rather than the store, so each rule lives in one place. A handler parses the
//! request, calls one function here and renders what it returns.

pub mod accounts;
mod caller;
pub mod comments;
pub mod feeds;
pub mod imports;
pub mod moderation;
pub mod moderators;
pub mod sites;
pub mod sso;
pub mod threads;

pub use caller::{Caller, EDIT_TOKEN_HEADER};
