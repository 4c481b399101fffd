//! A service item (政务服务事项) and its guide (办事指南): everything an applicant needs before
//! coming, with the fields RULES.md §6 lists. A guide missing its time limits, fee statement or
//! contact cannot be published — a national spot check found a third of guides missing one.

use super::power::{MAX_LIMIT_DAYS, check_promise, legal_basis_list, read_legal_basis};
use super::record::{
    FieldSpec, FieldValue, Reader, RecordSource, entry, list, opt_text, parse_bounded,
    parse_yes_no, part, text, yes_no,
};
use super::{CatalogueCode, LegalBasis, OrgCode, Problems, Vocabulary, vocabulary};

vocabulary! {
    /// 办理项: what the applicant asks for.
    pub enum HandlingKind {
        New => "new", "新办", "New";
        Change => "change", "变更", "Change";
        Renewal => "renewal", "延续", "Renewal";
        Cancellation => "cancellation", "注销", "Cancellation";
        Other => "other", "其他", "Other";
    }
}

vocabulary! {
    /// Whether the guide is public.
    pub enum ItemStatus {
        Draft => "draft", "草稿", "Draft";
        Published => "published", "已发布", "Published";
        Retired => "retired", "已停用", "Retired";
    }
}

vocabulary! {
    /// The form in which a material is handed in.
    pub enum MaterialForm {
        Original => "original", "原件", "Original";
        Copy => "copy", "复印件", "Copy";
        OriginalAndCopy => "original_and_copy", "原件和复印件", "Original and copy";
        Electronic => "electronic", "电子件", "Electronic";
    }
}

/// A material (申请材料) the applicant submits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Material {
    pub name: String,
    pub form: MaterialForm,
    pub copies: u32,
    pub source: String,
    pub required: bool,
    pub template: String,
    /// May be left out when the bureau already holds it (免提交).
    pub omittable: bool,
}

