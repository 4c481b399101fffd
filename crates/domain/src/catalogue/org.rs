//! Orgs: the bureaus (province → city → district/county) and the technical institutes.

use super::record::{FieldSpec, FieldValue, Reader, RecordSource, opt_text, text};
use super::{DivisionCode, OrgCode, Problems, Vocabulary, vocabulary};

vocabulary! {
    /// What an org is.
    pub enum OrgKind {
        Bureau => "bureau", "行政机关", "Bureau";
        Institute => "institute", "技术机构", "Institute";
    }
}

vocabulary! {
    /// The administrative level an org or a power is handled at.
    pub enum OrgLevel {
        Province => "province", "省级", "Province";
        City => "city", "市级", "City";
        County => "county", "县（区）级", "District / county";
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    pub code: OrgCode,
    pub name_zh: String,
    pub name_en: String,
    pub kind: OrgKind,
    pub level: OrgLevel,
    pub division: DivisionCode,
    pub parent: Option<OrgCode>,
    pub address: String,
    pub phone: String,
}

impl Org {
    pub fn name(&self, english: bool) -> &str {
        if english && !self.name_en.is_empty() {
            &self.name_en
        } else {
            &self.name_zh
        }
    }
}

impl Org {
    pub const FIELDS: &'static [FieldSpec] = &[
        text("code"),
        text("name_zh"),
        text("name_en"),
        text("kind"),
        text("level"),
        text("division"),
        text("parent_code"),
        text("address"),
        text("phone"),
    ];

    pub fn parse(src: &(impl RecordSource + ?Sized)) -> Result<Org, Problems> {
        let mut r = Reader::new(src);
        let code = r.parsed("code", OrgCode::parse);
        let name_zh = r.required("name_zh");
        let kind = r.vocabulary("kind");
        let level = r.vocabulary("level");
        let division = r.parsed("division", DivisionCode::parse);
        let parent = r.optional("parent_code", OrgCode::parse);
        if parent.is_some() && parent == code {
            r.problems
                .push("parent_code", "an org cannot be its own parent");
        }
        let t = |f: &str| src.text(f).to_owned();
        match (code, kind, level, division) {
            (Some(code), Some(kind), Some(level), Some(division)) if r.problems.is_empty() => {
                Ok(Org {
                    code,
                    name_zh,
                    name_en: t("name_en"),
                    kind,
                    level,
                    division,
                    parent,
                    address: t("address"),
                    phone: t("phone"),
                })
            }
            _ => Err(r.problems),
        }
    }

    pub fn fields(&self) -> Vec<FieldValue> {
        use FieldValue::Text as T;
        vec![
            T(self.code.to_string()),
            T(self.name_zh.clone()),
            T(self.name_en.clone()),
            T(self.kind.key().into()),
            T(self.level.key().into()),
            T(self.division.to_string()),
            opt_text(&self.parent),
            T(self.address.clone()),
            T(self.phone.clone()),
        ]
    }
}
