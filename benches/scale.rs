//! How checking time grows with the workspace: generated workspaces of n activities (with
//! parties, processors with subprocessor chains, systems and chains of `reuses`), timed over
//! several runs. Prints the median per size and the ratio to the previous size: a ratio near 2
//! for a doubling means linear growth. Run with `cargo bench --bench scale`.

use lawful::config::Config;
use lawful::source::{Origin, Sources};
use lawful::time::Date;
use lawful::{Settings, analyze, stdlib};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

fn workspace(n: usize) -> String {
    let mut text = String::from(
        "controller acme \"Acme\" { country NL; contact \"p@acme.nl\"; notice \"https://acme.nl/p\"; measures encryption, https\n  rights { access \"a\"; rectification \"a\"; erasure \"a\"; restriction \"a\"; objection \"a\"; portability \"a\" { format json }; withdraw-consent \"a\"; verify-identity \"login\" } }\n",
    );
    let parties = (n / 10).max(2);
    for p in 0..parties {
        let country = ["NL", "US", "CN", "DE"][p % 4];
        let _ = writeln!(
            text,
            "party p{p} {{ role processor; country {country}; agreement {{ clauses subject-matter, instructions; subprocessing general }}\n  subprocessors p{} }}",
            (p + 1) % parties
        );
    }
    for s in 0..parties {
        let _ = writeln!(text, "system s{s} {{ hosted-by p{s}; measures backup }}");
    }
    for a in 0..n {
        let purpose = ["billing", "analytics", "delivery", "security"][a % 4];
        let reuse = if a % 5 == 0 || a == 0 {
            String::new()
        } else {
            format!("  reuses a{}\n", a - 1)
        };
        let _ = writeln!(
            text,
            "activity a{a} {{\n  purpose {purpose}\n  basis legitimate-interest {{ interest \"i\" }}\n  subjects customers\n  data name, email, salary\n  retention 1 year\n  recipient p{}\n  systems s{}\n{reuse}}}",
            a % parties,
            (a * 7) % parties
        );
    }
    text
}

fn time_once(text: &str) -> (Duration, usize) {
    let mut sources = Sources::new();
    sources.add_text("bench.lawful", Origin::User, text);
    stdlib::add_to(&mut sources);
    let settings = Settings {
        config: Config::default(),
        today: Date::parse("2026-11-22").unwrap_or(Date {
            year: 2026,
            month: 11,
            day: 22,
        }),
    };
    let start = Instant::now();
    let analysis = analyze(&sources, &settings);
    (start.elapsed(), analysis.diagnostics.len())
}

fn main() {
    let runs = 7;
    let mut previous: Option<f64> = None;
    println!(
        "{:>8} {:>10} {:>12} {:>14} {:>8}",
        "acts", "bytes", "diagnostics", "median ms", "ratio"
    );
    for n in [250, 500, 1000, 2000, 4000] {
        let text = workspace(n);
        let mut times = Vec::new();
        let mut count = 0;
        for _ in 0..runs {
            let (elapsed, diagnostics) = time_once(&text);
            times.push(elapsed.as_secs_f64() * 1000.0);
            count = diagnostics;
        }
        times.sort_by(f64::total_cmp);
        let median = times[runs / 2];
        let ratio = previous.map_or(String::from("-"), |p| format!("{:.2}", median / p));
        println!(
            "{n:>8} {:>10} {count:>12} {median:>14.1} {ratio:>8}",
            text.len()
        );
        previous = Some(median);
    }
}
