//! Headless Neovim for the editor tests: wait for a script, then read what it wrote.

use serde_json::Value;
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

/// Waits for a headless Neovim to finish, then reads the JSON its script wrote to `out`. The
/// two minutes are a guard against a hang, not a timing assertion.
pub fn results(mut child: Child, out: &Path) -> Value {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("Neovim did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let text = std::fs::read_to_string(out).unwrap_or_else(|_| {
        let output = child.wait_with_output().unwrap();
        panic!(
            "Neovim wrote no results: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    serde_json::from_str(&text).unwrap()
}
