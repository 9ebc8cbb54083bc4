//! Request plumbing shared by handlers: who the client is (address, origin), CORS for pages
//! on publishers' sites, and logging of internal errors.

use crate::error::{ApiError, InternalDetail};
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::future::Either;
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::task::{Context, Poll};
use tower::{Layer, Service};

/// The client's address: the peer, or what a trusted proxy says the peer was.
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        Ok(ClientIp(client_ip(
            peer,
            &parts.headers,
            &state.settings.trusted_proxies,
        )))
    }
}

pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    // The right-most address that is not one of our proxies is the first one we cannot
    // vouch for less than the peer itself; anything left of it the client could have typed.
    if let Some(forwarded) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
        let hop = forwarded
            .rsplit(',')
            .filter_map(|s| s.trim().parse::<IpAddr>().ok())
            .find(|ip| !trusted.contains(ip));
        if let Some(ip) = hop {
            return ip;
        }
    }
    headers
        .get("x-real-ip")
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(peer)
}

/// The API's CORS as a layer around the router: a request outside `/api/v1` or without an
/// `Origin` header (the publisher's server, a same-origin page that sends none) goes
/// straight through without a boxed future; one with it runs `cors`.
#[derive(Clone)]
pub struct CorsLayer(pub AppState);

impl<S> Layer<S> for CorsLayer {
    type Service = Cors<S>;
    fn layer(&self, inner: S) -> Cors<S> {
        Cors {
            state: self.0.clone(),
            inner,
        }
    }
}

#[derive(Clone)]
pub struct Cors<S> {
    state: AppState,
    inner: S,
}

type Boxed = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

impl<S> Service<Request> for Cors<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<S::Future, Boxed>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let path = req.uri().path();
        let api = path
            .strip_prefix("/api/v1")
            .is_some_and(|p| p.is_empty() || p.starts_with('/'));
        if !api || !req.headers().contains_key(header::ORIGIN) {
            return Either::Left(self.inner.call(req));
        }
        let state = self.state.clone();
        // The service made ready by `poll_ready` answers; a clone stays for the next call.
        let fresh = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, fresh);
        Either::Right(Box::pin(async move {
            let next = |req| async move {
                let Ok(resp) = inner.call(req).await;
                resp
            };
            Ok(cors(state, req, next).await)
        }))
    }
}

/// CORS for `/api`: a page may call the API from an origin that some site allows; which
/// site it may act on is checked by the service (`service::Caller::check_origin`).
/// `next` answers the request once it may go on (see `CorsLayer`).
async fn cors<F, Fut>(state: AppState, req: Request, next: F) -> Response
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Response>,
{
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
    else {
        return next(req).await;
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok());
    if state.same_origin(&origin, host) {
        return next(req).await;
    }
    let allowed = state.origin_known(&origin).await;
    let safe = matches!(*req.method(), Method::GET | Method::HEAD);
    let Ok(origin_value) = HeaderValue::from_str(&origin) else {
        return ApiError::OriginNotAllowed.into_response();
    };
    if req.method() == Method::OPTIONS {
        if !allowed {
            return ApiError::OriginNotAllowed.into_response();
        }
        let mut resp = StatusCode::NO_CONTENT.into_response();
        let h = resp.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin_value);
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(
                "content-type, authorization, x-jirga-edit-token, x-jirga-csrf",
            ),
        );
        // The reader's session cookie goes with the widget's requests (`credentials: include`).
        h.insert(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        h.insert(header::VARY, HeaderValue::from_static("origin"));
        return resp;
    }
    if !allowed && !safe {
        return ApiError::OriginNotAllowed.into_response();
    }
    let mut resp = next(req).await;
    let h = resp.headers_mut();
    h.append(header::VARY, HeaderValue::from_static("origin"));
    if allowed {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin_value);
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("retry-after"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
    }
    resp
}

