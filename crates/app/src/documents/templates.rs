//! Document templates as data an administrator edits. A candidate is typeset with sample data
//! for every kind that uses it before it is saved; a broken one is refused with the line and
//! the reason and nothing is saved. Every saved version is kept (the newest is used), restoring
//! the shipped template saves it as a new version, and each save is audited like a catalogue
//! edit.

use jiff::Timestamp;
use onewindow_documents::{DocumentKind, Template, TemplateProblem};
use onewindow_domain::catalogue::Problems;
use onewindow_store::{AuditEntry, StoreError, TemplateVersion, UserRecord};

use super::engine::blocking;
use crate::{App, AppError};

/// One template as the administration lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSummary {
    /// The template name (`licence` serves the original and the copy).
    pub name: &'static str,
    /// The kinds rendered with it.
    pub kinds: Vec<DocumentKind>,
    /// The saved version in use; `None` when the shipped template is.
    pub version: Option<i64>,
    pub saved_by: Option<String>,
    pub saved_at: Option<Timestamp>,
}

/// One template with its source in use and every saved version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateDetail {
    pub summary: TemplateSummary,
    pub source: String,
    /// The shipped source, for comparison and restoring.
    pub shipped: &'static str,
    /// Newest first.
    pub versions: Vec<TemplateVersion>,
}

/// Every template name, in the order of the kinds' codes.
fn template_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for kind in DocumentKind::ALL {
        if !names.contains(&kind.template()) {
            names.push(kind.template());
        }
    }
    names
}

fn summary(name: &'static str, latest: Option<&TemplateVersion>) -> TemplateSummary {
    TemplateSummary {
        name,
        kinds: DocumentKind::ALL
            .into_iter()
            .filter(|k| k.template() == name)
            .collect(),
        version: latest.map(|v| v.version),
        saved_by: latest.map(|v| v.saved_by.clone()),
        saved_at: latest.map(|v| v.saved_at),
    }
}

fn require_admin(actor: &UserRecord) -> Result<(), AppError> {
    if actor.role().is_some_and(|role| role.may_edit_catalogue()) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "{} may not change document templates; an administrator may",
            actor.username
        )))
    }
}

/// Template problems as form problems on `source`, each with its line.
fn refused(problems: Vec<TemplateProblem>) -> AppError {
    let mut out = Problems::default();
    for p in problems {
        let message = format!("{} column {}: {}", p.file, p.column, p.message);
        if p.line > 0 {
            out.push_line("source", p.line, message);
        } else {
            out.push("source", format!("{}: {}", p.file, p.message));
        }
    }
    AppError::Invalid {
        what: "template".into(),
        problems: out,
    }
}

impl App {
    /// Every template with the version in use.
    pub async fn document_templates(&self) -> Result<Vec<TemplateSummary>, AppError> {
        let latest = self.store.latest_templates().await?;
        Ok(template_names()
            .into_iter()
            .map(|name| summary(name, latest.iter().find(|v| v.template == name)))
            .collect())
    }

    /// The template `kind` is rendered with: its source in use and its saved versions.
    pub async fn document_template(&self, kind: DocumentKind) -> Result<TemplateDetail, AppError> {
        let name = kind.template();
        let versions = self.store.template_versions(name).await?;
        let shipped = Template::builtin(kind);
        Ok(TemplateDetail {
            summary: summary(name, versions.first()),
            source: versions
                .first()
                .map_or_else(|| shipped.to_owned(), |v| v.source.clone()),
            shipped,
            versions,
        })
    }

    /// Checks `source` by typesetting it with sample data, then saves it as the newest version
    /// of the template `kind` uses. Refused with every problem by line; nothing saved then.
    pub async fn save_document_template(
        &self,
        actor: &UserRecord,
        kind: DocumentKind,
        source: &str,
    ) -> Result<i64, AppError> {
        require_admin(actor)?;
        let fonts = self.documents.fonts().await?;
        let candidate = source.to_owned();
        blocking(move || Template::check(kind, &candidate, &fonts))
            .await?
            .map_err(refused)?;
        self.store_template(actor, kind, source, "save_document_template")
            .await
    }

    /// Saves the shipped template again as the newest version (the edited ones stay listed).
    pub async fn restore_shipped_template(
        &self,
        actor: &UserRecord,
        kind: DocumentKind,
    ) -> Result<i64, AppError> {
        require_admin(actor)?;
        let current = self.document_template(kind).await?;
        if current.source == current.shipped {
            return Err(AppError::Refused(format!(
                "the {} template is already the shipped one",
                kind.template()
            )));
        }
        self.store_template(actor, kind, current.shipped, "restore_document_template")
            .await
    }

    async fn store_template(
        &self,
        actor: &UserRecord,
        kind: DocumentKind,
        source: &str,
        action: &str,
    ) -> Result<i64, AppError> {
        let now = self.clock.now();
        let name = kind.template();
        let audit = AuditEntry {
            at: now,
            actor: actor.username.to_string(),
            action: action.to_owned(),
            detail: format!("document template {name} ({} bytes)", source.len()),
        };
        match self
            .store
            .save_template(name, source, actor.username.as_str(), now, &audit)
            .await
        {
            Ok(version) => Ok(version),
            Err(StoreError::Duplicate(_)) => Err(AppError::Conflict(format!(
                "someone else saved the {name} template at the same moment; reload and try again"
            ))),
            Err(other) => Err(other.into()),
        }
    }
}
