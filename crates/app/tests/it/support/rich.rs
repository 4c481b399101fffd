//! A catalogue rich in the cases a file can get wrong: Chinese text, several entries per list
//! cell, literal `|` and `\` inside list parts, text that looks like a formula, a multi-line text
//! cell, codes with leading zeros, empty optional fields, a sub-power, a draft and a retired guide,
//! fees reduced, waived, restored and cancelled. Every record goes through the domain parser, so
//! each is valid.

use onewindow_domain::catalogue::{FeeItem, FieldMap, Org, Power, ServiceItem};

use super::Catalogue;

/// List entries from parts written in code (parts may hold `|` and `\`: no escaping here).
pub fn entries(lines: &[&[&str]]) -> Vec<Vec<String>> {
    lines
        .iter()
        .map(|parts| parts.iter().map(|p| (*p).to_owned()).collect())
        .collect()
}

fn map(texts: &[(&str, &str)], lists: &[(&str, &[&[&str]])]) -> FieldMap {
    let mut m = FieldMap::new();
    for (field, value) in texts {
        m.set(field, *value);
    }
    for (field, lines) in lists {
        m.set_list(field, entries(lines));
    }
    m
}

pub fn org(texts: &[(&str, &str)]) -> Org {
    Org::parse(&map(texts, &[])).unwrap_or_else(|p| panic!("org: {p}"))
}

pub fn power(texts: &[(&str, &str)], lists: &[(&str, &[&[&str]])]) -> Power {
    Power::parse(&map(texts, lists)).unwrap_or_else(|p| panic!("power: {p}"))
}

pub fn item(texts: &[(&str, &str)], lists: &[(&str, &[&[&str]])]) -> ServiceItem {
    ServiceItem::parse(&map(texts, lists)).unwrap_or_else(|p| panic!("item: {p}"))
}

pub fn fee(texts: &[(&str, &str)], lists: &[(&str, &[&[&str]])]) -> FeeItem {
    FeeItem::parse(&map(texts, lists)).unwrap_or_else(|p| panic!("fee: {p}"))
}

fn orgs() -> Vec<Org> {
    vec![
        org(&[
            ("code", "210000"),
            ("name_zh", "辽宁省市场监督管理局"),
            ("name_en", "Liaoning Administration for Market Regulation"),
            ("kind", "bureau"),
            ("level", "province"),
            ("division", "210000"),
            ("address", "沈阳市皇姑区北陵大街45-2号"),
            ("phone", "024-86912345"),
        ]),
        org(&[
            ("code", "210200"),
            ("name_zh", "大连市市场监督管理局"),
            ("kind", "bureau"),
            ("level", "city"),
            ("division", "210200"),
            ("parent_code", "210000"),
            ("address", "大连市西岗区长江路\n（行政审批大厅二号楼）"),
            ("phone", "0411-12345"),
        ]),
        // Every optional field empty.
        org(&[
            ("code", "210200-ZJY"),
            ("name_zh", "大连市质量技术监督检验研究院"),
            ("kind", "institute"),
            ("level", "city"),
            ("division", "210200"),
        ]),
        org(&[
            ("code", "210202"),
            ("name_zh", "大连市中山区市场监督管理局"),
            ("kind", "bureau"),
            ("level", "county"),
            ("division", "210202"),
            ("parent_code", "210200"),
        ]),
    ]
}

