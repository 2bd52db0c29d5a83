//! Replays the fuzz corpora and every crash the fuzzers ever found
//! (`fuzz/corpus/<target>/`, `fuzz/regressions/<target>/`) through the same harness the
//! cargo-fuzz target runs ([`crossdock_server::fuzzing`]), so a fixed bug stays fixed on a
//! plain `cargo test`, with no cargo-fuzz or nightly features.
#![allow(clippy::expect_used)]

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use crossdock_server::fuzzing;

/// The inputs of one target: its seed corpus and its regressions, sorted by path.
fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut files = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = fs::read_dir(fuzz.join(dir).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a readable directory entry").path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Runs `harness` on every input of `target`; fails naming each input that panics.
fn replay(target: &str, harness: fn(&[u8])) {
    let files = inputs(target);
    assert!(
        !files.is_empty(),
        "fuzz/corpus/{target}/ has no inputs: the seed corpus is committed"
    );
    let mut panics = Vec::new();
    for path in &files {
        let data = fs::read(path).expect("a readable input");
        if catch_unwind(AssertUnwindSafe(|| harness(&data))).is_err() {
            panics.push(path.display().to_string());
        }
    }
    assert!(panics.is_empty(), "{target} panicked on {panics:#?}");
}

#[test]
fn network_file_inputs_never_panic() {
    replay("network_file", fuzzing::network_file);
}

#[test]
fn the_postal_code_harness_has_the_shipped_network() {
    assert!(fuzzing::default_network().is_some());
}

#[test]
fn postal_code_inputs_never_panic() {
    replay("postal_code", fuzzing::postal_code);
}

#[test]
fn csv_import_inputs_never_panic() {
    replay("csv_import", fuzzing::csv_import);
}

#[test]
fn json_bodies_inputs_never_panic() {
    replay("json_bodies", fuzzing::json_bodies);
}
