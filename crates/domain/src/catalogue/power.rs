//! A power (行政职权) of the power list: what it is, where it comes from (law and article), who
//! carries it out, the responsibility that goes with it, and its dated history (RULES.md §5).

use jiff::civil::Date;

use super::history::HistoryOf;
use super::record::{
    FieldSpec, FieldValue, Reader, RecordSource, entry, list, opt_text, part, text,
};
use super::{
    CatalogueCode, ChangeKind, History, OrgCode, OrgLevel, Problems, Vocabulary, vocabulary,
};

vocabulary! {
    /// 职权类别, with the category codes in common use (RULES.md §5).
    pub enum PowerCategory {
        Licensing => "01", "行政许可", "Administrative licensing";
        Penalty => "02", "行政处罚", "Administrative penalty";
        Coercion => "03", "行政强制", "Administrative coercion";
        Levy => "04", "行政征收", "Administrative levy";
        Payment => "05", "行政给付", "Administrative payment";
        Inspection => "06", "行政检查", "Administrative inspection";
        Confirmation => "07", "行政确认", "Administrative confirmation";
        Reward => "08", "行政奖励", "Administrative reward";
        Adjudication => "09", "行政裁决", "Administrative adjudication";
        Other => "10", "其他行政权力", "Other administrative power";
        PublicService => "20", "公共服务", "Public service";
    }
}

vocabulary! {
    /// Where the org's authority for a power comes from.
    pub enum PowerSource {
        Statutory => "statutory", "法定", "Statutory";
        Delegated => "delegated", "下放", "Delegated";
        Entrusted => "entrusted", "委托", "Entrusted";
    }
}

vocabulary! {
    /// A power's status, folded from its history.
    pub enum PowerStatus {
        InForce => "in_force", "在用", "In force";
        DelegatedDown => "delegated_down", "已下放", "Delegated down";
        Cancelled => "cancelled", "已取消", "Cancelled";
    }
}

/// One legal basis: the law and the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalBasis {
    pub law: String,
    pub article: String,
}

/// One responsibility item: the stage (受理责任, 审查责任 …) and the duty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Responsibility {
    pub stage: String,
    pub duty: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Power {
    pub code: CatalogueCode,
    pub name_zh: String,
    pub name_en: String,
    pub category: PowerCategory,
    pub parent: Option<CatalogueCode>,
    pub source: PowerSource,
    pub implementing_org: OrgCode,
    pub handling_level: OrgLevel,
    pub legal_basis: Vec<LegalBasis>,
    pub procedure: String,
    pub statutory_limit_days: Option<u32>,
    pub promised_limit_days: Option<u32>,
    pub fee_basis: String,
    pub supervision: String,
    pub responsibilities: Vec<Responsibility>,
    pub accountability: String,
    pub history: History,
}

/// The longest time limit anyone may enter, in working days (ten years: far beyond any statute).
pub const MAX_LIMIT_DAYS: u32 = 3650;

