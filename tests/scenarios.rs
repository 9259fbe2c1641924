//! Three larger scenarios, each a small multi-file workspace, checked with the stdlib and
//! `today` = 2026-11-22. Each test asserts the COMPLETE sorted list of `(line, code)` findings per
//! file (every code, every severity), and that nothing is reported outside those files.
//! The expected lists were derived from the rule catalog first, then compared with the tool.

mod support;

/// Checks `files` as one workspace and returns, per file, its sorted `(line, code)` findings.
/// Fails when any diagnostic lies outside the given files (stdlib, or no file at all).
/// Per file, its sorted `(line, code)` findings.
type Findings = Vec<(String, Vec<(u32, String)>)>;

fn check(files: &[(&str, &str)]) -> (Findings, String) {
    let (sources, analysis) = support::check_files(files);
    let dump = support::dump(&sources, &analysis);
    let mut per_file = Vec::new();
    let mut total = 0;
    for (path, _) in files {
        let mut found = support::codes_in(&sources, &analysis, path);
        found.sort();
        total += found.len();
        per_file.push((path.to_string(), found));
    }
    assert_eq!(
        total,
        analysis.diagnostics.len(),
        "diagnostics outside the scenario files:\n{dump}"
    );
    (per_file, dump)
}

fn assert_findings(files: &[(&str, &str)], expected: &[(&str, &[(u32, &str)])]) {
    let (actual, dump) = check(files);
    for (path, found) in &actual {
        let mut want: Vec<(u32, String)> = expected
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, list)| list.iter().map(|(l, c)| (*l, c.to_string())).collect())
            .unwrap_or_default();
        want.sort();
        assert_eq!(
            found, &want,
            "{path}: findings differ\nall diagnostics:\n{dump}"
        );
    }
    for (path, _) in expected {
        assert!(
            actual.iter().any(|(p, _)| p == path),
            "expected findings for unknown file {path}"
        );
    }
}

/// Web shop: a US mail processor that is not `certified dpf`, with a subprocessor chain:
/// one subprocessor without an agreement of its own, one in India without a transfer mechanism.
#[test]
fn webshop_with_us_mail_processor_and_subprocessor_chain() {
    let files = [
        ("webshop/activities.lawful", SHOP_ACTIVITIES),
        ("webshop/organisation.lawful", SHOP_ORGANISATION),
        ("webshop/vendors.lawful", SHOP_VENDORS),
    ];
    assert_findings(
        &files,
        &[
            (
                "webshop/activities.lawful",
                &[
                    // T002: `recipient mailco` — US has a partial decision `requires dpf`,
                    // mailco is not certified and no `transfer` on the statement or the party.
                    (29, "T002"),
                    // P002: fraud-check's `compatible` block lacks `expectations`.
                    // (No P001 there: justification (d), the block is on the reuses statement.)
                    (46, "P002"),
                    // P001: review-invites (product-improvement, legitimate interest) reuses the
                    // order data (contract-performance) with none of the justifications (a)–(d).
                    (66, "P001"),
                ],
            ),
            // Controller with contact, notice, measures and every channel incl. verify-identity:
            // nothing to report; the user data/subjects are all referenced (no U001).
            ("webshop/organisation.lawful", &[]),
            (
                "webshop/vendors.lawful",
                &[
                    // D004: mailco (reached by the newsletter) engages sendfast, which has no
                    // agreement of its own; T001: it engages bouncecheck (IN, no adequacy) and
                    // bouncecheck has no `transfer`. Both anchored at mailco's `subprocessors`.
                    (42, "D004"),
                    (42, "T001"),
                    // D001: sendfast receives data as a subprocessor and has no agreement.
                    (46, "D001"),
                ],
            ),
        ],
    );
}

