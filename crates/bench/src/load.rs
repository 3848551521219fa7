//! The load generator: plain hyper HTTP/1 connections, one per worker, kept alive; closed loops for the
//! most a server can do, an open loop for latency at a fixed arrival rate.

use std::{
    net::SocketAddr,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use anyhow::Context;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{client::conn::http1::SendRequest, Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::{
    net::TcpStream,
    sync::{mpsc, Mutex},
    task::JoinSet,
};

use crate::report::Outcome;

/// Builds the i-th request of a run.
pub type MakeRequest = Arc<dyn Fn(usize) -> anyhow::Result<Request<Full<Bytes>>> + Send + Sync>;

/// What a run sends and what it counts as success.
#[derive(Clone)]
pub struct Run {
    pub addr: SocketAddr,
    pub connections: usize,
    pub requests: usize,
    pub expect: StatusCode,
    pub make: MakeRequest,
}

/// Each connection sends its next request as soon as the last is answered, until `requests` are sent
/// or `time_limit` has passed: the most the server can do at this concurrency.
pub async fn closed_loop(run: Run, time_limit: Duration) -> anyhow::Result<Outcome> {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = JoinSet::new();
    for _ in 0..run.connections {
        let (run, next) = (run.clone(), Arc::clone(&next));
        let mut connection = connect(run.addr).await?;
        workers.spawn(async move {
            let mut outcome = Outcome::default();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= run.requests || started.elapsed() > time_limit {
                    break;
                }
                let sent = Instant::now();
                let result = send(&mut connection, (run.make)(i)).await;
                outcome.record(sent.elapsed(), result, run.expect);
                if !reconnect_if_closed(&mut connection, run.addr).await {
                    break;
                }
            }
            outcome
        });
    }
    let mut total = merged(workers).await;
    total.elapsed = started.elapsed();
    Ok(total)
}

/// Requests arrive every `1/rate` seconds whether or not earlier ones are answered, like independent
/// members would; latency counts from the moment a request was due, so a stalled server cannot hide
/// its stall by slowing the generator down (no coordinated omission).
pub async fn open_loop(run: Run, rate_per_second: u32) -> anyhow::Result<Outcome> {
    let period = Duration::from_secs(1) / rate_per_second;
    let (due_tx, due_rx) = mpsc::unbounded_channel::<(usize, Instant)>();
    let due_rx = Arc::new(Mutex::new(due_rx));
    let mut workers = JoinSet::new();
    for _ in 0..run.connections {
        let (run, due_rx) = (run.clone(), Arc::clone(&due_rx));
        let mut connection = connect(run.addr).await?;
        workers.spawn(async move {
            let mut outcome = Outcome::default();
            loop {
                let next = due_rx.lock().await.recv().await;
                let Some((i, due)) = next else { break };
                let result = send(&mut connection, (run.make)(i)).await;
                outcome.record(due.elapsed(), result, run.expect);
                if !reconnect_if_closed(&mut connection, run.addr).await {
                    break;
                }
            }
            outcome
        });
    }
    let started = Instant::now();
    for i in 0..run.requests {
        let due = started + period * u32::try_from(i).context("too many requests")?;
        tokio::time::sleep_until(due.into()).await;
        due_tx.send((i, due)).context("every worker has stopped")?;
    }
    drop(due_tx);
    let mut total = merged(workers).await;
    total.elapsed = started.elapsed();
    Ok(total)
}

async fn connect(addr: SocketAddr) -> anyhow::Result<SendRequest<Full<Bytes>>> {
    let stream = TcpStream::connect(addr)
        .await
        .with_context(|| format!("cannot connect to {addr}"))?;
    stream.set_nodelay(true).context("TCP_NODELAY")?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .context("HTTP/1 handshake")?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

/// A server may close a kept-alive connection; the worker then goes on with a new one. False when no
/// new connection can be made (the worker stops).
async fn reconnect_if_closed(connection: &mut SendRequest<Full<Bytes>>, addr: SocketAddr) -> bool {
    if !connection.is_closed() {
        return true;
    }
    match connect(addr).await {
        Ok(fresh) => {
            *connection = fresh;
            true
        }
        Err(_) => false,
    }
}

/// Every worker's outcome as one.
async fn merged(workers: JoinSet<Outcome>) -> Outcome {
    let mut total = Outcome::default();
    for outcome in workers.join_all().await {
        total.merge(outcome);
    }
    total
}

/// Sends one request and reads its whole answer.
async fn send(
    connection: &mut SendRequest<Full<Bytes>>,
    request: anyhow::Result<Request<Full<Bytes>>>,
) -> anyhow::Result<StatusCode> {
    exchange(connection, request?)
        .await
        .map(|(status, _)| status)
}

/// One request on a fresh connection, with its whole answer: status, headers and body (for set-up steps
/// such as logging in, whose session comes in a Set-Cookie header).
pub async fn request_once(
    addr: SocketAddr,
    request: Request<Full<Bytes>>,
) -> anyhow::Result<(StatusCode, hyper::HeaderMap, Bytes)> {
    let mut connection = connect(addr).await?;
    connection.ready().await.context("connection not ready")?;
    let response = connection
        .send_request(request)
        .await
        .context("request failed")?;
    let (parts, body) = response.into_parts();
    let body = body
        .collect()
        .await
        .context("reading the answer")?
        .to_bytes();
    Ok((parts.status, parts.headers, body))
}

async fn exchange(
    connection: &mut SendRequest<Full<Bytes>>,
    request: Request<Full<Bytes>>,
) -> anyhow::Result<(StatusCode, Bytes)> {
    connection.ready().await.context("connection not ready")?;
    let response = connection
        .send_request(request)
        .await
        .context("request failed")?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .context("reading the answer")?
        .to_bytes();
    Ok((status, body))
}
