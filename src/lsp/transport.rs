//! The byte stream from the editor, screened before the protocol library sees it.
//!
//! tower-lsp-server's reader stops for good at the first message that is not JSON (the
//! framed stream ends after a decoding error), which would leave the editor without a
//! server. So frames are read here first: a frame without `Content-Length`, or whose body is
//! not JSON, is logged and dropped, and reading goes on with the next frame.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

/// No request comes near this: the largest file is 4 MiB, escaped at most six-fold in JSON.
const MAX_FRAME: usize = 128 * 1024 * 1024;

/// Copies well-formed frames from `input` to `output` until `input` ends.
pub async fn screen(input: impl AsyncRead + Unpin, mut output: impl AsyncWrite + Unpin) {
    let mut reader = BufReader::new(input);
    loop {
        let mut length: Option<usize> = None;
        let mut saw_header = false;
        loop {
            let mut line = Vec::new();
            match reader.read_until(b'\n', &mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                if saw_header {
                    break;
                }
                continue;
            }
            saw_header = true;
            if let Some((name, value)) = text.split_once(':')
                && name.trim().eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().ok();
            }
        }
        let Some(length) = length else {
            super::log("dropped a message without a valid `Content-Length` header");
            continue;
        };
        if length > MAX_FRAME {
            super::log(format!("dropped a message of {length} bytes"));
            let mut skip = (&mut reader).take(length as u64);
            if tokio::io::copy(&mut skip, &mut tokio::io::sink())
                .await
                .is_err()
            {
                return;
            }
            continue;
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        // Decoded in full, not skimmed with `IgnoredAny`: that skips strings without decoding
        // them, so bytes that are not UTF-8 or a lone `\ud800` inside a string went through
        // and stopped the server (found by the `lsp` fuzz target). Linear in the frame.
        if let Err(error) = serde_json::from_slice::<serde_json::Value>(&body) {
            super::log(format!("dropped a message that is not JSON: {error}"));
            continue;
        }
        let header = format!("Content-Length: {length}\r\n\r\n");
        if output.write_all(header.as_bytes()).await.is_err()
            || output.write_all(&body).await.is_err()
            || output.flush().await.is_err()
        {
            return;
        }
    }
}
