//! An applicant registered at the window without a record: the clerk records the name and
//! domicile it declared, once, right after the submission (the certificate states them,
//! RULES.md §2); an online application has its enterprise's record and is never named so.

mod cases_support;

use cases_support::*;
use jiff::civil::date;
use onewindow_domain::cases::{CaseError, Channel, Command};

fn at_window() -> Case {
    let mut case = Case::default();
    let Command::Submit {
        item,
        applicant,
        materials,
        ..
    } = submit()
    else {
        unreachable!("submit() is a submission")
    };
    let window = Command::Submit {
        item,
        applicant,
        materials,
        channel: Channel::Window,
    };
    case.ok(&clerk(), date(2026, 3, 2), window);
    case
}

fn naming(name: &str, address: &str) -> Command {
    Command::NameApplicant {
        name: name.into(),
        address: address.into(),
    }
}

#[test]
fn the_clerk_names_a_window_applicant_once_and_the_state_keeps_it() {
    let mut case = at_window();
    case.ok(
        &clerk(),
        date(2026, 3, 2),
        naming(
            " 大连华信阀门制造有限公司 ",
            "辽宁省大连市甘井子区华北路 88 号",
        ),
    );
    assert_eq!(
        case.state().applicant_named(),
        Some((
            "大连华信阀门制造有限公司",
            "辽宁省大连市甘井子区华北路 88 号"
        ))
    );
    let again = case
        .act(
            &clerk(),
            date(2026, 3, 2),
            naming("另一家公司", "另一个地址"),
        )
        .unwrap_err();
    assert!(matches!(again, CaseError::WrongStatus { .. }), "{again}");
}

#[test]
fn a_blank_or_one_line_too_short_particular_is_named_by_its_field() {
    let mut case = at_window();
    let blank = case
        .act(&clerk(), date(2026, 3, 2), naming("  ", "辽宁省大连市"))
        .unwrap_err();
    assert!(
        matches!(
            blank,
            CaseError::Invalid {
                field: "applicant_name",
                ..
            }
        ),
        "{blank}"
    );
    let broken = case
        .act(
            &clerk(),
            date(2026, 3, 2),
            naming("大连华信", "大连\n甘井子"),
        )
        .unwrap_err();
    assert!(
        matches!(
            broken,
            CaseError::Invalid {
                field: "applicant_address",
                ..
            }
        ),
        "{broken}"
    );
}

#[test]
fn an_online_application_is_not_named_at_the_window_nor_by_the_applicant() {
    let mut online = Case::default();
    online.ok(&applicant(), date(2026, 3, 2), submit());
    let not_window = online
        .act(
            &clerk(),
            date(2026, 3, 2),
            naming("大连华信", "辽宁省大连市"),
        )
        .unwrap_err();
    assert!(
        matches!(not_window, CaseError::WrongStatus { .. }),
        "{not_window}"
    );
    let mut case = at_window();
    let applicant_itself = case
        .act(
            &applicant(),
            date(2026, 3, 2),
            naming("大连华信", "辽宁省大连市"),
        )
        .unwrap_err();
    assert!(
        matches!(applicant_itself, CaseError::NotPermitted { .. }),
        "{applicant_itself}"
    );
}
