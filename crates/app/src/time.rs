//! Injected time and randomness: production reads the system, tests fix both.

use std::sync::Mutex;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};
use rand::RngCore;

/// The current instant.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The system's clock.
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one place the system clock is read
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that stands still until moved (tests, demos).
pub struct FixedClock(Mutex<Timestamp>);

impl FixedClock {
    pub fn new(at: Timestamp) -> Self {
        Self(Mutex::new(at))
    }

    pub fn set(&self, at: Timestamp) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The civil date in China (UTC+8 all year) at an instant.
pub fn china_date(at: Timestamp) -> Date {
    TimeZone::fixed(Offset::constant(8)).to_datetime(at).date()
}

/// Unpredictable bytes for tokens.
pub trait Random: Send + Sync {
    fn bytes32(&self) -> [u8; 32];
}

/// The operating system's randomness.
pub struct SystemRandom;

impl Random for SystemRandom {
    fn bytes32(&self) -> [u8; 32] {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        bytes
    }
}
