//! Generates a realistic workspace of N activities for the scale measurements in
//! `docs/performance.md`:
//!
//! ```sh
//! cargo run --release --example gen-workspace -- 100000 target/ws-100k
//! target/release/lawful check target/ws-100k
//! ```
//!
//! Shape (deterministic for a given N): files of about 100 activities each, N/5 parties (a
//! quarter of them processors in third countries, some with a transfer mechanism and some
//! without, some US ones certified under the DPF), N/20 systems hosted by processors,
//! subprocessor chains of up to four parties, chains of `reuses` up to five long, and a share of
//! defects a real register has (a missing retention, a consent without evidence, an
//! unprotected transfer, a processor without its agreement…), so every rule family has work.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const ACTIVITIES_PER_FILE: usize = 100;
const PURPOSES: [&str; 8] = [
    "billing",
    "analytics",
    "delivery",
    "security",
    "customer-service",
    "direct-marketing",
    "payroll",
    "recruitment",
];
const SUBJECTS: [&str; 5] = [
    "customers",
    "employees",
    "prospects",
    "website-visitors",
    "applicants",
];
const DATA: [&str; 9] = [
    "name",
    "email",
    "phone",
    "address",
    "ip-address",
    "purchase-history",
    "salary",
    "bank-account",
    "health",
];
/// Countries of parties, with and without adequacy; NL and DE are in the EEA.
const COUNTRIES: [&str; 8] = ["NL", "DE", "BE", "US", "GB", "CN", "IN", "JP"];

/// A small deterministic generator, so the same N always gives the same workspace.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }

    /// True about once in `n` calls.
    fn one_in(&mut self, n: usize) -> bool {
        self.next().is_multiple_of(n)
    }
}

fn controller() -> String {
    String::from(
        "controller acme \"Acme B.V.\" {\n  country NL\n  contact \"privacy@acme.example\"\n  dpo \"fg@acme.example\"\n  employees 4000\n  notice \"https://acme.example/privacy\"\n  measures encryption, access-control, logging, backup, https\n  rights {\n    access \"account page\"\n    rectification \"account page\"\n    erasure \"privacy@acme.example\"\n    restriction \"privacy@acme.example\"\n    objection \"privacy@acme.example\"\n    portability \"account page\" { format json, csv }\n    withdraw-consent \"preference centre\"\n    verify-identity \"login\"\n  }\n}\n",
    )
}

const CLAUSES: &str = "subject-matter, instructions, confidentiality, security, subprocessors,\n            assistance-rights, assistance-obligations, deletion, audits";

fn party(p: usize, parties: usize, rng: &mut Lcg) -> String {
    let country = COUNTRIES[rng.next() % COUNTRIES.len()];
    let processor = !p.is_multiple_of(5);
    let mut text = format!("party p{p} \"Party {p}\" {{\n");
    let _ = writeln!(
        text,
        "  role {}",
        if processor { "processor" } else { "controller" }
    );
    let _ = writeln!(text, "  country {country}");
    if country == "US" && !rng.one_in(10) {
        text.push_str("  certified dpf\n");
    }
    if processor && !rng.one_in(40) {
        let clauses = if rng.one_in(10) {
            "subject-matter, instructions, security"
        } else {
            CLAUSES
        };
        let _ = writeln!(
            text,
            "  agreement \"DPA-{p}\" {{\n    signed 2025-03-01\n    clauses {clauses}\n    subprocessing general\n  }}"
        );
    }
    if matches!(country, "CN" | "IN") && !rng.one_in(10) {
        text.push_str("  transfer scc { tia \"TIA-2026\" }\n");
    }
    // Chains of up to four processors: p → p+1 → p+2 → p+3, then a break.
    if processor && p % 4 != 3 && p + 1 < parties && !(p + 1).is_multiple_of(5) {
        let _ = writeln!(text, "  subprocessors p{}", p + 1);
    }
    text.push_str("}\n");
    text
}

fn system(s: usize, parties: usize) -> String {
    // Hosted by processors only (party numbers not divisible by 5).
    let host = (s * 5 + 1) % parties;
    let host = if host.is_multiple_of(5) {
        host + 1
    } else {
        host
    };
    format!(
        "system s{s} \"System {s}\" {{\n  hosted-by p{host}\n  measures backup, access-control\n}}\n"
    )
}

