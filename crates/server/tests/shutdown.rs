//! Graceful shutdown of the real binary: on SIGTERM the server stops taking connections,
//! requests already in flight get their whole answer, and the process exits 0.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "common/multiply.rs"]
mod multiply;
#[path = "common/process.rs"]
mod process;
#[path = "common/testdb.rs"]
mod testdb;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use process::{Seller, Server, export, import_outcome, parse_answer, runtime, stock_moved_csv};

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

/// A CSV import running when SIGTERM comes is let finish: after the restart it reads
/// applied with every change there, instead of being cut off and reported failed.
#[test]
fn sigterm_lets_a_running_import_finish() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    let target = testdb::fresh(dir.path(), "shutdown-import.sqlite");
    let rt = runtime();
    let seller_id = "voltaic";

    // Enough rows that the import is still checking when SIGTERM comes.
    let server = Server::start(&target, &dist);
    let who = Seller::sign_in(&server.addr, seller_id);
    let base = export(&server.addr, &who).1.len();
    server.kill9();
    let pool = rt
        .block_on(crossdock_server::open(&target))
        .unwrap_or_else(|e| panic!("{e}"));
    rt.block_on(multiply::multiply_listings(
        &pool,
        seller_id,
        i64::try_from(4_000 / base).unwrap(),
    ));
    rt.block_on(pool.close());

    let mut server = Server::start(&target, &dist);
    let who = Seller::sign_in(&server.addr, seller_id);
    let (header, rows) = export(&server.addr, &who);
    let (file, changes) = stock_moved_csv(&header, rows, 2);
    let (status, bytes) = who
        .send(
            &server.addr,
            "POST",
            "/api/seller/imports?file_name=shutdown.csv",
            "text/csv",
            &file,
        )
        .unwrap();
    assert_eq!(status, 202, "{}", String::from_utf8_lossy(&bytes));
    let import = serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["id"]
        .as_i64()
        .unwrap();
    server.sigterm();
    // The import is still checking: the server says it waits for it.
    assert!(
        server
            .wait_for_line("Waiting for 1 CSV import", Duration::from_secs(15))
            .is_some(),
        "the server did not wait for the running import"
    );
    let status = server
        .wait_exit(Duration::from_secs(90))
        .expect("the server did not exit after its import finished");
    assert!(status.success(), "{status:?}");

    let pool = rt
        .block_on(crossdock_server::open(&target))
        .unwrap_or_else(|e| panic!("{e}"));
    let (state, there) = import_outcome(&rt, &pool, import, seller_id, &changes);
    rt.block_on(pool.close());
    assert_eq!(state, "applied");
    assert_eq!(there, changes.len(), "changes there after the restart");
}