/// Hospital: special-category data, a research reuse of the patient file, an automated decision.
#[test]
fn hospital_with_health_data_research_and_automated_decision() {
    let files = [
        ("hospital/care.lawful", HOSPITAL_CARE),
        ("hospital/organisation.lawful", HOSPITAL_ORGANISATION),
        ("hospital/vendors.lawful", HOSPITAL_VENDORS),
    ];
    assert_findings(
        &files,
        &[
            (
                "hospital/care.lawful",
                &[
                    // R011: the significant waiting-list decision lacks `contest`.
                    (35, "R011"),
                    // R012: it decides on health data; basis is contract (not explicit consent)
                    // and the activity's exception is health-care (not substantial-public-interest).
                    (35, "R012"),
                    // A006: outcome-study has special data and vulnerable subjects (patients):
                    // two indicators, no `dpia`.
                    (43, "A006"),
                    // X001: the special-category questionnaire, and no `encryption` on the
                    // activity, on research-db or on the controller.
                    (51, "X001"),
                    // P004: research reuse without pseudonymisation/anonymisation in effect.
                    // (No P001: justification (c), the purpose has kind research.)
                    (54, "P004"),
                ],
            ),
            (
                "hospital/organisation.lawful",
                // R002: `pdf` in the portability formats is not machine-readable.
                &[(15, "R002")],
            ),
            (
                "hospital/vendors.lawful",
                // D008: the lab's agreement expired on 2026-06-30, before today.
                &[(28, "D008")],
            ),
        ],
    );
}

/// Municipality: public tasks, the BSN, a joint controller, and a breach that needs no notification.
#[test]
fn municipality_with_public_tasks_bsn_and_joint_controller() {
    let files = [
        ("municipality/breaches.lawful", MUNI_BREACHES),
        ("municipality/organisation.lawful", MUNI_ORGANISATION),
        ("municipality/partners.lawful", MUNI_PARTNERS),
        ("municipality/register.lawful", MUNI_REGISTER),
        ("municipality/social.lawful", MUNI_SOCIAL),
    ];
    assert_findings(
        &files,
        &[
            (
                "municipality/breaches.lawful",
                // N004: the verdict (info) is always reported; a trusted recipient returned the
                // letter, so neither the authority nor the people need to be notified (no N001/N003).
                &[(1, "N004")],
            ),
            // Public sector with a `dpo` (no A007); every user purpose/subjects/data is used.
            // R001 twice, at the controller's `rights` statement where the fix belongs: the
            // consent-based city pass (web, provided data) needs portability and
            // withdraw-consent, and the controller offers neither.
            (
                "municipality/organisation.lawful",
                &[(10, "R001"), (10, "R001")],
            ),
            (
                "municipality/partners.lawful",
                // D007: the joint controller has no Art. 26 arrangement.
                &[(17, "D007")],
            ),
            (
                "municipality/register.lawful",
                &[
                    // B006: the parking permits' public task names no law.
                    (14, "B006"),
                    // S004: the BSN processed under consent.
                    (29, "S004"),
                ],
            ),
            // assistance: reuse of the BRP justified by (b) `compatible-with`; fraud-scoring:
            // justified by (d) for both assistance and, transitively, the BRP; the automated
            // decision has an exception, all safeguards, no special data, and a DPIA.
            ("municipality/social.lawful", &[]),
        ],
    );
}

const SHOP_ACTIVITIES: &str = r##"activity orders "Taking, arranging and delivering orders" {
  purpose contract-performance
  basis contract { contract "General terms v2026-01, accepted at checkout" }
  subjects customers, gift-recipients
  data contact-details, order-details, payment-card
  source subject
  channel web, phone
  systems shop-platform
  recipient courier {
    data name, address, phone
  }
  recipient psp {
    data name, email, payment-card
    basis contract
  }
  retention 7 years after order-date
}

activity newsletter "Seasonal newsletter" {
  purpose direct-marketing
  basis consent {
    evidence "Double opt-in log kept by MailCo, exported monthly"
    notice "Signup form text v2 (2026-02-01)"
  }
  subjects customers
  data name, email
  channel web
  measures https
  recipient mailco
  retention until-withdrawn
}