fn activity(a: usize, parties: usize, systems: usize, rng: &mut Lcg) -> String {
    // A reuse chain (five activities) shares its purpose, but now and then one link is
    // reused for a purpose of its own without a compatibility assessment (P001).
    let chain = a / 5;
    let purpose = if !a.is_multiple_of(5) && rng.one_in(40) {
        PURPOSES[(chain + 1) % PURPOSES.len()]
    } else {
        PURPOSES[chain % PURPOSES.len()]
    };
    let mut text = format!("activity a{a} \"Activity {a}\" {{\n  purpose {purpose}\n");
    match purpose {
        "direct-marketing" => {
            if rng.one_in(20) {
                text.push_str("  basis consent { notice \"signup form v3\" }\n");
            } else {
                text.push_str(
                    "  basis consent {\n    evidence \"consent_events\"\n    notice \"signup form v3\"\n  }\n",
                );
            }
        }
        "payroll" => text.push_str("  basis legal-obligation { law \"Wet op de loonbelasting 1964\" }\n"),
        "billing" | "delivery" | "customer-service" => text.push_str("  basis contract\n"),
        _ if rng.one_in(50) => {}
        _ => text.push_str(
            "  basis legitimate-interest {\n    interest \"running the business\"\n    assessment \"LIA-2026\"\n  }\n",
        ),
    }
    let subjects = match purpose {
        "payroll" => "employees",
        "recruitment" => "applicants",
        "direct-marketing" => SUBJECTS[[0, 2, 3][rng.next() % 3]],
        _ => SUBJECTS[[0, 0, 3, 4][rng.next() % 4]],
    };
    let _ = writeln!(text, "  subjects {subjects}");
    let first = rng.next() % (DATA.len() - 2);
    let _ = writeln!(text, "  data {}, {}", DATA[first], DATA[first + 1]);
    if DATA[first + 1] == "health" && !rng.one_in(10) {
        text.push_str("  exception health-care\n");
    }
    text.push_str("  channel web, email\n");
    if !rng.one_in(25) {
        text.push_str("  retention 2 years after last-contact\n");
    }
    // Mostly processors (party numbers not divisible by 5); a disclosure to an independent
    // controller usually states its own basis (else P003).
    let recipient = rng.next() % parties;
    if recipient.is_multiple_of(5) && !rng.one_in(10) {
        let _ = writeln!(
            text,
            "  recipient p{recipient} {{ basis legal-obligation {{ law \"Wet\" }} }}"
        );
    } else {
        let _ = writeln!(text, "  recipient p{recipient}");
    }
    if systems > 0 {
        let _ = writeln!(text, "  systems s{}", rng.next() % systems);
    }
    // Chains of reuses five long, all but the first link of each chain.
    if !a.is_multiple_of(5) {
        let _ = writeln!(text, "  reuses a{}", a - 1);
    }
    text.push_str("}\n");
    text
}

pub fn generate(n: usize, dir: &Path) -> std::io::Result<usize> {
    fs::create_dir_all(dir)?;
    fs::write(
        dir.join("lawful.toml"),
        "[workspace]\ntoday = \"2026-12-01\"\n",
    )?;
    let mut rng = Lcg(0x5eed ^ n as u64);
    let parties = (n / 5).max(2);
    let systems = n / 20;
    let mut files = 0;
    let mut write = |name: String, text: String| -> std::io::Result<()> {
        files += 1;
        fs::write(dir.join(name), text)
    };
    write("controller.lawful".into(), controller())?;
    for chunk in (0..parties)
        .collect::<Vec<_>>()
        .chunks(ACTIVITIES_PER_FILE * 2)
    {
        let text: String = chunk
            .iter()
            .map(|&p| party(p, parties, &mut rng) + "\n")
            .collect();
        write(format!("parties-{:05}.lawful", chunk[0]), text)?;
    }
    for chunk in (0..systems)
        .collect::<Vec<_>>()
        .chunks(ACTIVITIES_PER_FILE * 4)
    {
        let text: String = chunk.iter().map(|&s| system(s, parties) + "\n").collect();
        write(format!("systems-{:05}.lawful", chunk[0]), text)?;
    }
    for chunk in (0..n).collect::<Vec<_>>().chunks(ACTIVITIES_PER_FILE) {
        let text: String = chunk
            .iter()
            .map(|&a| activity(a, parties, systems, &mut rng) + "\n")
            .collect();
        write(format!("activities-{:06}.lawful", chunk[0]), text)?;
    }
    Ok(files)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(dir)) = (
        args.first()
            .and_then(|n| n.replace('_', "").parse::<usize>().ok()),
        args.get(1).map(PathBuf::from),
    ) else {
        eprintln!("usage: gen-workspace N DIR   (N activities, written to DIR)");
        return ExitCode::from(2);
    };
    match generate(n, &dir) {
        Ok(files) => {
            eprintln!("wrote {n} activities in {files} files to {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: cannot write {}: {error}", dir.display());
            ExitCode::from(2)
        }
    }
}
