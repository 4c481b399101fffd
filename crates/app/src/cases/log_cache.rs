//! The logs of the cases this instance changed or loaded last, verified, so the next move on
//! one reads only the events after them (issue 6: the whole log, one row per event with the
//! case's columns, was most of the read every move starts with). A log is append-only and
//! hash-chained: the events up to a seq never change, and what is read after them must chain
//! onto the kept last hash (`verify_from`), whichever instance appended it. Only moves build on
//! a kept log; showing a case, the sweeper and `onewindow audit verify` read it whole and check
//! every hash, so rows altered at rest are still found (and refused) there.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use onewindow_domain::cases::CaseEvent;

/// Logs kept at most: about 8 events of ≈ 1 KB each, so ≈ 16 MB when full.
const CAPACITY: usize = 2_048;

/// Verified logs by case number; the oldest kept is dropped first.
pub(crate) struct LogCache<E = CaseEvent>(Mutex<Kept<E>>);

struct Kept<E> {
    logs: HashMap<String, Arc<Vec<E>>>,
    /// Case numbers in the order they were first kept.
    order: VecDeque<String>,
}

impl<E> Default for LogCache<E> {
    fn default() -> Self {
        LogCache(Mutex::new(Kept {
            logs: HashMap::new(),
            order: VecDeque::new(),
        }))
    }
}

impl<E> LogCache<E> {
    /// The kept log of case `number`, if any.
    pub(crate) fn get(&self, number: &str) -> Option<Arc<Vec<E>>> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .logs
            .get(number)
            .cloned()
    }

    /// Keeps `events`, the whole verified log of case `number`, unless a longer one is kept
    /// (two requests finishing out of order).
    pub(crate) fn put(&self, number: &str, events: Arc<Vec<E>>) {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match kept.logs.get_mut(number) {
            Some(log) if log.len() >= events.len() => {}
            Some(log) => *log = events,
            None => {
                kept.logs.insert(number.to_owned(), events);
                kept.order.push_back(number.to_owned());
                while kept.order.len() > CAPACITY {
                    if let Some(oldest) = kept.order.pop_front() {
                        kept.logs.remove(&oldest);
                    }
                }
            }
        }
    }

    /// Forgets case `number`'s log (the store holds a shorter one than was kept).
    pub(crate) fn forget(&self, number: &str) {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.logs.remove(number).is_some() {
            kept.order.retain(|n| n != number);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log of `n` events (the cache only counts them).
    fn log(n: usize) -> Arc<Vec<u64>> {
        Arc::new((1..=n as u64).collect())
    }

    #[test]
    fn a_longer_log_replaces_a_shorter_one_and_never_the_reverse() {
        let cache = LogCache::<u64>::default();
        cache.put("2026-000001", log(2));
        cache.put("2026-000001", log(3));
        assert_eq!(cache.get("2026-000001").map(|l| l.len()), Some(3));
        cache.put("2026-000001", log(1));
        assert_eq!(cache.get("2026-000001").map(|l| l.len()), Some(3));
        cache.forget("2026-000001");
        assert!(cache.get("2026-000001").is_none());
    }

    #[test]
    fn the_oldest_log_is_dropped_when_full() {
        let cache = LogCache::<u64>::default();
        for i in 0..=CAPACITY {
            cache.put(&format!("2026-{i:06}"), log(1));
        }
        assert!(cache.get("2026-000000").is_none(), "the first kept is gone");
        assert!(cache.get(&format!("2026-{CAPACITY:06}")).is_some());
        assert_eq!(cache.0.lock().unwrap().logs.len(), CAPACITY);
    }
}
