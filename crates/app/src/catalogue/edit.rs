//! The administrator's edits: create or edit a power, guide or fee; append a dated change
//! (delegation, cancellation, fee reduction …) with its decree; publish or retire a guide. Each
//! is checked whole, written with the version the editor saw, and audited.

use onewindow_domain::access::Role;
use onewindow_domain::catalogue::{
    CatalogueCode, Change, ChangeKind, FeeItem, FieldMap, FieldValue, History, HistoryOf,
    ItemStatus, OrgCode, Power, Problems, RecordSource, ServiceItem, Vocabulary,
};
use onewindow_domain::dates::parse_date;
use onewindow_store::{AuditEntry, CatalogueBatch, UserRecord, Write};

use super::check_references;
use crate::{App, AppError};

/// A dated change as an administrator enters it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeForm {
    pub date: String,
    pub kind: String,
    pub decree: String,
    pub org: String,
    pub note: String,
}

impl ChangeForm {
    fn parse(&self) -> Result<Change, Problems> {
        let mut problems = Problems::default();
        let date = problems.check("date", parse_date(self.date.trim()));
        let kind = problems.check(
            "kind",
            ChangeKind::parse_key(self.kind.trim()).ok_or_else(|| {
                format!("\"{}\" is not one of {}", self.kind, ChangeKind::expected())
            }),
        );
        let org = match self.org.trim() {
            "" => None,
            text => problems.check("org", OrgCode::parse(text)),
        };
        match (date, kind) {
            (Some(date), Some(kind)) if problems.is_empty() => Ok(Change {
                date,
                kind,
                decree: self.decree.trim().to_owned(),
                org,
                note: self.note.trim().to_owned(),
            }),
            _ => Err(problems),
        }
    }
}

/// Parses a change form and appends it to a history; returns the audit detail.
fn append_change(
    history: &mut History,
    of: HistoryOf,
    form: &ChangeForm,
    what: &str,
    code: &CatalogueCode,
) -> Result<String, AppError> {
    let change = form.parse().map_err(|p| invalid("change", p))?;
    let detail = format!(
        "{what} {code}: {} {} ({})",
        change.date, change.kind, change.decree
    );
    history
        .append(change, of)
        .map_err(|p| invalid("change", p))?;
    Ok(detail)
}

fn invalid(what: &str, problems: Problems) -> AppError {
    AppError::Invalid {
        what: what.to_owned(),
        problems,
    }
}

fn require_admin(actor: &UserRecord) -> Result<(), AppError> {
    if actor.role().is_some_and(Role::may_edit_catalogue) {
        Ok(())
    } else {
        let capacity = actor.role().map_or("enterprise user", |r| r.label_en());
        Err(AppError::Forbidden(format!(
            "{} ({capacity}) may not change the catalogue; an administrator may",
            actor.username,
        )))
    }
}

impl App {
    /// Writes a batch after checking its references, with an audit entry.
    async fn write_checked(
        &self,
        actor: &UserRecord,
        what: &str,
        batch: CatalogueBatch,
        action: &str,
        detail: String,
    ) -> Result<(), AppError> {
        let dangling = check_references(self.store.as_ref(), &batch, &Default::default()).await?;
        if !dangling.is_empty() {
            let mut problems = Problems::default();
            for d in dangling {
                problems.push(d.field, d.message);
            }
            return Err(invalid(what, problems));
        }
        let audit = AuditEntry {
            at: self.clock.now(),
            actor: actor.username.to_string(),
            action: action.to_owned(),
            detail,
        };
        self.store.write_catalogue(&batch, &audit).await?;
        Ok(())
    }

    /// Creates a power (with its first dated change) or edits one. An edit keeps the stored
    /// history whatever the form says: history changes only by [`App::append_power_change`].
    pub async fn save_power(
        &self,
        actor: &UserRecord,
        fields: &FieldMap,
        expected_version: Option<i64>,
    ) -> Result<Power, AppError> {
        require_admin(actor)?;
        let mut fields = fields.clone();
        if let Ok(code) = CatalogueCode::parse(fields.text("code"))
            && let Some(stored) = self.store.power(&code).await?
            && let FieldValue::List(history) = stored.value.history.to_field()
        {
            fields.set_list("history", history);
        }
        let power = Power::parse(&fields).map_err(|p| invalid("power", p))?;
        let write = Write {
            record: power.clone(),
            expected_version: Some(expected_version.unwrap_or(0)),
        };
        let batch = CatalogueBatch {
            powers: vec![write],
            ..Default::default()
        };
        let action = if expected_version.is_some() {
            "edit_power"
        } else {
            "create_power"
        };
        self.write_checked(
            actor,
            "power",
            batch,
            action,
            format!("power {}", power.code),
        )
        .await?;
        Ok(power)
    }

