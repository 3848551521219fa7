//! SIGTERM: requests already in flight are finished and stored, then the process exits 0; a client that
//! never finishes its request does not keep the process alive past the shutdown deadline.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use api::{SubmissionCreated, TrackingCode, IDEMPOTENCY_KEY_HEADER};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    task::JoinSet,
};

use crate::helpers::{fresh_db, open_read_only, post, submission, Posted, ServerProcess};

/// Requests whose bodies are still arriving when the signal comes.
const HALF_SENT: usize = 8;
/// Clients posting as fast as they can across the signal.
const STREAMING: usize = 8;
/// Time for the server to read the heads sent and to store a few streamed submissions; generous for a
/// loaded CI box.
const SETTLE: Duration = Duration::from_millis(500);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_the_requests_in_flight_with_201_and_exits_0() {
    // Arrange: requests the server has started reading, and a stream of complete ones.
    let (_dir, db) = fresh_db();
    let mut server = ServerProcess::start(&db);
    let mut half_sent = Vec::new();
    for i in 0..HALF_SENT {
        half_sent.push(start_request(&server.socket_address(), i).await);
    }
    let client = reqwest::Client::new();
    let receipts: Arc<Mutex<Vec<SubmissionCreated>>> = Arc::default();
    let mut streaming = JoinSet::new();
    for worker in 0..STREAMING {
        let (client, address) = (client.clone(), server.address.clone());
        let receipts = Arc::clone(&receipts);
        streaming.spawn(async move {
            for i in 0..10_000 {
                let n = 1_000 + worker * 10_000 + i;
                match post(&client, &address, &format!("stream-{n}"), n).await {
                    Posted::Stored(receipt) => receipts.lock().expect("lock").push(receipt),
                    Posted::NotConfirmed => break, // refused: the server has stopped accepting
                }
            }
        });
    }
    tokio::time::sleep(SETTLE).await;

    // Act
    server.terminate();
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(server.socket_address()).await.is_ok() {
        assert!(
            Instant::now() < deadline,
            "the server stops accepting connections once signalled"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        server.is_running(),
        "the server has acted on the signal, and waits for the requests in flight"
    );
    let mut answers = Vec::new();
    for (stream, rest) in half_sent {
        answers.push(finish_request(stream, &rest).await);
    }
    streaming.join_all().await;
    let log_before_exit = server.log();
    let status = server.wait();

    // Assert: every request in flight got its 201, the process exited cleanly, and every 201 is stored.
    assert!(
        status.success(),
        "exit status {status}: {log_before_exit:#?}"
    );
    let mut receipts = std::mem::take(&mut *receipts.lock().expect("lock"));
    assert!(
        !receipts.is_empty(),
        "the stream was stored before the signal"
    );
    for (i, answer) in answers.iter().enumerate() {
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((answer, ""));
        assert!(
            head.starts_with("HTTP/1.1 201"),
            "half-sent request {i} is finished with 201: {answer}"
        );
        receipts.push(serde_json::from_str(body).expect("a receipt"));
    }
    let mut db_read = open_read_only(&db).await;
    for receipt in &receipts {
        let id = TrackingCode::parse(&receipt.code).expect("a code").number();
        let secret_hash: String =
            sqlx::query_scalar("SELECT secret_hash FROM submissions WHERE id = ?")
                .bind(id)
                .fetch_one(&mut db_read)
                .await
                .unwrap_or_else(|_| panic!("{} is stored", receipt.code));
        assert_eq!(
            secret_hash,
            jianyan_server::secret::sha256_hex(receipt.secret.as_bytes())
        );
    }
    let _ = sqlx::Connection::close(db_read).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_never_finishes_does_not_keep_the_server_past_the_shutdown_deadline() {
    // Arrange: a request timeout far longer than the deadline, so only the deadline can end it.
    let (_dir, db) = fresh_db();
    let mut server = ServerProcess::start_with(
        &db,
        &["--shutdown-timeout", "1", "--request-timeout", "600"],
    );
    let stored = match post(&reqwest::Client::new(), &server.address, "before", 1).await {
        Posted::Stored(receipt) => receipt,
        Posted::NotConfirmed => panic!("a submission before the signal is stored"),
    };
    let (_hung, _never_sent) = start_request(&server.socket_address(), 2).await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    // Act
    let signalled = Instant::now();
    server.terminate();
    let mut exited = false;
    while signalled.elapsed() < Duration::from_secs(6) {
        if !server.is_running() {
            exited = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = signalled.elapsed();

    // Assert
    let log = server.log();
    assert!(
        exited,
        "still running {took:?} after SIGTERM with a 1 s deadline: {log:#?}"
    );
    assert!(
        took >= Duration::from_millis(900),
        "the request in flight got its second: {took:?}"
    );
    let status = server.wait();
    assert!(status.success(), "exit status {status}: {log:#?}");
    assert!(
        log.iter().any(|line| line.contains("cut off")),
        "the log says requests were cut off: {log:#?}"
    );
    let mut db_read = open_read_only(&db).await;
    let id = TrackingCode::parse(&stored.code).expect("a code").number();
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM submissions WHERE id = ?")
        .bind(id)
        .fetch_one(&mut db_read)
        .await
        .expect("the database reads after the exit");
    assert_eq!(count, 1, "what was stored before the signal is there");
    let _ = sqlx::Connection::close(db_read).await;
}

/// Sends a POST's head and the first half of its body; returns the socket and the other half.
async fn start_request(address: &str, i: usize) -> (TcpStream, Vec<u8>) {
    let body = submission(i).to_string().into_bytes();
    let head = format!(
        "POST /api/submissions HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n{IDEMPOTENCY_KEY_HEADER}: half-sent-{i}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut stream = TcpStream::connect(address).await.expect("a connection");
    let (first, rest) = body.split_at(body.len() / 2);
    stream
        .write_all(head.as_bytes())
        .await
        .expect("the head is sent");
    stream
        .write_all(first)
        .await
        .expect("half the body is sent");
    (stream, rest.to_vec())
}

/// Sends the rest of the body and reads the whole answer.
async fn finish_request(mut stream: TcpStream, rest: &[u8]) -> String {
    stream.write_all(rest).await.expect("the rest is sent");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("the answer comes in time")
        .expect("the answer can be read");
    String::from_utf8_lossy(&answer).into_owned()
}
