//! A fee item (收费项目). Administrative Licensing Law art. 58: no fee without a law or regulation
//! setting it, so every fee carries its legal basis; cancellations, reductions and waivers are
//! dated changes with their decree.

use jiff::civil::Date;

use super::history::HistoryOf;
use super::power::{legal_basis_list, read_legal_basis};
use super::record::{FieldSpec, FieldValue, Reader, RecordSource, list, opt_text, text};
use super::{CatalogueCode, ChangeKind, History, LegalBasis, Problems, vocabulary};

vocabulary! {
    /// A fee's status, folded from its history.
    pub enum FeeStatus {
        Charged => "charged", "收取", "Charged";
        Reduced => "reduced", "已降低", "Reduced";
        Waived => "waived", "已减免", "Waived";
        Cancelled => "cancelled", "已取消", "Cancelled";
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeItem {
    pub code: CatalogueCode,
    pub name_zh: String,
    pub name_en: String,
    pub power: Option<CatalogueCode>,
    pub legal_basis: Vec<LegalBasis>,
    /// The charging standard as published (`每台300元`).
    pub standard: String,
    pub history: History,
}

impl FeeItem {
    pub const FIELDS: &'static [FieldSpec] = &[
        text("code"),
        text("name_zh"),
        text("name_en"),
        text("power_code"),
        list("legal_basis"),
        text("standard"),
        list("history"),
    ];

    pub fn parse(src: &(impl RecordSource + ?Sized)) -> Result<FeeItem, Problems> {
        let mut r = Reader::new(src);
        let code = r.parsed("code", CatalogueCode::parse);
        let name_zh = r.required("name_zh");
        let power = r.optional("power_code", CatalogueCode::parse);
        let legal_basis = read_legal_basis(&mut r, "legal_basis", true);
        let standard = r.required("standard");
        let history = History::read(
            src.list("history"),
            HistoryOf::Fee,
            "history",
            &mut r.problems,
        );
        let problems = r.problems;
        match (code, history) {
            (Some(code), Some(history)) if problems.is_empty() => Ok(FeeItem {
                code,
                name_zh,
                name_en: src.text("name_en").to_owned(),
                power,
                legal_basis,
                standard,
                history,
            }),
            _ => Err(problems),
        }
    }

    pub fn fields(&self) -> Vec<FieldValue> {
        use FieldValue::Text as T;
        vec![
            T(self.code.to_string()),
            T(self.name_zh.clone()),
            T(self.name_en.clone()),
            opt_text(&self.power),
            legal_basis_list(&self.legal_basis),
            T(self.standard.clone()),
            self.history.to_field(),
        ]
    }

    pub fn status_on(&self, day: Date) -> FeeStatus {
        self.history
            .in_force_on(day)
            .fold(FeeStatus::Charged, |status, change| match change.kind {
                ChangeKind::Cancelled => FeeStatus::Cancelled,
                ChangeKind::Reduced => FeeStatus::Reduced,
                ChangeKind::Waived => FeeStatus::Waived,
                ChangeKind::Established | ChangeKind::Restored => FeeStatus::Charged,
                ChangeKind::Amended | ChangeKind::Received | ChangeKind::DelegatedDown => status,
            })
    }

    pub fn name(&self, english: bool) -> &str {
        if english && !self.name_en.is_empty() {
            &self.name_en
        } else {
            &self.name_zh
        }
    }
}
