//! The rules that fire by themselves, as pure functions of dates: deemed acceptance
//! (Administrative Licensing Law art. 32) and deemed renewal (art. 50). The caller — the deadline
//! sweeper — records the event each produces; nothing here reads a clock or a store.

use jiff::civil::Date;

use crate::calendar::{Calendar, CalendarError, WorkingDate};

/// Art. 32: the organ tells the applicant within 5 days what to supplement; working days
/// (art. 82), the day of receipt not counted (RULES.md §1, Counting).
pub const ACCEPTANCE_NOTICE_DAYS: u32 = 5;

/// The last day on which the organ can still accept, refuse or ask for supplements: the 5th
/// working day after receipt (art. 32).
pub fn acceptance_deadline(
    received_on: Date,
    calendar: &Calendar,
) -> Result<WorkingDate, CalendarError> {
    calendar.add_working_days(received_on, ACCEPTANCE_NOTICE_DAYS)
}

/// Art. 32: "逾期不告知的，自收到申请材料之日起即为受理" — with no acceptance decision or
/// supplement notice by the end of the 5th working day after receipt, the application is
/// accepted as of the day of receipt.
///
/// Call it only for an application still without such a decision. Returns the day the rule
/// fires — the day after the 5th working day — once `today` has reached it, else `None`. The
/// case is then accepted *on `received_on`*: record `Started { accepted_on: received_on }`.
/// A deadline in a year without a known schedule fires on the weekday count (the caller can
/// check [`acceptance_deadline`]'s `provisional`); a receipt date near 9999-12-31 never fires.
pub fn deemed_acceptance(received_on: Date, calendar: &Calendar, today: Date) -> Option<Date> {
    let deadline = acceptance_deadline(received_on, calendar).ok()?;
    let fires_on = deadline.date.tomorrow().ok()?;
    (today >= fires_on).then_some(fires_on)
}

/// Art. 50 ¶2: the organ decides on a renewal before the licence expires; "逾期未作决定的，
/// 视为准予延续" — without a decision by then, the renewal is granted.
///
/// `expires_on` is the last day of validity, so the rule holds from the day after it. Call it
/// only for a renewal applied for in time (art. 50 ¶1, see [`renewal_applied_in_time`]).
pub fn deemed_renewal(expires_on: Date, decided: bool, today: Date) -> bool {
    !decided && today > expires_on
}

/// Art. 50 ¶1: a renewal is applied for at least 30 days before expiry unless a law, regulation
/// or rule says otherwise; `lead_days` is that per-item setting, in calendar days (an
/// applicant-side limit, RULES.md §1).
pub fn renewal_applied_in_time(applied_on: Date, expires_on: Date, lead_days: u32) -> bool {
    let lead = jiff::Span::new().days(i64::from(lead_days));
    expires_on
        .checked_sub(lead)
        .is_ok_and(|latest| applied_on <= latest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_applied_thirty_days_ahead_is_in_time() {
        let expires = Date::constant(2026, 6, 30);
        assert!(renewal_applied_in_time(
            Date::constant(2026, 5, 31),
            expires,
            30
        ));
        assert!(!renewal_applied_in_time(
            Date::constant(2026, 6, 1),
            expires,
            30
        ));
    }
}
