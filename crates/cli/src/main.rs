//! `onewindow`: the one binary. It reads the configuration, opens the store and runs a
//! subcommand — the web server, catalogue import and export, the working-day calendar, the
//! example configuration. This is the only place where the layers are wired together.

mod audit_cmd;
#[cfg(feature = "bench")]
mod bench;
mod calendar_cmd;
mod config;
mod documents_cmd;
mod licence_policy_cmd;
mod serve;
mod smtp_config;
mod tokens_cmd;
mod users_cmd;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};
use onewindow_app::{App, AppError, SystemClock, SystemRandom};
use onewindow_files::LocalFiles;
use onewindow_interchange::Format;
use onewindow_store_sql::SqlStore;

use config::{Config, Layer};

#[derive(Parser)]
#[command(
    name = "onewindow",
    version,
    about = "Licensing and inspection service platform for regulators"
)]
struct Cli {
    /// Config file (default: $ONEWINDOW_CONFIG, else ./onewindow.toml when present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DB.
    #[arg(long, global = true)]
    db: Option<String>,
    /// Folder for the embedded database and files.
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server.
    Serve {
        /// Address and port to listen on, e.g. 127.0.0.1:8080.
        #[arg(long)]
        listen: Option<String>,
        /// Seed the demo bureau into an empty database and mark every page as demo.
        #[arg(long)]
        demo: bool,
    },
    /// Import or export the catalogue (orgs, powers, service guides, fees).
    Catalogue {
        #[command(subcommand)]
        action: CatalogueAction,
    },
    /// Working-day arithmetic on the official holiday calendar.
    Calendar {
        #[command(subcommand)]
        action: calendar_cmd::CalendarAction,
    },
    /// The licence policy: validity, numbering, renewal lead, electronic identifiers.
    LicencePolicy {
        #[command(subcommand)]
        action: licence_policy_cmd::LicencePolicyAction,
    },
    /// Check the tamper-evident case logs.
    Audit {
        #[command(subcommand)]
        action: audit_cmd::AuditAction,
    },
    /// Render documents again in bulk (after a template change).
    Documents {
        #[command(subcommand)]
        action: documents_cmd::DocumentsAction,
    },
    /// The keys that sign documents: list them, or rotate to a new one.
    Keys {
        #[command(subcommand)]
        action: documents_cmd::KeysAction,
    },
    /// Check that a document PDF is authentic. Exit status: 0 authentic, 1 not authentic,
    /// 2 could not be checked.
    Verify {
        /// The PDF file.
        file: PathBuf,
        /// The bureau's published keys (/.well-known/onewindow/keys.json) to verify offline,
        /// without a database; default: the configured database's keys.
        #[arg(long)]
        keys: Option<PathBuf>,
    },
    /// Configuration helpers.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Print the OpenAPI document of /api/v1.
    Openapi,
    /// Staff accounts.
    Users {
        #[command(subcommand)]
        action: users_cmd::UsersAction,
    },
    /// Load benchmark of the case flow over HTTP; also the SIGKILL durability test
    /// (docs/PERFORMANCE.md). `--db postgres` runs it on a throwaway PostgreSQL cluster.
    #[cfg(feature = "bench")]
    Bench(bench::BenchArgs),
    /// API tokens for systems that call /api/v1.
    Tokens {
        #[command(subcommand)]
        action: tokens_cmd::TokensAction,
    },
}

#[derive(Subcommand)]
enum CatalogueAction {
    /// Import a CSV or XLSX catalogue file: all or nothing (docs/catalogue-format.md).
    Import { file: PathBuf },
    /// Export the whole catalogue.
    Export {
        #[arg(long, value_enum)]
        format: FileFormat,
        file: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FileFormat {
    Csv,
    Xlsx,
}

#[derive(Subcommand)]
enum ConfigAction {
    /// Print a commented example configuration file.
    Example,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn load_config(cli: &Cli, listen: Option<String>) -> Result<Config, String> {
    load_config_with_db(cli, listen, cli.db.clone())
}

fn load_config_with_db(
    cli: &Cli,
    listen: Option<String>,
    db: Option<String>,
) -> Result<Config, String> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let file = match config::config_path(cli.config.clone(), env) {
        Some(path) => config::file_layer(&path)?,
        None => Layer::default(),
    };
    let flags = Layer {
        listen,
        data_dir: cli.data_dir.clone(),
        database_url: db,
        ..Default::default()
    };
    config::resolve(file, config::env_layer(env)?, flags)
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))
}

