use std::{net::SocketAddr, num::NonZeroU32, path::PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};
use jianyan_server::rate_limit::{Limits, RateLimit};

/// 同心建言: the server for members' submissions and staff's work on them.
#[derive(Parser)]
#[command(name = "jianyan", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the built frontend.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// SQLite database file; created with its folder if missing.
        #[arg(long, default_value = "data/jianyan.db")]
        db: PathBuf,
        /// Folder of the built frontend (trunk's dist/); the API alone is served when absent.
        #[arg(long = "static", default_value = "dist")]
        static_dir: PathBuf,
        /// Submissions one address may send per minute on average; 0 turns the limit off (load tests).
        /// Members in one meeting room share one address, so keep it generous.
        #[arg(long, default_value_t = RateLimit::SUBMIT_DEFAULT.per_minute.get())]
        submit_rate_per_minute: u32,
        /// Submissions one address may send in a quick row before the per-minute rate applies.
        #[arg(long, default_value_t = RateLimit::SUBMIT_DEFAULT.burst)]
        submit_burst: NonZeroU32,
    },
    /// Write a consistent copy of a (possibly live) database to a new file.
    Backup {
        /// Where to write the copy; must not exist yet.
        target: PathBuf,
        /// The database to copy.
        #[arg(long, default_value = "data/jianyan.db")]
        db: PathBuf,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    jianyan_server::telemetry::init();
    match Cli::parse().command {
        Command::Serve {
            addr,
            db,
            static_dir,
            submit_rate_per_minute,
            submit_burst,
        } => {
            let pool = jianyan_server::store::open(&db).await?;
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr}"))?;
            let options = jianyan_server::Options {
                static_dir: static_dir.is_dir().then_some(static_dir),
                limits: Limits {
                    submit: RateLimit::from_settings(submit_rate_per_minute, submit_burst),
                },
            };
            jianyan_server::serve(listener, pool, options).await
        }
        Command::Backup { target, db } => {
            // `open` would create an empty database for a mistyped path and back that up.
            anyhow::ensure!(db.is_file(), "no database at {}", db.display());
            let pool = jianyan_server::store::open(&db).await?;
            jianyan_server::store::backup(&pool, &target).await?;
            println!("已备份到 {}", target.display());
            Ok(())
        }
    }
}
