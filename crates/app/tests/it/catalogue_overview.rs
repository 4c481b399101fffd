//! The overview figures are computed from the histories as of today (the fixed clock's date in
//! China), never typed in: a change dated after today does not count yet, and does once the
//! clock passes it.

use crate::support;

use onewindow_domain::catalogue::{PowerCategory, Vocabulary};
use support::files::{Table, csv_header};
use support::{TestApp, import, set_clock, sqlite_app};

fn org(table: &mut Table, code: &str, level: &str, parent: &str) {
    table.push(&[
        ("record", "org"),
        ("code", code),
        ("name_zh", "市场监督管理局"),
        ("kind", "bureau"),
        ("level", level),
        ("division", code),
        ("parent_code", parent),
    ]);
}

fn power(table: &mut Table, code: &str, category: &str, history: &[&str]) {
    table.push(&[
        ("record", "power"),
        ("code", code),
        ("name_zh", "职权"),
        ("category", category),
        ("source", "statutory"),
        ("implementing_org", "210200"),
        ("handling_level", "city"),
        ("legal_basis", "《中华人民共和国行政许可法》|第十二条"),
        ("history", &history.join("\n")),
    ]);
}

fn fee(table: &mut Table, code: &str, history: &[&str]) {
    table.push(&[
        ("record", "fee"),
        ("code", code),
        ("name_zh", "收费"),
        ("legal_basis", "《中华人民共和国价格法》|第十二条"),
        ("standard", "每件10元"),
        ("history", &history.join("\n")),
    ]);
}

const EST: &str = "2005-01-01|established|国发〔2005〕1号";
const RECEIVED: &str = "2019-01-01|received|辽政发〔2019〕1号|210000";
const DOWN: &str = "2021-01-01|delegated_down|大政发〔2021〕1号|210202";
const CANCELLED: &str = "2020-01-01|cancelled|国发〔2020〕1号";
/// After the fixed clock's date (2026-03-15).
const CANCELLED_IN_JUNE: &str = "2026-06-01|cancelled|国发〔2026〕6号";

/// A small catalogue whose figures are known, imported as a CSV file.
async fn imported() -> TestApp {
    let mut t = Table::new(csv_header());
    org(&mut t, "210000", "province", "");
    org(&mut t, "210200", "city", "210000");
    org(&mut t, "210202", "county", "210200");
    power(&mut t, "P-01", "01", &[RECEIVED]);
    power(&mut t, "P-02", "01", &[RECEIVED, DOWN]);
    power(&mut t, "P-03", "02", &[EST, DOWN]);
    power(&mut t, "P-04", "02", &[EST, CANCELLED]);
    power(
        &mut t,
        "P-05",
        "06",
        &[EST, CANCELLED, "2022-01-01|restored|国发〔2022〕1号"],
    );
    power(&mut t, "P-06", "06", &[EST, CANCELLED_IN_JUNE]);
    power(
        &mut t,
        "P-07",
        "07",
        &["2026-09-01|established|国发〔2026〕9号"],
    );
    power(
        &mut t,
        "P-08",
        "20",
        &["2026-05-01|received|辽政发〔2026〕5号|210000"],
    );
    fee(
        &mut t,
        "F-01",
        &[EST, "2015-01-01|cancelled|财税〔2014〕101号"],
    );
    fee(
        &mut t,
        "F-02",
        &[EST, "2017-04-01|reduced|财税〔2017〕20号"],
    );
    fee(
        &mut t,
        "F-03",
        &[EST, "2017-04-01|reduced|甲", "2019-01-01|cancelled|乙"],
    );
    fee(
        &mut t,
        "F-04",
        &[EST, "2026-07-01|cancelled|财税〔2026〕7号"],
    );
    fee(&mut t, "F-05", &[EST, "2026-04-01|reduced|财税〔2026〕4号"]);
    fee(
        &mut t,
        "F-06",
        &[EST, "2020-02-01|waived|财政部公告2020年第8号"],
    );
    fee(
        &mut t,
        "F-07",
        &[EST, "2020-02-01|waived|甲", "2021-01-01|restored|乙"],
    );
    fee(
        &mut t,
        "F-08",
        &["2026-10-01|established|价费字〔2026〕1号"],
    );
    let app = sqlite_app().await;
    import(&app, "small.csv", &t.csv()).await;
    app
}

/// (total, in force) of each category, in the order of `PowerCategory::ALL`.
fn by_category(o: &onewindow_domain::catalogue::Overview) -> Vec<(&'static str, usize, usize)> {
    o.by_category
        .iter()
        .filter(|c| c.total > 0)
        .map(|c| (c.category.key(), c.total, c.in_force))
        .collect()
}

#[tokio::test]
async fn the_overview_counts_what_the_histories_say_today() {
    let t = imported().await;
    let o = t.overview().await.expect("overview");
    assert_eq!(o.as_of.to_string(), "2026-03-15");
    // P-07 and P-08 do not exist yet; P-06's cancellation is in June.
    assert_eq!(o.powers_total, 6);
    assert_eq!(o.in_force, 5);
    assert_eq!(
        o.cancelled, 1,
        "only P-04; P-05 was restored, P-06 is not yet cancelled"
    );
    assert_eq!(o.delegated_down, 2);
    assert_eq!(o.received_from_higher, 2);
    assert_eq!(by_category(&o), [("01", 2, 2), ("02", 2, 1), ("06", 2, 2)]);
    assert_eq!(o.by_category.len(), PowerCategory::ALL.len());
    // F-08 does not exist yet; F-04's cancellation and F-05's reduction are still to come.
    assert_eq!(o.fees_total, 7);
    assert_eq!(o.fees_cancelled, 2, "F-01 and F-03");
    assert_eq!(o.fees_reduced, 1, "F-02; F-03 was reduced, then cancelled");
    assert_eq!(o.fees_waived, 1, "F-06; F-07 was restored");
}

#[tokio::test]
async fn changes_dated_after_today_count_once_the_clock_passes_them() {
    let t = imported().await;
    set_clock(&t, "2026-12-01T02:00:00Z");
    let o = t.overview().await.expect("overview");
    assert_eq!(o.as_of.to_string(), "2026-12-01");
    assert_eq!(o.powers_total, 8);
    assert_eq!(o.cancelled, 2);
    assert_eq!(o.received_from_higher, 3);
    assert_eq!(o.delegated_down, 2);
    assert_eq!(
        by_category(&o),
        [
            ("01", 2, 2),
            ("02", 2, 1),
            ("06", 2, 1),
            ("07", 1, 1),
            ("20", 1, 1)
        ]
    );
    assert_eq!(
        (
            o.fees_total,
            o.fees_cancelled,
            o.fees_reduced,
            o.fees_waived
        ),
        (8, 3, 2, 1)
    );
}

#[tokio::test]
async fn the_overview_date_is_the_date_in_china_not_in_utc() {
    let t = imported().await;
    // 2026-05-31 16:30 UTC is 2026-06-01 00:30 in China: P-06 is cancelled that day.
    set_clock(&t, "2026-05-31T16:30:00Z");
    let o = t.overview().await.expect("overview");
    assert_eq!(o.as_of.to_string(), "2026-06-01");
    assert_eq!(o.cancelled, 2);
}
