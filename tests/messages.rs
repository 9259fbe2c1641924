//! The help a user gets for the most common mistakes: "did you mean" for every kind of name,
//! and a pointer when a real key sits in the wrong declaration.

mod support;

/// The help of the first diagnostic with `code`.
fn help_for(text: &str, code: &str) -> String {
    let (sources, analysis) = support::check_snippet(text);
    analysis
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .and_then(|d| d.help.clone())
        .unwrap_or_else(|| panic!("no {code} in:\n{}", support::dump(&sources, &analysis)))
}

#[test]
fn did_you_mean_for_keys_values_references_kinds_and_codes() {
    let activity = |body: &str| {
        format!(
            "activity a {{\n  purpose billing\n  basis contract\n  subjects customers\n  data name\n{body}\n}}\n"
        )
    };
    assert_eq!(
        help_for(&activity("  retension 1 year"), "E002"),
        "did you mean `retention`?"
    );
    assert_eq!(
        help_for(&activity("  channel wbe"), "E003"),
        "did you mean `web`?"
    );
    assert_eq!(
        help_for(&activity("  systems crm\n  measures acess-control"), "E003"),
        "did you mean `access-control`?"
    );
    assert_eq!(
        help_for(
            "activity a { purpose direct-marketng; basis contract; subjects customers; data name }",
            "E004"
        ),
        "did you mean `direct-marketing`?"
    );
    assert_eq!(
        help_for(
            "activity a { purpose billing; basis contract; subjects custmers; data name }",
            "E004"
        ),
        "did you mean `customers`?"
    );
    assert_eq!(
        help_for("activty a { }", "E001"),
        "did you mean `activity`?"
    );
    assert_eq!(
        help_for(&activity("  allow B0055 \"reason\""), "E013"),
        "did you mean `B005`?"
    );
}

#[test]
fn a_key_of_another_declaration_kind_says_where_it_belongs() {
    assert_eq!(
        help_for(
            "party p { role processor; country NL; retention 1 year }",
            "E002"
        ),
        "`retention` is a statement of `activity` declarations, not of `party`"
    );
}

#[test]
fn a_name_of_another_kind_says_what_it_is() {
    // `salary` is a data category, not a purpose.
    let help = help_for(
        "activity a { purpose salary; basis contract; subjects customers; data name }",
        "E004",
    );
    assert!(help.contains("`salary` is a data"), "{help}");
    // Also through an alias.
    assert_eq!(
        help_for(
            "activity a { purpose iban; basis contract; subjects customers; data name }",
            "E004"
        ),
        "`iban` is the standard library's data `bank-account`, but this statement needs a purpose"
    );
}

/// Every diagnostic with `code`, as (message, help, notes).
fn all_of(text: &str, code: &str) -> Vec<(String, String, Vec<String>)> {
    let (_, analysis) = support::check_snippet(text);
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            (
                d.message.clone(),
                d.help.clone().unwrap_or_default(),
                d.notes.clone(),
            )
        })
        .collect()
}

fn party_in(country: &str) -> String {
    format!("party p \"P\" {{ role processor; country {country} }}\n")
}

