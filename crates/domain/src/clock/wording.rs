//! Bilingual wording shared by the clock's explanation: dates ("3月4日" / "4 Mar"), date
//! ranges, day counts and who carries out a paused step. Owns formatting only.

use jiff::civil::Date;

use super::event::PauseReason;
use super::names::Name;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Writes dates without their year when it is `year` (the acceptance year of the case).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dates {
    pub year: i16,
}

impl Dates {
    /// Dates that always carry their year.
    pub fn with_years() -> Dates {
        Dates { year: i16::MIN }
    }

    /// "3月4日", with "2027年" in front when the year differs.
    pub fn zh(self, date: Date) -> String {
        if date.year() == self.year {
            format!("{}月{}日", date.month(), date.day())
        } else {
            format!("{}年{}月{}日", date.year(), date.month(), date.day())
        }
    }

    /// "4 Mar", with the year after it when the year differs.
    pub fn en(self, date: Date) -> String {
        let month = usize::try_from(date.month() - 1)
            .ok()
            .and_then(|m| MONTHS.get(m))
            .unwrap_or(&"");
        if date.year() == self.year {
            format!("{} {month}", date.day())
        } else {
            format!("{} {month} {}", date.day(), date.year())
        }
    }

    /// "3月10日至3月20日".
    pub fn zh_range(self, from: Date, to: Date) -> String {
        format!("{}至{}", self.zh(from), self.zh(to))
    }

    /// "10–20 Mar", or "28 Feb – 5 Mar" across months.
    pub fn en_range(self, from: Date, to: Date) -> String {
        if from.year() == to.year() && from.month() == to.month() {
            format!("{}–{}", from.day(), self.en(to))
        } else {
            format!("{} – {}", self.en(from), self.en(to))
        }
    }
}

/// "大连市质检院检验" / "testing at 大连市质检院".
pub(crate) fn who(by: &Name, reason: &PauseReason) -> (String, String) {
    let (by_zh, by_en) = (by.zh.trim(), by.en.trim());
    if by_zh.is_empty() {
        (reason.zh().to_string(), reason.en().to_string())
    } else {
        (
            format!("{by_zh}{}", reason.zh()),
            format!("{} at {by_en}", reason.en()),
        )
    }
}

/// "1 working day" / "8 working days".
pub(crate) fn days_en(days: impl Into<i64>) -> String {
    match days.into() {
        1 => "1 working day".to_string(),
        days => format!("{days} working days"),
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn dates_carry_their_year_only_when_it_differs() {
        let dates = Dates { year: 2026 };
        assert_eq!(dates.zh(date(2026, 3, 4)), "3月4日");
        assert_eq!(dates.zh(date(2027, 1, 8)), "2027年1月8日");
        assert_eq!(dates.en(date(2027, 1, 8)), "8 Jan 2027");
        assert_eq!(
            dates.en_range(date(2026, 3, 10), date(2026, 3, 20)),
            "10–20 Mar"
        );
        assert_eq!(
            dates.en_range(date(2026, 2, 28), date(2026, 3, 5)),
            "28 Feb – 5 Mar"
        );
        assert_eq!(Dates::with_years().en(date(2026, 11, 30)), "30 Nov 2026");
    }
}
