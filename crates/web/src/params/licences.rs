//! The licence register's parameters, shared by `/licences` and `/api/v1/licences`: the filters,
//! and the window — `page`/`per_page` on pages, `offset`/`limit` on the API.

use onewindow_app::licences::{MAX_REGISTER_LIMIT, RegisterQuery};
use onewindow_domain::catalogue::OrgCode;
use onewindow_domain::identifiers::CreditCode;
use onewindow_domain::licences::LicenceStatus;

use super::{BadParam, bad, check_names, number, text, vocabulary};
use crate::extract::RawParams;

/// What the register page accepts.
pub const REGISTER_PAGE_PARAMS: &[&str] = &["q", "status", "holder", "org", "page", "per_page"];
/// What the register API accepts.
pub const REGISTER_API_PARAMS: &[&str] = &["q", "status", "holder", "org", "offset", "limit"];

/// The register's filters.
fn filters(params: &RawParams) -> Result<RegisterQuery, BadParam> {
    let holder = params
        .get("holder")
        .map(|v| CreditCode::parse(v).map_err(|e| bad("holder", e.to_string())))
        .transpose()?;
    let org = params
        .get("org")
        .map(|v| OrgCode::parse(v).map_err(|e| bad("org", e.to_string())))
        .transpose()?;
    Ok(RegisterQuery {
        text: text(params)?,
        status: vocabulary::<LicenceStatus>(params, "status")?,
        holder_credit_code: holder,
        issuing_org: org,
    })
}

/// The filters and the 1-based page of the register page.
pub fn register_page(
    params: &RawParams,
) -> Result<(RegisterQuery, onewindow_app::catalogue::PageRequest), BadParam> {
    check_names(params, REGISTER_PAGE_PARAMS)?;
    Ok((filters(params)?, super::page(params)?))
}

/// The filters, offset and limit of the register API.
pub fn register_window(params: &RawParams) -> Result<(RegisterQuery, u32, u32), BadParam> {
    check_names(params, REGISTER_API_PARAMS)?;
    let offset = number(params, "offset", 0)?;
    let limit = number(params, "limit", 50)?;
    if !(1..=MAX_REGISTER_LIMIT).contains(&limit) {
        return Err(bad(
            "limit",
            format!("is 1–{MAX_REGISTER_LIMIT}, not {limit}"),
        ));
    }
    Ok((filters(params)?, offset, limit))
}
