//! The real server binary as a child process, a tiny HTTP/1.0 client over
//! `std::net::TcpStream` (one request per connection, no chunked bodies) and a signed-in
//! demo seller. Shared by the tests that start the binary (they include this file alone,
//! like `multiply.rs`).
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crossdock_server::DbTarget;
use serde_json::{Value, json};

use super::testdb;

pub const SERVER: &str = env!("CARGO_BIN_EXE_crossdock-server");
pub const NETWORK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/network.json");
pub const START_TIMEOUT: Duration = Duration::from_secs(120);

/// The binary with none of the environment variables it reads, so a developer's
/// `DATABASE_URL` or `PORT` cannot leak into a test.
pub fn command() -> Command {
    let mut command = Command::new(SERVER);
    for key in [
        "PORT",
        "CROSSDOCK_ADDR",
        "CROSSDOCK_NETWORK",
        "CROSSDOCK_PRICING",
        "CROSSDOCK_DB",
        "DATABASE_URL",
    ] {
        command.env_remove(key);
    }
    command
}

/// Runs `crossdock-server ARGS` to the end (a subcommand such as `backup`).
pub fn run(args: &[&str]) -> Output {
    command().args(args).stdin(Stdio::null()).output().unwrap()
}

/// A running server process: its address, and every line it prints on stdout.
pub struct Server {
    pub child: Child,
    pub addr: String,
    lines: mpsc::Receiver<String>,
}

impl Server {
    /// Starts the binary on `db` (a SQLite file, or PostgreSQL through `DATABASE_URL`)
    /// with `dist`, on a free port.
    pub fn start(db: &DbTarget, dist: &Path) -> Server {
        let (args, envs) = testdb::server_args(db);
        let mut child = command()
            .args(["--addr", "127.0.0.1", "--port", "0"])
            .args(args)
            .envs(envs)
            .arg("--dist")
            .arg(dist)
            .args(["--network", NETWORK])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        // Keeps draining the output so the server never blocks on it.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child,
            addr: String::new(),
            lines,
        };
        match server.wait_for_line("Crossdock is running at http://", START_TIMEOUT) {
            Some(line) => {
                let rest = line.trim_start_matches("Crossdock is running at http://");
                server.addr = rest.split('/').next().unwrap_or_default().to_owned();
            }
            None => panic!("the server printed no address"),
        }
        server
    }

    /// The next line starting with `prefix` the server prints within `timeout`.
    pub fn wait_for_line(&self, prefix: &str, timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return Some(line),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }

    /// Sends SIGTERM (what `kill` and service managers send).
    pub fn sigterm(&self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -TERM failed");
    }

    /// Waits up to `timeout` for the process to end; its exit status, or `None`.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// SIGTERM, then the exit status (which must come within 30 s).
    pub fn stop(mut self) -> ExitStatus {
        self.sigterm();
        self.wait_exit(Duration::from_secs(30))
            .expect("the server did not stop within 30 s of SIGTERM")
    }

    /// SIGKILL: no shutdown handler runs.
    pub fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.0 request (the connection closes after the answer): status, head, body.
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<(u16, String, Vec<u8>)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.0\r\nHost: {addr}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    parse_answer(&answer)
}

/// A whole HTTP/1.x answer read to the end: status, head, body.
pub fn parse_answer(answer: &[u8]) -> std::io::Result<(u16, String, Vec<u8>)> {
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no end of head"))?;
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line: {head}")))?;
    Ok((status, head, answer[split + 4..].to_vec()))
}

/// A signed-in demo seller: the cookie and the CSRF token.
pub struct Seller {
    pub cookie: String,
    pub csrf: String,
}

impl Seller {
    /// Signs demo seller `id` in with its documented credentials.
    pub fn sign_in(addr: &str, id: &str) -> Seller {
        let body = json!({"login": format!("{id}@demo.crossdock"), "password": format!("crossdock-demo-{id}")});
        let (status, head, bytes) = http(
            addr,
            "POST",
            "/api/seller/session",
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        )
        .unwrap();
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        let cookie = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("set-cookie").then(|| {
                    value
                        .trim()
                        .split(';')
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                })
            })
            .expect("a session cookie");
        let body: Value = serde_json::from_slice(&bytes).unwrap();
        Seller {
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
        }
    }

    /// Sends a request with the cookie and the CSRF token: status and body.
    pub fn send(
        &self,
        addr: &str,
        method: &str,
        path: &str,
        content_type: &str,
        body: &[u8],
    ) -> std::io::Result<(u16, Vec<u8>)> {
        let headers = [
            ("Cookie", self.cookie.as_str()),
            ("x-csrf-token", self.csrf.as_str()),
            ("Content-Type", content_type),
        ];
        http(addr, method, path, &headers, body).map(|(s, _, b)| (s, b))
    }

    /// [`Seller::send`] with a JSON body when given: status and the parsed answer.
    pub fn json(&self, addr: &str, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let bytes = body.map(|b| b.to_string()).unwrap_or_default();
        let (status, answer) = self
            .send(addr, method, path, "application/json", bytes.as_bytes())
            .unwrap();
        (
            status,
            serde_json::from_slice(&answer).unwrap_or(Value::Null),
        )
    }
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// One SKU the write stream changes: its US price (currency) and one warehouse's stock.
#[derive(Clone, Debug)]
pub struct Target {
    pub id: i64,
    pub currency: String,
    pub warehouse: String,
}

