//! Starting the server: messages a person reads when the network file or the port is
//! wrong, the database, and the real binary starting and stopping on SIGTERM.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use common::NETWORK;
use crossdock_core::network::{NetworkError, Problem};
use crossdock_server::{StartError, load_network, open_db, record_network_load};

const BIN: &str = env!("CARGO_BIN_EXE_crossdock-server");

#[test]
fn a_network_file_that_is_not_json_names_the_file_and_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("network.json");
    std::fs::write(&path, "{\n  \"version\": \"x\",\n  oops\n}\n").unwrap();
    let message = load_network(&path).unwrap_err().to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("line 3"), "{message}");
}

#[test]
fn a_missing_network_file_says_how_to_point_at_another() {
    let message = load_network(Path::new("/nonexistent/network.json"))
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("cannot read the network file /nonexistent/network.json"),
        "{message}"
    );
    assert!(message.contains("--network PATH"), "{message}");
}

#[test]
fn an_invalid_network_lists_every_problem_on_its_own_line() {
    let error = StartError::NetworkInvalid {
        path: "data/network.json".into(),
        error: NetworkError::Invalid(vec![
            Problem {
                path: "lanes[12].to".into(),
                message: "unknown warehouse \"us-east-9\"".into(),
            },
            Problem {
                path: "markets[0].currency".into(),
                message: "unknown currency \"XXX\"".into(),
            },
        ]),
    };
    let message = error.to_string();
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(
        lines[0],
        "the network file data/network.json cannot be used:"
    );
    assert!(
        lines.contains(&"    lanes[12].to: unknown warehouse \"us-east-9\""),
        "{message}"
    );
    assert!(
        lines.contains(&"    markets[0].currency: unknown currency \"XXX\""),
        "{message}"
    );
}

#[test]
fn the_port_message_says_what_to_do() {
    let error = StartError::PortInUse {
        addr: "127.0.0.1".parse().unwrap(),
        port: 8080,
    };
    assert_eq!(
        error.to_string(),
        "port 8080 on 127.0.0.1 is already in use — stop the other process or choose another: make run PORT=8081"
    );
}

#[tokio::test]
async fn the_database_is_created_in_wal_mode_and_records_each_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/crossdock.sqlite");
    let network = load_network(Path::new(NETWORK)).unwrap();
    for _ in 0..2 {
        let pool = open_db(&path).await.unwrap();
        record_network_load(&pool, &network).await.unwrap();
        pool.close().await;
    }
    let pool = open_db(&path).await.unwrap();
    let mode: (String,) = sqlx::query_as("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(mode.0, "wal");
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT version, content_hash FROM network_loads ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    let expected = (
        network.version().to_owned(),
        network.content_hash().to_owned(),
    );
    assert_eq!(rows, vec![expected.clone(), expected]);
}

/// Runs the binary in a temporary folder with the given extra arguments.
fn server(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .current_dir(dir)
        .env_remove("PORT")
        .env_remove("CROSSDOCK_ADDR")
        .env_remove("CROSSDOCK_NETWORK")
        .env_remove("CROSSDOCK_DB")
        .env_remove("DATABASE_URL")
        .args(["--db", "var/test.sqlite", "--dist", "dist"])
        .args(args);
    command
}

#[test]
fn the_binary_exits_1_with_the_problems_not_a_panic_on_a_bad_network() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.json"), "[1, 2").unwrap();
    let output = server(dir.path(), &["--network", "bad.json", "--port", "0"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("crossdock-server: error: the network file bad.json cannot be used:"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_binary_exits_1_with_one_line_when_the_port_is_taken() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let output = server(
        dir.path(),
        &["--network", NETWORK, "--port", &port.to_string()],
    )
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        format!(
            "crossdock-server: error: port {port} on 127.0.0.1 is already in use — stop the other process or choose another: make run PORT={}",
            port + 1
        )
    );
}

#[test]
fn the_binary_rejects_a_bad_command_line_with_usage() {
    let dir = tempfile::tempdir().unwrap();
    let output = server(dir.path(), &["--port", "eighty"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is not a port number"), "{stderr}");
    assert!(stderr.contains("usage: crossdock-server"), "{stderr}");
}

#[test]
fn the_binary_serves_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = server(dir.path(), &["--network", NETWORK, "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let address = line
        .strip_prefix("Crossdock is running at http://")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| {
            let _ = child.kill();
            panic!("unexpected first line: {line:?}")
        })
        .to_owned();

    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    stream
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    assert!(response.contains("\"status\":\"ok\""), "{response}");
    // The database and its folder were created on first start.
    assert!(dir.path().join("var/test.sqlite").is_file());

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert!(status.success(), "{status:?}");
    assert!(rest.contains("Crossdock stopped."), "{rest}");
}
