//! Test vectors: request → response pairs recorded in a JSON file, replayed by the native
//! tests and by the wasm tests in headless Chromium. The file also records a SHA-256 over
//! the serialised responses, so both platforms prove they produce the same bytes.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::engine::{Quote, QuoteRequest, quote};
use crate::network::Network;

/// A recorded response: the quote, or the error's message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VectorResponse {
    Quote(Box<Quote>),
    Error(String),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VectorCase {
    pub name: String,
    pub request: QuoteRequest,
    pub response: serde_json::Value,
}

/// The vectors file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VectorFile {
    /// Content hash of the network the vectors were recorded against.
    pub network_hash: String,
    /// SHA-256 over every response serialised with `serde_json::to_string`, one per line.
    pub digest: String,
    pub cases: Vec<VectorCase>,
}

/// What a replay found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VectorReport {
    pub cases: usize,
    /// Names of cases whose response differs from the recording.
    pub mismatches: Vec<String>,
    pub digest: String,
    pub expected_digest: String,
}

fn respond(net: &Network, req: &QuoteRequest) -> VectorResponse {
    match quote(net, req) {
        Ok(q) => VectorResponse::Quote(Box::new(q)),
        Err(e) => VectorResponse::Error(e.to_string()),
    }
}

fn serialise(r: &VectorResponse) -> String {
    serde_json::to_string(r).unwrap_or_default()
}

impl VectorFile {
    /// Records the engine's responses to `cases`.
    pub fn generate(net: &Network, cases: Vec<(String, QuoteRequest)>) -> VectorFile {
        let mut hasher = Sha256::new();
        let cases = cases
            .into_iter()
            .map(|(name, request)| {
                let r = respond(net, &request);
                hasher.update(serialise(&r).as_bytes());
                hasher.update(b"\n");
                VectorCase {
                    name,
                    request,
                    response: serde_json::to_value(&r).unwrap_or_default(),
                }
            })
            .collect();
        VectorFile {
            network_hash: net.content_hash().to_string(),
            digest: hex(&hasher.finalize()),
            cases,
        }
    }
}

/// Replays a vectors file against `net`.
pub fn run_vectors(net: &Network, text: &str) -> Result<VectorReport, String> {
    let file: VectorFile = serde_json::from_str(text).map_err(|e| format!("vectors file: {e}"))?;
    let mut hasher = Sha256::new();
    let mut mismatches = Vec::new();
    for c in &file.cases {
        let r = respond(net, &c.request);
        let s = serialise(&r);
        hasher.update(s.as_bytes());
        hasher.update(b"\n");
        if serde_json::to_value(&r).ok().as_ref() != Some(&c.response) {
            mismatches.push(c.name.clone());
        }
    }
    Ok(VectorReport {
        cases: file.cases.len(),
        mismatches,
        digest: hex(&hasher.finalize()),
        expected_digest: file.digest,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
