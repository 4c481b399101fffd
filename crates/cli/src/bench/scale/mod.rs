//! The national-size benchmarks (issues 3 and 6, docs/PERFORMANCE.md "A million cases"):
//! `bench seed` fills a data folder with the demo bureau and a million cases, `bench million`
//! starts the server on it and measures start-up, pages, searches and memory, and
//! `bench recompute` imports a calendar year into it and times the due-date recompute.

mod million;
mod recompute;
mod seed;

use std::path::Path;
use std::process::ExitCode;

use crate::config::Config;

/// The scale benchmarks, each on the data folder of `--data-dir`.
#[derive(clap::Subcommand)]
pub enum ScaleCommand {
    /// Fill the data folder with the demo bureau and many enterprises and cases.
    Seed(seed::SeedArgs),
    /// Start the server on a seeded folder and measure start-up, pages, searches and RSS.
    Million(million::MillionArgs),
    /// Import a calendar year into a seeded folder and time the recompute of due dates.
    Recompute(recompute::RecomputeArgs),
}

pub async fn run(command: &ScaleCommand, config: &Config) -> Result<ExitCode, String> {
    if !config.database_url.starts_with("sqlite:") {
        return Err("the scale benchmarks run on the SQLite database of --data-dir".into());
    }
    match command {
        ScaleCommand::Seed(args) => seed::run(args, config).await,
        ScaleCommand::Million(args) => million::run(args, config).await,
        ScaleCommand::Recompute(args) => recompute::run(args, config).await,
    }
}

/// Size of the SQLite database (with its WAL) in the data folder.
fn database_bytes(data_dir: &Path) -> u64 {
    ["onewindow.db", "onewindow.db-wal"]
        .iter()
        .filter_map(|name| std::fs::metadata(data_dir.join(name)).ok())
        .map(|m| m.len())
        .sum()
}