#[test]
fn countries_by_alpha_3_english_and_dutch_name() {
    for (written, meant) in [
        ("USA", "US"),
        ("United States", "US"),
        ("Verenigde Staten", "US"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("Germany", "DE"),
        ("Duitsland", "DE"),
        ("DEU", "DE"),
        ("Belgie", "BE"),
        ("Belgium", "BE"),
        ("Nederland", "NL"),
        ("the-netherlands", "NL"),
        ("Zwitserland", "CH"),
        ("Duitslnd", "DE"),
    ] {
        let found = all_of(&party_in(written), "E004");
        assert_eq!(found.len(), 1, "{written}: {found:?}");
        assert_eq!(found[0].0, format!("no country named `{written}`"));
        assert_eq!(found[0].1, format!("did you mean `{meant}`?"), "{written}");
    }
    // Nothing else: the phrase is one finding, not also "takes one value".
    let (_, analysis) = support::check_snippet(&party_in("United Kingdom"));
    assert_eq!(
        analysis
            .diagnostics
            .iter()
            .filter(|d| d.code.starts_with('E'))
            .count(),
        1
    );
    let notes = &all_of(&party_in("USA"), "E004")[0].2;
    assert_eq!(
        notes,
        &["`USA` is `US`: countries are named by their ISO 3166-1 alpha-2 code"]
    );
}

#[test]
fn every_stdlib_name_is_found_by_its_aliases_and_title() {
    // Each stdlib declaration's aliases and title lead back to it, never to "declare it".
    let mut cases: Vec<(&str, String, String)> = Vec::new();
    for (_, text) in lawful::stdlib::FILES {
        for line in text.lines() {
            let Some(kind) = ["country", "data", "subjects", "purpose"]
                .into_iter()
                .find(|kind| line.starts_with(&format!("{kind} ")))
            else {
                continue;
            };
            let code = line.split_whitespace().nth(1).unwrap_or_default();
            let title = line.split('"').nth(1).unwrap_or_default();
            let aliases = line
                .split("aliases ")
                .nth(1)
                .map(|rest| rest.split('}').next().unwrap_or_default())
                .unwrap_or_default();
            let mut written: Vec<String> = vec![title.replace(' ', "-")];
            written.extend(
                aliases
                    .split(',')
                    .map(|a| a.trim().trim_matches('"').replace(['\'', '.'], ""))
                    .filter(|a| !a.is_empty())
                    .map(|a| a.replace(' ', "-")),
            );
            for name in written {
                // Names with non-ASCII letters cannot be written as a name: their ASCII form can.
                let ascii: String = name
                    .to_lowercase()
                    .chars()
                    .map(|c| match c {
                        'ë' | 'é' => 'e',
                        'ï' => 'i',
                        'ö' => 'o',
                        'ü' => 'u',
                        'ñ' => 'n',
                        _ => c,
                    })
                    .collect();
                // A title that is the name itself (`data name "Name"`) is no alias.
                if ascii.replace('-', "") != code.to_lowercase().replace('-', "") {
                    cases.push((kind, ascii, code.to_string()));
                }
            }
        }
    }
    // One workspace, one declaration per name: line i + 1 holds case i.
    let text: String = cases
        .iter()
        .enumerate()
        .map(|(i, (kind, name, _))| match *kind {
            "country" => format!("party p{i} {{ role processor; country {name} }}\n"),
            "data" => format!("data d{i} {{ includes {name} }}\n"),
            "subjects" => {
                format!("breach b{i} {{ discovered 2026-01-01T00:00; subjects {name} }}\n")
            }
            _ => format!("purpose q{i} {{ compatible-with {name} }}\n"),
        })
        .collect();
    let (sources, analysis) = support::check_snippet(&text);
    for (i, (_, name, code)) in cases.iter().enumerate() {
        let found: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == "E004" && d.location(&sources).line == i as u32 + 1)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{name}: {}",
            support::dump(&sources, &analysis)
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some(format!("did you mean `{code}`?").as_str()),
            "{name}"
        );
    }
    assert!(cases.len() > 400, "{}", cases.len());
}

#[test]
fn data_subject_and_purpose_synonyms() {
    let activity = |purpose: &str, subjects: &str, data: &str| {
        format!(
            "activity a {{ purpose {purpose}; basis contract; subjects {subjects}; data {data}; retention 1 year }}\n"
        )
    };
    let helps = |text: &str| -> Vec<String> {
        all_of(text, "E004")
            .into_iter()
            .map(|(_, help, _)| help)
            .collect()
    };
    assert_eq!(
        helps(&activity("marketing", "staff", "iban")),
        [
            "did you mean `direct-marketing`?",
            "did you mean `employees`?",
            "did you mean `bank-account`?"
        ]
    );
    assert_eq!(
        helps(&activity("werving", "sollicitanten-x", "bsn")),
        [
            "did you mean `recruitment`?",
            "did you mean `applicants`?",
            "did you mean `national-id`?"
        ]
    );
    assert_eq!(
        helps(&activity("nieuwsbrief", "klanten", "e-mail")),
        [
            "did you mean `direct-marketing`?",
            "did you mean `customers`?",
            "did you mean `email`?"
        ]
    );
}

