//! The demo register: eight licences of demo enterprises in Dalian, one or more in every status
//! (valid, suspended, revoked, expired, cancelled, and one suspended then reinstated), for the
//! demo catalogue's licensing items, with the licence policy giving those items their number
//! codes. Dates are counted back from the day the demo is seeded, so the statuses hold whenever
//! it runs. Issued and changed through the same use case and rules as real licences.

use jiff::Span;
use jiff::civil::Date;
use onewindow_domain::catalogue::{CatalogueCode, OrgCode};
use onewindow_domain::identifiers::CreditCode;
use onewindow_domain::licences::{ItemCodes, LicencePolicy, LicenceType, StatusChange};
use onewindow_store::AuditEntry;

use crate::licences::{IssueLicence, POLICY_SETTING};
use crate::{App, AppError};

const ORG: &str = "210200";
const ACTOR: &str = "demo";

/// The demo bureau's electronic licence identifiers (RULES.md §8, optional; configured here so
/// the demo shows them): the first 16 characters of an illustrative credit code of a government
/// organ (category 1, organ 1, Dalian), completed with both its checks, and illustrative type
/// codes in the published shape (the defining authority's code and a 3-digit number).
const ELECTRONIC_ISSUER_STEM: &str = "1121020000012345";
const ELECTRONIC_TYPE_CODES: [&str; 2] = ["11100000000013338W018", "11100000000013338W019"];

/// The demo catalogue's licensing items and the codes their numbers carry. The XK industry and
/// product codes are illustrative, in the shape RULES.md §2 gives.
const ITEM_CODES: &[(&str, ItemCodes)] = &[
    (
        "BS-XK-0101-001-XB",
        ItemCodes::IndustrialProduct {
            industry: 6,
            product: 14,
        },
    ),
    (
        "BS-XK-0101-002-XB",
        ItemCodes::IndustrialProduct {
            industry: 13,
            product: 6,
        },
    ),
    (
        "BS-XK-0101-003-XB",
        ItemCodes::IndustrialProduct {
            industry: 11,
            product: 3,
        },
    ),
    (
        "BS-XK-0101-004-XB",
        ItemCodes::IndustrialProduct {
            industry: 19,
            product: 1,
        },
    ),
    (
        "BS-XK-0101-005-XB",
        ItemCodes::IndustrialProduct {
            industry: 13,
            product: 11,
        },
    ),
    (
        "BS-XK-0103-001-XB",
        ItemCodes::SpecialEquipment {
            item: 27,
            region: 21,
        },
    ),
];

/// One demo licence: item, holder, credit code stem (16 characters, checks computed), address,
/// scope, days before today it was issued, and its changes as (days before today, change,
/// reason).
struct DemoLicence {
    item: &'static str,
    holder: &'static str,
    stem: &'static str,
    address: &'static str,
    scope: &'static [&'static str],
    issued_days_ago: i64,
    changes: &'static [(i64, StatusChange, &'static str)],
}

