//! The clock panel: what a case's legal clock says, in the reader's language (used, remaining and
//! paused working days, the due dates with their "provisional" mark, the colour of the case and
//! of its step, the open pause, and the explanation line by line). One component for the case
//! page, the applicant's view and the workbench.

use onewindow_domain::clock::{ClockSnapshot, ClockStatus, Names};

pub struct ClockPanel {
    pub used: i64,
    pub remaining: i64,
    pub paused: i64,
    pub statutory_days: u32,
    pub extension_days: u64,
    pub statutory_due: String,
    pub provisional: bool,
    pub promised_due: Option<String>,
    /// `green`, `yellow`, `red`, `overdue`, `paused`, `stopped`.
    pub colour: &'static str,
    pub step: Option<(String, String, &'static str)>,
    pub pause: Option<String>,
    pub lines: Vec<(String, String)>,
}

pub fn colour(status: ClockStatus) -> &'static str {
    match status {
        ClockStatus::Green => "green",
        ClockStatus::Yellow => "yellow",
        ClockStatus::Red => "red",
        ClockStatus::Overdue => "overdue",
        ClockStatus::FinishedOnTime | ClockStatus::FinishedLate => "stopped",
    }
}

impl ClockPanel {
    /// The panel of `clock`, naming steps and orgs by `names`.
    pub fn of(clock: &ClockSnapshot, names: &dyn Names, en: bool) -> ClockPanel {
        let colour = if clock.stopped.is_some() {
            "stopped"
        } else if clock.is_paused {
            "paused"
        } else {
            colour(clock.status)
        };
        ClockPanel {
            used: clock.used_days,
            remaining: clock.remaining_days,
            paused: clock.paused_days,
            statutory_days: clock.statutory_days,
            extension_days: clock.extension_days,
            statutory_due: clock.statutory_due.date.to_string(),
            provisional: clock.statutory_due.provisional,
            promised_due: clock.promised_due.map(|d| d.date.to_string()),
            colour,
            step: clock.step.as_ref().map(|s| {
                (
                    names.step_or_id(&s.step).pick(en).to_owned(),
                    s.due.date.to_string(),
                    self::colour(s.status),
                )
            }),
            pause: clock.open_pause.as_ref().map(|p| {
                let days = p
                    .expected_days
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "?".into());
                let by = names.org_or_text(&p.by);
                let by = by.pick(en);
                if en {
                    format!(
                        "{} by {} since {}, expected {days} working days",
                        p.reason.en(),
                        by,
                        p.since
                    )
                } else {
                    format!(
                        "{}（{}）自 {} 起，预计 {days} 个工作日",
                        p.reason.zh(),
                        by,
                        p.since
                    )
                }
            }),
            lines: clock
                .explanation
                .iter()
                .map(|l| {
                    (
                        l.date.to_string(),
                        if en { l.en.clone() } else { l.zh.clone() },
                    )
                })
                .collect(),
        }
    }
}
