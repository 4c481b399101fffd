//! `onewindow bench seed`: the demo bureau, then the national-size dataset
//! (`App::seed_scale`), written through the store's bulk port; prints how long each part took.

use std::process::ExitCode;
use std::time::Instant;

use onewindow_app::demo::ScalePlan;

use crate::config::Config;

#[derive(clap::Args)]
pub struct SeedArgs {
    /// Cases to add beside the demo's.
    #[arg(long, default_value_t = 1_000_000)]
    cases: u64,
    /// Enterprises (each with a user); case i is applied for by enterprise i mod N.
    #[arg(long, default_value_t = 100_000)]
    enterprises: u64,
    /// Open cases per thousand; the rest are closed (decided, refused, withdrawn).
    #[arg(long, default_value_t = 100)]
    open_per_mille: u64,
    /// Cases per thousand that end with an issued licence.
    #[arg(long, default_value_t = 90)]
    issued_per_mille: u64,
    /// Closed cases are spread over this many weeks back.
    #[arg(long, default_value_t = 260)]
    weeks: u64,
}

pub async fn run(args: &SeedArgs, config: &Config) -> Result<ExitCode, String> {
    if args.open_per_mille + args.issued_per_mille > 1000 {
        return Err("--open-per-mille and --issued-per-mille add up to more than 1000".into());
    }
    if args.enterprises == 0 {
        return Err("--enterprises must be at least 1".into());
    }
    let started = Instant::now();
    let app = crate::open_app(config).await?;
    app.seed_demo().await.map_err(|e| e.to_string())?;
    app.seed_demo_cases().await.map_err(|e| e.to_string())?;
    let demo = started.elapsed();
    eprintln!("demo bureau seeded in {:.1} s", demo.as_secs_f64());
    let plan = ScalePlan {
        cases: args.cases,
        enterprises: args.enterprises,
        open_per_mille: args.open_per_mille,
        issued_per_mille: args.issued_per_mille,
        weeks: args.weeks,
    };
    let report = app
        .seed_scale(plan, |r| {
            let s = started.elapsed().as_secs_f64();
            eprintln!(
                "{s:>7.1} s  {} cases ({} open, {} licences)",
                r.cases, r.open, r.licences
            );
        })
        .await
        .map_err(|e| e.to_string())?;
    let total = started.elapsed().as_secs_f64();
    let seeded = total - demo.as_secs_f64();
    println!(
        "seeded {} enterprises and {} cases ({} open, {} licences, {} events, {} document entries) in {seeded:.1} s ({:.0} cases/s); database {:.0} MB, in {}",
        report.enterprises,
        report.cases,
        report.open,
        report.licences,
        report.events,
        report.documents,
        report.cases as f64 / seeded.max(0.001),
        super::database_bytes(&config.data_dir) as f64 / 1e6,
        config.data_dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
