//! The catalogue every test starts with: two orgs, three powers, two guides and a fee.

use onewindow_domain::catalogue::fixtures::{fee, item, org};
use onewindow_domain::catalogue::{FieldMap, ItemStatus, Power};
use onewindow_store::{CatalogueBatch, Write};

use super::{CABLE, CABLE_DRAFT, PENALTY, PUMP, PUMP_GUIDE};

fn power(
    code: &str,
    name: &str,
    category: &str,
    source: &str,
    org: &str,
    history: &[&str],
) -> Power {
    Power::parse(
        &FieldMap::new()
            .with("code", code)
            .with("name_zh", name)
            .with("category", category)
            .with("source", source)
            .with("implementing_org", org)
            .with("handling_level", "city")
            .with("statutory_limit_days", "20")
            .with("promised_limit_days", "10")
            .with_lines("legal_basis", &["《中华人民共和国行政许可法》|第三十二条"])
            .with_lines("history", history),
    )
    .expect("test power is valid")
}

/// Two orgs, three powers (one cancelled), a published guide, a draft one missing its phone
/// and fees, and a fee item.
pub fn batch() -> CatalogueBatch {
    let established = "2005-01-01|established|国务院令第412号";
    let mut draft = item(CABLE_DRAFT, "电线电缆生产许可证核发", CABLE, "210202");
    draft.status = ItemStatus::Draft;
    draft.phone.clear();
    draft.fees.clear();
    CatalogueBatch {
        orgs: vec![
            Write::new(org("210200", "大连市市场监督管理局")),
            Write::new(org("210202", "中山区市场监督管理局")),
        ],
        powers: vec![
            Write::new(power(
                PUMP,
                "泵类产品生产许可",
                "01",
                "statutory",
                "210200",
                &[established],
            )),
            Write::new(power(
                CABLE,
                "电线电缆生产许可",
                "01",
                "delegated",
                "210202",
                &[established],
            )),
            Write::new(power(
                PENALTY,
                "计量违法行为处罚",
                "02",
                "entrusted",
                "210200",
                &[established, "2020-06-01|cancelled|辽政发〔2020〕1号"],
            )),
        ],
        items: vec![
            Write::new(item(PUMP_GUIDE, "泵类产品生产许可证核发", PUMP, "210200")),
            Write::new(draft),
        ],
        fees: vec![Write::new(fee("SF-001", "计量器具检定费"))],
    }
}
