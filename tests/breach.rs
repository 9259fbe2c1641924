//! Every branch of the breach decision: each exception alone, each high-risk
//! indicator alone, deadlines, and the `lawful breach` report.

mod support;

use lawful::config::Config;
use lawful::report::{self, BreachReport};
use lawful::source::{Origin, Sources};
use lawful::{Settings, analyze};

/// A payroll activity (national ids and salaries of employees) and a newsletter (plain data).
const BASE: &str = r#"
controller acme "Acme B.V." { country NL; contact "privacy@acme.nl"; notice "https://acme.nl/privacy"; measures encryption }
activity payroll "Payroll" {
  purpose payroll
  basis legal-obligation { law "Wet op de loonbelasting 1964" }
  subjects employees
  data name, national-id, salary, bank-account
  retention 7 years
}
activity newsletter "Newsletter" {
  purpose direct-marketing
  basis consent { evidence "log"; notice "form v1" }
  subjects customers
  data name, email
  retention until-withdrawn
}
"#;

fn run(breach: &str) -> (Vec<String>, BreachReport) {
    run_with(breach, "", Config::default())
}

fn run_with(breach: &str, extra: &str, config: Config) -> (Vec<String>, BreachReport) {
    let text = format!("{BASE}{extra}\n{breach}");
    let mut sources = Sources::new();
    sources.add_text("b.lawful", Origin::User, &text);
    lawful::stdlib::add_to(&mut sources);
    let settings = Settings {
        config,
        today: support::today(),
    };
    let analysis = analyze(&sources, &settings);
    let mut codes: Vec<String> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with('N') || d.code.starts_with('E'))
        .map(|d| d.code.to_string())
        .collect();
    codes.sort();
    let mut reports = report::breaches(&analysis, &sources, &settings);
    assert_eq!(reports.len(), 1, "{codes:?}");
    (codes, reports.remove(0))
}

/// A breach with the register entry filled in, plus `body`.
fn breach(body: &str) -> String {
    format!(
        "breach b \"Incident\" {{\n  discovered 2026-10-05T09:30+02:00\n  facts \"f\"; effects \"e\"; actions \"a\"\n{body}\n}}\n"
    )
}

#[test]
fn plain_data_needs_the_authority_but_not_the_people() {
    let (codes, report) = run(&breach("  affects newsletter"));
    assert!(report.assessment.authority.required);
    assert!(!report.assessment.high_risk);
    assert!(!report.assessment.data_subjects.required);
    assert_eq!(codes, ["N001", "N004"]);
    assert_eq!(
        report.assessment.authority.deadline.as_deref(),
        Some("2026-10-08T09:30+02:00")
    );
}

#[test]
fn payroll_breach_notifies_the_authority_and_informs_employees() {
    let (codes, report) = run(&breach("  affects payroll"));
    let a = &report.assessment;
    assert!(a.authority.required);
    assert!(a.data_subjects.required);
    assert_eq!(a.affected_subjects, ["employees"]);
    assert!(
        a.indicators
            .iter()
            .any(|i| i.contains("national identification") && i.contains("national-id"))
    );
    assert!(
        a.indicators
            .iter()
            .any(|i| i.contains("financial") && i.contains("salary"))
    );
    assert_eq!(codes, ["N001", "N003", "N004"]);
    // Today (2026-11-22) is long past the deadline.
    let text = report::breaches_human(std::slice::from_ref(&report));
    assert!(
        text.contains("NOTIFY NOW: the 72 hours ended 2026-10-08T09:30+02:00, 45 days ago"),
        "{text}"
    );
    assert!(text.contains("INFORM employees"), "{text}");
    assert!(text.contains("salary"), "{text}");
}

