//! The JSON shapes of the API: stable, documented views of the domain types (the domain itself
//! is not serialised, so it can change without breaking clients).

use onewindow_app::catalogue::{ItemPage, Paged, PowerEntry, PowerPage};
use onewindow_domain::catalogue::{
    Change, LegalBasis, Power, PowerStatus, ServiceItem, Vocabulary,
};
use serde::Serialize;
use utoipa::ToSchema;

/// A closed-vocabulary value with its labels.
#[derive(Debug, Serialize, ToSchema)]
pub struct Term {
    /// The value as the API and files spell it (`01`, `statutory`).
    pub key: String,
    pub zh: String,
    pub en: String,
}

impl Term {
    pub fn of<V: Vocabulary>(v: V) -> Term {
        Term {
            key: v.key().into(),
            zh: v.label_zh().into(),
            en: v.label_en().into(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PowerSummary {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub category: Term,
    /// Today's status, folded from the history.
    pub status: Term,
    pub source: Term,
    pub implementing_org: String,
    pub handling_level: Term,
}

impl PowerSummary {
    fn new(p: &Power, status: PowerStatus) -> Self {
        Self {
            code: p.code.to_string(),
            name_zh: p.name_zh.clone(),
            name_en: p.name_en.clone(),
            category: Term::of(p.category),
            status: Term::of(status),
            source: Term::of(p.source),
            implementing_org: p.implementing_org.to_string(),
            handling_level: Term::of(p.handling_level),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LegalBasisView {
    pub law: String,
    pub article: String,
}

fn basis(list: &[LegalBasis]) -> Vec<LegalBasisView> {
    list.iter()
        .map(|b| LegalBasisView {
            law: b.law.clone(),
            article: b.article.clone(),
        })
        .collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeView {
    /// YYYY-MM-DD
    pub date: String,
    pub kind: Term,
    pub decree: String,
    pub org: Option<String>,
    pub note: String,
}

fn changes(list: &[Change]) -> Vec<ChangeView> {
    list.iter()
        .map(|c| ChangeView {
            date: c.date.to_string(),
            kind: Term::of(c.kind),
            decree: c.decree.clone(),
            org: c.org.as_ref().map(|o| o.to_string()),
            note: c.note.clone(),
        })
        .collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResponsibilityView {
    pub stage: String,
    pub duty: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PowerDetail {
    #[serde(flatten)]
    pub summary: PowerSummary,
    pub parent_code: Option<String>,
    pub sub_power_codes: Vec<String>,
    pub legal_basis: Vec<LegalBasisView>,
    pub procedure: String,
    pub statutory_limit_days: Option<u32>,
    pub promised_limit_days: Option<u32>,
    pub fee_basis: String,
    pub supervision: String,
    pub responsibilities: Vec<ResponsibilityView>,
    pub accountability: String,
    pub history: Vec<ChangeView>,
    /// Published guides carrying out this power.
    pub item_codes: Vec<String>,
    pub version: i64,
}

impl From<&PowerPage> for PowerDetail {
    fn from(page: &PowerPage) -> Self {
        let p = &page.power.value;
        Self {
            summary: PowerSummary::new(p, page.status),
            parent_code: p.parent.as_ref().map(|c| c.to_string()),
            sub_power_codes: page.sub_powers.iter().map(|s| s.code.to_string()).collect(),
            legal_basis: basis(&p.legal_basis),
            procedure: p.procedure.clone(),
            statutory_limit_days: p.statutory_limit_days,
            promised_limit_days: p.promised_limit_days,
            fee_basis: p.fee_basis.clone(),
            supervision: p.supervision.clone(),
            responsibilities: p
                .responsibilities
                .iter()
                .map(|r| ResponsibilityView {
                    stage: r.stage.clone(),
                    duty: r.duty.clone(),
                })
                .collect(),
            accountability: p.accountability.clone(),
            history: changes(p.history.changes()),
            item_codes: page.items.iter().map(|i| i.code.to_string()).collect(),
            version: page.power.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemSummary {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub power_code: String,
    pub handling_kind: Term,
    pub handling_org: String,
    pub statutory_limit_days: Option<u32>,
    pub promised_limit_days: Option<u32>,
}

impl From<&ServiceItem> for ItemSummary {
    fn from(i: &ServiceItem) -> Self {
        Self {
            code: i.code.to_string(),
            name_zh: i.name_zh.clone(),
            name_en: i.name_en.clone(),
            power_code: i.power.to_string(),
            handling_kind: Term::of(i.handling_kind),
            handling_org: i.handling_org.to_string(),
            statutory_limit_days: i.statutory_limit_days,
            promised_limit_days: i.promised_limit_days,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MaterialView {
    pub name: String,
    pub form: Term,
    pub copies: u32,
    pub source: String,
    pub required: bool,
    pub template: String,
    /// May be left out when the bureau already holds it.
    pub omittable: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SpecialStepView {
    pub name: String,
    pub expected_days: Option<u32>,
    pub legal_basis: String,
    pub fee: String,
    /// Whether its time counts toward the statutory limit (art. 45: usually not).
    pub counts_toward_limit: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FaqView {
    pub question: String,
    pub answer: String,
}

/// The full service guide (RULES.md §6).
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemDetail {
    #[serde(flatten)]
    pub summary: ItemSummary,
    pub handling_org_name: Option<String>,
    pub applicants: String,
    pub place: String,
    pub hours: String,
    pub phone: String,
    pub conditions: Vec<String>,
    pub materials: Vec<MaterialView>,
    pub procedure: Vec<String>,
    pub special_steps: Vec<SpecialStepView>,
    pub fees: String,
    pub legal_basis: Vec<LegalBasisView>,
    pub result: String,
    pub validity: String,
    pub visits_max: Option<u32>,
    pub faq: Vec<FaqView>,
    pub consultation: String,
    pub complaint: String,
    pub status: Term,
    pub version: i64,
}

impl From<&ItemPage> for ItemDetail {
    fn from(page: &ItemPage) -> Self {
        let i = &page.item.value;
        Self {
            summary: ItemSummary::from(i),
            handling_org_name: page.org.as_ref().map(|o| o.name_zh.clone()),
            applicants: i.applicants.clone(),
            place: i.place.clone(),
            hours: i.hours.clone(),
            phone: i.phone.clone(),
            conditions: i.conditions.clone(),
            materials: i
                .materials
                .iter()
                .map(|m| MaterialView {
                    name: m.name.clone(),
                    form: Term::of(m.form),
                    copies: m.copies,
                    source: m.source.clone(),
                    required: m.required,
                    template: m.template.clone(),
                    omittable: m.omittable,
                })
                .collect(),
            procedure: i.procedure.clone(),
            special_steps: i
                .special_steps
                .iter()
                .map(|s| SpecialStepView {
                    name: s.name.clone(),
                    expected_days: s.expected_days,
                    legal_basis: s.legal_basis.clone(),
                    fee: s.fee.clone(),
                    counts_toward_limit: s.counts_toward_limit,
                })
                .collect(),
            fees: i.fees.clone(),
            legal_basis: basis(&i.legal_basis),
            result: i.result.clone(),
            validity: i.validity.clone(),
            visits_max: i.visits_max,
            faq: i
                .faq
                .iter()
                .map(|f| FaqView {
                    question: f.question.clone(),
                    answer: f.answer.clone(),
                })
                .collect(),
            consultation: i.consultation.clone(),
            complaint: i.complaint.clone(),
            status: Term::of(i.status),
            version: page.item.version,
        }
    }
}

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageView<T> {
    pub items: Vec<T>,
    /// How many match in all.
    pub total: usize,
    pub page: u32,
    pub per_page: u32,
    pub pages: u32,
}

impl<T> PageView<T> {
    pub fn map<S>(paged: &Paged<S>, f: impl Fn(&S) -> T) -> Self {
        Self {
            items: paged.items.iter().map(f).collect(),
            total: paged.total,
            page: paged.page.number,
            per_page: paged.page.size,
            pages: paged.pages(),
        }
    }
}

pub fn power_summary(e: &PowerEntry) -> PowerSummary {
    PowerSummary::new(&e.power, e.status)
}