fn powers() -> Vec<Power> {
    vec![
        power(
            &[
                ("code", "0101-001"),
                ("name_zh", "工业产品生产许可（“重要工业产品”）"),
                ("name_en", "Licence | industrial products \\ A"),
                ("category", "01"),
                ("source", "delegated"),
                ("implementing_org", "210200"),
                ("handling_level", "city"),
                ("procedure", "一、受理\n二、审查\n三、决定"),
                ("statutory_limit_days", "20"),
                ("promised_limit_days", "10"),
                ("fee_basis", "不收费"),
                ("supervision", "12315, \"市长热线\""),
                ("accountability", "《中华人民共和国行政许可法》第七十一条"),
            ],
            &[
                (
                    "legal_basis",
                    &[
                        &[
                            "《中华人民共和国工业产品生产许可证管理条例》",
                            "第二条|第三条",
                        ],
                        &["C:\\法规\\实施办法", "第5条\\第6款"],
                    ],
                ),
                (
                    "responsibilities",
                    &[
                        &["受理责任", "依法受理|或不予受理"],
                        &["审查责任", "审查材料"],
                    ],
                ),
                (
                    "history",
                    &[
                        &[
                            "2019-10-01",
                            "received",
                            "辽政发〔2019〕22号",
                            "210000",
                            "省局下放|承接",
                        ],
                        &["2021-01-01", "amended", "", "", "调整 C:\\path\\"],
                    ],
                ),
            ],
        ),
        // A sub-power, delegated down to the district; its basis has no article.
        power(
            &[
                ("code", "0101-001.1"),
                ("name_zh", "工业产品生产许可（电线电缆）"),
                ("category", "01"),
                ("parent_code", "0101-001"),
                ("source", "statutory"),
                ("implementing_org", "210200"),
                ("handling_level", "city"),
                ("statutory_limit_days", "0"),
                ("promised_limit_days", "0"),
            ],
            &[
                ("legal_basis", &[&["《中华人民共和国行政许可法》"]]),
                (
                    "history",
                    &[
                        &["2015-01-01", "established", "国发〔2015〕1号"],
                        &[
                            "2022-07-01",
                            "delegated_down",
                            "辽市监〔2022〕9号",
                            "210202",
                            "下放至中山区",
                        ],
                    ],
                ),
            ],
        ),
        // Every optional field empty; cancelled and restored.
        power(
            &[
                ("code", "XK-0202-007"),
                ("name_zh", "对生产不合格产品的处罚"),
                ("category", "02"),
                ("source", "statutory"),
                ("implementing_org", "210202"),
                ("handling_level", "county"),
            ],
            &[
                (
                    "legal_basis",
                    &[&["《中华人民共和国产品质量法》", "第四十九条"]],
                ),
                (
                    "history",
                    &[
                        &["2005-01-01", "established", "主席令第71号"],
                        &["2020-05-01", "cancelled", "国发〔2020〕5号"],
                        &["2021-02-03", "restored", "国发〔2021〕7号"],
                    ],
                ),
            ],
        ),
        // Text that a spreadsheet would take for a formula must stay text.
        power(
            &[
                ("code", "0601-010"),
                ("name_zh", "计量器具监督检查"),
                ("category", "06"),
                ("source", "statutory"),
                ("implementing_org", "210000"),
                ("handling_level", "province"),
                ("supervision", "=SUM(A1:A3)"),
                ("accountability", "+86 411 \"引号\", 逗号; 分号"),
            ],
            &[
                ("legal_basis", &[&["《中华人民共和国计量法》", "第十八条"]]),
                (
                    "history",
                    &[&["2010-01-01", "established", "国务院令第1号", "", "=1+1"]],
                ),
            ],
        ),
    ]
}