impl Power {
    pub const FIELDS: &'static [FieldSpec] = &[
        text("code"),
        text("name_zh"),
        text("name_en"),
        text("category"),
        text("parent_code"),
        text("source"),
        text("implementing_org"),
        text("handling_level"),
        list("legal_basis"),
        text("procedure"),
        text("statutory_limit_days"),
        text("promised_limit_days"),
        text("fee_basis"),
        text("supervision"),
        list("responsibilities"),
        text("accountability"),
        list("history"),
    ];

    /// Parses and checks a power, listing every problem.
    pub fn parse(src: &(impl RecordSource + ?Sized)) -> Result<Power, Problems> {
        let mut r = Reader::new(src);
        let code = r.parsed("code", CatalogueCode::parse);
        let name_zh = r.required("name_zh");
        let category = r.vocabulary("category");
        let parent = r.optional("parent_code", CatalogueCode::parse);
        let source = r.vocabulary("source");
        let implementing_org = r.parsed("implementing_org", OrgCode::parse);
        let handling_level = r.vocabulary("handling_level");
        let legal_basis = read_legal_basis(&mut r, "legal_basis", true);
        let statutory = r.days("statutory_limit_days", MAX_LIMIT_DAYS);
        let promised = r.days("promised_limit_days", MAX_LIMIT_DAYS);
        check_promise(&mut r.problems, statutory, promised);
        let responsibilities = read_pairs(&mut r, "responsibilities", "stage|duty")
            .into_iter()
            .map(|(stage, duty)| Responsibility { stage, duty })
            .collect();
        let history = History::read(
            src.list("history"),
            HistoryOf::Power,
            "history",
            &mut r.problems,
        );
        if parent.is_some() && parent == code {
            r.problems
                .push("parent_code", "a power cannot be its own parent");
        }
        let Reader { src, problems } = r;
        match (
            code,
            category,
            source,
            implementing_org,
            handling_level,
            history,
        ) {
            (
                Some(code),
                Some(category),
                Some(source),
                Some(implementing_org),
                Some(handling_level),
                Some(history),
            ) if problems.is_empty() => Ok(Power {
                code,
                name_zh,
                name_en: src.text("name_en").to_owned(),
                category,
                parent,
                source,
                implementing_org,
                handling_level,
                legal_basis,
                procedure: src.text("procedure").to_owned(),
                statutory_limit_days: statutory,
                promised_limit_days: promised,
                fee_basis: src.text("fee_basis").to_owned(),
                supervision: src.text("supervision").to_owned(),
                responsibilities,
                accountability: src.text("accountability").to_owned(),
                history,
            }),
            _ => Err(problems),
        }
    }

    /// The power's fields in [`Power::FIELDS`] order.
    pub fn fields(&self) -> Vec<FieldValue> {
        use FieldValue::Text as T;
        vec![
            T(self.code.to_string()),
            T(self.name_zh.clone()),
            T(self.name_en.clone()),
            T(self.category.key().into()),
            opt_text(&self.parent),
            T(self.source.key().into()),
            T(self.implementing_org.to_string()),
            T(self.handling_level.key().into()),
            legal_basis_list(&self.legal_basis),
            T(self.procedure.clone()),
            opt_text(&self.statutory_limit_days),
            opt_text(&self.promised_limit_days),
            T(self.fee_basis.clone()),
            T(self.supervision.clone()),
            FieldValue::List(
                self.responsibilities
                    .iter()
                    .map(|r| entry(vec![r.stage.clone(), r.duty.clone()]))
                    .collect(),
            ),
            T(self.accountability.clone()),
            self.history.to_field(),
        ]
    }

    /// The status on `day`: the last status-changing change in force decides.
    pub fn status_on(&self, day: Date) -> PowerStatus {
        self.history
            .in_force_on(day)
            .fold(PowerStatus::InForce, |status, change| match change.kind {
                ChangeKind::Cancelled => PowerStatus::Cancelled,
                ChangeKind::DelegatedDown => PowerStatus::DelegatedDown,
                ChangeKind::Established | ChangeKind::Received | ChangeKind::Restored => {
                    PowerStatus::InForce
                }
                ChangeKind::Amended | ChangeKind::Reduced | ChangeKind::Waived => status,
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

/// The promised limit is the bureau's public commitment and may not exceed the statutory one.
pub(crate) fn check_promise(
    problems: &mut Problems,
    statutory: Option<u32>,
    promised: Option<u32>,
) {
    if let (Some(s), Some(p)) = (statutory, promised)
        && p > s
    {
        problems.push("promised_limit_days", format!("{p} is longer than the statutory limit ({s}); the promise must be no longer than the law allows"));
    }
}

pub(crate) fn read_legal_basis<S: RecordSource + ?Sized>(
    r: &mut Reader<'_, S>,
    field: &'static str,
    required: bool,
) -> Vec<LegalBasis> {
    let pairs = read_pairs(r, field, "law|article");
    if required && pairs.is_empty() && r.src.list(field).is_empty() {
        r.problems
            .push(field, "at least one legal basis (law|article) is required");
    }
    pairs
        .into_iter()
        .map(|(law, article)| LegalBasis { law, article })
        .collect()
}

pub(crate) fn legal_basis_list(basis: &[LegalBasis]) -> FieldValue {
    FieldValue::List(
        basis
            .iter()
            .map(|b| entry(vec![b.law.clone(), b.article.clone()]))
            .collect(),
    )
}

/// Reads a list of two-part entries (`a|b`), the first part required.
fn read_pairs<S: RecordSource + ?Sized>(
    r: &mut Reader<'_, S>,
    field: &'static str,
    shape: &str,
) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for (i, e) in r.src.list(field).iter().enumerate() {
        if part(e, 0).is_empty() || e.len() > 2 {
            r.problems
                .push_line(field, i + 1, format!("expected {shape}"));
        } else {
            pairs.push((part(e, 0).to_owned(), part(e, 1).to_owned()));
        }
    }
    pairs
}
