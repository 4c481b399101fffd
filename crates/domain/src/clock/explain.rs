//! The plain-language explanation of a clock, line by line in Chinese and English, as the case
//! page and the applicant's timeline show it ("3 Mar accepted — the clock starts 4 Mar").
//! Owns the sentences only; every figure comes from the snapshot and the counters.

use jiff::civil::Date;
use serde::Serialize;

use super::count::{Span, paused_between};
use super::event::ClockEvent;
use super::limits::TimeLimits;
use super::names::{Names, approver};
use super::snapshot::{ClockSnapshot, StepClock};
use super::state::{ClockError, ClockState, Pause};
use super::wording::{Dates, days_en, who};
use crate::calendar::Calendar;

/// One line of a clock's explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExplanationLine {
    pub date: Date,
    pub zh: String,
    pub en: String,
}

/// Dates are written without their year when it is the acceptance year.
struct Writer<'a> {
    dates: Dates,
    calendar: &'a Calendar,
    names: &'a dyn Names,
    accepted_on: Date,
    lines: Vec<ExplanationLine>,
}

pub(crate) fn explain(
    state: &ClockState,
    snapshot: &ClockSnapshot,
    limits: &TimeLimits,
    calendar: &Calendar,
    spans: &[Span],
    names: &dyn Names,
) -> Result<Vec<ExplanationLine>, ClockError> {
    let accepted_on = state.accepted_on();
    let mut writer = Writer {
        dates: Dates {
            year: accepted_on.year(),
        },
        calendar,
        names,
        accepted_on,
        lines: Vec::new(),
    };
    writer.started(limits)?;
    let (mut pauses, mut extension_days) = (state.pauses().iter().zip(spans), 0u64);
    for event in state.events() {
        match event {
            ClockEvent::Paused { .. } => {
                if let Some((pause, span)) = pauses.next() {
                    writer.pause(pause, span, snapshot)?;
                }
            }
            ClockEvent::Extended {
                on,
                days,
                approver,
                reason,
            } => {
                let limit = u64::from(limits.statutory_days) + extension_days;
                let due = state.due(calendar, spans, accepted_on, limit)?;
                let late = *on > due.date;
                extension_days += u64::from(*days);
                writer.extension(*on, *days, approver, reason, late);
            }
            ClockEvent::StepEntered {
                on,
                step,
                budget_days,
            } => writer.step_entered(*on, step, *budget_days),
            ClockEvent::Stopped { .. } => writer.stopped(snapshot),
            ClockEvent::Started { .. } | ClockEvent::Resumed { .. } => {}
        }
    }
    if snapshot.stopped.is_none() {
        writer.summary(snapshot);
    }
    writer.provisional(snapshot);
    Ok(writer.lines)
}

