//! onewindow's rules, with no I/O: the catalogue (orgs, powers, service items, fees), the
//! working-day calendar and the legal clock, validated identifiers. Everything here is pure and
//! deterministic: time comes in as arguments, never from the system clock.

pub mod access;
pub mod calendar;
pub mod cases;
pub mod catalogue;
pub mod clock;
pub mod dates;
pub mod flow;
pub mod identifiers;
pub mod licences;
pub mod materials;
pub mod process;
