//! Helpers for the case-flow tests: the demo seeded at a fixed day, people in their roles, the
//! pump licence's materials, and one-line moves.

use onewindow_app::App;
use onewindow_app::cases::{MoveRequest, Person, Submission, Upload};
use onewindow_domain::access::Role;
use onewindow_domain::catalogue::{CatalogueCode, OrgCode};
use onewindow_domain::flow::MoveInput;
use onewindow_domain::identifiers::CreditCode;

use super::{TestApp, set_clock};

pub const ITEM: &str = "BS-XK-0101-002-XB";
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

pub async fn demo(t: &TestApp) {
    set_clock(t, "2026-11-16T01:00:00Z");
    t.seed_demo().await.expect("the demo seeds");
}

pub fn staff(user: &str, role: Role, org: &str) -> Person {
    Person::Staff {
        user: user.into(),
        role,
        org: OrgCode::parse(org).expect("an org code"),
    }
}

pub fn enterprise() -> Person {
    Person::Enterprise {
        user: "haitong".into(),
        credit_code: CreditCode::complete("91210211MA0Y4K7P").expect("a credit code"),
    }
}

pub fn upload(material: &str) -> Upload {
    Upload {
        material: material.into(),
        file_name: "scan.pdf".into(),
        bytes: format!("{}{material}", String::from_utf8_lossy(PDF)).into_bytes(),
    }
}

/// Every material the pump guide requires, except the business licence (the bureau holds it).
pub fn guide_uploads() -> Vec<Upload> {
    [
        "《全国工业产品生产许可证申请书》",
        "生产场所土地或房屋产权证明或租赁合同",
        "主要生产设备和检验设备清单",
        "质量管理制度和责任制度文件目录",
        "专业技术人员和检验人员名单及资格证明",
        "产品执行标准清单及企业标准文本",
    ]
    .into_iter()
    .map(upload)
    .collect()
}

pub async fn apply(app: &App, key: &str) -> String {
    app.submit_application(
        &enterprise(),
        Submission {
            item: CatalogueCode::parse(ITEM).expect("a code"),
            applicant: None,
            applicant_name: None,
            applicant_address: None,
            uploads: guide_uploads(),
            idempotency_key: Some(key.into()),
            licence: None,
        },
    )
    .await
    .expect("the application is submitted")
}

pub async fn version(app: &App, person: &Person, number: &str) -> i64 {
    app.case_view(person, number)
        .await
        .expect("visible")
        .record
        .version
}

pub async fn act(
    app: &App,
    person: &Person,
    number: &str,
    step: &str,
    outcome: &str,
    input: MoveInput,
) {
    let expected_version = version(app, person, number).await;
    app.make_move(
        person,
        number,
        MoveRequest {
            step: step.into(),
            outcome: outcome.into(),
            expected_version,
            input,
            uploads: Vec::new(),
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{step}/{outcome}: {e}"));
}

/// The bureau's window clerk accepts `number` (through `app`).
pub async fn accept(app: &App, number: &str) {
    act(
        app,
        &staff("clerk", Role::WindowClerk, "210200"),
        number,
        "acceptance",
        "accept",
        MoveInput::default(),
    )
    .await;
}

/// Two inspectors of the bureau pass the on-site verification of `number` (through `app`).
pub async fn pass_on_site(app: &App, number: &str) {
    act(
        app,
        &staff("inspector", Role::Inspector, "210200"),
        number,
        "onsite_verification",
        "pass",
        with(|i| i.inspectors = vec!["inspector".into(), "inspector2".into()]),
    )
    .await;
}

pub fn with(f: impl FnOnce(&mut MoveInput)) -> MoveInput {
    let mut input = MoveInput::default();
    f(&mut input);
    input
}
