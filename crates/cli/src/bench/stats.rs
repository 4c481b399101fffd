//! What a bench run measured: every answered request's kind, latency and completion time, and
//! the failures by kind and status with one example each; folded into rates, latency
//! percentiles and a per-second series.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};

use super::flow::{Failure, Kind};

#[derive(Debug, Clone, Copy)]
struct Sample {
    kind: Kind,
    /// When the answer came, from the start of the load.
    done_at: Duration,
    latency: Duration,
}

/// Failures of one kind with one status.
#[derive(Debug, Clone)]
pub struct Failures {
    pub count: u64,
    pub example: String,
}

/// What workers record; merged at the end.
#[derive(Debug, Default)]
pub struct Recorder {
    samples: Vec<Sample>,
    failures: BTreeMap<(Kind, String), Failures>,
}

impl Recorder {
    pub fn answered(&mut self, kind: Kind, done_at: Duration, latency: Duration) {
        self.samples.push(Sample {
            kind,
            done_at,
            latency,
        });
    }

    pub fn failed(&mut self, kind: Kind, failure: Failure) {
        let entry = self
            .failures
            .entry((kind, failure.what))
            .or_insert_with(|| Failures {
                count: 0,
                example: failure.detail,
            });
        entry.count += 1;
    }

    pub fn merge(&mut self, other: Recorder) {
        self.samples.extend(other.samples);
        for (key, f) in other.failures {
            let entry = self.failures.entry(key).or_insert(Failures {
                count: 0,
                example: f.example,
            });
            entry.count += f.count;
        }
    }

    /// Folds the samples of a load that ran for `wall`.
    pub fn summarise(&self, wall: Duration) -> Summary {
        let mut by_kind: BTreeMap<Kind, Vec<Duration>> = BTreeMap::new();
        let mut transitions = Vec::new();
        let seconds = wall.as_secs() as usize + 1;
        let mut per_second = vec![0u64; seconds];
        for s in &self.samples {
            by_kind.entry(s.kind).or_default().push(s.latency);
            if s.kind.is_transition() {
                transitions.push(s.latency);
                let at = (s.done_at.as_secs() as usize).min(seconds - 1);
                per_second[at] += 1;
            }
        }
        let failed = |kind: Kind| -> u64 {
            self.failures
                .iter()
                .filter(|((k, _), _)| *k == kind)
                .map(|(_, f)| f.count)
                .sum()
        };
        let kinds = Kind::ALL
            .iter()
            .filter_map(|&kind| {
                let latencies = by_kind.remove(&kind).unwrap_or_default();
                let errors = failed(kind);
                (!latencies.is_empty() || errors > 0)
                    .then(|| (kind, Latencies::of(latencies, errors, wall)))
            })
            .collect();
        let count = transitions.len() as u64;
        Summary {
            transitions: Latencies::of(transitions, 0, wall),
            per_second: per_second.clone(),
            sustained: sustained(&per_second, count, wall),
            kinds,
            failures: self.failures.clone(),
        }
    }
}

/// A group of requests: how many, how fast, how slow.
#[derive(Debug, Clone)]
pub struct Latencies {
    pub count: u64,
    pub errors: u64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Latencies {
    fn of(mut latencies: Vec<Duration>, errors: u64, wall: Duration) -> Self {
        latencies.sort_unstable();
        let at = |q: f64| -> f64 {
            if latencies.is_empty() {
                return 0.0;
            }
            let rank = ((q * latencies.len() as f64).ceil() as usize).clamp(1, latencies.len());
            latencies[rank - 1].as_secs_f64() * 1000.0
        };
        Latencies {
            count: latencies.len() as u64,
            errors,
            per_second: latencies.len() as f64 / wall.as_secs_f64().max(1e-9),
            p50_ms: at(0.50),
            p95_ms: at(0.95),
            p99_ms: at(0.99),
            max_ms: at(1.0),
        }
    }

    pub fn json(&self) -> Value {
        json!({
            "count": self.count,
            "errors": self.errors,
            "per_second": round1(self.per_second),
            "p50_ms": round2(self.p50_ms),
            "p95_ms": round2(self.p95_ms),
            "p99_ms": round2(self.p99_ms),
            "max_ms": round2(self.max_ms),
        })
    }
}

/// The load's figures.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Every acknowledged transition (reads excluded).
    pub transitions: Latencies,
    /// Transitions acknowledged in each second of the load.
    pub per_second: Vec<u64>,
    /// The median of the full seconds between the first and the last (ramp-up and drain
    /// excluded); the overall rate when the load was shorter than three seconds.
    pub sustained: f64,
    pub kinds: Vec<(Kind, Latencies)>,
    pub failures: BTreeMap<(Kind, String), Failures>,
}

fn sustained(per_second: &[u64], count: u64, wall: Duration) -> f64 {
    if per_second.len() < 4 {
        return count as f64 / wall.as_secs_f64().max(1e-9);
    }
    let mut middle: Vec<u64> = per_second[1..per_second.len() - 2].to_vec();
    if middle.is_empty() {
        return count as f64 / wall.as_secs_f64().max(1e-9);
    }
    middle.sort_unstable();
    middle[middle.len() / 2] as f64
}

pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank_and_the_sustained_rate_skips_ramp_up_and_drain() {
        let mut r = Recorder::default();
        for i in 1..=100u64 {
            r.answered(
                Kind::Accept,
                Duration::from_millis(i * 50),
                Duration::from_millis(i),
            );
        }
        r.answered(
            Kind::Read,
            Duration::from_millis(10),
            Duration::from_millis(500),
        );
        let s = r.summarise(Duration::from_secs(5));
        assert_eq!(s.transitions.count, 100, "reads are not transitions");
        assert_eq!(s.transitions.p50_ms, 50.0);
        assert_eq!(s.transitions.p99_ms, 99.0);
        assert_eq!(s.transitions.max_ms, 100.0);
        assert_eq!(s.per_second, [19, 20, 20, 20, 20, 1]);
        assert_eq!(s.sustained, 20.0);
        assert_eq!(s.kinds.len(), 2);
    }
}
