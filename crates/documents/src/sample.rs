//! Sample data for every document kind.
//!
//! Used to check an administrator's template before it is saved (it must compile
//! with realistic data), by the tests and by the benchmark. Invented enterprise and
//! numbers; it must not be used to issue anything.

use std::collections::BTreeMap;

use jiff::civil::date;

use crate::data::{DocumentData, Holder, LICENCE_IDENTIFIER, VALID_UNTIL};
use crate::kind::DocumentKind;

/// Realistic data for `kind` that satisfies [`DocumentKind::requirements`].
pub fn sample_data(kind: DocumentKind) -> DocumentData {
    use DocumentKind as K;
    let mut data = DocumentData {
        kind,
        number: format!("辽市监许〔2026〕{:04}号", 100 + u32::from(kind.code())),
        bureau: "辽宁省市场监督管理局".to_owned(),
        case_number: "XK2026-000123".to_owned(),
        holder: Holder {
            name: "大连华信阀门制造有限公司".to_owned(),
            credit_code: "91110000600037341L".to_owned(),
        },
        issued_on: date(2026, 11, 27),
        dates: BTreeMap::new(),
        fields: BTreeMap::new(),
        items: Vec::new(),
    };
    let item = "工业产品生产许可证（危险化学品包装物、容器）核发";
    let rights = [
        ("reconsideration_organ", "辽宁省人民政府"),
        ("court", "大连市中山区人民法院"),
    ];
    let mut field = |k: &str, v: &str| {
        data.fields.insert(k.to_owned(), v.to_owned());
    };
    match kind {
        K::Acceptance => {
            field("item", item);
            field("limit", "60日（检验检测时间不计算在内）");
        }
        K::Refusal => {
            field("item", item);
            field("competent_organ", "大连市市场监督管理局");
            rights.iter().for_each(|(k, v)| field(k, v));
        }
        K::SupplementNotice | K::DenialDecision | K::GrantDecision => {
            field("item", item);
            if kind == K::DenialDecision {
                rights.iter().for_each(|(k, v)| field(k, v));
            }
            if kind == K::GrantDecision {
                field("product", "危险化学品包装物、容器（钢桶）");
                field("licence_number", "(辽)XK13-006-00042");
            }
        }
        K::SpecialProcedureNotice => {
            field("item", item);
            field("procedure", "产品检验");
            field("duration", "30日");
            field("institution", "辽宁省产品质量监督检验院");
        }
        K::ExtensionNotice => {
            field("item", item);
            field("extension", "10个工作日");
        }
        K::LicenceOriginal | K::LicenceCopy => {
            data.number = "(辽)XK13-006-00042".to_owned();
            field("domicile", "辽宁省大连市甘井子区华北路 188 号");
            field("production_address", "辽宁省大连市普兰店区工业园区 6 号");
            field("product", "危险化学品包装物、容器（钢桶）");
            field(
                LICENCE_IDENTIFIER,
                "1.2.156.3005.2.11100000000013338W018.91110000600037341L.0042.001.K",
            );
        }
        K::ChangeNotice => {
            field("licence_number", "(辽)XK13-006-00042");
        }
        K::CancellationNotice => {
            field("licence_number", "(辽)XK13-006-00042");
            field(
                "ground",
                "许可证有效期届满未延续（《中华人民共和国行政许可法》第七十条第（一）项）",
            );
            rights.iter().for_each(|(k, v)| field(k, v));
        }
        K::RenewalReminder => {
            field("licence_number", "(辽)XK13-006-00042");
            field("product", "危险化学品包装物、容器（钢桶）");
        }
    }
    let items: &[&str] = match kind {
        K::Refusal => &["申请事项不属于本机关职权范围"],
        K::SupplementNotice => &[
            "营业执照副本复印件（加盖公章）",
            "生产场所平面布置图",
            "主要生产设备和检验设备清单",
            "质量管理制度文件",
        ],
        K::ExtensionNotice => &["需组织专家对生产工艺进行补充论证"],
        K::DenialDecision => &[
            "经实地核查，企业不具备与所申请产品相适应的检验设备",
            "产品检验结论为不合格（检验报告编号 LNQI-2026-0815）",
        ],
        K::LicenceCopy => &["钢桶 200L 闭口", "钢桶 200L 开口"],
        K::ChangeNotice => &["企业名称：原“大连华信阀门厂”变更为“大连华信阀门制造有限公司”"],
        _ => &[],
    };
    data.items = items.iter().map(|s| (*s).to_owned()).collect();
    let dates: &[(&str, jiff::civil::Date)] = match kind {
        K::Acceptance | K::Refusal | K::SupplementNotice => &[("submitted_on", date(2026, 11, 23))],
        K::SpecialProcedureNotice => &[("expected_end", date(2027, 1, 8))],
        K::ExtensionNotice => &[("new_deadline", date(2027, 1, 15))],
        K::GrantDecision | K::LicenceOriginal | K::LicenceCopy => {
            &[(VALID_UNTIL, date(2031, 11, 26))]
        }
        K::CancellationNotice => &[("effective_on", date(2026, 11, 27))],
        K::RenewalReminder => &[
            (VALID_UNTIL, date(2027, 6, 30)),
            ("apply_before", date(2026, 12, 30)),
        ],
        _ => &[],
    };
    data.dates = dates.iter().map(|(k, d)| ((*k).to_owned(), *d)).collect();
    data
}
