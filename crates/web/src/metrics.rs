//! Metrics in Prometheus's text format, for `GET /metrics`: requests by route, method and
//! status with a latency histogram per route, comments by the decision they got when posted,
//! moderation time, and (read when scraped) the held queue, the database pools and the live
//! readers. Kept in this process's memory, a few counters under short locks; nothing is
//! recorded while `/metrics` is off (the default), so it costs nothing then.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Debug, Clone, Default)]
struct Histogram {
    /// Per bucket (not cumulative), the last for larger values.
    counts: [u64; BUCKETS.len() + 1],
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        let i = BUCKETS
            .iter()
            .position(|&b| seconds <= b)
            .unwrap_or(BUCKETS.len());
        self.counts[i] += 1;
        self.sum += seconds;
        self.count += 1;
    }

    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        let mut running = 0;
        for (i, bound) in BUCKETS.iter().enumerate() {
            running += self.counts[i];
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {running}"
            );
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}",
            self.count
        );
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "{name}_sum{braces} {}", self.sum);
        let _ = writeln!(out, "{name}_count{braces} {}", self.count);
    }
}

/// What one route has answered.
#[derive(Debug, Clone, Default)]
struct Route {
    /// (method, status) -> requests.
    answered: HashMap<(&'static str, u16), u64>,
    latency: Histogram,
}

#[derive(Default)]
pub struct Metrics {
    /// By route (as routed: `/api/v1/comments/{id}`): one short lock per request.
    routes: Mutex<HashMap<String, Route>>,
    /// Comments posted, by the status they got: published, held, rejected.
    decided: [AtomicU64; 3],
    moderation: Mutex<Histogram>,
}

/// What `/metrics` reads from elsewhere when scraped.
pub struct Gauges {
    pub held: u64,
    /// (pool, open connections, idle connections).
    pub pools: Vec<(&'static str, u32, usize)>,
    pub live_readers: usize,
    /// Webhook deliveries waiting to be sent or retried.
    pub outbox: u64,
    /// Mail not yet sent or given up.
    pub mail_outbox: u64,
}

fn method_name(m: &axum::http::Method) -> &'static str {
    match *m {
        axum::http::Method::GET => "GET",
        axum::http::Method::POST => "POST",
        axum::http::Method::PUT => "PUT",
        axum::http::Method::PATCH => "PATCH",
        axum::http::Method::DELETE => "DELETE",
        axum::http::Method::HEAD => "HEAD",
        axum::http::Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// A label value as Prometheus's text format wants it.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

impl Metrics {
    pub fn request(&self, route: &str, method: &axum::http::Method, status: u16, took: Duration) {
        let method = method_name(method);
        let mut routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let r = match routes.get_mut(route) {
            Some(r) => r,
            None => routes.entry(route.to_owned()).or_default(),
        };
        *r.answered.entry((method, status)).or_insert(0) += 1;
        r.latency.observe(took.as_secs_f64());
    }

    pub fn decided(&self, status: jirga_domain::CommentStatus) {
        let i = match status {
            jirga_domain::CommentStatus::Published => 0,
            jirga_domain::CommentStatus::Held => 1,
            _ => 2,
        };
        self.decided[i].fetch_add(1, Ordering::Relaxed);
    }

    pub fn moderated(&self, took: Duration) {
        self.moderation
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .observe(took.as_secs_f64());
    }

    pub fn render(&self, gauges: &Gauges) -> String {
        let mut out = String::new();
        out.push_str("# HELP jirga_http_requests_total HTTP requests answered, by route, method and status.\n");
        out.push_str("# TYPE jirga_http_requests_total counter\n");
        let mut routes: Vec<(String, Route)> = self
            .routes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        routes.sort_by(|a, b| a.0.cmp(&b.0));
        for (route, r) in &routes {
            let mut answered: Vec<_> = r.answered.iter().collect();
            answered.sort();
            for ((method, status), n) in answered {
                let _ = writeln!(
                    out,
                    "jirga_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
        }
        out.push_str(
            "# HELP jirga_http_request_duration_seconds Time to answer a request, by route.\n",
        );
        out.push_str("# TYPE jirga_http_request_duration_seconds histogram\n");
        for (route, r) in &routes {
            let labels = format!("route=\"{}\"", escape(route));
            r.latency
                .render(&mut out, "jirga_http_request_duration_seconds", &labels);
        }
        out.push_str("# HELP jirga_comments_total Comments posted, by the decision they got.\n");
        out.push_str("# TYPE jirga_comments_total counter\n");
        for (i, decision) in ["published", "held", "rejected"].iter().enumerate() {
            let n = self.decided[i].load(Ordering::Relaxed);
            let _ = writeln!(out, "jirga_comments_total{{decision=\"{decision}\"}} {n}");
        }
        out.push_str("# HELP jirga_moderation_seconds Time the models took per comment.\n");
        out.push_str("# TYPE jirga_moderation_seconds histogram\n");
        self.moderation
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .render(&mut out, "jirga_moderation_seconds", "");
        out.push_str("# HELP jirga_queue_held Comments waiting for a moderator, all sites.\n");
        out.push_str("# TYPE jirga_queue_held gauge\n");
        let _ = writeln!(out, "jirga_queue_held {}", gauges.held);
        out.push_str("# HELP jirga_db_connections Database connections, open and idle, by pool.\n");
        out.push_str("# TYPE jirga_db_connections gauge\n");
        for (pool, open, idle) in &gauges.pools {
            let _ = writeln!(
                out,
                "jirga_db_connections{{pool=\"{pool}\",state=\"open\"}} {open}"
            );
            let _ = writeln!(
                out,
                "jirga_db_connections{{pool=\"{pool}\",state=\"idle\"}} {idle}"
            );
        }
        out.push_str(
            "# HELP jirga_live_readers Readers connected to live updates (event streams).\n",
        );
        out.push_str("# TYPE jirga_live_readers gauge\n");
        let _ = writeln!(out, "jirga_live_readers {}", gauges.live_readers);
        out.push_str(
            "# HELP jirga_webhook_outbox Webhook deliveries not yet delivered or given up.\n",
        );
        out.push_str("# TYPE jirga_webhook_outbox gauge\n");
        let _ = writeln!(out, "jirga_webhook_outbox {}", gauges.outbox);
        out.push_str("# HELP jirga_mail_outbox Mail not yet sent or given up.\n");
        out.push_str("# TYPE jirga_mail_outbox gauge\n");
        let _ = writeln!(out, "jirga_mail_outbox {}", gauges.mail_outbox);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative_and_counts_add_up() {
        let m = Metrics::default();
        let get = axum::http::Method::GET;
        m.request("/a", &get, 200, Duration::from_micros(300));
        m.request("/a", &get, 200, Duration::from_millis(3));
        m.request("/a", &get, 404, Duration::from_secs(5));
        let text = m.render(&Gauges {
            held: 2,
            pools: vec![("main", 3, 1)],
            live_readers: 4,
            outbox: 0,
            mail_outbox: 0,
        });
        assert!(
            text.contains(
                "jirga_http_requests_total{route=\"/a\",method=\"GET\",status=\"200\"} 2"
            )
        );
        assert!(
            text.contains(
                "jirga_http_requests_total{route=\"/a\",method=\"GET\",status=\"404\"} 1"
            )
        );
        assert!(
            text.contains(
                "jirga_http_request_duration_seconds_bucket{route=\"/a\",le=\"0.0005\"} 1"
            )
        );
        assert!(
            text.contains(
                "jirga_http_request_duration_seconds_bucket{route=\"/a\",le=\"0.005\"} 2"
            )
        );
        assert!(
            text.contains("jirga_http_request_duration_seconds_bucket{route=\"/a\",le=\"2.5\"} 2")
        );
        assert!(
            text.contains("jirga_http_request_duration_seconds_bucket{route=\"/a\",le=\"+Inf\"} 3")
        );
        assert!(text.contains("jirga_http_request_duration_seconds_count{route=\"/a\"} 3"));
        assert!(text.contains("jirga_queue_held 2"));
        assert!(text.contains("jirga_db_connections{pool=\"main\",state=\"idle\"} 1"));
        assert!(text.contains("jirga_live_readers 4"));
    }
}
