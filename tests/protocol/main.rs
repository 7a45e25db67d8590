//! Protocol tests: spawn the real binary and speak framed JSON-RPC to it.
//!
//! `client` is the reusable harness; each other module covers one area of issue 2. A failed
//! expectation in the harness is a failed test, so `unwrap`/`expect` are fine here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client;
mod configuration_pull;
mod features_config;
mod features_diagnostics;
mod features_editing;
mod features_hover;
mod features_navigation;
mod features_outline;
mod features_support;
mod features_workspace;
mod lifecycle;
mod robustness;
mod sync;