activity fraud-check "Screening orders for payment fraud" {
  purpose fraud-prevention
  basis legitimate-interest {
    interest "Preventing orders paid with stolen cards"
    assessment "LIA-2026-01, signed 2026-02-10"
  }
  subjects customers
  data ip-address
  channel web
  systems shop-platform
  profiling
  reuses orders {
    data name, email, address, payment-card
    compatible {
      link "Screening protects the orders the data was collected for"
      context "Same customer relationship, done by the shop itself"
      nature "Contact data and card data; no special categories"
      consequences "A suspicious order is held and the customer is phoned"
      safeguards minimisation, logging
    }
  }
  retention 6 months
}

activity review-invites "Asking customers to review their bouquet" {
  purpose product-improvement
  basis legitimate-interest {
    interest "Learning which bouquets customers like"
    assessment "LIA-2026-02"
  }
  subjects customers
  data review-text
  channel email
  reuses orders {
    data name, email, order-details
  }
  retention 3 months
}
"##;

const SHOP_ORGANISATION: &str = r##"# Bloem & Blad B.V.: an online florist in Utrecht.
controller bloem "Bloem & Blad B.V." {
  country NL
  contact "Bloem & Blad B.V., Marktstraat 4, 3511 AB Utrecht, privacy@bloemblad.example"
  employees 35
  notice "https://bloemblad.example/privacy"
  measures access-control, mfa, backup, logging
  rights {
    access "privacy@bloemblad.example"
    rectification "My account > Details"
    erasure "privacy@bloemblad.example"
    restriction "privacy@bloemblad.example"
    objection "privacy@bloemblad.example"
    portability "My account > Export" { format json, csv }
    withdraw-consent "Unsubscribe link in every e-mail"
    verify-identity "Logged-in session, or a confirmation link to the e-mail address on file"
  }
}

data order-details "Bouquet, card message, delivery date and address of the recipient" { }

subjects gift-recipients "People who receive a bouquet" { }

data review-text "The review a customer writes about a bouquet" { }
"##;

const SHOP_VENDORS: &str = r##"party cloudnl "CloudNL B.V." {
  role processor
  country NL
  agreement "DPA-CloudNL-2025" {
    signed 2025-01-10
    clauses subject-matter, instructions, confidentiality, security, subprocessors,
            assistance-rights, assistance-obligations, deletion, audits
  }
}

system shop-platform "Web shop platform" {
  hosted-by cloudnl
  measures https, encryption
}

party courier "Fietskoerier Utrecht B.V." {
  role processor
  country NL
  agreement "DPA-Courier-2025" {
    signed 2025-03-01
    expires 2027-03-01
    clauses subject-matter, instructions, confidentiality, security, subprocessors,
            assistance-rights, assistance-obligations, deletion, audits
  }
}

party psp "Betaal B.V." {
  role controller
  country NL
}

# MailCo: a US e-mail service that is NOT certified under the Data Privacy Framework.
party mailco "MailCo Inc." {
  role processor
  country US
  agreement "MailCo DPA v4" {
    signed 2025-06-01
    clauses subject-matter, instructions, confidentiality, security, subprocessors,
            assistance-rights, assistance-obligations, deletion, audits
    subprocessing specific
  }
  subprocessors sendfast, bouncecheck
}

# Sendfast: an EEA delivery relay with no agreement of its own.
party sendfast "Sendfast GmbH" {
  role processor
  country DE
}

# Bouncecheck: bounce handling in India, no transfer mechanism.
party bouncecheck "Bouncecheck Pvt Ltd" {
  role processor
  country IN
  agreement "Bouncecheck sub-DPA" {
    signed 2025-06-15
    clauses subject-matter, instructions, confidentiality, security, subprocessors,
            assistance-rights, assistance-obligations, deletion, audits
  }
}
"##;

const HOSPITAL_CARE: &str = r##"activity treatment "Diagnosis and treatment" {
  purpose healthcare
  basis contract { contract "Treatment agreement (WGBO, art. 7:446 BW)" }
  exception health-care
  subjects patients
  data name, date-of-birth, address, phone, health
  channel in-person, web
  systems ehr
  large-scale
  dpia "DPIA-EPD-2025"
  recipient lab
  retention 20 years after "the end of treatment"
}

