//! The API as a client uses it: each test starts Jirga on port 0 with a fresh SQLite file.

mod helpers;
mod i18n;
mod smtp;

mod accounts;
mod authz;
mod behaviour;
mod comments;
mod dashboard;
mod errors;
mod feeds;
mod limits;
mod live;
mod mail;
mod metrics;
mod moderation_hook;
mod oidc;
mod openapi;
mod origins;
mod pages;
mod security;
mod sso;
mod store;
mod threads;
mod trust;
mod webhooks;