/// Up to `n` listings of `seller` a write can set a plain US price and a stock count on:
/// sold in the US, not fully managed (no supply price), no promotion, with a warehouse
/// whose stock the seller sets.
pub fn plain_us_listings(
    rt: &tokio::runtime::Runtime,
    pool: &sqlx::AnyPool,
    seller: &str,
    n: i64,
) -> Vec<Target> {
    let rows: Vec<(i64, String, String)> = rt
        .block_on(
            sqlx::query_as(
                "SELECT l.id, p.currency, \
                   (SELECT s.warehouse FROM listing_stock s WHERE s.listing_id = l.id \
                    AND (l.mode <> 'semi_managed' OR s.warehouse = 'us-3pl-ca') ORDER BY s.warehouse LIMIT 1) \
                 FROM listings l JOIN listing_prices p ON p.listing_id = l.id AND p.market = 'US' \
                 WHERE l.seller_id = $1 AND l.mode <> 'fully_managed' \
                   AND (l.mode <> 'semi_managed' OR l.category = 'food') \
                   AND NOT EXISTS (SELECT 1 FROM promotions pr WHERE pr.listing_id = l.id) \
                   AND EXISTS (SELECT 1 FROM listing_stock s WHERE s.listing_id = l.id \
                     AND (l.mode <> 'semi_managed' OR s.warehouse = 'us-3pl-ca')) \
                 ORDER BY l.id LIMIT $2",
            )
            .bind(seller)
            .bind(n)
            .fetch_all(pool),
        )
        .unwrap();
    rows.into_iter()
        .map(|(id, currency, warehouse)| Target {
            id,
            currency,
            warehouse,
        })
        .collect()
}

/// The seller's CSV export (`GET /api/seller/catalog.csv`), parsed: header and rows.
pub fn export(addr: &str, seller: &Seller) -> (Vec<String>, Vec<Vec<String>>) {
    let (status, bytes) = seller
        .send(addr, "GET", "/api/seller/catalog.csv", "text/csv", b"")
        .unwrap();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    let text = String::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// The export with every stock count moved by `by`, as a CSV file to import, and what it
/// changes: (sku, warehouse) → the new quantity.
pub fn stock_moved_csv(
    header: &[String],
    mut rows: Vec<Vec<String>>,
    by: i64,
) -> (Vec<u8>, std::collections::HashMap<(String, String), i64>) {
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (sku, warehouse, on_hand) = (col("sku"), col("warehouse"), col("on_hand"));
    let mut changes = std::collections::HashMap::new();
    for row in &mut rows {
        if row[warehouse].is_empty() {
            continue;
        }
        let n: i64 = row[on_hand].parse().unwrap();
        row[on_hand] = (n + by).to_string();
        changes.insert((row[sku].clone(), row[warehouse].clone()), n + by);
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).unwrap();
    for r in &rows {
        w.write_record(r).unwrap();
    }
    (w.into_inner().unwrap(), changes)
}

/// What became of import `import` of `seller_id`, read from the database: its state, and
/// how many of `changes` ((sku, warehouse) → quantity) the stock shows.
pub fn import_outcome(
    rt: &tokio::runtime::Runtime,
    pool: &sqlx::AnyPool,
    import: i64,
    seller_id: &str,
    changes: &std::collections::HashMap<(String, String), i64>,
) -> (String, usize) {
    let stock: Vec<(String, String, i64)> = rt
        .block_on(
            sqlx::query_as(
                "SELECT l.sku, s.warehouse, s.quantity FROM listing_stock s \
                 JOIN listings l ON l.id = s.listing_id WHERE l.seller_id = $1",
            )
            .bind(seller_id)
            .fetch_all(pool),
        )
        .unwrap();
    let there = stock
        .iter()
        .filter(|(s, w, q)| changes.get(&(s.clone(), w.clone())) == Some(q))
        .count();
    let (state,): (String,) = rt
        .block_on(
            sqlx::query_as("SELECT state FROM seller_imports WHERE id = $1")
                .bind(import)
                .fetch_one(pool),
        )
        .unwrap();
    (state, there)
}
