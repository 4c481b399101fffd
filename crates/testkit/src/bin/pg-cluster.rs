//! A throwaway PostgreSQL cluster for shell scripts (scripts/test).
//!
//! ```text
//! pg-cluster start DIR   start a cluster in DIR (created if missing, must be empty), print its
//!                        admin URL (postgres://postgres@127.0.0.1:PORT/postgres), leave it running
//! pg-cluster url DIR     print the admin URL of the cluster running in DIR
//! pg-cluster stop DIR    stop the cluster in DIR and remove DIR (fine if DIR is gone)
//! ```
//! DIR holds `data/`, `log` (the server log) and the Unix socket.

use std::path::Path;
use std::process::ExitCode;

use onewindow_testkit::PgCluster;

const USAGE: &str = "usage: pg-cluster start DIR | pg-cluster url DIR | pg-cluster stop DIR";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [command, dir] = args.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let dir = Path::new(dir);
    let result = match command.as_str() {
        "start" => PgCluster::start_in(dir).map(|cluster| {
            let url = cluster.admin_url();
            cluster.detach();
            println!("{url}");
        }),
        "url" => PgCluster::running_port(dir)
            .map(|port| println!("postgres://postgres@127.0.0.1:{port}/postgres")),
        "stop" => PgCluster::stop_dir(dir),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pg-cluster {command} {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}
