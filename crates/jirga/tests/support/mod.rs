//! What the multi-instance tests share: a private PostgreSQL server (its own data folder and
//! port, so it can be stopped and restarted without touching the machine's), `jirga serve`
//! processes, and a reader of Server-Sent Events.
#![allow(dead_code)]

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A PostgreSQL server of our own, from the machine's PostgreSQL binaries.
pub struct PrivatePg {
    pub url: String,
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

fn pg_bin() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL's binaries in /usr/lib/postgresql (Debian's postgresql package)")
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    found.sort();
    found
        .pop()
        .expect("an initdb under /usr/lib/postgresql/*/bin")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Runs a PostgreSQL tool as the `postgres` user when we are root (initdb refuses root).
fn pg_tool(bin: &Path, tool: &str, args: &[&str]) -> std::process::ExitStatus {
    let exe = bin.join(tool);
    let mut cmd = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(&exe);
        c
    } else {
        Command::new(&exe)
    };
    cmd.args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("run {tool}: {e}"))
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

impl PrivatePg {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().expect("tmp");
        if is_root() {
            let ok = Command::new("chown")
                .args(["postgres:", dir.path().to_str().expect("path")])
                .status()
                .expect("chown");
            assert!(ok.success());
        }
        let bin = pg_bin();
        let data = dir.path().join("data");
        let status = pg_tool(
            &bin,
            "initdb",
            &[
                "-D",
                data.to_str().expect("path"),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ],
        );
        assert!(status.success(), "initdb");
        let port = free_port();
        let pg = Self {
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            bin,
            data,
            port,
            _dir: dir,
        };
        pg.up();
        pg
    }

    fn ctl(&self, args: &[&str]) -> std::process::ExitStatus {
        let mut all = vec!["-D", self.data.to_str().expect("path")];
        all.extend_from_slice(args);
        pg_tool(&self.bin, "pg_ctl", &all)
    }

    /// Starts the server and waits until it accepts connections.
    pub fn up(&self) {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.data.to_str().expect("path")
        );
        assert!(
            self.ctl(&["-o", &opts, "-w", "-t", "30", "start"])
                .success(),
            "pg_ctl start"
        );
    }

    /// Stops the server (fast shutdown: open sessions are cut off, as in a restart).
    pub fn down(&self) {
        assert!(
            self.ctl(&["-m", "fast", "-w", "stop"]).success(),
            "pg_ctl stop"
        );
    }
}

impl Drop for PrivatePg {
    fn drop(&mut self) {
        let _ = self.ctl(&["-m", "immediate", "-w", "stop"]);
    }
}

/// A `jirga serve` process; killed when dropped.
pub struct Instance {
    pub url: String,
    child: Child,
    _data: tempfile::TempDir,
}

impl Instance {
    pub fn start(database: &str) -> Self {
        let data = tempfile::tempdir().expect("tmp");
        let mut child = Command::new(env!("CARGO_BIN_EXE_jirga"))
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--database",
                database,
                "--data",
            ])
            .arg(data.path())
            .env("JIRGA_RATE_LIMITS__POSTS_PER_MINUTE", "100000000")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve");
        let mut out = std::io::BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        out.read_line(&mut line).expect("first line");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("the server prints its address, got {line:?}"))
            .to_owned();
        // Keep draining the server's log (TEST_INSTANCE_LOG=1 shows it).
        let show = std::env::var_os("TEST_INSTANCE_LOG").is_some();
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                if show {
                    eprintln!("[instance] {line}");
                }
            }
        });
        Self {
            url,
            child,
            _data: data,
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn add_site(database: &str, id: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_jirga"))
        .args(["site", "add", id, "--name", id, "--database", database])
        .stdout(Stdio::null())
        .status()
        .expect("site add");
    assert!(status.success(), "jirga site add");
}

/// An open event stream.
pub struct Events {
    resp: reqwest::Response,
    buf: String,
}

impl Events {
    pub async fn open(url: &str, site: &str, thread: &str) -> Self {
        let resp = reqwest::Client::new()
            .get(format!("{url}/api/v1/events?site={site}&thread={thread}"))
            .send()
            .await
            .expect("events");
        assert_eq!(resp.status(), reqwest::StatusCode::OK);
        Self {
            resp,
            buf: String::new(),
        }
    }

    /// The next `comment` event's data, or `None` after `wait`.
    pub async fn next(&mut self, wait: Duration) -> Option<serde_json::Value> {
        tokio::time::timeout(wait, async {
            loop {
                if let Some(end) = self.buf.find("\n\n") {
                    let block: String = self.buf.drain(..end + 2).collect();
                    let data: String = block
                        .lines()
                        .filter_map(|l| l.strip_prefix("data:"))
                        .map(str::trim_start)
                        .collect();
                    if block.contains("event: comment") || block.contains("event:comment") {
                        return serde_json::from_str(&data).expect("JSON data");
                    }
                    continue;
                }
                let chunk = self.resp.chunk().await.expect("stream").expect("open");
                self.buf
                    .push_str(std::str::from_utf8(&chunk).expect("utf-8"));
            }
        })
        .await
        .ok()
    }
}
