//! A measurement, not a check run by default: the register searched at national size. Fills a
//! SQLite file with `ONEWINDOW_BENCH_LICENCES` licences (default 1,000,000) written straight into
//! the tables with the same rows and terms issuing writes, then times a mix of searches through
//! the store and prints p50/p99. Run:
//! `ONEWINDOW_BENCH_DIR=/tmp/ow-bench cargo test -p onewindow-store-sql --release -- --ignored --nocapture register_search`
//! (the file is kept in that directory and reused by later runs).

use std::time::Instant;

use onewindow_domain::catalogue::{CatalogueCode, OrgCode};
use onewindow_domain::identifiers::{CreditCode, LicenceNumber};
use onewindow_domain::licences::{Licence, LicenceGrant, LicenceStatus, LicenceType};
use onewindow_store::{LicenceFilter, LicenceStore};
use sqlx::any::AnyArguments;
use sqlx::{Arguments, AssertSqlSafe};

use super::search::{index_terms, search_text};
use crate::SqlStore;

const BRAND: &str = "海通华锐深蓝金州普兰瓦房长兴旅顺恒力宏达远大新世纪东方明珠永盛鑫源泰和丰隆兴业嘉诚昌盛富强鼎信瑞祥天成裕华金鹏德盛汇通联众博远创新卓越宇航中天安泰福星万通顺达凯旋佳美润泽晨光辰星荣昌振华俊杰浩然鸿运益民同心锦程宏图伟业";
const TRADES: &[(&str, &str)] = &[
    ("阀门制造", "阀门"),
    ("泵业", "泵"),
    ("耐火材料", "耐火材料"),
    ("电线电缆", "电线电缆"),
    ("化工", "危险化学品"),
    ("包装容器", "危险化学品包装物及容器"),
    ("人造板", "人造板"),
    ("电热毯", "电热毯"),
    ("管件", "压力管道元件：管件 B级"),
    ("机械", "泵：离心泵"),
];
const PLACES: &[&str] = &["大连", "沈阳", "鞍山", "营口", "丹东", "锦州"];

/// A deterministic pseudo-random sequence (no dependency needed for a measurement).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        ((self.0 >> 33) as usize) % n
    }
}

fn licence(i: usize, rng: &mut Lcg) -> (Licence, &'static str) {
    let brand: Vec<char> = BRAND.chars().collect();
    let (trade, product) = TRADES[i % TRADES.len()];
    let name = format!(
        "{}{}{}{}有限公司",
        PLACES[rng.next(PLACES.len())],
        brand[rng.next(brand.len())],
        brand[rng.next(brand.len())],
        trade
    );
    let product_code = i % TRADES.len() + 1;
    let number = LicenceNumber::parse(&format!(
        "（辽）XK13-{product_code:03}-{:06}",
        i / TRADES.len() + 1
    ))
    .expect("a number");
    let stem = format!("912102{:010}", i);
    let issued_on = jiff::civil::Date::constant(2020, 1, 1)
        .checked_add(jiff::Span::new().days(rng.next(2500) as i64))
        .expect("a date");
    let grant = LicenceGrant {
        licence_type: LicenceType::IndustrialProduct,
        item_code: CatalogueCode::parse("BS-XK-0101-002-XB").expect("a code"),
        holder_name: name,
        holder_credit_code: CreditCode::complete(&stem).expect("a stem"),
        production_address: "辽宁省".into(),
        scope: vec![product.into()],
        issued_on,
        valid_until: issued_on
            .checked_add(jiff::Span::new().years(5))
            .expect("a date"),
        issuing_org: OrgCode::parse("210200").expect("an org"),
        case_number: format!("B-{i}"),
    };
    let status = match rng.next(100) {
        0 => "revoked",
        1 => "cancelled",
        2..=4 => "suspended",
        _ => "valid",
    };
    let l = Licence {
        number,
        grant,
        events: Vec::new(),
    };
    (l, status)
}