activity bsn-registration "Recording the patient's BSN" {
  purpose legal-compliance
  basis legal-obligation { law "Wet aanvullende regels verwerking persoonsgegevens in de zorg, art. 8" }
  subjects patients
  data national-id, identity-document
  channel in-person
  systems ehr
  retention 20 years after "the end of treatment"
}

activity waiting-list "Automatic waiting-list prioritisation" {
  purpose healthcare
  basis contract
  exception health-care
  subjects patients
  data name, health
  channel web
  systems ehr
  profiling
  dpia "DPIA-Wachtlijst-2026"
  automated-decision {
    effect significant
    exception contract
    safeguards human-intervention, express-view
  }
  retention 2 years
}

activity outcome-study "Heart-failure outcome study" {
  purpose scientific-research
  basis legitimate-interest {
    interest "Improving heart-failure care through outcome research"
    assessment "LIA-Research-2026-01"
  }
  exception research "UAVG art. 24"
  subjects patients
  data questionnaire
  channel web
  systems research-db
  reuses treatment {
    data date-of-birth, health
  }
  retention 10 years
}
"##;

const HOSPITAL_ORGANISATION: &str = r##"# Stichting Ziekenhuis Rivierland: a general hospital (a private foundation).
controller rivierland "Stichting Ziekenhuis Rivierland" {
  country NL
  contact "Ziekenhuis Rivierland, Postbus 100, 4000 AA Tiel, privacy@rivierland.example"
  dpo "Functionaris gegevensbescherming, fg@rivierland.example"
  employees 2400
  notice "https://rivierland.example/privacy"
  measures access-control, logging, mfa, backup, training
  rights {
    access "Patient portal, or the patient services desk"
    rectification "Patient services desk"
    erasure "Patient services desk"
    restriction "Patient services desk"
    objection "privacy@rivierland.example"
    portability "Patient portal > Download" { format json, pdf }
    human-intervention "Waiting-list office, wachtlijst@rivierland.example"
    verify-identity "DigiD login on the portal, or identity document at the desk"
  }
}

data questionnaire "Answers to the quality-of-life questionnaire" { special health }
"##;

const HOSPITAL_VENDORS: &str = r##"party epd-vendor "EPD Systemen B.V." {
  role processor
  country NL
  agreement "Verwerkersovereenkomst EPD 2024" {
    signed 2024-02-01
    clauses subject-matter, instructions, confidentiality, security, subprocessors,
            assistance-rights, assistance-obligations, deletion, audits
    subprocessing general
  }
  subprocessors backup-dc
}

party backup-dc "Datacenter Noord B.V." {
  role processor
  country NL
  agreement "Sub-verwerkersovereenkomst 2024" {
    signed 2024-02-15
    clauses subject-matter, instructions, confidentiality, security, subprocessors,
            assistance-rights, assistance-obligations, deletion, audits
  }
}

party lab "Regionaal Laboratorium B.V." {
  role processor
  country NL
  agreement "Lab DPA 2023" {
    signed 2023-01-01
    expires 2026-06-30
    clauses subject-matter, instructions, confidentiality, security, subprocessors,
            assistance-rights, assistance-obligations, deletion, audits
  }
}

system ehr "Electronic patient record (EPD)" {
  hosted-by epd-vendor
  measures encryption, https, logging
}

system research-db "Research database" {
  measures access-control, https
}
"##;

const MUNI_BREACHES: &str = r##"breach wrong-address "Assistance decision sent to the wrong address" {
  discovered 2026-09-14T09:30+02:00
  nature confidentiality
  affects assistance
  subjects-affected 1
  trusted-recipient "The neighbour returned the unopened letter the same day"
  notified-authority 2026-09-15T11:00+02:00
  facts "A decision letter was sent to house number 12 instead of 21"
  effects "None: the letter was returned unopened"
  actions "Address check added to the letter workflow"
}
"##;

