//! Counting what a run did, and writing it down as Markdown with the machine it ran on.

use std::time::Duration;

use hyper::StatusCode;

/// The answers of one run: every latency of a request answered as expected, and the failures.
#[derive(Debug, Default)]
pub struct Outcome {
    pub latencies: Vec<Duration>,
    pub errors: usize,
    pub first_error: Option<String>,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn record(
        &mut self,
        latency: Duration,
        result: anyhow::Result<StatusCode>,
        expect: StatusCode,
    ) {
        match result {
            Ok(status) if status == expect => self.latencies.push(latency),
            Ok(status) => self.fail(format!("status {status}")),
            Err(error) => self.fail(format!("{error:#}")),
        }
    }

    pub fn fail(&mut self, why: String) {
        self.errors += 1;
        self.first_error.get_or_insert(why);
    }

    pub fn merge(&mut self, other: Outcome) {
        self.latencies.extend(other.latencies);
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    /// Successful requests per second over the whole run.
    pub fn throughput(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }

    /// The latency below which `percent` of the successful requests fall (nearest rank).
    pub fn percentile(&mut self, percent: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        self.latencies.sort_unstable();
        let rank = (percent / 100.0 * self.latencies.len() as f64).ceil() as usize;
        self.latencies[rank.clamp(1, self.latencies.len()) - 1]
    }
}

/// One line of the results table.
pub struct Row {
    pub scenario: String,
    pub load: String,
    pub outcome: Outcome,
    pub target: String,
}

fn ms(latency: Duration) -> String {
    format!("{:.2}", latency.as_secs_f64() * 1000.0)
}

/// The results table, one row per scenario.
pub fn table(rows: &mut [Row]) -> String {
    let mut text = String::from(
        "| scenario | load | ok | errors | req/s | p50 ms | p99 ms | max ms | target |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for row in rows.iter_mut() {
        let outcome = &mut row.outcome;
        let (p50, p99, max) = (
            outcome.percentile(50.0),
            outcome.percentile(99.0),
            outcome.percentile(100.0),
        );
        text.push_str(&format!(
            "| {} | {} | {} | {} | {:.0} | {} | {} | {} | {} |\n",
            row.scenario,
            row.load,
            outcome.latencies.len(),
            outcome.errors,
            outcome.throughput(),
            ms(p50),
            ms(p99),
            ms(max),
            row.target
        ));
    }
    for row in rows.iter() {
        if let Some(error) = &row.outcome.first_error {
            text.push_str(&format!("\nfirst error in {}: {error}\n", row.scenario));
        }
    }
    text
}

/// Cores, CPU model, load average and the time, for the header of a report.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or("unknown", |(_, model)| model.trim());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = load
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    let now = time::OffsetDateTime::now_utc()
        .format(&time::macros::format_description!(
            "[year]-[month]-[day] [hour]:[minute] UTC"
        ))
        .unwrap_or_default();
    format!("{now}; nproc {cores}; CPU {model}; load average before the run {load}")
}