impl Writer<'_> {
    fn push(&mut self, date: Date, zh: String, en: String) {
        self.lines.push(ExplanationLine { date, zh, en });
    }

    fn started(&mut self, limits: &TimeLimits) -> Result<(), ClockError> {
        let on = self.accepted_on;
        let starts = self.calendar.add_working_days(on, 1)?.date;
        let (zh, en) = (
            format!("{} 受理——时限自{}起算", self.zh(on), self.zh(starts)),
            format!(
                "{} accepted — the clock starts {}",
                self.en(on),
                self.en(starts)
            ),
        );
        self.push(on, zh, en);
        let statutory = limits.statutory_days;
        let (mut zh, mut en) = (
            format!("法定时限{statutory}个工作日"),
            format!("statutory limit {}", days_en(statutory)),
        );
        if let Some(promised) = limits.promised_days {
            zh.push_str(&format!("，承诺时限{promised}个工作日"));
            en.push_str(&format!(", promised {}", days_en(promised)));
        }
        self.push(on, zh, en);
        Ok(())
    }

    fn pause(
        &mut self,
        pause: &Pause,
        span: &Span,
        snapshot: &ClockSnapshot,
    ) -> Result<(), ClockError> {
        let until = snapshot.as_of.min(span.last);
        let single = std::slice::from_ref(span);
        let paused = paused_between(self.calendar, single, self.accepted_on, until)?.days;
        let (who_zh, who_en) = who(&self.names.org_or_text(&pause.by), &pause.reason);
        let not_counted_zh = format!("{paused}个工作日不计入时限");
        let not_counted_en = format!("{} not counted", days_en(paused));
        let d = self.dates;
        let (zh, en) = match (pause.resumed_on, snapshot.stopped) {
            (Some(resumed), _) => (
                format!(
                    "{} {who_zh}：{not_counted_zh}",
                    d.zh_range(pause.on, resumed)
                ),
                format!(
                    "{} {who_en}: {not_counted_en}",
                    d.en_range(pause.on, resumed)
                ),
            ),
            (None, Some((stopped_on, _))) => (
                format!(
                    "{}起 {who_zh}，至{}办结时尚未结束：{not_counted_zh}",
                    d.zh(pause.on),
                    d.zh(stopped_on)
                ),
                format!(
                    "from {} {who_en}, still running when the case ended on {}: {not_counted_en}",
                    d.en(pause.on),
                    d.en(stopped_on)
                ),
            ),
            (None, None) => open_pause_line(d, pause, &who_zh, &who_en, paused),
        };
        self.push(pause.on, zh, en);
        Ok(())
    }

    fn step_entered(&mut self, on: Date, step: &str, budget_days: u32) {
        let step = self.names.step_or_id(step);
        let zh = format!(
            "{} 进入“{}”环节，预算{budget_days}个工作日",
            self.zh(on),
            step.zh
        );
        let en = format!(
            "{} step “{}” began: budget {}",
            self.en(on),
            step.en,
            days_en(budget_days)
        );
        self.push(on, zh, en);
    }

    fn extension(&mut self, on: Date, days: u32, by: &str, reason: &str, late: bool) {
        let by = approver(by);
        let mut zh = format!(
            "{} 经{}批准延长{days}个工作日：{reason}",
            self.zh(on),
            by.zh
        );
        let mut en = format!(
            "{} {} approved an extension of {}: {reason}",
            self.en(on),
            by.en,
            days_en(days)
        );
        if late {
            zh.push_str("（批准时原时限已届满，第四十二条要求在时限内批准）");
            en.push_str(
                " (approved after the limit had run out; art. 42 requires approval within it)",
            );
        }
        self.push(on, zh, en);
    }

    fn stopped(&mut self, snapshot: &ClockSnapshot) {
        let Some((on, outcome)) = snapshot.stopped else {
            return;
        };
        let limit = snapshot.remaining_days + snapshot.used_days;
        let used = snapshot.used_days;
        let due = snapshot.statutory_due.date;
        let (verdict_zh, verdict_en) = if on > due {
            (
                format!("超过法定截止日{}", self.zh(due)),
                format!("past the statutory due date {}", self.en(due)),
            )
        } else {
            (
                "未超过法定时限".to_string(),
                "within the statutory limit".to_string(),
            )
        };
        let zh = format!(
            "{} {}：用时{used}个工作日（时限{limit}个工作日），{verdict_zh}",
            self.zh(on),
            outcome.zh()
        );
        let en = format!(
            "{} {} after {} (limit {limit}), {verdict_en}",
            self.en(on),
            outcome.en(),
            days_en(used)
        );
        self.push(on, zh, en);
    }

    fn summary(&mut self, snapshot: &ClockSnapshot) {
        let on = snapshot.as_of;
        let (used, left) = (snapshot.used_days, snapshot.remaining_days);
        let due = snapshot.statutory_due.date;
        let (mut zh, mut en) = if snapshot.status.is_late() {
            (
                format!(
                    "截至{} 已用{used}个工作日，已超过法定截止日{}",
                    self.zh(on),
                    self.zh(due)
                ),
                format!(
                    "as of {}: {} used, the statutory due date {} has passed",
                    self.en(on),
                    days_en(used),
                    self.en(due)
                ),
            )
        } else {
            (
                format!(
                    "截至{} 已用{used}个工作日，剩余{left}个工作日，法定截止日{}",
                    self.zh(on),
                    self.zh(due)
                ),
                format!(
                    "as of {}: {} used, {left} left, due {}",
                    self.en(on),
                    days_en(used),
                    self.en(due)
                ),
            )
        };
        if let Some(promised) = snapshot.promised_due {
            zh.push_str(&format!("；承诺办结日{}", self.zh(promised.date)));
            en.push_str(&format!("; promised by {}", self.en(promised.date)));
            if snapshot
                .promised_status
                .is_some_and(|status| status.is_late())
            {
                zh.push_str("（已超过承诺时限）");
                en.push_str(" (promise missed)");
            }
        }
        self.push(on, zh, en);
        if let Some(step) = &snapshot.step {
            let (zh, en) = step_line(self.dates, self.names, step);
            self.push(on, zh, en);
        }
    }

    fn provisional(&mut self, snapshot: &ClockSnapshot) {
        let provisional = snapshot.statutory_due.provisional
            || snapshot.promised_due.is_some_and(|due| due.provisional);
        if !provisional {
            return;
        }
        let known = self.calendar.last_known_day();
        let zh = format!(
            "截止日期为暂定：节假日安排仅知道到{}，之后只按周末计算，导入新一年的安排后重新计算",
            Dates::with_years().zh(known)
        );
        let en = format!(
            "the due date is provisional: the holiday schedule is known only up to {}; later days \
             are counted on weekends alone and will be recomputed when the next year is imported",
            Dates::with_years().en(known)
        );
        self.push(snapshot.as_of, zh, en);
    }

    fn zh(&self, date: Date) -> String {
        self.dates.zh(date)
    }

    fn en(&self, date: Date) -> String {
        self.dates.en(date)
    }
}

