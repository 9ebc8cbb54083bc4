//! The API as a client uses it: each test starts Jirga on port 0 with a fresh SQLite file.

mod helpers;

mod authz;
mod comments;
mod dashboard;
mod errors;
mod limits;
mod live;
mod moderation_hook;
mod origins;
mod pages;
mod security;
mod threads;
