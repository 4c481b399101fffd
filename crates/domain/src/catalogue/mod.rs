//! The catalogue a bureau publishes: its orgs, its power list (权力清单, RULES.md §5), the service
//! items with their guides (办事指南, RULES.md §6) and its fee items. Only types and rules live
//! here: parsing a value checks it, a history folds into a status, a guide knows whether it may be
//! published. Storage and file formats are elsewhere.

mod codes;
mod fee;
pub mod fixtures;
mod history;
mod item;
mod org;
mod overview;
mod power;
mod problem;
mod record;

pub use codes::{CatalogueCode, DivisionCode, OrgCode};
pub use fee::{FeeItem, FeeStatus};
pub use history::HistoryOf;
pub use history::{Change, ChangeKind, History};
pub use item::{
    DEFAULT_WARN_DAYS, Faq, HandlingKind, ItemStatus, Material, MaterialForm, ServiceItem,
    SpecialStep,
};
pub use org::{Org, OrgKind, OrgLevel};
pub use overview::{CategoryCount, Overview};

pub use power::MAX_LIMIT_DAYS;
pub use power::{LegalBasis, Power, PowerCategory, PowerSource, PowerStatus, Responsibility};
pub use problem::{FieldProblem, Problems};
pub use record::{FieldMap, FieldSpec, FieldValue, RecordSource};

/// Parses the closed vocabularies of the catalogue (`"01"`, `"statutory"`, `"city"` …) from their
/// file/API spelling, and writes them back. One trait so every enum speaks the same way.
pub trait Vocabulary: Sized + Copy + 'static {
    /// Every value, in display order.
    const ALL: &'static [Self];
    /// The spelling used in files, URLs and the API.
    fn key(self) -> &'static str;
    /// The name shown in Chinese.
    fn label_zh(self) -> &'static str;
    /// The name shown in English.
    fn label_en(self) -> &'static str;

    fn parse_key(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.key() == text)
    }

    /// The accepted spellings, for error messages: `"01", "02", …`.
    fn expected() -> String {
        Self::ALL
            .iter()
            .map(|v| format!("\"{}\"", v.key()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn label(self, english: bool) -> &'static str {
        if english {
            self.label_en()
        } else {
            self.label_zh()
        }
    }
}

/// A vocabulary value or a reference to one, as templates hold them.
pub trait Labelled {
    fn label_for(&self, english: bool) -> &'static str;
}

/// Declares a [`Vocabulary`] enum from rows of `Variant => "key", "中文", "English"`.
macro_rules! vocabulary {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $key:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $crate::catalogue::Vocabulary for $name {
            const ALL: &'static [Self] = &[$(Self::$variant,)+];
            fn key(self) -> &'static str { match self { $(Self::$variant => $key,)+ } }
            fn label_zh(self) -> &'static str { match self { $(Self::$variant => $zh,)+ } }
            fn label_en(self) -> &'static str { match self { $(Self::$variant => $en,)+ } }
        }

        impl $crate::catalogue::Labelled for $name {
            fn label_for(&self, english: bool) -> &'static str {
                $crate::catalogue::Vocabulary::label(*self, english)
            }
        }
        impl $crate::catalogue::Labelled for &$name {
            fn label_for(&self, english: bool) -> &'static str {
                $crate::catalogue::Vocabulary::label(**self, english)
            }
        }
        impl $crate::catalogue::Labelled for &&$name {
            fn label_for(&self, english: bool) -> &'static str {
                $crate::catalogue::Vocabulary::label(***self, english)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::catalogue::Vocabulary::key(*self))
            }
        }
    };
}
pub(crate) use vocabulary;
