//! SQLite: opening the database, migrations, backups, the group-commit writer, and one module per table
//! group.

pub mod attachments;
pub mod audit;
pub mod cosign;
pub mod member_sessions;
pub mod members;
pub mod settings;
pub mod staff;
pub mod submissions;
pub mod topics;
pub mod units;
pub mod writer;

use std::{
    io::Write,
    os::unix::fs::OpenOptionsExt,
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::Context;
use sqlx::{
    migrate::Migrator,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    SqlitePool,
};

use crate::secret::ServerKey;

/// The schema migrations this binary knows, in crates/server/migrations.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Opens (creating if needed) the database at `path` and brings its schema up to date. Only
/// `jianyan serve` (and a console command making a database where there is none) does this.
///
/// WAL lets readers run beside the writer; `synchronous = FULL` means a committed row survives power loss.
pub async fn open(path: &Path) -> anyhow::Result<SqlitePool> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create folder {}", folder.display()))?;
    }
    let pool = connect(path, true).await?;
    MIGRATOR
        .run(&pool)
        .await
        .context("cannot migrate the database")?;
    hash_plain_secrets(&pool).await?;
    submissions::bigrams::backfill(&pool).await?;
    Ok(pool)
}

/// Replaces the secrets an older release kept in plain (32 hex characters) with their SHA-256 (64), in
/// one transaction: the step of migrations/0004_secret_hashes.sql that SQL alone cannot do. Later starts
/// find nothing to do.
async fn hash_plain_secrets(pool: &SqlitePool) -> anyhow::Result<()> {
    const PLAIN: &str = "SELECT id, secret_hash FROM submissions WHERE length(secret_hash) <> 64";
    // Looked for first without the write lock, which every start but the first would take for nothing.
    let any: Option<(i64, String)> = sqlx::query_as(&format!("{PLAIN} LIMIT 1"))
        .fetch_optional(pool)
        .await
        .context("looking for secrets kept in plain")?;
    if any.is_none() {
        return Ok(());
    }
    let mut tx = pool
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting the transaction that hashes old secrets")?;
    let plain: Vec<(i64, String)> = sqlx::query_as(PLAIN)
        .fetch_all(&mut *tx)
        .await
        .context("reading secrets kept in plain")?;
    if plain.is_empty() {
        return Ok(());
    }
    let hashed: Vec<(i64, String)> = plain
        .iter()
        .map(|(id, secret)| (*id, crate::secret::secret_hash(secret)))
        .collect();
    let hashed = serde_json::to_string(&hashed).context("encoding the hashed secrets")?;
    sqlx::query(
        "UPDATE submissions SET secret_hash = h.value ->> 1
         FROM json_each(?) AS h WHERE submissions.id = h.value ->> 0",
    )
    .bind(hashed)
    .execute(&mut *tx)
    .await
    .context("replacing secrets kept in plain with their hashes")?;
    tx.commit().await.context("committing the hashed secrets")?;
    tracing::info!(
        rows = plain.len(),
        "replaced the secrets an older release kept in plain with their hashes"
    );
    Ok(())
}

/// Opens an existing database for a console command (`backup`, `staff`) without touching its schema.
/// The server may be running on it, so a command never migrates it behind the server's back: a database
/// older than this binary (migrations pending) or newer is refused, saying what to do.
pub async fn open_current(path: &Path) -> anyhow::Result<SqlitePool> {
    let pool = connect(path, false).await?;
    match schema_difference(&pool).await {
        Ok(None) => Ok(pool),
        Ok(Some(refusal)) => {
            pool.close().await;
            Err(anyhow::anyhow!(refusal))
        }
        Err(error) => {
            pool.close().await;
            Err(error)
        }
    }
}

/// Why the database's schema is not the one this binary knows, in words for the operator; `None` when
/// it is.
async fn schema_difference(pool: &SqlitePool) -> anyhow::Result<Option<String>> {
    let tracked: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_one(pool)
    .await
    .context("reading the database's schema")?;
    let applied: Vec<i64> = if tracked == 0 {
        Vec::new()
    } else {
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = 1")
            .fetch_all(pool)
            .await
            .context("reading which migrations the database has")?
    };
    let known: Vec<i64> = MIGRATOR.iter().map(|migration| migration.version).collect();
    let pending = known.iter().filter(|v| !applied.contains(v)).count();
    let unknown = applied.iter().filter(|v| !known.contains(v)).count();
    Ok(if unknown > 0 {
        Some(format!(
            "这个数据库已由更新版本的 jianyan 升级过（有 {unknown} 项本程序不认识的结构变更），\
             请用与服务器相同的新版本执行此命令"
        ))
    } else if pending > 0 {
        Some(format!(
            "这个数据库比本程序旧（还有 {pending} 项结构升级未做）。\
             请先用本版本的 jianyan serve 在这个数据库上启动一次服务器完成升级，再执行此命令"
        ))
    } else {
        None
    })
}

async fn connect(path: &Path, create: bool) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(create)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open database {}", path.display()))
}

/// Where `jianyan backup` puts the copy of the server key for a backup at `target`:
/// `<target>.secret.key`. To restore, put it beside the restored database as `secret.key`.
pub fn backup_key_path(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(".secret.key");
    PathBuf::from(name)
}

/// Copies the server key of the database at `db` (its `secret.key`) to `key_target`, readable by the
/// owner alone. `false` when the database has no key yet (no server has run on it, so no secret was
/// derived from one).
pub fn backup_key(db: &Path, key_target: &Path) -> anyhow::Result<bool> {
    let source = ServerKey::path_beside(db);
    let key = match std::fs::read(&source) {
        Ok(key) => key,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(error) => {
            return Err(anyhow::Error::from(error)
                .context(format!("cannot read the server key {}", source.display())))
        }
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(key_target)
        .with_context(|| format!("cannot create {}", key_target.display()))?;
    file.write_all(&key)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", key_target.display()))?;
    Ok(true)
}

/// Writes a consistent snapshot of the live database to `target` (which must not exist).
pub async fn backup(pool: &SqlitePool, target: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(
        !target.exists(),
        "{} already exists; choose a new file name",
        target.display()
    );
    let target_text = target
        .to_str()
        .with_context(|| format!("{} is not a UTF-8 path", target.display()))?;
    sqlx::query("VACUUM INTO ?")
        .bind(target_text)
        .execute(pool)
        .await
        .with_context(|| format!("cannot write backup to {}", target.display()))?;
    Ok(())
}
