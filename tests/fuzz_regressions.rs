//! Inputs found by the fuzz targets in `fuzz/` (see docs/robustness.md), minimised and kept
//! here so that each stays fixed.

use lawful::lsp::transport::screen;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The bodies `screen` passes on, in order.
fn screened(input: &[u8]) -> Vec<String> {
    let mut out: Vec<u8> = Vec::new();
    runtime().block_on(screen(input, &mut out));
    let mut bodies = Vec::new();
    let mut rest = &out[..];
    while let Some(at) = rest.windows(4).position(|w| w == b"\r\n\r\n") {
        let header = std::str::from_utf8(&rest[..at]).unwrap();
        let length: usize = header
            .strip_prefix("Content-Length: ")
            .unwrap()
            .parse()
            .unwrap();
        let body = &rest[at + 4..at + 4 + length];
        bodies.push(String::from_utf8(body.to_vec()).expect("a UTF-8 body"));
        rest = &rest[at + 4 + length..];
    }
    assert!(rest.is_empty(), "trailing bytes: {rest:?}");
    bodies
}

// fuzz target `lsp` (frame mode), crash-4ab20bbc: a body that is JSON in shape but holds bytes
// that are not UTF-8 inside a string. `screen` checked it with `IgnoredAny`, which skips strings
// without decoding them, so the frame went through and the protocol library's decoder (which
// ends the stream at the first body it cannot decode) stopped the server. Same for an escaped
// lone surrogate, which `IgnoredAny` does not decode either.
#[test]
fn frames_whose_json_strings_are_not_unicode_are_dropped() {
    let good = br#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#;
    let mut input = frame(b"{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"\x9d\x90\":1}}");
    input.extend(frame(
        br#"{"jsonrpc":"2.0","method":"x","params":{"t":"\ud800"}}"#,
    ));
    input.extend(frame(good));
    let bodies = screened(&input);
    assert_eq!(bodies, vec![String::from_utf8(good.to_vec()).unwrap()]);
}

async fn read_message<R: tokio::io::AsyncBufRead + Unpin>(
    reader: &mut R,
) -> Option<serde_json::Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).await.ok()?;
    serde_json::from_slice(&body).ok()
}

#[test]
fn the_server_answers_after_a_frame_that_is_not_unicode() {
    runtime().block_on(async {
        let (client, server) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server);
        tokio::spawn(lawful::lsp::serve(server_read, server_write));
        let (client_read, mut client_write) = tokio::io::split(client);
        let mut input = frame(b"{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"\x9d\":1}}");
        input.extend(frame(
            br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#,
        ));
        client_write.write_all(&input).await.unwrap();
        client_write.flush().await.unwrap();
        let mut reader = BufReader::new(client_read);
        // The answer to `initialize`, after whatever else the server says (never the end of
        // the stream: it used to answer a "Parse error" and stop reading).
        let answer = tokio::time::timeout(std::time::Duration::from_secs(20), async {
            loop {
                let message = read_message(&mut reader).await?;
                if message["id"] == 1 {
                    return Some(message);
                }
            }
        })
        .await
        .expect("the server neither answered nor closed the stream");
        let answer = answer.expect("the server closed the stream instead of answering");
        assert_eq!(answer["id"], 1, "{answer}");
        assert!(answer["result"]["capabilities"].is_object(), "{answer}");
    });
}
