use std::{io::IsTerminal, net::SocketAddr, num::NonZeroU32, path::PathBuf, time::Duration};

use anyhow::Context;
use api::Role;
use clap::{Parser, Subcommand};
use jianyan_server::{
    auth::{
        accounts::{self, AccountError},
        lockout::Lockout,
    },
    client_addr::{self, TrustedProxies},
    rate_limit::{Limits, RateLimit},
    Options,
};

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
        /// Staff login attempts one address may make per minute on average; 0 turns the limit off.
        #[arg(long, default_value_t = RateLimit::LOGIN_DEFAULT.per_minute.get())]
        login_rate_per_minute: u32,
        /// Login attempts one address may make in a quick row before the per-minute rate applies.
        #[arg(long, default_value_t = RateLimit::LOGIN_DEFAULT.burst)]
        login_burst: NonZeroU32,
        /// Failed logins in a row, from any address, after which that login name is refused for a
        /// while (unknown names alike, so no answer tells whether an account exists); 0 never locks.
        #[arg(long, default_value_t = Lockout::DEFAULT.failures.get())]
        login_lockout_failures: u32,
        /// Minutes a login name is refused after too many failed logins.
        #[arg(long, default_value_t = Lockout::DEFAULT.duration.as_secs() / 60)]
        login_lockout_minutes: u64,
        /// A reverse proxy (address or network, e.g. 127.0.0.1 or 10.0.0.0/8) whose X-Forwarded-For or
        /// Forwarded header names the client; repeat for several. Without it, the TCP peer is the client.
        #[arg(long = "trusted-proxy", value_parser = client_addr::parse_trusted_proxy)]
        trusted_proxies: Vec<ipnet::IpNet>,
        /// Mark the staff session cookie Secure (sent over https only) on every response. Without it,
        /// Secure is set when a trusted proxy says the request came over https (X-Forwarded-Proto).
        #[arg(long)]
        cookie_secure: bool,
        /// Seconds a request may take, its upload included, before it is answered 503.
        #[arg(long, default_value_t = Options::REQUEST_TIMEOUT.as_secs(),
              value_parser = clap::value_parser!(u64).range(1..))]
        request_timeout: u64,
        /// Seconds requests in flight get to finish after SIGTERM or Ctrl-C; then the server stops anyway.
        #[arg(long, default_value_t = Options::SHUTDOWN_TIMEOUT.as_secs())]
        shutdown_timeout: u64,
        /// Months from assignment (or from a member's 不满意) to the 办理时限 when staff give no date.
        #[arg(long, default_value_t = Options::DEFAULT_DUE_MONTHS,
              value_parser = clap::value_parser!(u32).range(1..=36))]
        default_due_months: u32,
        /// Largest file staff may upload (an adoption's document, a scanned instruction), in MB.
        #[arg(long, default_value_t = api::attachment::DEFAULT_MAX_BYTES / (1024 * 1024),
              value_parser = clap::value_parser!(u64).range(1..=1024))]
        attachment_max_mb: u64,
        /// Most files on one submission (members' attachments).
        #[arg(long, default_value_t = api::upload::DEFAULT_MAX_FILES,
              value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=100))]
        attachment_max_files: usize,
        /// Days a member's invitation (link or printed QR code) works if unused.
        #[arg(long, default_value_t = Options::INVITATION_DAYS,
              value_parser = clap::value_parser!(u32).range(1..=365))]
        invitation_days: u32,
        /// Invitation joins (and look-ups) one address may make per minute on average; 0 turns the
        /// limit off.
        #[arg(long, default_value_t = RateLimit::JOIN_DEFAULT.per_minute.get())]
        join_rate_per_minute: u32,
        /// Joins one address may make in a quick row (a meeting room joining at once).
        #[arg(long, default_value_t = RateLimit::JOIN_DEFAULT.burst)]
        join_burst: NonZeroU32,
    },
    /// Manage the accounts staff log in with.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Manage the units members belong to.
    Units {
        #[command(subcommand)]
        command: UnitsCommand,
    },
    /// Write a consistent copy of a (possibly live) database to a new file, a copy of the server key
    /// (secret.key beside the database) to <target>.secret.key, and of the uploaded files (the
    /// attachments folder beside it) to the folder <target>.attachments.
    Backup {
        /// Where to write the copy; must not exist yet.
        target: PathBuf,
        /// The database to copy.
        #[arg(long, default_value = "data/jianyan.db")]
        db: PathBuf,
    },
}

