//! The electronic licence identifier a licence's certificate carries when the policy configures
//! it (RULES.md §8): serial from the number, version = certificates issued, check character
//! recomputed here independently, and a configuration that could not make identifiers refused
//! with the field named.

use jiff::civil::Date;
use onewindow_domain::catalogue::{CatalogueCode, OrgCode};
use onewindow_domain::identifiers::{CreditCode, LicenceNumber};
use onewindow_domain::licences::{
    Licence, LicenceEvent, LicenceEventKind, LicenceGrant, LicencePolicy, LicenceType, StatusChange,
};

const TYPE_CODE: &str = "11100000000013338W011";
const ISSUER: &str = "11430000006122244L";

fn day(text: &str) -> Date {
    text.parse().expect("a date")
}

fn licence(number: &str, licence_type: LicenceType) -> Licence {
    Licence {
        number: LicenceNumber::parse(number).expect("a number"),
        grant: LicenceGrant {
            licence_type,
            item_code: CatalogueCode::parse("BS-XK-0101-001-XB").expect("a code"),
            holder_name: "大连海通阀门制造有限公司".into(),
            holder_credit_code: CreditCode::parse("91110000600037341L").expect("valid"),
            production_address: "辽宁省大连市金州区".into(),
            scope: vec!["耐火材料".into()],
            issued_on: day("2026-05-04"),
            valid_until: day("2031-05-03"),
            issuing_org: OrgCode::parse("210200").expect("an org"),
            case_number: "2026-000001".into(),
        },
        events: Vec::new(),
    }
}

fn configured() -> LicencePolicy {
    let mut policy = LicencePolicy {
        electronic_issuer: Some(CreditCode::parse(ISSUER).expect("valid")),
        ..Default::default()
    };
    policy.industrial_product.electronic_type_code = Some(TYPE_CODE.into());
    policy
}

/// ISO/IEC 7064 hybrid MOD 37,36, written out here from the standard's recurrence so the
/// product's own implementation is not checked against itself.
fn mod_37_36(data: &str) -> char {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut p = 36;
    for c in data.bytes() {
        let value = ALPHABET.iter().position(|&a| a == c).expect("0-9 A-Z");
        let mut s = (p + value) % 36;
        if s == 0 {
            s = 36;
        }
        p = (2 * s) % 37;
    }
    char::from(ALPHABET[(37 - p) % 36])
}

#[test]
fn the_independent_check_reproduces_a_published_identifier() {
    // 1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U
    assert_eq!(
        mod_37_36("11100000000013338W01111430000006122244L20230000403001"),
        'U'
    );
}

#[test]
fn a_configured_type_gets_its_identifier_from_the_number_with_version_one() {
    let l = licence("（辽）XK06-014-00001", LicenceType::IndustrialProduct);
    let id = configured().electronic_id(&l).expect("configured");
    let data = format!("{TYPE_CODE}{ISSUER}XK0601400001001");
    assert_eq!(
        id.to_string(),
        format!(
            "1.2.156.3005.2.{TYPE_CODE}.{ISSUER}.XK0601400001.001.{}",
            mod_37_36(&data)
        )
    );
}

#[test]
fn each_change_and_renewal_bumps_the_version_and_status_changes_do_not() {
    let mut l = licence("（辽）XK06-014-00001", LicenceType::IndustrialProduct);
    let policy = configured();
    let event = |kind| LicenceEvent {
        on: day("2027-01-04"),
        kind,
        actor: "signatory".into(),
    };
    l.events.push(event(LicenceEventKind::Changed {
        case_number: "2027-000002".into(),
        holder_name: "大连海通阀门有限公司".into(),
        production_address: "辽宁省大连市金州区".into(),
        scope: vec!["耐火材料".into()],
    }));
    assert_eq!(policy.electronic_id(&l).expect("id").version(), 2);
    let suspended = l
        .decide(
            StatusChange::Suspend,
            "整改",
            "signatory",
            day("2027-02-01"),
        )
        .expect("allowed");
    l.events.push(suspended);
    assert_eq!(l.certificate_count(), 2);
    l.events.push(event(LicenceEventKind::Renewed {
        case_number: "2031-000003".into(),
        valid_until: day("2036-05-03"),
        deemed: true,
    }));
    let id = policy.electronic_id(&l).expect("id");
    assert_eq!(id.version(), 3);
    assert_eq!(
        id.check(),
        mod_37_36(&format!("{TYPE_CODE}{ISSUER}XK0601400001003"))
    );
}

#[test]
fn without_configuration_or_for_an_unconfigured_type_there_is_no_identifier() {
    let xk = licence("（辽）XK06-014-00001", LicenceType::IndustrialProduct);
    assert_eq!(LicencePolicy::default().electronic_id(&xk), None);
    let ts = licence("TS2721001-2030", LicenceType::SpecialEquipment);
    assert_eq!(configured().electronic_id(&ts), None);
    let mut both = configured();
    both.special_equipment.electronic_type_code = Some("11100000000013338W012".into());
    assert_eq!(
        both.electronic_id(&ts).expect("configured").serial(),
        "TS27210012030"
    );
}

#[test]
fn a_type_code_an_identifier_cannot_carry_is_refused_naming_the_field() {
    let mut policy = configured();
    assert_eq!(policy.check(), Ok(()));
    policy.special_equipment.electronic_type_code = Some("ts-01".into());
    let message = policy.check().unwrap_err().to_string();
    assert!(
        message.contains("electronic_type_code of special_equipment")
            && message.contains("\"ts-01\""),
        "{message}"
    );
    let mut no_issuer = configured();
    no_issuer.electronic_issuer = None;
    let message = no_issuer.check().unwrap_err().to_string();
    assert!(
        message.contains("electronic_type_code of industrial_product")
            && message.contains("electronic_issuer"),
        "{message}"
    );
}

#[test]
fn the_policy_keeps_its_identifier_settings_through_json_and_old_policies_still_read() {
    let policy = configured();
    let json = serde_json::to_string(&policy).expect("json");
    assert_eq!(
        serde_json::from_str::<LicencePolicy>(&json).expect("back"),
        policy
    );
    let old = serde_json::to_string(&LicencePolicy::default()).expect("json");
    assert!(!old.contains("electronic"), "{old}");
    let bad = json.replace(ISSUER, "11430000006122244X");
    assert!(serde_json::from_str::<LicencePolicy>(&bad).is_err());
}
