//! Logging: tracing to stderr (stdout belongs to the protocol and to reports).
//!
//! The filter comes from `COPYDESK_LOG`, else `RUST_LOG`, else `warn`; a filter that does not
//! parse falls back to `warn` with a note on stderr rather than failing to start.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let spec = std::env::var("COPYDESK_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "warn".to_owned());
    let filter = EnvFilter::try_new(&spec).unwrap_or_else(|err| {
        eprintln!("copydesk: ignoring log filter {spec:?}: {err}");
        EnvFilter::new("warn")
    });
    // A second initialisation (e.g. from a test harness) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