/// An open pause: how long it was said to take, and that the due date will move (art. 45).
fn open_pause_line(
    d: Dates,
    pause: &Pause,
    who_zh: &str,
    who_en: &str,
    paused: i64,
) -> (String, String) {
    let (expected_zh, expected_en) = match pause.expected_days {
        Some(days) => (
            format!("预计{days}个工作日"),
            format!("expected {}", days_en(days)),
        ),
        None => (
            "尚未告知预计时间".to_string(),
            "expected length not given yet".to_string(),
        ),
    };
    (
        format!(
            "{}起 {who_zh}，暂停计时（{expected_zh}）：至今{paused}个工作日不计入时限；\
             恢复后截止日期相应顺延",
            d.zh(pause.on)
        ),
        format!(
            "since {} {who_en}, the clock is paused ({expected_en}): {} not counted so far; \
             the due date will move when it resumes",
            d.en(pause.on),
            days_en(paused)
        ),
    )
}

/// The current step against its budget.
fn step_line(d: Dates, names: &dyn Names, step: &StepClock) -> (String, String) {
    let (name, used) = (names.step_or_id(&step.step), step.used_days);
    let (due_zh, due_en) = (d.zh(step.due.date), d.en(step.due.date));
    if step.status.is_late() {
        (
            format!(
                "当前环节“{}”：已用{used}个工作日，已超过环节期限{due_zh}",
                name.zh
            ),
            format!(
                "current step “{}”: {} used, past its due date {due_en}",
                name.en,
                days_en(used)
            ),
        )
    } else {
        let left = step.remaining_days;
        (
            format!(
                "当前环节“{}”：已用{used}个工作日，剩余{left}个工作日，应于{due_zh}前完成",
                name.zh
            ),
            format!(
                "current step “{}”: {} used, {left} left, due {due_en}",
                name.en,
                days_en(used)
            ),
        )
    }
}