    /// Appends a dated change (delegation, cancellation …) to a power's history.
    pub async fn append_power_change(
        &self,
        actor: &UserRecord,
        code: &CatalogueCode,
        form: &ChangeForm,
        expected_version: i64,
    ) -> Result<(), AppError> {
        require_admin(actor)?;
        let stored = self
            .store
            .power(code)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("power {code}")))?;
        let mut power = stored.value;
        let detail = append_change(&mut power.history, HistoryOf::Power, form, "power", code)?;
        let batch = CatalogueBatch {
            powers: vec![Write::expecting(power, expected_version)],
            ..Default::default()
        };
        self.write_checked(actor, "change", batch, "append_change", detail)
            .await
    }

    /// Creates or edits a guide. A published guide must be complete (RULES.md §6).
    pub async fn save_item(
        &self,
        actor: &UserRecord,
        fields: &FieldMap,
        expected_version: Option<i64>,
    ) -> Result<ServiceItem, AppError> {
        require_admin(actor)?;
        let item = ServiceItem::parse(fields).map_err(|p| invalid("service item", p))?;
        let write = Write {
            record: item.clone(),
            expected_version: Some(expected_version.unwrap_or(0)),
        };
        let batch = CatalogueBatch {
            items: vec![write],
            ..Default::default()
        };
        let action = if expected_version.is_some() {
            "edit_item"
        } else {
            "create_item"
        };
        self.write_checked(
            actor,
            "service item",
            batch,
            action,
            format!("item {}", item.code),
        )
        .await?;
        Ok(item)
    }

    /// Publishes, retires or returns a guide to draft. Publishing refuses a guide missing its
    /// time limits, fee statement or contact.
    pub async fn set_item_status(
        &self,
        actor: &UserRecord,
        code: &CatalogueCode,
        status: ItemStatus,
        expected_version: i64,
    ) -> Result<(), AppError> {
        require_admin(actor)?;
        let stored = self
            .store
            .item(code)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("service item {code}")))?;
        let mut item = stored.value;
        item.status = status;
        if status == ItemStatus::Published {
            let problems = item.publish_problems();
            if !problems.is_empty() {
                return Err(invalid("service item", problems));
            }
        }
        let batch = CatalogueBatch {
            items: vec![Write::expecting(item, expected_version)],
            ..Default::default()
        };
        self.write_checked(
            actor,
            "service item",
            batch,
            "set_item_status",
            format!("item {code}: {status}"),
        )
        .await
    }

    /// Creates or edits a fee item; like powers, an edit keeps the stored history.
    pub async fn save_fee(
        &self,
        actor: &UserRecord,
        fields: &FieldMap,
        expected_version: Option<i64>,
    ) -> Result<FeeItem, AppError> {
        require_admin(actor)?;
        let mut fields = fields.clone();
        if let Ok(code) = CatalogueCode::parse(fields.text("code"))
            && let Some(stored) = self.store.fee(&code).await?
            && let FieldValue::List(history) = stored.value.history.to_field()
        {
            fields.set_list("history", history);
        }
        let fee = FeeItem::parse(&fields).map_err(|p| invalid("fee item", p))?;
        let write = Write {
            record: fee.clone(),
            expected_version: Some(expected_version.unwrap_or(0)),
        };
        let batch = CatalogueBatch {
            fees: vec![write],
            ..Default::default()
        };
        self.write_checked(
            actor,
            "fee item",
            batch,
            "save_fee",
            format!("fee {}", fee.code),
        )
        .await?;
        Ok(fee)
    }

    /// Appends a dated change (reduced, waived, cancelled …) to a fee's history.
    pub async fn append_fee_change(
        &self,
        actor: &UserRecord,
        code: &CatalogueCode,
        form: &ChangeForm,
        expected_version: i64,
    ) -> Result<(), AppError> {
        require_admin(actor)?;
        let stored = self
            .store
            .fee(code)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("fee item {code}")))?;
        let mut fee = stored.value;
        let detail = append_change(&mut fee.history, HistoryOf::Fee, form, "fee", code)?;
        let batch = CatalogueBatch {
            fees: vec![Write::expecting(fee, expected_version)],
            ..Default::default()
        };
        self.write_checked(actor, "change", batch, "append_change", detail)
            .await
    }
}