#[derive(Subcommand)]
enum UnitsCommand {
    /// Make the units those of a file (.xlsx or UTF-8 CSV, columns 名称 and 分组), in its order: known
    /// names are kept, new ones added, and every unit not in the file retired (its records stay), so a
    /// district that is not 中原区 replaces the seeded ones. Nothing changes if any row is wrong.
    Import {
        file: PathBuf,
        /// Keep the units that are not in the file in use, after the file's.
        #[arg(long)]
        keep_others: bool,
        #[arg(long, default_value = "data/jianyan.db")]
        db: PathBuf,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Add an account. The password is asked for at a terminal, or read as one line from standard input.
    Add {
        /// The login name: ASCII letters, digits and . _ -, e.g. zhangsan.
        login: String,
        /// The staff member's real name, e.g. 张三.
        #[arg(long)]
        name: String,
        /// admin (管理员: also reads the audit log) or reviewer (审阅人).
        #[arg(long, default_value = "reviewer", value_parser = accounts::parse_role)]
        role: Role,
        #[arg(long, default_value = "data/jianyan.db")]
        db: PathBuf,
    },
    /// Give an account another role: admin (管理员) or reviewer (审阅人); it takes effect at once.
    SetRole {
        login: String,
        #[arg(value_parser = accounts::parse_role)]
        role: Role,
        #[arg(long, default_value = "data/jianyan.db")]
        db: PathBuf,
    },
    /// Set a new password (asked for, or read from standard input); the account is logged out everywhere.
    SetPassword {
        login: String,
        #[arg(long, default_value = "data/jianyan.db")]
        db: PathBuf,
    },
    /// Disable an account (someone who left): it cannot log in and is logged out at once; its record stays.
    Disable {
        login: String,
        #[arg(long, default_value = "data/jianyan.db")]
        db: PathBuf,
    },
    /// Enable a disabled account again.
    Enable {
        login: String,
        #[arg(long, default_value = "data/jianyan.db")]
        db: PathBuf,
    },
    /// List every account.
    List {
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
            login_rate_per_minute,
            login_burst,
            login_lockout_failures,
            login_lockout_minutes,
            trusted_proxies,
            cookie_secure,
            request_timeout,
            shutdown_timeout,
            default_due_months,
            attachment_max_mb,
            attachment_max_files,
            invitation_days,
            join_rate_per_minute,
            join_burst,
        } => {
            let pool = jianyan_server::store::open(&db).await?;
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr}"))?;
            let options = Options {
                static_dir: static_dir.is_dir().then_some(static_dir),
                limits: Limits {
                    submit: RateLimit::from_settings(submit_rate_per_minute, submit_burst),
                    login: RateLimit::from_settings(login_rate_per_minute, login_burst),
                    join: RateLimit::from_settings(join_rate_per_minute, join_burst),
                    lockout: Lockout::from_settings(login_lockout_failures, login_lockout_minutes),
                },
                trusted_proxies: TrustedProxies::new(trusted_proxies),
                request_timeout: Duration::from_secs(request_timeout),
                shutdown_timeout: Duration::from_secs(shutdown_timeout),
                default_due_months,
                invitation_days,
                cookie_secure,
                attachment_max_bytes: attachment_max_mb * 1024 * 1024,
                attachment_max_files,
                ..Options::default()
            };
            jianyan_server::serve(listener, pool, options).await
        }
        Command::Staff { command } => staff(command).await,
        Command::Units {
            command:
                UnitsCommand::Import {
                    file,
                    keep_others,
                    db,
                },
        } => import_units(&file, keep_others, &db).await,
        Command::Backup { target, db } => {
            // `open` would create an empty database for a mistyped path and back that up.
            anyhow::ensure!(db.is_file(), "no database at {}", db.display());
            let key_target = jianyan_server::store::backup_key_path(&target);
            anyhow::ensure!(
                !key_target.exists(),
                "{} already exists; choose a new file name",
                key_target.display()
            );
            let files_target = jianyan_server::store::attachments::backup_folder_path(&target);
            anyhow::ensure!(
                !files_target.exists(),
                "{} already exists; choose a new file name",
                files_target.display()
            );
            let pool = open_or_exit(&db).await?;
            jianyan_server::store::backup(&pool, &target).await?;
            pool.close().await;
            println!("已备份到 {}", target.display());
            if jianyan_server::store::backup_key(&db, &key_target)? {
                println!(
                    "服务器密钥已复制到 {}（恢复时把它放在数据库旁，改名为 secret.key）",
                    key_target.display()
                );
            }
            // After the database copy: every row in it was recorded after its file was stored, so the
            // folder copied now holds the file of each.
            let copied = jianyan_server::store::attachments::back_up(&db, &files_target)?;
            if copied > 0 {
                println!(
                    "{copied} 个附件文件已复制到 {}（恢复时把这个文件夹放在数据库旁，改名为 attachments）",
                    files_target.display()
                );
            }
            Ok(())
        }
    }
}