#[test]
fn each_high_risk_indicator_alone_makes_informing_people_required() {
    let cases = [
        ("  data health", "special-category"),
        ("  data criminal-record", "criminal"),
        ("  data national-id", "national identification"),
        ("  data payment-card", "financial"),
        ("  data email\n  subjects children", "minors or vulnerable"),
        ("  data email\n  subjects patients", "minors or vulnerable"),
        ("  data email\n  subjects-affected 10000", "large-scale"),
        (
            "  data email\n  risk high \"passwords leaked\"",
            "assessed the risk as high",
        ),
    ];
    for (body, indicator) in cases {
        let (_, report) = run(&breach(body));
        let a = &report.assessment;
        assert!(a.high_risk, "{body}");
        assert_eq!(a.indicators.len(), 1, "{body}: {:?}", a.indicators);
        assert!(
            a.indicators[0].contains(indicator),
            "{body}: {:?}",
            a.indicators
        );
        assert!(a.data_subjects.required, "{body}");
    }
}

#[test]
fn profiling_in_an_affected_activity_is_an_indicator() {
    let extra = r#"
activity scoring "Scoring" {
  purpose analytics
  basis consent { evidence "log"; notice "v1" }
  subjects customers
  data purchase-history
  profiling
  retention 1 year
}"#;
    let (_, report) = run_with(&breach("  affects scoring"), extra, Config::default());
    assert_eq!(report.assessment.indicators, ["profiling in `scoring`"]);
    assert!(report.assessment.data_subjects.required);
}

#[test]
fn below_the_large_scale_threshold_is_no_indicator_and_the_threshold_is_configurable() {
    let (_, report) = run(&breach("  data email\n  subjects-affected 9999"));
    assert!(!report.assessment.high_risk);
    let config = Config {
        large_scale: 500,
        ..Config::default()
    };
    let (_, report) = run_with(&breach("  data email\n  subjects-affected 500"), "", config);
    assert!(report.assessment.high_risk);
}

#[test]
fn encryption_exception_needs_all_three_conditions() {
    let (codes, report) = run(&breach(
        "  affects payroll\n  encrypted { intact; backup; key-safe }",
    ));
    assert!(!report.assessment.authority.required);
    assert!(!report.assessment.data_subjects.required);
    assert_eq!(codes, ["N004"]);
    for partial in ["intact; backup", "intact; key-safe", "backup; key-safe"] {
        let (_, report) = run(&breach(&format!(
            "  affects payroll\n  encrypted {{ {partial} }}"
        )));
        assert!(report.assessment.authority.required, "{partial}");
        assert!(report.assessment.data_subjects.required, "{partial}");
    }
}

#[test]
fn trusted_recipient_alone_lifts_both_duties() {
    let (codes, report) = run(&breach(
        "  affects payroll\n  trusted-recipient \"the tax office returned the letter\"",
    ));
    assert!(!report.assessment.authority.required);
    assert!(!report.assessment.data_subjects.required);
    assert_eq!(codes, ["N004"]);
}

#[test]
fn risk_unlikely_lifts_the_authority_duty_only() {
    let (codes, report) = run(&breach("  affects newsletter\n  risk unlikely"));
    assert!(!report.assessment.authority.required);
    assert_eq!(codes, ["N004"]);
}

#[test]
fn risk_unlikely_contradicted_by_the_data_is_flagged() {
    let (codes, report) = run(&breach(
        "  affects payroll\n  risk unlikely \"only internal staff saw it\"",
    ));
    assert!(codes.contains(&"N006".to_string()), "{codes:?}");
    // People must still be informed: `risk unlikely` is not an exception to Art. 34.
    assert!(report.assessment.data_subjects.required);
}

#[test]
fn containment_lifts_the_people_duty_only() {
    let (_, report) = run(&breach(
        "  affects payroll\n  contained \"the file was removed within the hour\"",
    ));
    assert!(report.assessment.authority.required);
    assert!(!report.assessment.data_subjects.required);
}

#[test]
fn uavg_exceptions_lift_the_people_duty_only() {
    for exception in ["public-interest", "others-privacy"] {
        let (_, report) = run(&breach(&format!(
            "  affects payroll\n  exception {exception}"
        )));
        assert!(report.assessment.authority.required, "{exception}");
        assert!(!report.assessment.data_subjects.required, "{exception}");
        assert!(
            report.assessment.data_subjects.reasons[0].contains("UAVG art. 41(1)"),
            "{exception}"
        );
    }
}

