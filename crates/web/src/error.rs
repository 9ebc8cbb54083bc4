//! The one error type of the HTTP layer. Every variant has a stable machine code and a
//! status; the body is always `{"error": {"code": "...", "message": "..."}}`.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jirga_domain::ParseError;
use jirga_store::StoreError;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Invalid(#[from] ParseError),
    #[error("the request body is not valid JSON: {0}")]
    InvalidJson(String),
    #[error("the request does not match what this endpoint takes: {0}")]
    InvalidRequest(String),
    #[error("send JSON with the header Content-Type: application/json")]
    UnsupportedMediaType,
    #[error("the request body is larger than this server accepts")]
    PayloadTooLarge,
    #[error("the query string is not valid: {0}")]
    InvalidQuery(String),
    #[error("this cursor was not produced by this server for this listing")]
    InvalidCursor,
    #[error("ask for at most {max} threads at a time")]
    TooManyThreads { max: usize },
    #[error("a vote is 1, -1 or 0 (to withdraw it)")]
    InvalidVote,
    #[error("there is no site with this id")]
    UnknownSite,
    #[error("there is no thread with this key on this site")]
    UnknownThread,
    #[error("there is no comment with this id")]
    UnknownComment,
    #[error("the comment this one replies to does not exist or is not visible")]
    UnknownParent,
    #[error("the comment this one replies to is under another article")]
    ParentInOtherThread,
    #[error("this thread is closed to new comments")]
    ThreadClosed,
    #[error("this name belongs to a verified author on this site; please choose another")]
    NameReserved,
    #[error("you have already reported this comment")]
    AlreadyReported,
    #[error("only a rejected comment can be appealed, once")]
    NotAppealable,
    #[error("comments can be changed for {minutes} minutes after posting; that time has passed")]
    EditWindowClosed { minutes: i64 },
    #[error("this comment has been deleted")]
    CommentDeleted,
    #[error("the edit token is missing or does not belong to this comment")]
    InvalidToken,
    #[error("this needs the site's API key as 'Authorization: Bearer <key>'")]
    Unauthorized,
    #[error("this site does not accept requests from the page's origin")]
    OriginNotAllowed,
    #[error("too many requests; try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: u64 },
    #[error("this site takes comments from signed-in readers only; sign in or create an account")]
    SignInRequired,
    #[error("the request came with a session but without its CSRF token (header x-jirga-csrf)")]
    CsrfFailed,
    #[error("you are not a moderator of this site")]
    NotYourSite,
    #[error("this needs a moderator signed in to the dashboard in this browser")]
    ModeratorRequired,
    /// A publisher's sign-on token was refused; the code says why (`sso_expired`, ...).
    #[error("the sign-on token was refused: {0}")]
    Sso(#[from] crate::sso::Refusal),
    #[error("no such endpoint")]
    NotFound,
    #[error("this endpoint does not accept that method")]
    MethodNotAllowed,
    #[error("the database is not reachable just now; nothing was changed, try again shortly")]
    Unavailable(String),
    #[error("something went wrong on our side; nothing was changed")]
    Internal(String),
}

/// Seconds a client is asked to wait when the database is unreachable.
pub const UNAVAILABLE_RETRY_SECS: u64 = 2;

impl ApiError {
    pub fn code(&self) -> String {
        let code = match self {
            ApiError::Invalid(e) => return e.code(),
            ApiError::InvalidJson(_) => "invalid_json",
            ApiError::InvalidRequest(_) => "invalid_request",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::InvalidQuery(_) => "invalid_query",
            ApiError::InvalidCursor => "invalid_cursor",
            ApiError::TooManyThreads { .. } => "too_many_threads",
            ApiError::InvalidVote => "invalid_vote",
            ApiError::UnknownSite => "unknown_site",
            ApiError::UnknownThread => "unknown_thread",
            ApiError::UnknownComment => "unknown_comment",
            ApiError::UnknownParent => "unknown_parent",
            ApiError::ParentInOtherThread => "parent_in_other_thread",
            ApiError::ThreadClosed => "thread_closed",
            ApiError::NameReserved => "name_reserved",
            ApiError::AlreadyReported => "already_reported",
            ApiError::NotAppealable => "not_appealable",
            ApiError::EditWindowClosed { .. } => "edit_window_closed",
            ApiError::CommentDeleted => "comment_deleted",
            ApiError::InvalidToken => "invalid_token",
            ApiError::Unauthorized => "unauthorized",
            ApiError::OriginNotAllowed => "origin_not_allowed",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::SignInRequired => "sign_in_required",
            ApiError::CsrfFailed => "csrf_failed",
            ApiError::NotYourSite => "not_your_site",
            ApiError::ModeratorRequired => "moderator_required",
            ApiError::Sso(r) => r.code(),
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        };
        code.to_owned()
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::InvalidJson(_)
            | ApiError::InvalidQuery(_)
            | ApiError::InvalidCursor
            | ApiError::TooManyThreads { .. } => StatusCode::BAD_REQUEST,
            ApiError::Invalid(_)
            | ApiError::InvalidRequest(_)
            | ApiError::InvalidVote
            | ApiError::UnknownParent
            | ApiError::ParentInOtherThread => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnknownSite
            | ApiError::UnknownThread
            | ApiError::UnknownComment
            | ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::ThreadClosed
            | ApiError::NameReserved
            | ApiError::AlreadyReported
            | ApiError::NotAppealable
            | ApiError::EditWindowClosed { .. }
            | ApiError::CommentDeleted => StatusCode::CONFLICT,
            ApiError::InvalidToken
            | ApiError::OriginNotAllowed
            | ApiError::CsrfFailed
            | ApiError::NotYourSite => StatusCode::FORBIDDEN,
            ApiError::Unauthorized | ApiError::SignInRequired | ApiError::ModeratorRequired => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::Sso(crate::sso::Refusal::NotConfigured) => StatusCode::NOT_FOUND,
            ApiError::Sso(crate::sso::Refusal::KeysUnavailable(_)) => StatusCode::BAD_GATEWAY,
            ApiError::Sso(_) => StatusCode::UNAUTHORIZED,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(detail) => ApiError::Unavailable(detail),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: Detail<'a>,
}

#[derive(Serialize)]
struct Detail<'a> {
    code: &'a str,
    message: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        // The internal detail goes to the log (see `log_errors`), never to the client.
        let message = match &self {
            ApiError::Internal(_) => {
                "something went wrong on our side; nothing was changed".to_owned()
            }
            other => other.to_string(),
        };
        let code = self.code();
        let mut response = (
            status,
            axum::Json(Body {
                error: Detail {
                    code: &code,
                    message: &message,
                },
            }),
        )
            .into_response();
        let retry_after = match &self {
            ApiError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            ApiError::Unavailable(_) => Some(UNAVAILABLE_RETRY_SECS),
            _ => None,
        };
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if let ApiError::Internal(detail) | ApiError::Unavailable(detail) = self {
            response.extensions_mut().insert(InternalDetail(detail));
        }
        response
    }
}

/// Carries an internal error's detail from the handler to the logging middleware.
#[derive(Clone)]
pub struct InternalDetail(pub String);

/// `Json` whose rejections are `ApiError`s.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(match rejection {
                JsonRejection::JsonDataError(e) => ApiError::InvalidRequest(e.body_text()),
                JsonRejection::JsonSyntaxError(e) => ApiError::InvalidJson(e.body_text()),
                JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
                JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    ApiError::PayloadTooLarge
                }
                other => ApiError::InvalidRequest(other.body_text()),
            }),
        }
    }
}