fn items() -> Vec<ServiceItem> {
    vec![
        item(
            &[
                ("code", "0101-001-01"),
                ("name_zh", "工业产品生产许可证核发（新办）"),
                ("name_en", "Production licence (new)"),
                ("power_code", "0101-001"),
                ("handling_kind", "new"),
                ("applicants", "依法设立的企业"),
                ("handling_org", "210200"),
                ("place", "大连市政务服务中心\n三楼 12 号窗口"),
                ("hours", "周一至周五 9:00–17:00"),
                ("phone", "0411-88888888"),
                ("statutory_limit_days", "20"),
                ("promised_limit_days", "10"),
                ("fees", "不收费"),
                ("result", "全国工业产品生产许可证"),
                ("validity", "5年"),
                ("visits_max", "1"),
                ("consultation", "电话 0411-88888888"),
                ("complaint", "12345"),
                ("status", "published"),
            ],
            &[
                (
                    "conditions",
                    &[
                        &["取得营业执照|或事业单位法人证书"],
                        &["有与生产相适应的场所"],
                    ],
                ),
                (
                    "materials",
                    &[
                        &[
                            "申请书",
                            "original",
                            "1",
                            "申请人自备\\网上下载",
                            "yes",
                            "https://example.cn/t?a=1|b=2",
                            "no",
                        ],
                        &["营业执照", "copy", "2", "", "no", "", "yes"],
                    ],
                ),
                ("procedure", &[&["申请"], &["受理"], &["审查"], &["决定"]]),
                (
                    "special_steps",
                    &[
                        &[
                            "产品检验",
                            "30",
                            "《条例》第十条|第十一条",
                            "按标准收费",
                            "no",
                        ],
                        &["专家评审", "", "", "", "yes"],
                    ],
                ),
                (
                    "legal_basis",
                    &[&["《中华人民共和国工业产品生产许可证管理条例》", "第二条"]],
                ),
                ("faq", &[&["可以网上办理吗|线下呢？", "可以。\\见网站"]]),
            ],
        ),
        // A draft: only what a draft needs.
        item(
            &[
                ("code", "0101-001-02"),
                ("name_zh", "工业产品生产许可证变更"),
                ("power_code", "0101-001.1"),
                ("handling_kind", "change"),
                ("handling_org", "210202"),
                ("status", "draft"),
            ],
            &[],
        ),
        item(
            &[
                ("code", "0601-010-01"),
                ("name_zh", "计量器具检查（已停用）"),
                ("power_code", "0601-010"),
                ("handling_kind", "other"),
                ("handling_org", "210200-ZJY"),
                ("status", "retired"),
            ],
            &[],
        ),
    ]
}

fn fees() -> Vec<FeeItem> {
    let basis: &[&[&str]] = &[&["《中华人民共和国价格法》", "第十二条"]];
    vec![
        fee(
            &[
                ("code", "SF-0101"),
                ("name_zh", "生产许可证工本费"),
                ("power_code", "0101-001"),
                ("standard", "每件300元|加急500元"),
            ],
            &[
                ("legal_basis", basis),
                (
                    "history",
                    &[
                        &["2005-01-01", "established", "价费字〔2005〕1号"],
                        &["2017-04-01", "reduced", "财税〔2017〕20号", "", "减半"],
                        &["2019-07-01", "reduced", "发改价格〔2019〕3号"],
                    ],
                ),
            ],
        ),
        fee(
            &[
                ("code", "SF-0002"),
                ("name_zh", "计量检定费"),
                ("name_en", "Verification fee"),
                ("standard", "每台100元"),
            ],
            &[
                ("legal_basis", basis),
                (
                    "history",
                    &[
                        &["2005-01-01", "established", "价费字〔2005〕2号"],
                        &[
                            "2015-01-01",
                            "cancelled",
                            "财税〔2014〕101号",
                            "",
                            "全面取消",
                        ],
                    ],
                ),
            ],
        ),
        fee(
            &[
                ("code", "SF-0003"),
                ("name_zh", "检验费"),
                ("standard", "按标准"),
            ],
            &[
                ("legal_basis", basis),
                (
                    "history",
                    &[
                        &["2008-01-01", "established", "价费字〔2008〕3号"],
                        &[
                            "2020-02-01",
                            "waived",
                            "财政部公告2020年第8号",
                            "",
                            "疫情期间 \\| 免征",
                        ],
                        &["2020-12-31", "restored", "财政部公告2020年第99号"],
                    ],
                ),
            ],
        ),
    ]
}

/// The rich catalogue, in the order a person would list it (not by code).
pub fn catalogue() -> Catalogue {
    Catalogue {
        orgs: orgs(),
        powers: powers(),
        items: items(),
        fees: fees(),
    }
}
