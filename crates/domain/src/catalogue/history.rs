//! The dated history of a power or a fee. A delegation, a cancellation or a fee reduction is a
//! change appended with its date and decree (文号) — never an overwrite — and the current status is
//! a fold over the changes in force on a given day.

use jiff::civil::Date;

use super::record::{FieldValue, entry, parse_date, part};
use super::{OrgCode, Problems, Vocabulary, vocabulary};

vocabulary! {
    /// What a change did.
    pub enum ChangeKind {
        /// 设立: the power or fee exists by law from this date.
        Established => "established", "设立", "Established";
        /// 承接: received from a higher org (下放 / 委托下放), named in `org`.
        Received => "received", "承接", "Received from a higher org";
        /// 下放: handed down to a lower org, named in `org`.
        DelegatedDown => "delegated_down", "下放", "Delegated down";
        /// 取消
        Cancelled => "cancelled", "取消", "Cancelled";
        /// 恢复
        Restored => "restored", "恢复", "Restored";
        /// 调整: the content changed; the status did not.
        Amended => "amended", "调整", "Amended";
        /// 降低 (fees only)
        Reduced => "reduced", "降低", "Reduced";
        /// 减免 (fees only)
        Waived => "waived", "减免", "Waived";
    }
}

/// One dated change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub date: Date,
    pub kind: ChangeKind,
    /// The decree or document number (文号) that made the change.
    pub decree: String,
    /// The org on the other side of a delegation.
    pub org: Option<OrgCode>,
    pub note: String,
}

/// Which record a history belongs to: powers and fees allow different kinds of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryOf {
    Power,
    Fee,
}

impl HistoryOf {
    /// Whether a change of this kind may appear in this history.
    pub fn allows(self, kind: ChangeKind) -> bool {
        use ChangeKind::*;
        match self {
            HistoryOf::Power => !matches!(kind, Reduced | Waived),
            HistoryOf::Fee => !matches!(kind, Received | DelegatedDown),
        }
    }
}

/// A checked, date-ordered list of changes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct History(Vec<Change>);

impl History {
    /// Checks the rules of catalogue-format.md: starts with `established` or `received`, in date
    /// order, a decree on every change but `amended`, an org on every delegation. Problems are
    /// reported under `field` with the 1-based line of the change.
    pub fn new(
        changes: Vec<Change>,
        of: HistoryOf,
        field: &'static str,
        problems: &mut Problems,
    ) -> Option<History> {
        let before = problems.0.len();
        if changes.is_empty() {
            problems.push(field, "at least one change is required (its first line: when it was established or received)");
        }
        if let Some(first) = changes.first()
            && !matches!(first.kind, ChangeKind::Established | ChangeKind::Received)
        {
            problems.push_line(
                field,
                1,
                format!(
                    "the first change must be \"established\" or \"received\", not \"{}\"",
                    first.kind
                ),
            );
        }
        for (i, change) in changes.iter().enumerate() {
            Self::check_change(change, i + 1, of, Some(field), problems);
            if let Some(prev) = i.checked_sub(1).map(|p| &changes[p])
                && change.date < prev.date
            {
                problems.push_line(
                    field,
                    i + 1,
                    format!(
                        "{} is earlier than the change above it ({}); list changes oldest first",
                        change.date, prev.date
                    ),
                );
            }
        }
        (problems.0.len() == before).then_some(History(changes))
    }

