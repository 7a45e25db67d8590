//! Protocol tests: spawn the real binary and speak framed JSON-RPC to it.
//!
//! `client` is the reusable harness; each other module covers one area of issue 2. A failed
//! expectation in the harness is a failed test, so `unwrap`/`expect` are fine here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client;
mod features_config;
mod features_support;
mod lifecycle;
mod robustness;
mod sync;