/// A special step (特殊环节): testing, appraisal, expert review … with whether its time counts
/// toward the statutory limit (Administrative Licensing Law art. 45: it usually does not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialStep {
    pub name: String,
    pub expected_days: Option<u32>,
    pub legal_basis: String,
    pub fee: String,
    pub counts_toward_limit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Faq {
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceItem {
    pub code: CatalogueCode,
    pub name_zh: String,
    pub name_en: String,
    pub power: CatalogueCode,
    pub handling_kind: HandlingKind,
    pub applicants: String,
    pub handling_org: OrgCode,
    pub place: String,
    pub hours: String,
    pub phone: String,
    pub conditions: Vec<String>,
    pub materials: Vec<Material>,
    pub procedure: Vec<String>,
    pub statutory_limit_days: Option<u32>,
    pub promised_limit_days: Option<u32>,
    /// Warn (yellow) when this many working days or fewer remain; empty: the default of
    /// [`DEFAULT_WARN_DAYS`].
    pub warn_days: Option<u32>,
    pub special_steps: Vec<SpecialStep>,
    pub fees: String,
    pub legal_basis: Vec<LegalBasis>,
    pub result: String,
    pub validity: String,
    pub visits_max: Option<u32>,
    pub faq: Vec<Faq>,
    pub consultation: String,
    pub complaint: String,
    pub status: ItemStatus,
}

/// The warning threshold when an item sets none: yellow with five working days left.
pub const DEFAULT_WARN_DAYS: u32 = 5;

/// Fields a published guide must fill (RULES.md §6), with the reason shown when one is empty.
const REQUIRED_TO_PUBLISH: &[&str] = &[
    "applicants",
    "place",
    "hours",
    "phone",
    "conditions",
    "materials",
    "procedure",
    "statutory_limit_days",
    "promised_limit_days",
    "fees",
    "legal_basis",
    "result",
    "consultation",
    "complaint",
];

impl ServiceItem {
    pub const FIELDS: &'static [FieldSpec] = &[
        text("code"),
        text("name_zh"),
        text("name_en"),
        text("power_code"),
        text("handling_kind"),
        text("applicants"),
        text("handling_org"),
        text("place"),
        text("hours"),
        text("phone"),
        list("conditions"),
        list("materials"),
        list("procedure"),
        text("statutory_limit_days"),
        text("promised_limit_days"),
        text("warn_days"),
        list("special_steps"),
        text("fees"),
        list("legal_basis"),
        text("result"),
        text("validity"),
        text("visits_max"),
        list("faq"),
        text("consultation"),
        text("complaint"),
        text("status"),
    ];

    /// Parses and checks an item, listing every problem; a `published` item must also pass
    /// [`ServiceItem::publish_problems`].
    pub fn parse(src: &(impl RecordSource + ?Sized)) -> Result<ServiceItem, Problems> {
        let mut r = Reader::new(src);
        let code = r.parsed("code", CatalogueCode::parse);
        let name_zh = r.required("name_zh");
        let power = r.parsed("power_code", CatalogueCode::parse);
        let handling_kind = r.vocabulary("handling_kind");
        let handling_org = r.parsed("handling_org", OrgCode::parse);
        let statutory = r.days("statutory_limit_days", MAX_LIMIT_DAYS);
        let promised = r.days("promised_limit_days", MAX_LIMIT_DAYS);
        let warn_days = r.days("warn_days", MAX_LIMIT_DAYS);
        check_promise(&mut r.problems, statutory, promised);
        let visits_max = r.optional("visits_max", |s| parse_bounded(s, 9));
        let status = r.vocabulary("status");
        let materials = read_materials(&mut r);
        let special_steps = read_special_steps(&mut r);
        let faq = read_faq(&mut r);
        let legal_basis = read_legal_basis(&mut r, "legal_basis", false);
        let lines = |field: &str| -> Vec<String> {
            src.list(field)
                .into_iter()
                .map(|e| e.join("|"))
                .filter(|l| !l.trim().is_empty())
                .collect()
        };
        let t = |field: &str| src.text(field).to_owned();
        let mut problems = r.problems;
        let (Some(code), Some(power), Some(handling_kind), Some(handling_org), Some(status)) =
            (code, power, handling_kind, handling_org, status)
        else {
            return Err(problems);
        };
        let item = ServiceItem {
            code,
            name_zh,
            name_en: t("name_en"),
            power,
            handling_kind,
            applicants: t("applicants"),
            handling_org,
            place: t("place"),
            hours: t("hours"),
            phone: t("phone"),
            conditions: lines("conditions"),
            materials,
            procedure: lines("procedure"),
            statutory_limit_days: statutory,
            promised_limit_days: promised,
            warn_days,
            special_steps,
            fees: t("fees"),
            legal_basis,
            result: t("result"),
            validity: t("validity"),
            visits_max,
            faq,
            consultation: t("consultation"),
            complaint: t("complaint"),
            status,
        };
        if item.status == ItemStatus::Published {
            problems.0.extend(item.publish_problems().0);
        }
        problems.finish(|| item)
    }

    /// What stops this guide from being published: every empty field a citizen needs.
    pub fn publish_problems(&self) -> Problems {
        let mut problems = Problems::default();
        for (field, value) in self.fields().iter().zip(Self::FIELDS) {
            let empty = match field {
                FieldValue::Text(t) => t.trim().is_empty(),
                FieldValue::List(l) => l.is_empty(),
            };
            if empty && REQUIRED_TO_PUBLISH.contains(&value.name) {
                let why = match value.name {
                    "fees" => "a published guide states its fees; write 不收费 when there is none",
                    "phone" => "a published guide gives a consultation phone",
                    "statutory_limit_days" | "promised_limit_days" => {
                        "a published guide states its time limits"
                    }
                    _ => "a published guide needs it",
                };
                problems.push(value.name, format!("is empty: {why}"));
            }
        }
        problems
    }

    /// The item's fields in [`ServiceItem::FIELDS`] order.
    pub fn fields(&self) -> Vec<FieldValue> {
        use FieldValue::{List as L, Text as T};
        let lines = |v: &[String]| L(v.iter().map(|s| vec![s.clone()]).collect());
        vec![
            T(self.code.to_string()),
            T(self.name_zh.clone()),
            T(self.name_en.clone()),
            T(self.power.to_string()),
            T(self.handling_kind.key().into()),
            T(self.applicants.clone()),
            T(self.handling_org.to_string()),
            T(self.place.clone()),
            T(self.hours.clone()),
            T(self.phone.clone()),
            lines(&self.conditions),
            L(self
                .materials
                .iter()
                .map(|m| {
                    entry(vec![
                        m.name.clone(),
                        m.form.key().into(),
                        m.copies.to_string(),
                        m.source.clone(),
                        yes_no(m.required),
                        m.template.clone(),
                        yes_no(m.omittable),
                    ])
                })
                .collect()),
            lines(&self.procedure),
            opt_text(&self.statutory_limit_days),
            opt_text(&self.promised_limit_days),
            opt_text(&self.warn_days),
            L(self
                .special_steps
                .iter()
                .map(|s| {
                    entry(vec![
                        s.name.clone(),
                        s.expected_days.map(|d| d.to_string()).unwrap_or_default(),
                        s.legal_basis.clone(),
                        s.fee.clone(),
                        yes_no(s.counts_toward_limit),
                    ])
                })
                .collect()),
            T(self.fees.clone()),
            legal_basis_list(&self.legal_basis),
            T(self.result.clone()),
            T(self.validity.clone()),
            opt_text(&self.visits_max),
            L(self
                .faq
                .iter()
                .map(|f| entry(vec![f.question.clone(), f.answer.clone()]))
                .collect()),
            T(self.consultation.clone()),
            T(self.complaint.clone()),
            T(self.status.key().into()),
        ]
    }

    pub fn name(&self, english: bool) -> &str {
        if english && !self.name_en.is_empty() {
            &self.name_en
        } else {
            &self.name_zh
        }
    }

    /// Days that do not count toward the statutory limit are paused on the clock (art. 45).
    pub fn paused_steps(&self) -> impl Iterator<Item = &SpecialStep> {
        self.special_steps.iter().filter(|s| !s.counts_toward_limit)
    }
}

