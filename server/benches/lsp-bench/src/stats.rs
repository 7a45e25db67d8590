//! Latency summaries: nearest-rank percentiles over milliseconds.

use serde_json::{json, Value};

#[derive(Debug, Clone, Default)]
pub struct Latencies {
    pub ms: Vec<f64>,
    /// Waits that hit the timeout (not included in `ms`).
    pub timeouts: usize,
}

impl Latencies {
    pub fn push(&mut self, ms: f64) {
        self.ms.push(ms);
    }

    /// The nearest-rank `p`-th percentile (p in 0..=100); None when empty.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        if self.ms.is_empty() {
            return None;
        }
        let mut sorted = self.ms.clone();
        sorted.sort_by(f64::total_cmp);
        let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
        sorted.get(rank.min(sorted.len()) - 1).copied()
    }

    pub fn max(&self) -> Option<f64> {
        self.ms.iter().copied().max_by(f64::total_cmp)
    }

    pub fn to_json(&self) -> Value {
        json!({
            "count": self.ms.len(),
            "timeouts": self.timeouts,
            "p50_ms": self.percentile(50.0),
            "p95_ms": self.percentile(95.0),
            "p99_ms": self.percentile(99.0),
            "max_ms": self.max(),
        })
    }
}

/// "1.23" for a figure, "—" for none.
pub fn fmt_ms(v: Option<f64>) -> String {
    match v {
        Some(v) if v >= 100.0 => format!("{v:.0}"),
        Some(v) if v >= 10.0 => format!("{v:.1}"),
        Some(v) => format!("{v:.2}"),
        None => "—".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut l = Latencies::default();
        for i in 1..=100 {
            l.push(f64::from(i));
        }
        assert_eq!(l.percentile(50.0), Some(50.0));
        assert_eq!(l.percentile(99.0), Some(99.0));
        assert_eq!(l.percentile(100.0), Some(100.0));
        assert_eq!(l.max(), Some(100.0));
        assert_eq!(Latencies::default().percentile(50.0), None);
    }
}