/// Opens the store (creating the data folder for SQLite) and builds the application.
pub(crate) async fn open_app(config: &Config) -> Result<App, String> {
    if config.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            format!(
                "cannot create the data folder {}: {e}",
                config.data_dir.display()
            )
        })?;
    }
    let store = SqlStore::connect(&config.database_url, config.max_connections)
        .await
        .map_err(|e| e.to_string())?;
    let files = LocalFiles::new(config.files_dir.clone());
    Ok(App::new(
        Arc::new(store),
        Arc::new(files),
        Arc::new(SystemClock),
        Arc::new(SystemRandom),
    )
    .with_public_url(&config.public_url))
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match &cli.command {
        Command::Config {
            action: ConfigAction::Example,
        } => {
            print!("{}", config::EXAMPLE);
            Ok(ExitCode::SUCCESS)
        }
        Command::Openapi => {
            println!("{}", onewindow_web::openapi_json());
            Ok(ExitCode::SUCCESS)
        }
        Command::Calendar { action } => {
            let config = load_config(&cli, None)?;
            runtime()?.block_on(calendar_cmd::run(&config, action))
        }
        Command::Serve { listen, demo } => {
            let config = load_config(&cli, listen.clone())?;
            serve::init_logging(&config.log);
            runtime()?.block_on(serve::serve(config, *demo))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::LicencePolicy { action } => {
            let config = load_config(&cli, None)?;
            runtime()?.block_on(licence_policy_cmd::run(&config, action))
        }
        Command::Keys { action } => {
            let config = load_config(&cli, None)?;
            runtime()?.block_on(documents_cmd::keys(&config, action))
        }
        Command::Documents { action } => {
            let config = load_config(&cli, None)?;
            runtime()?.block_on(documents_cmd::documents(&config, action))
        }
        Command::Verify { file, keys } => {
            // Exit status 1 means "not authentic", so a failure to even start is 2.
            let started = load_config(&cli, None).and_then(|c| Ok((c, runtime()?)));
            Ok(match started {
                Ok((config, rt)) => {
                    rt.block_on(documents_cmd::verify(&config, file, keys.as_ref()))
                }
                Err(message) => {
                    eprintln!("cannot check: {message}");
                    ExitCode::from(2)
                }
            })
        }
        Command::Catalogue { action } => {
            let config = load_config(&cli, None)?;
            runtime()?.block_on(catalogue(&config, action))
        }
        Command::Audit { action } => {
            let config = load_config(&cli, None)?;
            runtime()?.block_on(audit_cmd::run(&config, action))
        }
        Command::Users { action } => {
            let config = load_config(&cli, None)?;
            runtime()?.block_on(users_cmd::run(&config, action))
        }
        #[cfg(feature = "bench")]
        Command::Bench(args) => {
            // `--db sqlite` / `--db postgres` pick the started server's backend; a URL is the
            // database of the server `--url` names.
            let (backend, db) = match cli.db.as_deref() {
                None | Some("sqlite") => (bench::Backend::Sqlite, None),
                Some("postgres") => (bench::Backend::Postgres, None),
                Some(url) => (bench::Backend::Sqlite, Some(url.to_owned())),
            };
            let config = load_config_with_db(&cli, None, db)?;
            runtime()?.block_on(bench::run(args, &config, backend))
        }
        Command::Tokens { action } => {
            let config = load_config(&cli, None)?;
            runtime()?.block_on(tokens_cmd::run(&config, action))
        }
    }
}

async fn catalogue(config: &Config, action: &CatalogueAction) -> Result<ExitCode, String> {
    let app = open_app(config).await?;
    match action {
        CatalogueAction::Import { file } => {
            let bytes =
                std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let name = file.file_name().and_then(|n| n.to_str());
            match app.import_catalogue("command line", name, &bytes).await {
                Ok(s) => {
                    println!(
                        "imported {}: {} orgs, {} powers, {} service items, {} fee items",
                        file.display(),
                        s.orgs,
                        s.powers,
                        s.items,
                        s.fees
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(AppError::Import(problems)) => {
                    eprintln!(
                        "{} was not imported; nothing was changed. {} problem(s):",
                        file.display(),
                        problems.len()
                    );
                    for p in &problems {
                        eprintln!("  {p}");
                    }
                    Ok(ExitCode::from(2))
                }
                Err(e) => Err(e.to_string()),
            }
        }
        CatalogueAction::Export { format, file } => {
            let format = match format {
                FileFormat::Csv => Format::Csv,
                FileFormat::Xlsx => Format::Xlsx,
            };
            let bytes = app
                .export_catalogue(format)
                .await
                .map_err(|e| e.to_string())?;
            // Write beside the target and rename, so an interrupted export never leaves half a file.
            let partial = file.with_extension("partial");
            std::fs::write(&partial, &bytes)
                .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
            std::fs::rename(&partial, file)
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            println!(
                "exported the catalogue to {} ({} bytes)",
                file.display(),
                bytes.len()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