const LICENCES: &[DemoLicence] = &[
    DemoLicence {
        item: "BS-XK-0103-001-XB",
        holder: "大连海通阀门制造有限公司",
        stem: "91210213MA0QK3L8",
        address: "辽宁省大连市金州区董家沟街道海通路18号",
        scope: &["压力管道元件制造：管件 B级"],
        issued_days_ago: 400,
        changes: &[],
    },
    DemoLicence {
        item: "BS-XK-0101-001-XB",
        holder: "大连华锐耐火材料有限公司",
        stem: "9121020071640101",
        address: "辽宁省大连市甘井子区革镇堡街道耐火路6号",
        scope: &["耐火材料：定形耐火制品", "耐火材料：不定形耐火材料"],
        issued_days_ago: 730,
        changes: &[],
    },
    DemoLicence {
        item: "BS-XK-0101-002-XB",
        holder: "大连深蓝泵业有限公司",
        stem: "91210211MA0TN2P4",
        address: "辽宁省大连市甘井子区营城子工业园区泵业街3号",
        scope: &["泵：离心泵", "泵：潜水电泵"],
        issued_days_ago: 1100,
        changes: &[(
            20,
            StatusChange::Suspend,
            "监督抽查产品不合格，责令限期整改",
        )],
    },
    DemoLicence {
        item: "BS-XK-0101-003-XB",
        holder: "大连金州电热毯厂",
        stem: "91210213716400K7",
        address: "辽宁省大连市金州区友谊街道工业路22号",
        scope: &["电热毯"],
        issued_days_ago: 700,
        changes: &[(
            60,
            StatusChange::Revoke,
            "以欺骗手段取得许可，依《行政许可法》第六十九条撤销",
        )],
    },
    DemoLicence {
        item: "BS-XK-0101-004-XB",
        holder: "大连普兰店人造板有限公司",
        stem: "91210214MA0U4X7P",
        address: "辽宁省大连市普兰店区皮口街道板材路9号",
        scope: &["人造板：胶合板", "人造板：细木工板"],
        // Five years and forty days ago: its five-year validity ran out forty days ago.
        issued_days_ago: 5 * 365 + 41,
        changes: &[],
    },
    DemoLicence {
        item: "BS-XK-0101-005-XB",
        holder: "大连瓦房店包装容器有限公司",
        stem: "9121028172840033",
        address: "辽宁省瓦房店市西郊工业园区容器街5号",
        scope: &["危险化学品包装物及容器：钢桶"],
        issued_days_ago: 380,
        changes: &[(
            10,
            StatusChange::Cancel,
            "企业申请终止生产，依《行政许可法》第七十条注销",
        )],
    },
    DemoLicence {
        item: "BS-XK-0103-001-XB",
        holder: "大连长兴岛阀门有限公司",
        stem: "91210244MA0XR6C1",
        address: "辽宁省大连市长兴岛经济区临港工业区阀门路1号",
        scope: &["压力管道元件制造：管件 B级", "压力管道元件制造：阀门 B级"],
        issued_days_ago: 365,
        changes: &[
            (90, StatusChange::Suspend, "鉴定评审发现焊接工艺评定缺失"),
            (30, StatusChange::Reinstate, "整改完成，经复查符合许可条件"),
        ],
    },
    DemoLicence {
        item: "BS-XK-0101-002-XB",
        holder: "大连旅顺泵阀有限公司",
        stem: "91210212MA0Y7D2K",
        address: "辽宁省大连市旅顺口区三涧堡街道泵阀路12号",
        scope: &["泵：离心泵"],
        issued_days_ago: 10,
        changes: &[],
    },
];

fn refused(e: impl std::fmt::Display) -> AppError {
    AppError::Refused(format!("demo licences: {e}"))
}

fn days_before(today: Date, days: i64) -> Result<Date, AppError> {
    today.checked_sub(Span::new().days(days)).map_err(refused)
}

impl App {
    /// Writes the demo licence policy and issues the demo licences with their histories.
    pub(super) async fn seed_demo_licences(&self) -> Result<(), AppError> {
        let mut policy = LicencePolicy::default();
        for (item, codes) in ITEM_CODES {
            policy.items.insert((*item).to_owned(), *codes);
        }
        policy.electronic_issuer =
            Some(CreditCode::complete(ELECTRONIC_ISSUER_STEM).map_err(refused)?);
        policy.industrial_product.electronic_type_code = Some(ELECTRONIC_TYPE_CODES[0].into());
        policy.special_equipment.electronic_type_code = Some(ELECTRONIC_TYPE_CODES[1].into());
        policy.check().map_err(refused)?;
        let json = serde_json::to_string(&policy).map_err(refused)?;
        self.store.set_setting(POLICY_SETTING, &json).await?;
        let today = self.today();
        let org = OrgCode::parse(ORG).map_err(refused)?;
        for (i, demo) in LICENCES.iter().enumerate() {
            let issued_on = days_before(today, demo.issued_days_ago)?;
            let item_code = CatalogueCode::parse(demo.item).map_err(refused)?;
            let licence_type = ITEM_CODES
                .iter()
                .find(|(item, _)| *item == demo.item)
                .map_or(LicenceType::IndustrialProduct, |(_, c)| c.licence_type());
            let licence = self
                .issue_licence(IssueLicence {
                    case_number: format!("{}-9{:05}", issued_on.year(), i + 1),
                    item_code,
                    licence_type,
                    holder_name: demo.holder.into(),
                    holder_credit_code: CreditCode::complete(demo.stem).map_err(refused)?,
                    production_address: demo.address.into(),
                    scope: demo.scope.iter().map(|s| (*s).to_owned()).collect(),
                    issuing_org: org.clone(),
                    issued_on,
                    actor: ACTOR.into(),
                })
                .await?;
            let mut current = licence;
            for (days_ago, change, reason) in demo.changes {
                let on = days_before(today, *days_ago)?;
                let event = current
                    .decide(*change, reason, ACTOR, on)
                    .map_err(refused)?;
                let audit = AuditEntry {
                    at: self.clock.now(),
                    actor: ACTOR.into(),
                    action: "change_licence_status".into(),
                    detail: format!("{}: {reason}", current.number),
                };
                current = self
                    .store
                    .append_licence_event(&current.number, current.version(), &event, &audit)
                    .await?
                    .ok_or_else(|| refused("a licence just issued is missing"))?;
            }
        }
        Ok(())
    }
}
