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
}
