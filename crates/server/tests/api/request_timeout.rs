//! A request that takes longer than the request timeout (here: a client that stops sending its body) is
//! answered 503 in the usual error shape, and its connection is not held open for ever.

use std::time::Duration;

use jianyan_server::Options;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::helpers::{assert_error_body_shape, spawn_app_with, Setup};

#[tokio::test]
async fn a_request_whose_body_stops_arriving_is_answered_503_with_an_error_body_after_the_timeout()
{
    // Arrange
    let app = spawn_app_with(Setup {
        options: Options {
            request_timeout: Duration::from_millis(300),
            ..Options::default()
        },
        connect_info: false,
    })
    .await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).await.expect("a connection");
    let head = format!(
        "POST /api/submissions HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: 1000\r\nConnection: close\r\n\r\n{{\"kind\":"
    );

    // Act: the head and a few bytes of the body, then nothing.
    stream
        .write_all(head.as_bytes())
        .await
        .expect("the head is sent");
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;

    // Assert
    assert!(read.is_ok(), "no answer within 5 s of a 300 ms timeout");
    let answer = String::from_utf8_lossy(&answer);
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    assert!(head.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{answer}"
    );
    let body: serde_json::Value = serde_json::from_str(body).expect("a JSON body");
    assert_error_body_shape(&body, "the timeout");
}
