//! The accept loop. `axum::serve` sets no timer on hyper, so a client that sends its request
//! headers one byte at a time (slowloris) holds a connection for ever. Here every connection
//! must deliver its headers within `header_read_timeout_secs`, every request must be read and
//! answered within `request_timeout_secs` (a slow body gets 408; event streams are exempt once
//! their headers are sent), headers are capped in size, and at most `max_connections` are open
//! at once (more are closed on accept), so slow or idle clients cost bounded memory and time.

use crate::App;
use crate::config::Settings;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::Service;

/// Largest request head (request line and headers) hyper buffers, in bytes.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

pub async fn serve(
    listener: TcpListener,
    app: App,
    settings: &Settings,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(
            settings.header_read_timeout_secs.max(1),
        ))
        .max_buf_size(MAX_HEAD_BYTES);
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_header_list_size(MAX_HEAD_BYTES as u32);
    let builder = Arc::new(builder);
    let slots = Arc::new(Semaphore::new(settings.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors, say: wait instead of spinning.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            drop(stream); // at the limit: refuse rather than queue
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            // Every layer of `App` is always ready, so `call` needs no `poll_ready` first.
            app.clone().call(req.map(axum::body::Body::new))
        });
        let conn = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(slot);
        });
    }
    // Let requests in flight finish; event streams would never end, so not for long.
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
    Ok(())
}