async fn fill(store: &SqlStore, count: usize) {
    let mut rng = Lcg(7);
    let mut done = 0;
    while done < count {
        let mut tx = store.pool.begin().await.expect("begin");
        let batch = (count - done).min(2_000);
        for i in done..done + batch {
            let (l, status) = licence(i, &mut rng);
            let g = &l.grant;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO licences (number, licence_type, item_code, holder_name, holder_credit_code, \
                 production_address, scope, issued_on, valid_until, issuing_org, case_number, \
                 recorded_status, version, search_text, created_at, updated_at) \
                 VALUES ($1, 'industrial_product', $2, $3, $4, $5, $6, $7, $8, '210200', $9, $10, 0, $11, 'x', 'x') RETURNING id",
            )
            .bind(l.number.to_string())
            .bind(g.item_code.to_string())
            .bind(g.holder_name.clone())
            .bind(g.holder_credit_code.to_string())
            .bind(g.production_address.clone())
            .bind(serde_json::to_string(&g.scope).expect("json"))
            .bind(g.issued_on.to_string())
            .bind(g.valid_until.to_string())
            .bind(g.case_number.clone())
            .bind(status.to_owned())
            .bind(search_text(&l))
            .fetch_one(&mut *tx)
            .await
            .expect("insert");
            let terms: Vec<String> = index_terms(&l).into_iter().collect();
            let mut args = AnyArguments::default();
            let _ = args.add(id);
            for t in &terms {
                let _ = args.add(t.clone());
            }
            let values: Vec<String> = (0..terms.len())
                .map(|k| format!("(${}, $1)", k + 2))
                .collect();
            sqlx::query_with(
                AssertSqlSafe(format!(
                    "INSERT INTO licence_terms (term, licence_id) VALUES {}",
                    values.join(", ")
                )),
                args,
            )
            .execute(&mut *tx)
            .await
            .expect("terms");
        }
        tx.commit().await.expect("commit");
        done += batch;
        if done % 100_000 == 0 {
            eprintln!("{done} licences");
        }
    }
}

#[tokio::test]
#[ignore = "a measurement at national size; minutes to fill"]
async fn register_search_at_national_size() {
    let count: usize = std::env::var("ONEWINDOW_BENCH_LICENCES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::env::var("ONEWINDOW_BENCH_DIR").unwrap_or_else(|_| "/tmp/ow-bench".into());
    std::fs::create_dir_all(&dir).expect("bench dir");
    let url = format!("sqlite://{dir}/register-{count}.db");
    let store = SqlStore::connect(&url, 4).await.expect("connect");
    let (_, have) = store
        .licences(&LicenceFilter::default(), 0, 1)
        .await
        .expect("count");
    if have.count == 0 {
        let started = Instant::now();
        fill(&store, count).await;
        sqlx::query("ANALYZE")
            .execute(&store.pool)
            .await
            .expect("analyze");
        eprintln!("filled {count} in {:?}", started.elapsed());
    }
    let today = jiff::civil::Date::constant(2026, 11, 28);
    let mut rng = Lcg(99);
    let brand: Vec<char> = BRAND.chars().collect();
    let mut queries: Vec<(&str, LicenceFilter)> = Vec::new();
    for _ in 0..40 {
        let i = rng.next(count);
        let (l, _) = licence(i, &mut Lcg(7 + i as u64));
        let text = |t: String| LicenceFilter {
            text: Some(t),
            ..Default::default()
        };
        queries.push(("number", text(l.number.to_string())));
        queries.push(("credit code", text(l.grant.holder_credit_code.to_string())));
        let pair: String = [brand[rng.next(brand.len())], brand[rng.next(brand.len())]]
            .iter()
            .collect();
        queries.push(("brand", text(pair.clone())));
        queries.push(("brand trade", text(format!("{pair}阀门"))));
        queries.push((
            "number prefix",
            text(format!("XK13-{:03}-0012", rng.next(10) + 1)),
        ));
    }
    for (label, q) in [
        ("one character", "泵"),
        ("product", "耐火材料"),
        ("common", "有限公司"),
    ] {
        queries.push((
            label,
            LicenceFilter {
                text: Some(q.into()),
                ..Default::default()
            },
        ));
    }
    for status in [
        LicenceStatus::Revoked,
        LicenceStatus::Valid,
        LicenceStatus::Expired,
    ] {
        queries.push((
            "status",
            LicenceFilter {
                status_on: Some((status, today)),
                ..Default::default()
            },
        ));
    }
    queries.push(("everything", LicenceFilter::default()));
    let mut by_label: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();
    let mut all = Vec::new();
    for _ in 0..3 {
        for (label, filter) in &queries {
            let started = Instant::now();
            store.licences(filter, 0, 20).await.expect("search");
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            by_label.entry(label).or_default().push(ms);
            all.push(ms);
        }
    }
    let pct = |v: &mut Vec<f64>, p: f64| {
        v.sort_by(f64::total_cmp);
        v[((v.len() as f64 - 1.0) * p).round() as usize]
    };
    for (label, mut times) in by_label {
        eprintln!(
            "{label:>14}: p50 {:6.2} ms, max {:6.2} ms ({} runs)",
            pct(&mut times, 0.5),
            pct(&mut times, 1.0),
            times.len()
        );
    }
    eprintln!(
        "all: p50 {:.2} ms, p99 {:.2} ms",
        pct(&mut all, 0.5),
        pct(&mut all, 0.99)
    );
    store.close().await;
}
