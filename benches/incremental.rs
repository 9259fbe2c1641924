//! Re-analysis after a one-line edit in one file, as the language server does on a keystroke:
//! a workspace of n activities from the committed generator (`tools/gen_workspace.rs`) is
//! loaded into [`Incremental`], analysed once, then one line of one file is changed and the
//! workspace analysed again, seven times per size. Prints the cold analysis and the median
//! and spread of the re-analyses. Targets: ≤ 20 ms at 1k, ≤ 150 ms at 10k.
//!
//! `cargo bench --bench incremental` (sizes 1k, 10k, 100k; `LAWFUL_BENCH_SIZES=1000,10000`
//! picks others). The workspaces are generated under the system's temporary directory.

#[allow(dead_code)]
#[path = "../tools/gen_workspace.rs"]
mod gen_workspace;

use lawful::incremental::Incremental;

/// The allocator of the `lawful` binary (src/main.rs), whose language server this measures.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
use lawful::time::Date;
use std::path::Path;
use std::time::{Duration, Instant};

fn load(dir: &Path) -> Incremental {
    let mut workspace = Incremental::new(Date {
        year: 2026,
        month: 12,
        day: 1,
    });
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("generated directory")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let text = std::fs::read_to_string(&path).expect("generated file");
        if name == "lawful.toml" {
            workspace.set_config(Some(&text)).expect("generated config");
        } else if name.ends_with(".lawful") {
            workspace.set_file(&name, &text);
        }
    }
    workspace
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    // `LAWFUL_TIMINGS=1`: each phase of every analysis on standard error.
    lawful::analysis::set_timings(std::env::var_os("LAWFUL_TIMINGS").is_some_and(|v| v == "1"));
    let sizes: Vec<usize> = std::env::var("LAWFUL_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000]);
    println!(
        "| activities | files | cold analysis ms | re-analysis median ms | min–max ms | diagnostics |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    for n in sizes {
        let dir = std::env::temp_dir().join(format!("lawful-bench-incremental-{n}"));
        let files = gen_workspace::generate(n, &dir).expect("generate the workspace");
        let mut workspace = load(&dir);
        let start = Instant::now();
        let cold = workspace.analysis();
        let cold_time = start.elapsed();
        drop(cold);
        // The file edited: the middle activities file, one line changed back and forth.
        let path = format!("activities-{:06}.lawful", (n / 2) / 100 * 100);
        let original = std::fs::read_to_string(dir.join(&path)).expect("the edited file");
        let edited = original.replacen("  purpose ", "  purpose  ", 1);
        assert_ne!(original, edited, "the edited file has a purpose line");
        let parses_before = workspace.parses();
        let mut times = Vec::new();
        let mut diagnostics = 0;
        for round in 0..7 {
            let text = if round % 2 == 0 { &edited } else { &original };
            let start = Instant::now();
            workspace.set_file(&path, text);
            let analysis = workspace.analysis();
            times.push(start.elapsed());
            diagnostics = analysis.diagnostics.len();
        }
        assert_eq!(workspace.parses() - parses_before, 7, "one parse per edit");
        let (min, max) = (
            times.iter().min().copied().unwrap_or_default(),
            times.iter().max().copied().unwrap_or_default(),
        );
        println!(
            "| {n} | {files} | {:.1} | {:.1} | {:.1}–{:.1} | {diagnostics} |",
            cold_time.as_secs_f64() * 1e3,
            median(times).as_secs_f64() * 1e3,
            min.as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3,
        );
    }
}