const MUNI_ORGANISATION: &str = r##"# Gemeente Waterland-Oost: a Dutch municipality.
controller waterland "Gemeente Waterland-Oost" {
  country NL
  sector public
  contact "Gemeente Waterland-Oost, Postbus 1, 1440 AA Purmerend, privacy@waterland-oost.example"
  dpo "Functionaris gegevensbescherming, fg@waterland-oost.example"
  employees 650
  notice "https://waterland-oost.example/privacy"
  measures access-control, logging, mfa, backup, training
  rights {
    access "Online form with DigiD, or the town hall desk"
    rectification "Town hall desk"
    erasure "privacy@waterland-oost.example"
    restriction "privacy@waterland-oost.example"
    objection "privacy@waterland-oost.example"
    human-intervention "Social services team, sociaal@waterland-oost.example"
    verify-identity "DigiD, or an identity document at the desk"
  }
}

purpose population-register "Keeping the municipal population register (BRP)" { }
purpose social-assistance "Granting social assistance (bijstand)" {
  compatible-with population-register
}
purpose youth-care "Arranging youth care (jeugdhulp)" { }
purpose parking "Issuing parking permits" { }
purpose city-pass "City pass for discounts on sport and culture" { }

subjects benefit-applicants "People applying for social assistance" { vulnerable }

data risk-score "Fraud risk score computed for an application" { origin derived }
"##;

const MUNI_PARTNERS: &str = r##"party civic-host "Gemeentelijk Datacentrum B.V." {
  role processor
  country NL
  agreement "Verwerkersovereenkomst GDC 2025" {
    signed 2025-04-01
    clauses subject-matter, instructions, confidentiality, security, subprocessors,
            assistance-rights, assistance-obligations, deletion, audits
  }
}

system civic-platform "Case and register platform" {
  hosted-by civic-host
  measures encryption, https
}

# The neighbouring municipality decides on youth care together with us.
party zaanstreek "Gemeente Zaanstreek" {
  role joint-controller
  country NL
  contact "privacy@zaanstreek.example"
}
"##;

const MUNI_REGISTER: &str = r##"activity brp "Municipal population register" {
  purpose population-register
  basis legal-obligation { law "Wet basisregistratie personen, art. 2.1" }
  subjects citizens
  data name, address, date-of-birth, national-id
  channel in-person, web
  systems civic-platform
  large-scale
  retention 10 years after "the person leaves the municipality"
}

activity parking-permits "Parking permits" {
  purpose parking
  basis public-task
  subjects citizens
  data name, address
  channel web
  systems civic-platform
  retention 2 years after "the permit ends"
}

activity city-pass "City pass" {
  purpose city-pass
  basis consent {
    evidence "Signed application form, scanned into the case system"
    notice "Application form text 2026"
  }
  subjects citizens
  data name, date-of-birth, national-id
  channel web
  systems civic-platform
  retention until-withdrawn
}
"##;

const MUNI_SOCIAL: &str = r##"activity assistance "Social assistance (bijstand)" {
  purpose social-assistance
  basis public-task { law "Participatiewet, art. 7" }
  subjects benefit-applicants
  data bank-account, salary
  channel web, in-person
  systems civic-platform
  reuses brp {
    data name, address, national-id
  }
  retention 10 years after "the last payment"
}

activity fraud-scoring "Risk scoring of assistance applications" {
  purpose fraud-prevention
  basis public-task { law "Participatiewet, art. 53a" }
  subjects benefit-applicants
  data risk-score
  channel api
  systems civic-platform
  profiling
  dpia "DPIA-Risicoscan-2026"
  automated-decision {
    effect significant
    exception law
    safeguards human-intervention, express-view, contest
  }
  reuses assistance {
    compatible {
      link "Checking that assistance goes to people entitled to it"
      context "The applicant supplied the data to the same municipality"
      nature "Financial data; no special categories"
      consequences "A flagged application is reviewed by a case officer"
      expectations "The application form says applications are checked"
      safeguards pseudonymisation, access-control, logging
    }
  }
  retention 1 year
}

activity youth "Youth care with the neighbouring municipality" {
  purpose youth-care
  basis public-task { law "Jeugdwet, art. 2.3" }
  exception substantial-public-interest "Jeugdwet, art. 7.4.0"
  subjects children
  data name, date-of-birth, address, health
  channel in-person
  systems civic-platform
  dpia "DPIA-Jeugd-2025"
  recipient zaanstreek
  retention 15 years
}
"##;