    /// Checks one change. Within a list field (`Some(field)`) problems name the field and the
    /// line; for a single change entered on a form (`None`) they name the form's own fields.
    fn check_change(
        c: &Change,
        line: usize,
        of: HistoryOf,
        field: Option<&'static str>,
        problems: &mut Problems,
    ) {
        let mut push = |part: &'static str, message: String| match field {
            Some(field) => problems.push_line(field, line, message),
            None => problems.push(part, message),
        };
        if !of.allows(c.kind) {
            let what = if of == HistoryOf::Power {
                "a power"
            } else {
                "a fee"
            };
            push("kind", format!("\"{}\" is not a change of {what}", c.kind));
        }
        // One change is one line of a list cell: its parts cannot hold a line break.
        for (part, text) in [("decree", &c.decree), ("note", &c.note)] {
            if text.contains(['\n', '\r']) {
                push(part, format!("the {part} must be on one line"));
            }
        }
        if c.kind != ChangeKind::Amended && c.decree.trim().is_empty() {
            push("decree", "the decree (文号) is required".into());
        }
        let needs_org = matches!(c.kind, ChangeKind::Received | ChangeKind::DelegatedDown);
        if needs_org && c.org.is_none() {
            push(
                "org",
                format!("\"{}\" needs the org on the other side", c.kind),
            );
        }
    }

    pub fn changes(&self) -> &[Change] {
        &self.0
    }

    /// Appends a change dated on or after the last one; the history is never rewritten.
    pub fn append(&mut self, change: Change, of: HistoryOf) -> Result<(), Problems> {
        let mut problems = Problems::default();
        let line = self.0.len() + 1;
        Self::check_change(&change, line, of, None, &mut problems);
        if let Some(last) = self.0.last()
            && change.date < last.date
        {
            problems.push(
                "date",
                format!(
                    "{} is before the latest change ({}); history is only appended to",
                    change.date, last.date
                ),
            );
        }
        problems.finish(|| self.0.push(change))
    }

    /// The changes in force on `day` (dated on or before it).
    pub fn in_force_on(&self, day: Date) -> impl Iterator<Item = &Change> {
        self.0.iter().take_while(move |c| c.date <= day)
    }

    /// Whether a change of this kind is in force on `day`.
    pub fn has(&self, kind: ChangeKind, day: Date) -> bool {
        self.in_force_on(day).any(|c| c.kind == kind)
    }
}

impl History {
    /// Reads a history list field: one change per line, `date|kind|decree|org|note`.
    pub(crate) fn read(
        entries: Vec<Vec<String>>,
        of: HistoryOf,
        field: &'static str,
        problems: &mut Problems,
    ) -> Option<History> {
        let before = problems.0.len();
        let mut changes = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            let line = i + 1;
            let date = parse_date(part(e, 0)).map_err(|m| problems.push_line(field, line, m));
            let kind_text = part(e, 1);
            let kind = ChangeKind::parse_key(kind_text).ok_or_else(|| {
                problems.push_line(
                    field,
                    line,
                    format!(
                        "\"{kind_text}\" is not a kind of change; expected one of {}",
                        ChangeKind::expected()
                    ),
                );
            });
            let org = match part(e, 3) {
                "" => Ok(None),
                text => OrgCode::parse(text)
                    .map(Some)
                    .map_err(|err| problems.push_line(field, line, err.to_string())),
            };
            if e.len() > 5 {
                problems.push_line(
                    field,
                    line,
                    format!(
                        "has {} parts; a change has at most 5 (date|kind|decree|org|note)",
                        e.len()
                    ),
                );
            }
            if let (Ok(date), Ok(kind), Ok(org)) = (date, kind, org) {
                changes.push(Change {
                    date,
                    kind,
                    decree: part(e, 2).to_owned(),
                    org,
                    note: part(e, 4).to_owned(),
                });
            }
        }
        if problems.0.len() > before {
            return None;
        }
        History::new(changes, of, field, problems)
    }

    /// The history as a list field (`date|kind|decree|org|note` per change).
    pub fn to_field(&self) -> FieldValue {
        FieldValue::List(
            self.0
                .iter()
                .map(|c| {
                    entry(vec![
                        c.date.to_string(),
                        c.kind.key().to_owned(),
                        c.decree.clone(),
                        c.org.as_ref().map(|o| o.to_string()).unwrap_or_default(),
                        c.note.clone(),
                    ])
                })
                .collect(),
        )
    }
}
