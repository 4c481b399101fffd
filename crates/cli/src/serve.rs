//! `onewindow serve`: open the store, seed the demo if asked, and serve until Ctrl-C or SIGTERM,
//! finishing requests in flight before closing the database.

use std::sync::Arc;

use tokio::net::TcpListener;

use crate::config::{Config, Documents};

pub fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .init();
}

pub async fn serve(config: Config, demo: bool) -> Result<(), String> {
    let app = crate::open_app(&config).await?;
    let app = match config.documents {
        Documents::Background => app.with_background_documents(),
        Documents::Inline => app,
    };
    let app = match &config.smtp {
        Some(_) => app.with_notification_mail(),
        None => app,
    };
    tracing::info!(
        database = %onewindow_store_sql::redact_url(&config.database_url),
        "database ready"
    );
    if demo {
        let accounts = app.seed_demo().await.map_err(|e| e.to_string())?;
        let cases = app.seed_demo_cases().await.map_err(|e| e.to_string())?;
        if cases > 0 {
            println!("Demo applications made: {cases}, one in every state.");
        }
        println!("Demo data loaded. Demo accounts (user name / password / role or enterprise):");
        for a in &accounts {
            println!("  {:<18} {:<29} {}", a.username, a.password, a.describe());
        }
    }
    // The shipped holiday schedules into the store on first start: the calendar in force is
    // then the stored one, which an administrator's import of the next year extends.
    app.prepare_calendar()
        .await
        .map_err(|e| format!("cannot start: the holiday calendar: {e}"))?;
    // A stored licence policy that could not date or number a licence, or make its electronic
    // identifier (RULES.md §8), stops start-up naming the field, not the first issuance.
    app.licence_policy()
        .await
        .map_err(|e| format!("cannot start: {e}"))?;
    let key = app
        .prepare_signing_key()
        .await
        .map_err(|e| format!("cannot prepare the document signing key: {e}"))?;
    tracing::info!(
        key_id = key.key_id,
        public_url = app.public_url(),
        "documents are signed"
    );
    // Without the CJK font every other page still works; documents wait for the font.
    if let Err(e) = app.check_document_fonts().await {
        tracing::warn!("{e}");
        eprintln!("warning: {e}");
    }
    let is_demo = app.is_demo().await.map_err(|e| e.to_string())?;
    let metrics = onewindow_web::install_metrics().map_err(|e| e.to_string())?;
    let state = onewindow_web::AppState {
        app: app.clone(),
        metrics: Some(Arc::new(metrics)),
        demo: is_demo,
        admission: onewindow_web::Admission::at_most(config.max_requests_in_flight),
    };
    let listener = TcpListener::bind(config.listen).await.map_err(|e| {
        format!(
            "cannot listen on {}: {e}; choose another with --listen",
            config.listen
        )
    })?;
    tokio::spawn(run_sweeper(
        app.clone(),
        std::time::Duration::from_secs(config.sweep_seconds),
    ));
    if let Some(smtp) = &config.smtp {
        tracing::info!(host = %smtp.host, port = smtp.port, security = ?smtp.security, "notifications are copied by e-mail");
        let mailer = onewindow_app::notifications::SmtpMailer::new(smtp.clone())?;
        tokio::spawn(run_mail_drainer(app.clone(), mailer));
    }
    println!("onewindow is serving on http://{}", config.listen);
    axum::serve(listener, onewindow_web::router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))?;
    let deferred = app.documents_deferred();
    if deferred > 0 {
        tracing::warn!(
            deferred,
            "documents deferred to the sweeper since start-up (the queue was full)"
        );
    }
    tracing::info!("stopped");
    Ok(())
}

/// Runs the deadline sweeper now (catching up after a restart) and then on its interval. A
/// failed sweep is logged and tried again next time; it never stops the server.
async fn run_sweeper(app: onewindow_app::App, every: std::time::Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match app.sweep().await {
            Ok(report)
                if report.deemed_accepted
                    + report.warnings_raised
                    + report.due_dates_changed
                    + report.documents_made
                    + report.renewals_deemed
                    + report.renewal_reminders
                    > 0 =>
            {
                tracing::info!(?report, "sweep");
            }
            Ok(report) => tracing::debug!(?report, "sweep"),
            Err(e) => tracing::warn!(error = %e, "sweep failed; trying again at the next interval"),
        }
    }
}

/// Sends the e-mail outbox every few seconds (ADR 0004): every instance may, each message is
/// claimed by one. A failed pass is logged and tried again.
async fn run_mail_drainer(
    app: onewindow_app::App,
    mailer: onewindow_app::notifications::SmtpMailer,
) {
    let mut ticks = tokio::time::interval(std::time::Duration::from_secs(5));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match app.drain_mail(&mailer).await {
            Ok(report) if report != Default::default() => tracing::info!(?report, "mail"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "mail pass failed; trying again shortly"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}
