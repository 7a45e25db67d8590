//! Robustness suite (issue 8): the real `copydesk serve` binary under hostile and heavy input.
//!
//! Every scenario ends by checking, through `copydesk/documentText`, that the server's copy of
//! each document equals the client's. Uses the protocol tests' client (tests/protocol/client.rs)
//! and the document generator (copydesk-docgen). A failed expectation is a failed test, so
//! `unwrap`/`expect` are fine here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../protocol/client.rs"]
mod client;

mod hostile_frames;
mod lifecycle;
mod load;
mod odd_uris;
mod random_edits;
mod security;
mod support;
