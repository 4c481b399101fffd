//! Small valid records for tests of every layer (the conformance suite, HTTP tests). Not demo
//! data: the demo catalogue is a file in `app`.

use super::{FeeItem, FieldMap, Org, Power, ServiceItem};

pub fn org(code: &str, name: &str) -> Org {
    let division = &code[..6];
    Org::parse(
        &FieldMap::new()
            .with("code", code)
            .with("name_zh", name)
            .with(
                "kind",
                if code.len() > 6 {
                    "institute"
                } else {
                    "bureau"
                },
            )
            .with("level", "city")
            .with("division", division),
    )
    .expect("fixture org is valid")
}

pub fn power(code: &str, name: &str, org: &str) -> Power {
    Power::parse(
        &FieldMap::new()
            .with("code", code)
            .with("name_zh", name)
            .with("category", "01")
            .with("source", "statutory")
            .with("implementing_org", org)
            .with("handling_level", "city")
            .with("statutory_limit_days", "20")
            .with("promised_limit_days", "10")
            .with_lines("legal_basis", &["《中华人民共和国行政许可法》|第三十二条"])
            .with_lines("history", &["2005-01-01|established|国务院令第412号"]),
    )
    .expect("fixture power is valid")
}

/// A complete, published guide.
pub fn item(code: &str, name: &str, power: &str, org: &str) -> ServiceItem {
    ServiceItem::parse(
        &FieldMap::new()
            .with("code", code)
            .with("name_zh", name)
            .with("power_code", power)
            .with("handling_kind", "new")
            .with("applicants", "依法设立的企业")
            .with("handling_org", org)
            .with("place", "政务服务中心一楼")
            .with("hours", "周一至周五 9:00–17:00")
            .with("phone", "0411-00000000")
            .with_lines("conditions", &["有营业执照"])
            .with_lines("materials", &["申请书|original|1|申请人自备|yes||no"])
            .with_lines("procedure", &["申请", "受理", "审查", "决定"])
            .with("statutory_limit_days", "20")
            .with("promised_limit_days", "10")
            .with_lines(
                "special_steps",
                &["检验|15|《行政许可法》第四十五条|不收费|no"],
            )
            .with("fees", "不收费")
            .with_lines("legal_basis", &["《中华人民共和国行政许可法》|第三十二条"])
            .with("result", "许可证")
            .with("consultation", "电话咨询")
            .with("complaint", "12345")
            .with("status", "published"),
    )
    .expect("fixture item is valid")
}

pub fn fee(code: &str, name: &str) -> FeeItem {
    FeeItem::parse(
        &FieldMap::new()
            .with("code", code)
            .with("name_zh", name)
            .with("standard", "每件100元")
            .with_lines("legal_basis", &["《中华人民共和国计量法》|第九条"])
            .with_lines("history", &["2005-01-01|established|价费字〔2005〕1号"]),
    )
    .expect("fixture fee is valid")
}