/// The parts of a list entry after the first must be present and parse; problems name the line.
fn read_entries<S, T>(
    r: &mut Reader<'_, S>,
    field: &'static str,
    max_parts: usize,
    shape: &str,
    parse: impl Fn(&[String]) -> Result<T, String>,
) -> Vec<T>
where
    S: RecordSource + ?Sized,
{
    let mut out = Vec::new();
    for (i, e) in r.src.list(field).iter().enumerate() {
        let result = if e.len() > max_parts {
            Err(format!("has {} parts; expected {shape}", e.len()))
        } else if part(e, 0).is_empty() {
            Err(format!("the first part is empty; expected {shape}"))
        } else {
            parse(e)
        };
        match result {
            Ok(v) => out.push(v),
            Err(m) => r.problems.push_line(field, i + 1, m),
        }
    }
    out
}

fn read_materials<S: RecordSource + ?Sized>(r: &mut Reader<'_, S>) -> Vec<Material> {
    const SHAPE: &str = "name|form|copies|source|required|template|omittable";
    read_entries(r, "materials", 7, SHAPE, |e| {
        let form = MaterialForm::parse_key(part(e, 1)).ok_or_else(|| {
            format!(
                "form \"{}\" is not one of {}",
                part(e, 1),
                MaterialForm::expected()
            )
        })?;
        let copies = match part(e, 2) {
            "" => 1,
            s => parse_bounded(s, 99).map_err(|m| format!("copies: {m}"))?,
        };
        let required = match part(e, 4) {
            "" => true,
            s => parse_yes_no(s).map_err(|m| format!("required: {m}"))?,
        };
        let omittable = match part(e, 6) {
            "" => false,
            s => parse_yes_no(s).map_err(|m| format!("omittable: {m}"))?,
        };
        Ok(Material {
            name: part(e, 0).into(),
            form,
            copies,
            source: part(e, 3).into(),
            required,
            template: part(e, 5).into(),
            omittable,
        })
    })
}

fn read_special_steps<S: RecordSource + ?Sized>(r: &mut Reader<'_, S>) -> Vec<SpecialStep> {
    read_entries(
        r,
        "special_steps",
        5,
        "name|expected_days|legal_basis|fee|counts",
        |e| {
            let expected_days = match part(e, 1) {
                "" => None,
                s => Some(
                    parse_bounded(s, MAX_LIMIT_DAYS).map_err(|m| format!("expected_days: {m}"))?,
                ),
            };
            let counts = parse_yes_no(part(e, 4)).map_err(|m| {
                format!("counts: {m} (does its time count toward the statutory limit?)")
            })?;
            Ok(SpecialStep {
                name: part(e, 0).into(),
                expected_days,
                legal_basis: part(e, 2).into(),
                fee: part(e, 3).into(),
                counts_toward_limit: counts,
            })
        },
    )
}

fn read_faq<S: RecordSource + ?Sized>(r: &mut Reader<'_, S>) -> Vec<Faq> {
    read_entries(r, "faq", 2, "question|answer", |e| {
        if part(e, 1).is_empty() {
            return Err("the answer is empty; expected question|answer".into());
        }
        Ok(Faq {
            question: part(e, 0).into(),
            answer: part(e, 1).into(),
        })
    })
}
