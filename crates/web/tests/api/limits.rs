//! Slow and oversized requests cost bounded time and memory: headers trickled in a byte at a
//! time (slowloris), a body that stalls, a huge request head, and more connections than allowed.

use crate::helpers::TestApp;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn addr(app: &TestApp) -> String {
    app.url.trim_start_matches("http://").to_owned()
}

/// Reads until the server closes the connection (or `limit` passes); returns what it sent.
async fn read_to_close(stream: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(String::from_utf8_lossy(&out).into_owned()),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Err(_) => return None,
        }
    }
}

#[tokio::test]
async fn headers_sent_a_byte_at_a_time_are_cut_off_while_others_are_served() {
    let app = TestApp::with(|s| s.header_read_timeout_secs = 1).await;
    let started = Instant::now();
    let mut slow = Vec::new();
    for _ in 0..20 {
        let mut s = TcpStream::connect(addr(&app)).await.expect("connect");
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            .await
            .expect("write");
        slow.push(s);
    }
    // Trickle one header byte per connection every 200 ms: never a complete head.
    let trickle = tokio::spawn(async move {
        let mut closed = 0;
        for round in 0..40 {
            for s in slow.iter_mut() {
                let _ = s.write_all(&[b'X' + (round % 2)]).await;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        for mut s in slow {
            if read_to_close(&mut s, Duration::from_millis(100))
                .await
                .is_some()
            {
                closed += 1;
            }
        }
        closed
    });
    // Meanwhile a normal client is served.
    let resp = app
        .client
        .get(format!("{}/healthz", app.url))
        .send()
        .await
        .expect("get");
    assert_eq!(resp.status(), 200);
    let closed = trickle.await.expect("trickle");
    assert_eq!(closed, 20, "every slow connection was closed by the server");
    assert!(started.elapsed() < Duration::from_secs(12));
}

#[tokio::test]
async fn a_body_that_stalls_gets_408_in_time() {
    let app = TestApp::with(|s| s.request_timeout_secs = 1).await;
    let mut s = TcpStream::connect(addr(&app)).await.expect("connect");
    s.write_all(
        b"POST /api/v1/comments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"site\": \"news\",",
    )
    .await
    .expect("write");
    let started = Instant::now();
    let reply = read_to_close(&mut s, Duration::from_secs(5)).await;
    let reply = reply.unwrap_or_default();
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
    assert!(started.elapsed() < Duration::from_secs(4));
    // Nothing was stored.
    let page = app.list("site=news&thread=/").await;
    assert_eq!(page["thread"]["count"], 0);
}

#[tokio::test]
async fn a_huge_request_head_is_refused() {
    let app = TestApp::spawn().await;
    let mut s = TcpStream::connect(addr(&app)).await.expect("connect");
    let mut req = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ".to_vec();
    req.extend(std::iter::repeat_n(b'a', 200 * 1024));
    req.extend_from_slice(b"\r\n\r\n");
    let _ = s.write_all(&req).await; // the server may close before it has read it all
    let reply = read_to_close(&mut s, Duration::from_secs(5))
        .await
        .expect("the server answers or closes");
    assert!(
        reply.is_empty() || reply.starts_with("HTTP/1.1 431"),
        "{reply}"
    );
}

#[tokio::test]
async fn connections_beyond_the_limit_are_closed_and_others_come_back() {
    let app = TestApp::with(|s| {
        s.max_connections = 4;
        s.header_read_timeout_secs = 30;
    })
    .await;
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(TcpStream::connect(addr(&app)).await.expect("connect"));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut extra = TcpStream::connect(addr(&app)).await.expect("connect");
    let _ = extra
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let reply = read_to_close(&mut extra, Duration::from_secs(3)).await;
    assert_eq!(reply.as_deref(), Some(""), "closed without an answer");
    drop(idle);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let resp = reqwest::get(format!("{}/healthz", app.url))
        .await
        .expect("get");
    assert_eq!(resp.status(), 200);
}
