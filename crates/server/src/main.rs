use std::{net::SocketAddr, path::PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};

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
        } => {
            let pool = jianyan_server::store::open(&db).await?;
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr}"))?;
            let static_dir = static_dir.is_dir().then_some(static_dir);
            jianyan_server::serve(listener, pool, static_dir).await
        }
        Command::Backup { target, db } => {
            let pool = jianyan_server::store::open(&db).await?;
            jianyan_server::store::backup(&pool, &target).await?;
            println!("已备份到 {}", target.display());
            Ok(())
        }
    }
}