async fn staff(command: StaffCommand) -> anyhow::Result<()> {
    let db = match &command {
        StaffCommand::Add { db, .. }
        | StaffCommand::SetPassword { db, .. }
        | StaffCommand::SetRole { db, .. }
        | StaffCommand::Disable { db, .. }
        | StaffCommand::Enable { db, .. }
        | StaffCommand::List { db } => db,
    };
    // Only `add` may start a database (before the server ever ran); the others would otherwise create
    // an empty one at a mistyped path and report "no such account".
    if !matches!(command, StaffCommand::Add { .. }) && !db.is_file() {
        eprintln!(
            "未完成：没有数据库 {}，请用 --db 指定服务器使用的数据库文件",
            db.display()
        );
        std::process::exit(1)
    }
    let pool = if db.is_file() {
        open_or_exit(db).await?
    } else {
        jianyan_server::store::open(db).await?
    };
    let done = match &command {
        StaffCommand::Add {
            login, name, role, ..
        } => {
            let password = read_password()?;
            accounts::add(&pool, login, name, *role, &password)
                .await
                .map(|()| {
                    format!(
                        "已添加账号 {login}，角色为{}（数据库 {}）",
                        role.label(),
                        db.display()
                    )
                })
        }
        StaffCommand::SetRole { login, role, .. } => accounts::set_role(&pool, login, *role)
            .await
            .map(|old| format!("已将 {login} 的角色由{}改为{}", old.label(), role.label())),
        StaffCommand::SetPassword { login, .. } => {
            let password = read_password()?;
            accounts::set_password(&pool, login, &password)
                .await
                .map(|()| format!("已为 {login} 设置新密码，原有登录均已退出"))
        }
        StaffCommand::Disable { login, .. } => accounts::set_enabled(&pool, login, false)
            .await
            .map(|()| format!("已停用账号 {login}，其登录均已退出")),
        StaffCommand::Enable { login, .. } => accounts::set_enabled(&pool, login, true)
            .await
            .map(|()| format!("已启用账号 {login}")),
        StaffCommand::List { .. } => accounts::list(&pool).await,
    };
    pool.close().await;
    match done {
        Ok(message) => {
            println!("{message}");
            Ok(())
        }
        // A person's mistake: the reason alone, without a backtrace.
        Err(AccountError::Refused(reason)) => {
            eprintln!("未完成：{reason}");
            std::process::exit(1)
        }
        Err(AccountError::Other(error)) => Err(error),
    }
}

async fn import_units(
    file: &std::path::Path,
    keep_others: bool,
    db: &std::path::Path,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let units = jianyan_server::table_file::Table::read(&bytes)
        .and_then(|table| jianyan_server::roster_import::units(&table));
    let units = match units {
        Ok(units) => units,
        Err(reason) => {
            eprintln!("未完成：{}：{reason}", file.display());
            std::process::exit(1)
        }
    };
    // A database the server never ran on gets its schema (and the seeded units) first.
    let pool = if db.is_file() {
        open_or_exit(db).await?
    } else {
        jianyan_server::store::open(db).await?
    };
    let by = jianyan_server::store::audit::Actor::CONSOLE;
    let summary = jianyan_server::store::units::import(&pool, &units, !keep_others, by).await;
    pool.close().await;
    let summary = summary?;
    let names = |names: &[String]| {
        if names.is_empty() {
            "无".to_owned()
        } else {
            names.join("、")
        }
    };
    println!(
        "已导入单位（数据库 {}）\n新增：{}\n更新：{}\n未变：{}\n停用：{}",
        db.display(),
        names(&summary.added),
        names(&summary.updated),
        names(&summary.unchanged),
        names(&summary.retired)
    );
    Ok(())
}

/// The database for a console command, as it is: one whose schema differs from this binary's is refused
/// with the reason and what to do, and the process ends.
async fn open_or_exit(db: &std::path::Path) -> anyhow::Result<sqlx::SqlitePool> {
    match jianyan_server::store::open_current(db).await {
        Ok(pool) => Ok(pool),
        Err(error) => {
            eprintln!("未完成：{}：{error:#}", db.display());
            std::process::exit(1)
        }
    }
}

/// At a terminal: asked twice without echo. Otherwise: the first line of standard input (for scripts).
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("密码：").context("cannot read the password")?;
        let again =
            rpassword::prompt_password("再输入一次：").context("cannot read the password")?;
        anyhow::ensure!(first == again, "两次输入的密码不一致");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    }
}