#[test]
fn dutch_financial_institutions_need_not_inform_people() {
    let financial = BASE.replace(
        "measures encryption }",
        "measures encryption; financial-institution }",
    );
    let run_financial = |base: &str| {
        let text = format!("{base}\n{}", breach("  affects payroll"));
        let (sources, analysis) = support::check_files(&[("b.lawful", &text)]);
        let settings = Settings {
            config: Config::default(),
            today: support::today(),
        };
        report::breaches(&analysis, &sources, &settings).remove(0)
    };
    let dutch = run_financial(&financial);
    assert!(!dutch.assessment.data_subjects.required);
    assert!(dutch.assessment.authority.required);
    let belgian = run_financial(&financial.replace("country NL", "country BE"));
    assert!(belgian.assessment.data_subjects.required);
}

#[test]
fn disproportionate_effort_allows_a_public_communication() {
    let (_, report) = run(&breach("  affects payroll\n  disproportionate-effort"));
    assert!(report.assessment.data_subjects.required);
    assert!(report.assessment.data_subjects.public_communication_allowed);
}

#[test]
fn late_notification_needs_a_reason() {
    let on_time = "  affects newsletter\n  notified-authority 2026-10-08T09:30+02:00";
    let (codes, report) = run(&breach(on_time));
    assert_eq!(
        report.assessment.authority.on_time,
        Some(true),
        "exactly 72 hours is on time"
    );
    assert_eq!(codes, ["N004"]);

    let late = "  affects newsletter\n  notified-authority 2026-10-08T09:31+02:00";
    let (codes, report) = run(&breach(late));
    assert_eq!(report.assessment.authority.on_time, Some(false));
    assert_eq!(codes, ["N002", "N004"]);
    assert!(report.unmet());

    let (codes, report) = run(&breach(&format!(
        "{late}\n  delay-reason \"forensic investigation first\""
    )));
    assert_eq!(codes, ["N004"]);
    assert!(!report.unmet());
}

#[test]
fn notification_times_compare_across_zones() {
    // 07:30Z is 09:30+02:00 plus 72 hours exactly when written in UTC.
    let (_, report) = run(&breach(
        "  affects newsletter\n  notified-authority 2026-10-08T07:30Z",
    ));
    assert_eq!(report.assessment.authority.on_time, Some(true));
    assert_eq!(
        report.assessment.authority.hours_after_discovery,
        Some(72.0)
    );
}

#[test]
fn the_register_entry_must_be_complete() {
    let text = "breach b {\n  discovered 2026-10-05T09:30Z\n  facts \"f\"\n  affects newsletter\n  notified-authority 2026-10-05T12:00Z\n}";
    let (codes, _) = run(text);
    assert_eq!(codes, ["N004", "N005"]);
}

#[test]
fn json_report_has_the_documented_fields() {
    let (_, report) = run(&breach(
        "  affects payroll\n  notified-authority 2026-10-06T10:00+02:00",
    ));
    let json: serde_json::Value = serde_json::from_str(&report::breaches_json(&[report])).unwrap();
    let b = &json["breaches"][0];
    assert_eq!(b["breach"], "b");
    assert_eq!(b["file"], "b.lawful");
    assert_eq!(b["authority"]["required"], true);
    assert_eq!(b["authority"]["deadline"], "2026-10-08T09:30+02:00");
    assert_eq!(b["authority"]["on_time"], true);
    assert_eq!(b["authority"]["hours_after_discovery"], 24.5);
    assert_eq!(b["data_subjects"]["required"], true);
    assert_eq!(b["high_risk"], true);
    assert!(b["indicators"].as_array().unwrap().len() >= 2);
}

