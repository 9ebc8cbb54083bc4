//! Who is acting on a service function, as the request presented them.

use crate::auth::Reader;
use crate::error::ApiError;
use crate::state::AppState;
use axum::http::{HeaderMap, header};
use jirga_store::Site;
use std::net::IpAddr;

/// Who is acting, as the request presented them.
pub struct Caller<'a> {
    /// The signed-in reader, if any.
    pub reader: Option<&'a Reader>,
    /// The client's address (rate limits, address bans; stored only as a salted hash).
    pub ip: IpAddr,
    /// The page's origin, when a browser sent the request from one.
    pub origin: Option<&'a str>,
    /// The host the request was sent to.
    pub host: Option<&'a str>,
    /// The edit token of the comment acted on, for its author.
    pub edit_token: Option<&'a str>,
}

/// The header an author's edit token travels in.
pub const EDIT_TOKEN_HEADER: &str = "x-jirga-edit-token";

impl<'a> Caller<'a> {
    /// The caller an HTTP request describes.
    pub fn of(reader: Option<&'a Reader>, ip: IpAddr, headers: &'a HeaderMap) -> Self {
        let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
        Caller {
            reader,
            ip,
            origin: text(header::ORIGIN),
            host: text(header::HOST),
            edit_token: headers.get(EDIT_TOKEN_HEADER).and_then(|v| v.to_str().ok()),
        }
    }

    /// A page may act on a site only from an origin the site allows (or from this server's own
    /// pages); requests without an Origin are not from a browser page.
    pub fn check_origin(&self, state: &AppState, site: &Site) -> Result<(), ApiError> {
        let Some(origin) = self.origin else {
            return Ok(());
        };
        if state.same_origin(origin, self.host) || site.allowed_origins.iter().any(|o| o == origin)
        {
            Ok(())
        } else {
            Err(ApiError::OriginNotAllowed)
        }
    }
}
