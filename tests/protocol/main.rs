//! Protocol tests: spawn the real binary and speak framed JSON-RPC to it.