/// Runs the real binary on a temporary workspace holding `text`.
fn run_binary(name: &str, text: &str, args: &[&str]) -> (i32, String) {
    let dir = std::env::temp_dir().join(format!("lawful-breach-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("w.lawful"), text).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lawful"))
        .arg("breach")
        .arg(&dir)
        .args(args)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn lawful_breach_on_payroll_data_says_notify_and_inform_and_exits_1_until_done() {
    let text = format!("{BASE}\n{}", breach("  affects payroll"));
    let (code, out) = run_binary("payroll", &text, &[]);
    assert_eq!(code, 1, "{out}");
    // Without --today the system date counts, which is after the deadline.
    assert!(
        out.contains("NOTIFY NOW: the 72 hours ended 2026-10-08T09:30+02:00"),
        "{out}"
    );
    assert!(out.contains("INFORM employees"), "{out}");
    assert!(
        out.contains("national identification numbers (`national-id`)"),
        "{out}"
    );
    assert!(
        out.contains("financial data (`bank-account` and `salary`)"),
        "{out}"
    );
    assert!(out.contains("NOT NOTIFIED"), "{out}");

    let done = format!(
        "{BASE}\n{}",
        breach(
            "  affects payroll\n  notified-authority 2026-10-06T10:00+02:00\n  notified-subjects 2026-10-07"
        )
    );
    let (code, out) = run_binary("payroll-done", &done, &["--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["breaches"][0]["authority"]["on_time"], true);
    assert_eq!(
        json["breaches"][0]["data_subjects"]["notified"],
        "2026-10-07T00:00Z"
    );
}

#[test]
fn data_and_people_reached_through_reuses_count() {
    // Health data of children reaches `followup-stats` through two `reuses`; a breach there
    // affects that data and those children, though the activity names neither itself.
    let extra = r#"
activity treatment "Treatment" {
  purpose healthcare
  basis contract
  exception health-care
  subjects children
  data name, health
  retention 15 years
}
activity followup "Follow-up" {
  purpose healthcare
  basis contract
  exception health-care
  subjects customers
  reuses treatment
  retention 1 year
}
activity followup-stats "Follow-up statistics" {
  purpose statistics
  basis legitimate-interest { interest "planning"; assessment "LIA" }
  subjects customers
  data email
  reuses followup
  measures pseudonymisation
  retention 1 year
}"#;
    let (_, report) = run_with(
        &breach("  affects followup-stats"),
        extra,
        Config::default(),
    );
    let a = &report.assessment;
    assert_eq!(a.affected_data, ["email", "health", "name"]);
    assert_eq!(a.affected_subjects, ["children", "customers"]);
    assert!(
        a.indicators
            .iter()
            .any(|i| i.contains("special-category data (`health`)")),
        "{:?}",
        a.indicators
    );
    assert!(
        a.indicators.iter().any(|i| i.contains("`children`")),
        "{:?}",
        a.indicators
    );
    assert!(a.data_subjects.required);
}

#[test]
fn a_minute_late_never_reads_as_72_hours() {
    let (codes, report) = run(&breach(
        "  affects newsletter\n  notified-authority 2026-10-08T09:31+02:00",
    ));
    assert_eq!(
        report.assessment.authority.minutes_after_discovery,
        Some(72 * 60 + 1)
    );
    assert!(codes.contains(&"N002".to_string()));
    let text = report::breaches_human(std::slice::from_ref(&report));
    assert!(text.contains("72 h 01 min after discovery"), "{text}");
}

#[test]
fn people_of_a_pass_through_activity_count_only_if_their_data_is_affected() {
    // z collects customers' e-mail; m adds children's names and reuses z; the breached activity
    // takes only the e-mail from m. The children's data is not affected.
    let extra = r#"
activity z "Z" { purpose billing; basis contract; subjects customers; data email; retention 1 year }
activity m "M" { purpose billing; basis contract; subjects children; data name; reuses z; retention 1 year }
activity leak "Leak" { purpose billing; basis contract; subjects customers; reuses m { data email }; retention 1 year }"#;
    let (_, report) = run_with(&breach("  affects leak"), extra, Config::default());
    assert_eq!(report.assessment.affected_data, ["email"]);
    assert_eq!(report.assessment.affected_subjects, ["customers"]);
    assert!(
        !report.assessment.high_risk,
        "{:?}",
        report.assessment.indicators
    );
}

/// The analysis of BASE (with `base` replacing it when given) plus `breach`, checked with `today`.
fn analyse(base: Option<&str>, breach: &str, today: &str) -> (Sources, lawful::Analysis, Settings) {
    let text = format!("{}\n{breach}", base.unwrap_or(BASE));
    let mut sources = Sources::new();
    sources.add_text("b.lawful", Origin::User, &text);
    lawful::stdlib::add_to(&mut sources);
    let settings = Settings {
        config: Config::default(),
        today: lawful::time::Date::parse(today).unwrap(),
    };
    let analysis = analyze(&sources, &settings);
    (sources, analysis, settings)
}

/// `(line, code, message)` of the N diagnostics.
fn findings(sources: &Sources, analysis: &lawful::Analysis) -> Vec<(u32, String, String)> {
    let mut found: Vec<(u32, String, String)> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with('N'))
        .map(|d| {
            (
                d.location(sources).line,
                d.code.to_string(),
                d.message.clone(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn risk_unlikely_does_not_spare_the_authority_when_indicators_are_present() {
    let (codes, report) = run(&breach(
        "  affects payroll\n  risk unlikely \"only internal staff saw it\"",
    ));
    assert_eq!(codes, ["N001", "N003", "N004", "N006"]);
    let authority = &report.assessment.authority;
    assert!(authority.required);
    assert!(
        authority.reasons[1].contains("`risk unlikely` does not outweigh the high-risk indicators"),
        "{:?}",
        authority.reasons
    );
    // Without indicators the controller's assessment still counts.
    let (codes, report) = run(&breach("  affects newsletter\n  risk unlikely"));
    assert!(!report.assessment.authority.required);
    assert_eq!(codes, ["N004"]);
}

#[test]
fn dutch_grounds_count_only_for_a_dutch_controller() {
    let belgian = BASE.replace("country NL", "country BE");
    let body = breach("  affects payroll\n  exception others-privacy");
    // In NL the exception lifts the duty to inform the people, and nothing is reported.
    let (sources, analysis, settings) = analyse(None, &body, "2026-10-06");
    assert!(
        !findings(&sources, &analysis)
            .iter()
            .any(|f| f.1 == "N007" || f.1 == "N003")
    );
    assert!(
        !report::breaches(&analysis, &sources, &settings)[0]
            .assessment
            .data_subjects
            .required
    );
    // In BE it changes nothing in the verdict: N003 stands, N007 sits on the `exception`.
    let (sources, analysis, settings) = analyse(Some(&belgian), &body, "2026-10-06");
    let found = findings(&sources, &analysis);
    let n007: Vec<_> = found.iter().filter(|f| f.1 == "N007").collect();
    assert_eq!(n007.len(), 1, "{found:?}");
    assert_eq!(n007[0].0, 22, "{found:?}");
    assert!(
        n007[0].2.contains("controller `acme` (`BE`)"),
        "{}",
        n007[0].2
    );
    assert!(found.iter().any(|f| f.1 == "N003"));
    let report = &report::breaches(&analysis, &sources, &settings)[0];
    assert!(report.assessment.data_subjects.required);
    assert!(
        !report
            .assessment
            .data_subjects
            .reasons
            .iter()
            .any(|r| r.contains("UAVG"))
    );

    // A non-Dutch `financial-institution`: N007 on the breach when the people must be informed.
    let financial = belgian.replace(
        "measures encryption }",
        "measures encryption; financial-institution }",
    );
    let (sources, analysis, _) =
        analyse(Some(&financial), &breach("  affects payroll"), "2026-10-06");
    let found = findings(&sources, &analysis);
    assert!(found.contains(&(
        18,
        "N007".to_string(),
        "breach `b` relies on the `financial-institution` exemption of UAVG art. 42 and the Wft, a Dutch ground that does not apply to controller `acme` (`BE`), which is not established in the Netherlands".to_string()
    )), "{found:?}");
    // ... and not when they need not be informed anyway.
    let (sources, analysis, _) = analyse(
        Some(&financial),
        &breach("  affects newsletter"),
        "2026-10-06",
    );
    assert!(!findings(&sources, &analysis).iter().any(|f| f.1 == "N007"));
}

#[test]
fn a_notification_before_the_discovery_is_n008_and_never_within_the_deadline() {
    let body = breach(
        "  affects payroll\n  notified-authority 2026-10-04T09:30+02:00\n  notified-subjects 2026-10-05T09:29+02:00",
    );
    let (sources, analysis, settings) = analyse(None, &body, "2026-10-06");
    let found = findings(&sources, &analysis);
    let n008: Vec<u32> = found
        .iter()
        .filter(|f| f.1 == "N008")
        .map(|f| f.0)
        .collect();
    assert_eq!(n008, [22, 23], "{found:?}");
    assert!(!found.iter().any(|f| f.1 == "N002"), "{found:?}");
    let reports = report::breaches(&analysis, &sources, &settings);
    let authority = &reports[0].assessment.authority;
    assert_eq!(authority.on_time, None);
    assert!(authority.before_discovery);
    assert!(reports[0].assessment.data_subjects.before_discovery);
    assert!(reports[0].unmet());
    let human = report::breaches_human(&reports);
    assert!(!human.contains("within the deadline"), "{human}");
    assert!(
        human.contains("BEFORE the discovery (2026-10-05T09:30+02:00)"),
        "{human}"
    );
    let n004 = found.iter().find(|f| f.1 == "N004").unwrap();
    assert!(
        n004.2.contains("is dated before the discovery"),
        "{}",
        n004.2
    );
    // The same minute is not before.
    let same = breach("  affects newsletter\n  notified-authority 2026-10-05T07:30Z");
    let (sources, analysis, _) = analyse(None, &same, "2026-10-06");
    assert!(!findings(&sources, &analysis).iter().any(|f| f.1 == "N008"));
}

#[test]
fn past_an_unmet_deadline_says_by_how_much_and_asks_for_a_delay_reason() {
    // Discovered 2026-10-05T09:30+02:00: the deadline is 2026-10-08T09:30+02:00.
    let body = breach("  affects newsletter");
    let (sources, analysis, settings) = analyse(None, &body, "2026-10-11");
    let n001 = analysis
        .diagnostics
        .iter()
        .find(|d| d.code == "N001")
        .unwrap();
    assert_eq!(
        n001.notes,
        ["the deadline, 2026-10-08T09:30+02:00 (72 hours after discovery), passed 3 days ago"]
    );
    assert!(n001.help.as_deref().unwrap().contains("`delay-reason"));
    let found = findings(&sources, &analysis);
    let n004 = found.iter().find(|f| f.1 == "N004").unwrap();
    assert!(
        n004.2.contains("notify the authority now: the deadline 2026-10-08T09:30+02:00 passed 3 days ago, so a `delay-reason` is needed"),
        "{}",
        n004.2
    );
    let reports = report::breaches(&analysis, &sources, &settings);
    assert_eq!(reports[0].assessment.authority.overdue_days, Some(3));
    let human = report::breaches_human(&reports);
    assert!(
        human.contains("NOTIFY NOW: the 72 hours ended 2026-10-08T09:30+02:00, 3 days ago"),
        "{human}"
    );
    assert!(
        human.contains(
            "NOT NOTIFIED, and the deadline passed 3 days ago: notify now, with a `delay-reason`"
        ),
        "{human}"
    );
    // One day past: "1 day". On the deadline's own day, or before it: not overdue.
    let (sources, analysis, settings) = analyse(None, &body, "2026-10-09");
    assert_eq!(
        report::breaches(&analysis, &sources, &settings)[0]
            .assessment
            .authority
            .overdue_days,
        Some(1)
    );
    assert!(
        findings(&sources, &analysis)
            .iter()
            .any(|f| f.2.contains("passed 1 day ago"))
    );
    for today in ["2026-10-08", "2026-10-06"] {
        let (sources, analysis, settings) = analyse(None, &body, today);
        let reports = report::breaches(&analysis, &sources, &settings);
        assert_eq!(
            reports[0].assessment.authority.overdue_days, None,
            "{today}"
        );
        let human = report::breaches_human(&reports);
        assert!(
            human.contains("NOTIFY within 72 hours, by 2026-10-08T09:30+02:00"),
            "{human}"
        );
        let n004 = findings(&sources, &analysis)
            .into_iter()
            .find(|f| f.1 == "N004")
            .unwrap();
        assert!(
            n004.2
                .contains("notify the authority by 2026-10-08T09:30+02:00"),
            "{}",
            n004.2
        );
    }
}

#[test]
fn once_every_obligation_is_met_n004_reads_as_done() {
    let body = breach(
        "  affects payroll\n  notified-authority 2026-10-06T10:00+02:00\n  notified-subjects 2026-10-07T12:00+02:00",
    );
    let (sources, analysis, settings) = analyse(None, &body, "2026-11-22");
    let found = findings(&sources, &analysis);
    assert_eq!(
        found,
        [(
            18,
            "N004".to_string(),
            "breach `b`: the authority was notified on 2026-10-06T10:00+02:00, within 72 hours; the people affected (`employees`) were informed on 2026-10-07T12:00+02:00".to_string()
        )]
    );
    let reports = report::breaches(&analysis, &sources, &settings);
    assert!(!reports[0].unmet());
    let human = report::breaches_human(&reports);
    assert!(!human.contains("NOTIFY"), "{human}");
    assert!(!human.contains("INFORM"), "{human}");
    assert!(
        human.contains("required within 72 hours, by 2026-10-08T09:30+02:00"),
        "{human}"
    );
    // Late with a reason is met too, and says so.
    let late = breach(
        "  affects newsletter\n  notified-authority 2026-10-09T10:00+02:00\n  delay-reason \"weekend\"",
    );
    let (sources, analysis, _) = analyse(None, &late, "2026-11-22");
    let n004 = findings(&sources, &analysis)
        .into_iter()
        .find(|f| f.1 == "N004")
        .unwrap();
    assert!(n004.2.contains("the authority was notified on 2026-10-09T10:00+02:00, late, with a reason for the delay"), "{}", n004.2);
}

#[test]
fn the_verdict_names_the_encryption_condition_that_failed() {
    let (_, report) = run(&breach("  affects payroll\n  encrypted { intact; backup }"));
    let gap = "the encryption exception does not apply: `key-safe` is not recorded (it needs the encryption intact, a backup, and the key safe)";
    assert!(
        report.assessment.authority.reasons.iter().any(|r| r == gap),
        "{:?}",
        report.assessment.authority.reasons
    );
    assert!(
        report
            .assessment
            .data_subjects
            .reasons
            .iter()
            .any(|r| r == gap)
    );
    let (_, report) = run(&breach("  affects payroll\n  encrypted { intact }"));
    assert!(
        report
            .assessment
            .authority
            .reasons
            .iter()
            .any(|r| r.contains("`backup` and `key-safe` are not recorded"))
    );
    // A complete block lifts both duties, and names no gap.
    let (_, report) = run(&breach(
        "  affects payroll\n  encrypted { intact; backup; key-safe }",
    ));
    assert!(
        !report
            .assessment
            .authority
            .reasons
            .iter()
            .any(|r| r.contains("does not apply"))
    );
}

#[test]
fn one_person_is_a_person() {
    let (_, report) = run(&breach("  affects newsletter\n  subjects-affected 1"));
    let human = report::breaches_human(&[report]);
    assert!(human.contains("customers (1 person)"), "{human}");
    assert!(!human.contains("1 people"), "{human}");
    let (_, report) = run(&breach("  affects newsletter\n  subjects-affected 2"));
    assert!(report::breaches_human(&[report]).contains("customers (2 people)"));
}