#[test]
fn key_synonyms_english_and_dutch() {
    let activity = |line: &str| {
        format!(
            "activity a {{\n  purpose billing\n  basis contract\n  subjects customers\n  data name\n  retention 1 year\n{line}\n}}\n"
        )
    };
    let bare = "activity a {\n  subjects customers\n  data name\n  {line}\n}\n";
    for (written, meant) in [
        ("legal-basis contract", "basis"),
        ("lawful-basis contract", "basis"),
        ("grondslag contract", "basis"),
        ("retention-period 1 year", "retention"),
        ("bewaartermijn 1 year", "retention"),
        ("doel billing", "purpose"),
    ] {
        // The activity has every required statement but the one written as a synonym.
        let text = bare.replace("{line}", written);
        let text = match meant {
            "basis" => text.replace(
                "  subjects",
                "  purpose billing\n  retention 1 year\n  subjects",
            ),
            "retention" => text.replace(
                "  subjects",
                "  purpose billing\n  basis contract\n  subjects",
            ),
            _ => text.replace(
                "  subjects",
                "  basis contract\n  retention 1 year\n  subjects",
            ),
        };
        let (sources, analysis) = support::check_snippet(&text);
        let codes: Vec<&str> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity != lawful::registry::Severity::Info)
            .filter(|d| !matches!(d.code, "R001" | "A004"))
            .map(|d| d.code)
            .collect();
        assert_eq!(
            codes,
            ["E002"],
            "{written}:\n{}",
            support::dump(&sources, &analysis)
        );
        assert_eq!(
            help_for(&text, "E002"),
            format!("did you mean `{meant}`?"),
            "{written}"
        );
    }
    for (written, meant) in [
        ("ontvanger p", "recipient"),
        ("betrokkenen customers", "subjects"),
        ("gegevens name", "data"),
        ("doelen billing", "purpose"),
    ] {
        assert_eq!(
            help_for(&activity(written), "E002"),
            format!("did you mean `{meant}`?"),
            "{written}"
        );
    }
    assert_eq!(
        help_for(
            "party p { rol processor; land NL }\nsystem s { land NL }",
            "E002"
        ),
        "did you mean `role`?"
    );
    let system = all_of("system s { land NL }", "E002");
    assert_eq!(system[0].1, "did you mean `location`?");
}

#[test]
fn a_wrong_declaration_kind_says_what_to_write() {
    let (sources, analysis) =
        support::check_snippet("processor mailco \"MailCo\" {\n  country US\n}\n");
    let e001: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == "E001")
        .collect();
    assert_eq!(e001.len(), 1, "{}", support::dump(&sources, &analysis));
    assert_eq!(
        e001[0].help.as_deref(),
        Some("`processor` is not a kind of declaration: write `party mailco { role processor … }`")
    );
    // Also after another declaration, where a stray `}` was the other explanation.
    let help = help_for("data x { }\nverwerker mailco {\n  country NL\n}\n", "E001");
    assert_eq!(
        help,
        "`verwerker` is not a kind of declaration: write `party mailco { role processor … }`"
    );
}

#[test]
fn value_mistakes_get_the_exact_fix() {
    let activity = |line: &str| {
        format!(
            "activity a {{\n  purpose billing\n  basis contract\n  subjects customers\n  data name\n{line}\n}}\n"
        )
    };
    assert_eq!(
        help_for(&activity("  retention 6weeks"), "E001"),
        "put a space between the number and the unit: `6 weeks`"
    );
    let breach = |line: &str| format!("breach b {{\n  discovered 2026-11-27T08:15\n{line}\n}}\n");
    assert_eq!(
        help_for("breach b {\n  discovered 2026-11-27 08:15\n}\n", "E001"),
        "write the date and the time as one value, joined by `T`: `2026-11-27T08:15`"
    );
    assert_eq!(
        help_for(&breach("  encrypted no"), "E003"),
        "leave `encrypted` out: without it the data counts as readable"
    );
    assert_eq!(
        help_for(&activity("  large-scale no"), "E003"),
        "leave `large-scale` out: a flag is there or not, and its absence says no"
    );
    assert_eq!(
        help_for(&activity("  large-scale yes"), "E003"),
        "write just `large-scale`"
    );
}

#[test]
fn vocabulary_synonyms_english_and_dutch() {
    let activity = |basis: &str| {
        format!(
            "activity a {{ purpose billing; basis {basis}; subjects customers; data name; retention 1 year }}\n"
        )
    };
    for (written, meant) in [
        ("toestemming", "consent"),
        ("overeenkomst", "contract"),
        ("wettelijke-verplichting", "legal-obligation"),
        ("gerechtvaardigd-belang", "legitimate-interest"),
        ("publieke-taak", "public-task"),
    ] {
        assert_eq!(
            help_for(&activity(written), "E003"),
            format!("did you mean `{meant}`?"),
            "{written}"
        );
    }
    assert_eq!(
        help_for("party p { role verwerker; country NL }", "E003"),
        "did you mean `processor`?"
    );
}
