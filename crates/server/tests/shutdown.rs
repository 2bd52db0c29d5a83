//! Graceful shutdown of the real binary: on SIGTERM the server stops taking connections,
//! requests already in flight get their whole answer, and the process exits 0.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "common/process.rs"]
mod process;
#[path = "common/testdb.rs"]
mod testdb;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use process::{Server, parse_answer};

#[test]
fn sigterm_lets_requests_in_flight_finish_and_takes_no_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    let mut server = Server::start(&testdb::fresh(dir.path(), "shutdown.sqlite"), &dist);

    // Requests in flight: each has sent its head and half its body when SIGTERM comes.
    let body = br#"{"market": "US", "zone": "us-ne", "lines": [{"listing_id": 1, "quantity": 1}]}"#;
    let (first, rest) = body.split_at(body.len() / 2);
    let mut open: Vec<TcpStream> = (0..6)
        .map(|_| {
            let mut stream = TcpStream::connect(&server.addr).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(30)))
                .unwrap();
            write!(
                stream,
                "POST /api/quote HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n",
                server.addr,
                body.len()
            )
            .unwrap();
            stream.write_all(first).unwrap();
            stream.flush().unwrap();
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    server.sigterm();
    assert!(
        server
            .wait_for_line("Crossdock is stopping", Duration::from_secs(10))
            .is_some(),
        "the server did not say it was stopping"
    );

    // New connections are refused (the listener is closed) or, at most, never answered.
    std::thread::sleep(Duration::from_millis(300));
    if let Ok(mut late) = TcpStream::connect(&server.addr) {
        late.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        let _ = late.write_all(b"GET /healthz HTTP/1.0\r\n\r\n");
        let mut answer = Vec::new();
        let _ = late.read_to_end(&mut answer);
        assert!(
            !answer.starts_with(b"HTTP/1.1 200"),
            "a connection made after SIGTERM was served"
        );
    }

    // The requests in flight finish and get complete answers.
    for stream in &mut open {
        stream.write_all(rest).unwrap();
        stream.flush().unwrap();
    }
    for mut stream in open {
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        let (status, _, body) = parse_answer(&answer).unwrap();
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        let quote: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(
            quote["lines"][0]["line_total"]["minor"].as_i64().unwrap() > 0,
            "{quote}"
        );
    }
    let status = server
        .wait_exit(Duration::from_secs(15))
        .expect("the server did not exit after its requests finished");
    assert!(status.success(), "{status:?}");
}