/// Counts the request for `/metrics` under its route as routed (`/api/v1/comments/{id}`), so
/// the labels stay few whatever the paths. Added only while metrics are on.
pub async fn record_metrics(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .cloned();
    let method = req.method().clone();
    let resp = next.run(req).await;
    let route = route.as_ref().map_or("unmatched", |r| r.as_str());
    state
        .metrics
        .request(route, &method, resp.status().as_u16(), started.elapsed());
    resp
}

/// The header a request's id travels in: taken from the proxy when it sends one, made here
/// for a request that failed on our side, and sent back so a reader's report can be matched
/// with the log line.
pub const REQUEST_ID: &str = "x-request-id";

/// An id for a failed request that came without one: this process's start, then a count.
fn new_request_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static START: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let start = START.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    });
    format!("{start:x}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Logs internal errors here rather than in `into_response`, with the request they came
/// from and its id. A request id the proxy sent is echoed on every answer; one is made only
/// for a request that failed on our side (so the common path costs a header lookup).
#[derive(Clone)]
pub struct LogErrorsLayer;

impl<S> Layer<S> for LogErrorsLayer {
    type Service = LogErrors<S>;
    fn layer(&self, inner: S) -> LogErrors<S> {
        LogErrors(inner)
    }
}

#[derive(Clone)]
pub struct LogErrors<S>(S);

/// What `log_errors` needs of the request once it has been answered.
struct Asked {
    method: Method,
    uri: axum::http::Uri,
    given: Option<HeaderValue>,
}

impl<S> Service<Request> for LogErrors<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = LogErrorsFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        // Cheap to keep: the method is an enum for the usual ones, the URI shares its bytes.
        let asked = Asked {
            method: req.method().clone(),
            uri: req.uri().clone(),
            given: req.headers().get(REQUEST_ID).cloned(),
        };
        LogErrorsFuture {
            inner: self.0.call(req),
            asked: Some(asked),
        }
    }
}

pin_project_lite::pin_project! {
    pub struct LogErrorsFuture<F> {
        #[pin]
        inner: F,
        asked: Option<Asked>,
    }
}

impl<F: Future<Output = Result<Response, Infallible>>> Future for LogErrorsFuture<F> {
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let Ok(resp) = std::task::ready!(this.inner.poll(cx));
        Poll::Ready(Ok(match this.asked.take() {
            Some(asked) => log_errors(asked, resp),
            None => resp,
        }))
    }
}

fn log_errors(asked: Asked, mut resp: Response) -> Response {
    let Asked { method, uri, given } = asked;
    let failed = resp.extensions().get::<InternalDetail>().cloned();
    let id = match (given, &failed) {
        (Some(id), _) => Some(id),
        (None, Some(_)) => HeaderValue::from_str(&new_request_id()).ok(),
        (None, None) => None,
    };
    if let Some(InternalDetail(detail)) = failed {
        let request_id = id
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if resp.status() == StatusCode::SERVICE_UNAVAILABLE {
            tracing::warn!(%method, path = uri.path(), request_id, %detail, "database unavailable");
        } else {
            tracing::error!(%method, path = uri.path(), request_id, %detail, "internal error");
        }
    }
    if let Some(id) = id {
        resp.headers_mut().insert(REQUEST_ID, id);
    }
    resp
}

/// For the routes that take a body: the request, body included, must arrive and be answered
/// within `request_timeout_secs` (408 otherwise), so a client that sends its body a byte at a
/// time cannot hold a handler. Reads carry no body and get no timer: a timer per request cost
/// about a quarter of the throughput of cached reads (bench/README.md).
pub fn body_timeout(settings: &crate::config::Settings) -> tower_http::timeout::TimeoutLayer {
    tower_http::timeout::TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        std::time::Duration::from_secs(settings.request_timeout_secs.max(1)),
    )
}

/// JSON errors for unknown routes and methods, so clients never get an empty 404.
pub async fn not_found() -> ApiError {
    ApiError::NotFound
}

pub async fn json_method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
