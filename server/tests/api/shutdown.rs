//! SIGTERM while a request is in flight: the real binary must finish it.

use std::{process::Command, time::Duration};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Starts `ats-scorer serve` on port 0 and returns it with the address it logged.
pub fn start_binary(dir: &std::path::Path) -> (std::process::Child, String) {
    let b = crate::helpers::start_binary_with(dir, &[]);
    (b.child, b.address)
}

#[tokio::test]
async fn sigterm_lets_an_in_flight_download_finish_then_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("site/pkg")).unwrap();
    // Large enough that the response cannot sit in socket buffers: the server is
    // still writing it when the signal arrives.
    let size = 32 * 1024 * 1024;
    let payload: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
    std::fs::write(dir.path().join("site/pkg/blob.0123456789ab.bin"), &payload).unwrap();

    let (mut child, address) = start_binary(dir.path());

    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    stream
        .write_all(
            b"GET /pkg/blob.0123456789ab.bin HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
    let mut first = vec![0u8; 64 * 1024];
    let n = stream.read(&mut first).await.unwrap();
    assert!(n > 0);
    let mut received = first[..n].to_vec();

    // The request is now in flight. Ask the server to stop.
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        child.try_wait().unwrap().is_none(),
        "the server must not exit while a response is still being sent"
    );

    // New connections are no longer accepted once shutdown began.
    let refused = tokio::time::timeout(Duration::from_secs(2), async {
        match tokio::net::TcpStream::connect(&address).await {
            Err(_) => true,
            Ok(mut s) => {
                let _ = s
                    .write_all(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
                    .await;
                let mut buf = [0u8; 16];
                matches!(s.read(&mut buf).await, Ok(0) | Err(_))
            }
        }
    })
    .await
    .unwrap_or(true);
    assert!(refused, "a new request after SIGTERM must not be served");

    stream.read_to_end(&mut received).await.unwrap();
    let header_end = received
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete header block")
        + 4;
    let head = String::from_utf8_lossy(&received[..header_end]).to_string();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(received.len() - header_end, size, "the whole body arrived");
    assert!(received[header_end..] == payload[..], "the body is intact");

    let exit = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.success(), "clean exit after draining: {exit:?}");
}
