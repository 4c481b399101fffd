//! The list parameters the API and the pages share, checked once: unknown names, unknown
//! vocabulary values and malformed pagination are refused naming the parameter.

use onewindow_app::catalogue::PageRequest;
use onewindow_domain::catalogue::{
    CatalogueCode, ItemStatus, OrgCode, PowerCategory, PowerSource, PowerStatus, Vocabulary,
};
use onewindow_store::{ItemFilter, PowerFilter};

use crate::extract::RawParams;

mod licences;
pub use licences::{register_page, register_window};

/// A parameter and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadParam {
    pub name: String,
    pub message: String,
}

fn bad(name: &str, message: impl Into<String>) -> BadParam {
    BadParam {
        name: name.to_owned(),
        message: message.into(),
    }
}

pub const POWER_PARAMS: &[&str] = &[
    "q", "category", "status", "org", "source", "page", "per_page",
];
pub const ITEM_PARAMS: &[&str] = &["q", "power", "page", "per_page"];

/// The longest search text accepted.
const MAX_QUERY_CHARS: usize = 100;

fn vocabulary<V: Vocabulary>(params: &RawParams, name: &str) -> Result<Option<V>, BadParam> {
    params
        .get(name)
        .map(|v| {
            V::parse_key(v)
                .ok_or_else(|| bad(name, format!("\"{v}\" is not one of {}", V::expected())))
        })
        .transpose()
}

fn number(params: &RawParams, name: &str, default: u32) -> Result<u32, BadParam> {
    match params.get(name) {
        None => Ok(default),
        Some(v) => v
            .parse::<u32>()
            .map_err(|_| bad(name, format!("\"{v}\" is not a positive whole number"))),
    }
}

pub fn page(params: &RawParams) -> Result<PageRequest, BadParam> {
    let number_ = number(params, "page", 1)?;
    let size = number(params, "per_page", PageRequest::DEFAULT_SIZE)?;
    PageRequest::new(number_, size).map_err(|m| {
        let name = if number_ == 0 { "page" } else { "per_page" };
        bad(name, m)
    })
}

fn text(params: &RawParams) -> Result<Option<String>, BadParam> {
    match params.get("q") {
        Some(q) if q.chars().count() > MAX_QUERY_CHARS => Err(bad(
            "q",
            format!("is longer than {MAX_QUERY_CHARS} characters"),
        )),
        q => Ok(q.map(str::to_owned)),
    }
}

pub fn check_names(params: &RawParams, allowed: &[&str]) -> Result<(), BadParam> {
    if let Some(name) = params.repeated() {
        return Err(bad(name, "is given more than once"));
    }
    match params.unknown(allowed) {
        Some(name) => Err(bad(
            name,
            format!("is not a known parameter; known: {}", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

/// Filters of the power list.
pub struct PowerQuery {
    pub filter: PowerFilter,
    pub status: Option<PowerStatus>,
    pub page: PageRequest,
}

impl PowerQuery {
    pub fn parse(params: &RawParams) -> Result<Self, BadParam> {
        check_names(params, POWER_PARAMS)?;
        let org = params
            .get("org")
            .map(|v| OrgCode::parse(v).map_err(|e| bad("org", e.to_string())))
            .transpose()?;
        Ok(Self {
            filter: PowerFilter {
                text: text(params)?,
                category: vocabulary::<PowerCategory>(params, "category")?,
                source: vocabulary::<PowerSource>(params, "source")?,
                org,
            },
            status: vocabulary::<PowerStatus>(params, "status")?,
            page: page(params)?,
        })
    }
}

/// Filters of the published guides list.
pub struct ItemQuery {
    pub filter: ItemFilter,
    pub page: PageRequest,
}

impl ItemQuery {
    pub fn parse(params: &RawParams) -> Result<Self, BadParam> {
        check_names(params, ITEM_PARAMS)?;
        let power = params
            .get("power")
            .map(|v| CatalogueCode::parse(v).map_err(|e| bad("power", e.to_string())))
            .transpose()?;
        Ok(Self {
            filter: ItemFilter {
                text: text(params)?,
                power,
                status: Some(ItemStatus::Published),
            },
            page: page(params)?,
        })
    }
}

/// A code from the path.
pub fn code(text: &str) -> Result<CatalogueCode, BadParam> {
    CatalogueCode::parse(text).map_err(|e| bad("code", e.to_string()))
}
