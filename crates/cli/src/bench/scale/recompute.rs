//! `onewindow bench recompute`: imports the next schedule year into a seeded folder and times
//! the due-date recompute (issue 3: 1,000,000 open cases under 10 s on SQLite). The year is a
//! made-up 2027 schedule shaped like the State Council's (the real one replaces it in
//! production); the schedule year 2027 runs from 1 Dec 2026, so every open case counted past
//! 30 Nov 2026 is provisional until it is imported. One run per seeded folder: afterwards no
//! date is provisional any more. A first recompute before the import brings the folder onto the
//! calendar in force and keeps it, as the sweeper's first pass does on a server; the timed one
//! then decides only the cases 2027's changed days reach.
//!
//! `--synthetic N` first fills an empty folder fast (`App::seed_synthetic_cases`: the demo, then
//! N copies of a demo case under review, open with provisional dates, real chained logs); their
//! projections are counted on the calendar in force, which is kept as their calendar without
//! a first pass. `--without-basis` writes those rows as before migration 0011, so the timed
//! recompute reads and folds every log: the path before the clock basis was kept.

use std::process::ExitCode;
use std::time::Instant;

use onewindow_app::App;
use onewindow_app::cases::{COUNTED_ON, COUNTED_ON_VERSION};
use onewindow_app::synthetic::SyntheticPlan;
use onewindow_domain::calendar::write_holiday_csv;

use crate::config::Config;

/// A made-up 2027 schedule year for the benchmark (1 Dec 2026 – 30 Nov 2027).
const SCHEDULE_2027: &str = "date,kind,name\n\
2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n2027-01-03,holiday,元旦\n\
2027-02-06,holiday,春节\n2027-02-07,holiday,春节\n2027-02-08,holiday,春节\n2027-02-09,holiday,春节\n\
2027-02-10,holiday,春节\n2027-02-11,holiday,春节\n2027-02-12,holiday,春节\n2027-02-13,workday,春节\n\
2027-05-01,holiday,劳动节\n2027-05-02,holiday,劳动节\n2027-05-03,holiday,劳动节\n\
2027-10-01,holiday,国庆节\n2027-10-02,holiday,国庆节\n2027-10-03,holiday,国庆节\n";

#[derive(clap::Args)]
pub struct RecomputeArgs {
    /// First fill the (empty) folder with the demo and this many open cases under review
    /// copied from one demo case (fast: no use cases, large grouped writes).
    #[arg(long)]
    synthetic: Option<u64>,
    /// With --synthetic: rows without the clock basis (as written before migration 0011), so
    /// the recompute reads every log.
    #[arg(long, requires = "synthetic")]
    without_basis: bool,
    /// With --synthetic: stop once the folder is filled, before the import, so that copies of
    /// it can each time one recompute (`bench recompute` without --synthetic on a copy).
    #[arg(long, requires = "synthetic")]
    seed_only: bool,
}

pub async fn run(args: &RecomputeArgs, config: &Config) -> Result<ExitCode, String> {
    let app = crate::open_app(config).await?;
    match args.synthetic {
        Some(cases) => {
            seed_synthetic(&app, cases, args.without_basis, config).await?;
            if args.seed_only {
                return Ok(ExitCode::SUCCESS);
            }
        }
        None => {
            let started = Instant::now();
            let before = app.recompute_due_dates().await.map_err(|e| e.to_string())?;
            println!(
                "before the import: {} provisional cases decided on the calendar in force \
                 ({} changed, {} refreshed) in {:.1} s",
                before.examined,
                before.due_dates_changed,
                before.refreshed,
                started.elapsed().as_secs_f64()
            );
        }
    }
    let started = Instant::now();
    let imported = app
        .import_calendar_year("bench", 2027, SCHEDULE_2027.as_bytes(), false)
        .await
        .map_err(|e| format!("{e} (a folder is recomputed once: seed a fresh one)"))?;
    let import = started.elapsed();
    let started = Instant::now();
    let report = app.recompute_due_dates().await.map_err(|e| e.to_string())?;
    let took = started.elapsed().as_secs_f64();
    println!(
        "imported schedule year 2027 ({} rows) in {:.0} ms",
        imported.rows,
        import.as_secs_f64() * 1000.0
    );
    println!(
        "recompute: {} open cases with provisional due dates examined, {} due dates changed \
         (DueDateChanged recorded), {} projections refreshed, {} conflicts, in {took:.1} s \
         ({:.0} cases/s)  [target: 1,000,000 open cases < 10 s]",
        report.examined,
        report.due_dates_changed,
        report.refreshed,
        report.conflicts,
        report.examined as f64 / took.max(0.001)
    );
    Ok(ExitCode::SUCCESS)
}

/// The demo and `cases` synthetic cases; their dates were counted on the calendar in force,
/// which is kept as theirs (what the first recompute would find and keep).
async fn seed_synthetic(
    app: &App,
    cases: u64,
    without_basis: bool,
    config: &Config,
) -> Result<(), String> {
    let started = Instant::now();
    app.seed_demo().await.map_err(|e| e.to_string())?;
    app.seed_demo_cases().await.map_err(|e| e.to_string())?;
    eprintln!("demo seeded in {:.1} s", started.elapsed().as_secs_f64());
    let started = Instant::now();
    let plan = SyntheticPlan {
        cases,
        without_basis,
    };
    let report = app
        .seed_synthetic_cases(plan, |made| {
            if made % 100_000 == 0 || made == cases {
                let s = started.elapsed().as_secs_f64();
                eprintln!("{s:>7.1} s  {made} cases");
            }
        })
        .await
        .map_err(|e| e.to_string())?;
    let took = started.elapsed().as_secs_f64();
    let (first, last) = report.accepted.ok_or("no case was made")?;
    println!(
        "synthetic: {} open cases under review ({} events; {} paused, {} extended; accepted \
         {first} – {last}{}) in {took:.1} s ({:.0} cases/s); database {:.0} MB",
        report.cases,
        report.events,
        report.paused,
        report.extended,
        if without_basis {
            "; rows without clock basis"
        } else {
            ""
        },
        report.cases as f64 / took.max(0.001),
        super::database_bytes(&config.data_dir) as f64 / 1e6,
    );
    let version = app
        .store
        .calendar_version()
        .await
        .map_err(|e| e.to_string())?;
    let calendar = app.calendar().await.map_err(|e| e.to_string())?;
    let csv = write_holiday_csv(calendar.entries());
    let keep = [(COUNTED_ON, csv), (COUNTED_ON_VERSION, version.to_string())];
    for (key, value) in keep {
        app.store
            .set_setting(key, &value)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
