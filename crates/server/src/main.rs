//! `crossdock-server`: loads the network, opens the database, serves the API and the app;
//! `crossdock-server backup FILE` and `restore FILE` copy the database out and back
//! ([`crossdock_server::backup`]). Every failure is one clear message and exit status 1
//! (2 for a bad command line).

use std::process::ExitCode;

use crossdock_server::backup::{self, Command, Target};
use crossdock_server::{
    AppState, Config, ConfigError, DbTarget, StartError, USAGE, app, demo_seller_logins,
    load_network, load_pricing, record_network_load,
};

#[tokio::main]
async fn main() -> ExitCode {
    let command = Command::parse(std::env::args().skip(1), |key| std::env::var(key).ok());
    let (config, file, restore) = match command {
        Ok(Command::Serve(config)) => return serve(config).await,
        Ok(Command::Backup { file, config }) => (config, file, false),
        Ok(Command::Restore { file, config }) => (config, file, true),
        Err(ConfigError::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e @ ConfigError::BadCommand { .. }) => {
            eprintln!("crossdock-server: {e}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("crossdock-server: {}", StartError::Config(e));
            return ExitCode::from(2);
        }
    };
    let done = match Target::of(&config) {
        Ok(target) if restore => backup::restore(&target, &file).await,
        Ok(target) => backup::backup(&target, &file).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("crossdock-server: error: {e}");
            ExitCode::from(1)
        }
    }
}

async fn serve(config: Config) -> ExitCode {
    crossdock_server::ops::mark_start();
    crossdock_server::ops::init_logging();
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("crossdock-server: error: {e}");
            ExitCode::from(1)
        }
    }
}

async fn run(config: Config) -> Result<(), StartError> {
    let network = load_network(&config.network)?;
    let pricing = load_pricing(&config.pricing, network.network())?;

    let listener = tokio::net::TcpListener::bind((config.addr, config.port))
        .await
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AddrInUse => StartError::PortInUse {
                addr: config.addr,
                port: config.port,
            },
            _ => StartError::Listen {
                addr: config.addr,
                port: config.port,
                source,
            },
        })?;
    let local = listener.local_addr().map_err(StartError::Serve)?;

    let target = DbTarget::choose(config.db.clone(), config.database_url.as_deref())
        .map_err(|m| StartError::Config(ConfigError::Invalid(m)))?;
    let db = crossdock_server::open(&target).await?;
    record_network_load(&db, &network)
        .await
        .map_err(|e| StartError::Database {
            database: target.describe(),
            message: e.to_string(),
        })?;

    if !config.dist.join("index.html").is_file() {
        eprintln!(
            "crossdock-server: note: {} not found — the app is not built (run make run); the API still works",
            config.dist.join("index.html").display()
        );
    }
    let hash_prefix = network
        .content_hash()
        .get(..12)
        .unwrap_or_default()
        .to_owned();
    let version = network.version().to_owned();
    let state = AppState::with_pricing(network, pricing, config.dist, db.clone()).await?;
    println!(
        "Crossdock is running at http://{local}/  (network {version} {hash_prefix}, database {}, {} listings) — Ctrl-C to stop",
        target.describe(),
        state.catalog.snapshot().listings.len()
    );
    let demo = demo_seller_logins(&db)
        .await
        .map_err(|e| StartError::Database {
            database: target.describe(),
            message: format!("reading the demo seller accounts: {e}"),
        })?;
    if let Some(first) = demo.first() {
        println!(
            "Seller panel: http://{local}/seller — demo sign-in: {} / {} ({}; each demo seller signs in as <seller id>@demo.crossdock / crossdock-demo-<seller id>: {})",
            first.login,
            first.password,
            first.name,
            demo.iter()
                .map(|d| d.seller_id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    // Every minute: shipments whose ETA has come become stock, and margins no one has
    // computed yet (or computed with other rules) are computed, off the request path.
    let background = tokio::spawn(crossdock_server::seller_background(state.clone()));
    // Writes made through other instances on the same database, within a second.
    let follower = tokio::spawn(crossdock_server::follow_catalog(state.clone()));

    let imports = state.imports.clone();
    // With the peer's address and the proxies trusted to name the client behind them,
    // which sign-in throttling counts per client.
    let service = app(state)
        .layer(axum::Extension(config.trusted_proxies))
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal(imports.clone()))
        .await
        .map_err(StartError::Serve)?;
    // Every request is answered; CSV imports they started may still be running.
    let running = imports.running();
    if running > 0 {
        println!("Waiting for {running} CSV import(s) to finish…");
        imports.idle().await;
    }
    background.abort();
    follower.abort();
    db.close().await;
    println!("Crossdock stopped.");
    Ok(())
}

/// Ctrl-C, or SIGTERM (what `kill` and the test scripts send). Then open requests get
/// [`REQUEST_GRACE`] to finish, and CSV imports running then up to [`IMPORT_GRACE`] in
/// all; a second Ctrl-C or the deadline ends the process (exit status 1).
async fn shutdown_signal(imports: crossdock_server::ImportJobs) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    println!("Crossdock is stopping (Ctrl-C again to force)…");
    tokio::spawn(async move {
        let deadline = async {
            tokio::time::sleep(REQUEST_GRACE).await;
            // An import is one transaction: cut off, none of it is applied, and it reads
            // failed after the restart. Give it the time it needs, within reason.
            if imports.running() > 0 {
                let _ = tokio::time::timeout(IMPORT_GRACE - REQUEST_GRACE, imports.idle()).await;
                // Its answer to the last poll may still be on its way.
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {},
            () = deadline => {},
        }
        eprintln!("crossdock-server: stopped without waiting for open requests and imports");
        std::process::exit(1);
    });
}

/// How long open requests get after SIGTERM.
const REQUEST_GRACE: std::time::Duration = std::time::Duration::from_secs(10);
/// How long, in all, a CSV import running at SIGTERM gets to finish.
const IMPORT_GRACE: std::time::Duration = std::time::Duration::from_secs(60);
