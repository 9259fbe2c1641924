//! The compliance rules, one module per family. Each rule reads the model and
//! the data-flow graph and pushes diagnostics; none prints or formats for an output.

mod accountability;
mod basis;
pub mod breach;
mod processors;
mod purpose;
mod rights;
mod structure;
mod transfers;

use crate::diag::Diagnostic;
use crate::facts::Facts;
use crate::flow::Flow;
use crate::model::Model;
use crate::settings::Settings;

/// What every rule may read.
pub struct Context<'a> {
    pub model: &'a Model,
    pub flow: &'a Flow,
    /// The derived facts (rights, transfers, measures, DPIA, breach verdicts) rules read.
    pub facts: &'a Facts,
    pub settings: &'a Settings,
}

pub fn run(
    model: &Model,
    flow: &Flow,
    facts: &Facts,
    settings: &Settings,
    diagnostics: &mut Vec<Diagnostic>,
) {
    run_on(model, flow, facts, settings, 1, diagnostics);
}

/// [`run`] with the families in two groups on two threads (large workspaces only); the
/// findings come out in the same order for any thread count.
pub fn run_on(
    model: &Model,
    flow: &Flow,
    facts: &Facts,
    settings: &Settings,
    threads: usize,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let cx = Context {
        model,
        flow,
        facts,
        settings,
    };
    let (first, second) = crate::parallel::join(
        threads,
        model.activities.len(),
        || {
            let mut out = Vec::new();
            structure::check(&cx, &mut out);
            basis::check(&cx, &mut out);
            purpose::check(&cx, &mut out);
            processors::check(&cx, &mut out);
            out
        },
        || {
            let mut out = Vec::new();
            transfers::check(&cx, &mut out);
            rights::check(&cx, &mut out);
            accountability::check(&cx, &mut out);
            breach::check(&cx, &mut out);
            out
        },
    );
    diagnostics.extend(first);
    diagnostics.extend(second);
}

/// "`a`, `b` and `c`" for messages.
pub(crate) fn names<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = items.into_iter().map(|item| format!("`{item}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
