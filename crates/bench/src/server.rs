//! The release server as a child process on a loopback port, as an operator would run it.

use std::{
    io::{BufRead, BufReader},
    net::SocketAddr,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::mpsc,
    thread::JoinHandle,
    time::Duration,
};

use anyhow::Context;

/// The server's own count of how its writer batched, read from the line it logs when it stops.
#[derive(Debug, Default, Clone, Copy)]
pub struct WriterStats {
    pub batches: u64,
    pub jobs: u64,
}

impl WriterStats {
    pub fn mean_batch(&self) -> f64 {
        self.jobs as f64 / self.batches.max(1) as f64
    }
}

pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    log: Option<JoinHandle<Vec<String>>>,
}

/// The flags that turn the submission rate limit off: the load comes from one address on purpose.
pub const NO_RATE_LIMIT: [&str; 2] = ["--submit-rate-per-minute", "0"];

impl Server {
    /// Starts `binary serve` on `db` and a free loopback port, and waits until it listens.
    pub fn start(binary: &Path, db: &Path) -> anyhow::Result<Server> {
        let mut child = Command::new(binary)
            .arg("serve")
            .args(["--addr", "127.0.0.1:0"])
            .arg("--db")
            .arg(db)
            .arg("--static")
            .arg(PathBuf::from(db).with_extension("no-frontend"))
            .args(NO_RATE_LIMIT)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let stdout = child.stdout.take().context("stdout is piped")?;
        let (addr_tx, addr_rx) = mpsc::channel();
        // Reads the log to the end so the server never blocks on a full pipe.
        let log = std::thread::spawn(move || {
            let mut lines = Vec::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = field(&line, "addr").filter(|_| line.contains("serving")) {
                    let _ = addr_tx.send(addr.to_owned());
                }
                lines.push(line);
            }
            lines
        });
        let addr = addr_rx
            .recv_timeout(Duration::from_secs(30))
            .context("the server did not say where it listens")?
            .parse()
            .context("the server logged an odd address")?;
        Ok(Server {
            child,
            addr,
            log: Some(log),
        })
    }

    /// The server's peak resident memory so far (VmHWM), in KiB.
    pub fn peak_memory_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse().ok())
    }

    /// SIGTERM, then waits for a clean exit and reads how the writer batched.
    pub fn stop(mut self) -> anyhow::Result<WriterStats> {
        let pid = i32::try_from(self.child.id())
            .ok()
            .and_then(rustix::process::Pid::from_raw)
            .context("the server has no valid pid")?;
        rustix::process::kill_process(pid, rustix::process::Signal::TERM)
            .context("cannot send SIGTERM")?;
        let status = self.child.wait().context("cannot wait for the server")?;
        anyhow::ensure!(status.success(), "the server exited with {status}");
        let lines = self
            .log
            .take()
            .context("the log was read already")?
            .join()
            .map_err(|_| anyhow::anyhow!("the log reader panicked"))?;
        let stopped = lines
            .iter()
            .find(|line| line.contains("database writer stopped"))
            .context("the server did not log its writer's stop")?;
        let number = |name| field(stopped, name).and_then(|value| value.parse().ok());
        Ok(WriterStats {
            batches: number("stats.batches").unwrap_or_default(),
            jobs: number("stats.jobs").unwrap_or_default(),
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `value` of ` name=value ` in a log line.
fn field<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let start = line.find(&format!("{name}="))? + name.len() + 1;
    line[start..].split_whitespace().next()
}
