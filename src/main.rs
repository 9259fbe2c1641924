//! The `lawful` command line: a thin shell over the library.

use clap::{Parser, Subcommand, ValueEnum};
use lawful::diag::{self, Diagnostic};
use lawful::registry::{self, Severity};
use lawful::time::Date;
use lawful::{Settings, report, stdlib, suggest, workspace};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "lawful",
    version,
    about = "GDPR policy-as-code: check .lawful files against the law"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Options shared by every command that reads a workspace.
#[derive(clap::Args)]
struct Input {
    /// Directories or `.lawful` files; each is checked within its own workspace (the nearest
    /// directory upward holding a `lawful.toml`). `-` reads the file named by
    /// `--stdin-filename` from standard input. Default: the workspace around the current
    /// directory.
    paths: Vec<PathBuf>,
    /// With `-` as PATH: the file the text on standard input stands for (unsaved editor text);
    /// it is checked as that file of its workspace, in place of the file on disk.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// The date time-dependent rules use, YYYY-MM-DD (overrides `lawful.toml`).
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
}

/// Options shared by every command that prints.
#[derive(clap::Args, Clone)]
struct Output {
    /// Colours in human output: `auto` (when writing to a terminal and `NO_COLOR` is unset),
    /// `always` or `never`.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Only the findings: no summary line and no notes on standard error.
    #[arg(long, short)]
    quiet: bool,
    /// Write the output to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    output_file: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Check workspaces (or files) and report diagnostics.
    Check {
        #[command(flatten)]
        input: Input,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// `--deny warnings` makes warnings fail the run (exit 1).
        #[arg(long, value_enum)]
        deny: Option<Deny>,
        /// Instead of each finding, how many there are of each code (human format only).
        #[arg(long)]
        statistics: bool,
        /// Apply the safe fixes to the files, then report what remains.
        #[arg(long)]
        fix: bool,
        #[command(flatten)]
        output: Output,
    },
    /// Decide, for each declared breach, whether the authority and the people affected must be
    /// notified (Art. 33/34), by when, and why.
    Breach {
        #[command(flatten)]
        input: Input,
        #[arg(long, value_enum, default_value_t = BreachFormat::Human)]
        format: BreachFormat,
        #[command(flatten)]
        output: Output,
    },
    /// Draw the data-flow map: subjects, activities, systems and parties, third-country
    /// transfers highlighted (unprotected ones in red), edges with findings marked.
    Graph {
        #[command(flatten)]
        input: Input,
        /// `dot` (Graphviz), `mermaid`, `json` or `svg` (laid out by Lawful itself).
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
        #[command(flatten)]
        output: Output,
    },
    /// Write the record of processing activities (Art. 30 register).
    ///
    /// The controller, DPO and representative, and per activity its purpose, basis, subjects,
    /// data, recipients, third-country transfers (onward ones included), retention, measures,
    /// source, DPIA, automated decisions and accepted findings.
    Register {
        #[command(flatten)]
        input: Input,
        /// `md`, `csv` (one row per activity), `json` (docs/schemas/register.schema.json),
        /// `html` (one printable page with the data-flow map) or `jsonld` (W3C DPV).
        #[arg(long, value_enum, default_value_t = RegisterFormat::Md)]
        format: RegisterFormat,
        #[command(flatten)]
        document: DocumentOptions,
        /// Start CSV output with a byte-order mark, so Excel reads it as UTF-8.
        #[arg(long)]
        bom: bool,
        #[command(flatten)]
        output: Output,
    },
    /// Write the rights matrix: which rights apply to each activity, and why.
    ///
    /// Per activity every right, whether it applies and why (or why not), its channel, the
    /// response time and extension, and what portability covers in which formats.
    Rights {
        #[command(flatten)]
        input: Input,
        /// `md`, `json` or `csv` (one row per activity and right).
        #[arg(long, value_enum, default_value_t = RightsFormat::Md)]
        format: RightsFormat,
        #[command(flatten)]
        document: DocumentOptions,
        /// Start CSV output with a byte-order mark, so Excel reads it as UTF-8.
        #[arg(long)]
        bom: bool,
        #[command(flatten)]
        output: Output,
    },
    /// Write the layered privacy notice (Art. 13/14).
    ///
    /// The basic-information table first, then per activity the details, how to exercise each
    /// right and where to complain; or the TILT transparency-information JSON.
    Notice {
        #[command(flatten)]
        input: Input,
        /// `md`, `html` (one standalone page) or `tilt` (TILT transparency-information JSON).
        #[arg(long, value_enum, default_value_t = NoticeFormat::Md)]
        format: NoticeFormat,
        #[command(flatten)]
        document: DocumentOptions,
        #[command(flatten)]
        output: Output,
    },
    /// Create a new workspace: a `lawful.toml` and a commented example.
    Init {
        /// Directory to create it in (default: the current directory).
        dir: Option<PathBuf>,
    },
    /// Explain a rule: the article, why it matters, an example and its fix.
    Explain {
        /// A rule code such as B001, or its name such as missing-legal-basis.
        code: String,
        /// `text` (default): for reading in a terminal; `markdown`: the source text.
        #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
        format: ExplainFormat,
    },
    /// List every rule.
    Rules {
        #[arg(long, value_enum, default_value_t = CatalogFormat::Human)]
        format: CatalogFormat,
    },
    /// Run the language server on standard input and output (for editors).
    #[cfg(feature = "lsp")]
    #[command(version, display_name = "lawful")]
    Lsp,
    /// Rewrite `.lawful` files in the canonical layout, comments kept.
    Fmt {
        /// Workspace directories or `.lawful` files (default: the workspace around the current directory).
        paths: Vec<PathBuf>,
        /// Write nothing; list the files that would change and exit 1 if there are any.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
    /// SARIF 2.1.0 for code-scanning dashboards.
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// GitLab Code Quality report.
    Gitlab,
}

/// Options of the documents (`register`, `rights`, `notice`).
#[derive(clap::Args)]
struct DocumentOptions {
    /// The document's language: `en` or `nl` (default: `lang` in `lawful.toml`, else `en`).
    #[arg(long, value_enum)]
    lang: Option<DocLang>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DocLang {
    En,
    Nl,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RegisterFormat {
    Md,
    Csv,
    Json,
    Html,
    Jsonld,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RightsFormat {
    Md,
    Json,
    Csv,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum NoticeFormat {
    Md,
    Html,
    Tilt,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExplainFormat {
    Text,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum BreachFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    Dot,
    Mermaid,
    Json,
    Svg,
}

#[derive(Clone, Copy, ValueEnum)]
enum CatalogFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Deny {
    Warnings,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

const EXIT_USAGE: u8 = 2;

/// jemalloc, as ruff uses on Linux: the analysis makes millions of small allocations (names,
/// sets, diagnostics), and glibc's allocator spent a fifth of a 100,000-activity check in
/// malloc and free, and made a thread freeing an old analysis contend with the one building
/// the next. mimalloc was as fast but copied pest's token queue on every growth, which put
/// `fmt` of a 4 MiB file over 1 GB (docs/performance.md).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    apply_environment();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Usage errors go to stderr (exit 2); `--help` and `--version` are output like any
        // other, so a full disk is reported rather than ignored.
        Err(error) if error.use_stderr() => {
            let _ = error.print();
            return ExitCode::from(EXIT_USAGE);
        }
        Err(error) => {
            let rendered = error.render();
            let text = if std::io::stdout().is_terminal() {
                rendered.ansi().to_string()
            } else {
                rendered.to_string()
            };
            return emit(&text);
        }
    };
    match cli.command {
        Command::Check {
            input,
            format,
            deny,
            statistics,
            fix,
            output,
        } => check(&input, format, deny.is_some(), statistics, fix, &output),
        Command::Breach {
            input,
            format,
            output,
        } => breach(&input, format, &output),
        Command::Graph {
            input,
            format,
            output,
        } => graph(&input, format, &output),
        Command::Register {
            input,
            format,
            document,
            bom,
            output,
        } => register(&input, format, &document, bom, &output),
        Command::Rights {
            input,
            format,
            document,
            bom,
            output,
        } => rights(&input, format, &document, bom, &output),
        Command::Notice {
            input,
            format,
            document,
            output,
        } => notice(&input, format, &document, &output),
        Command::Init { dir } => init(dir.unwrap_or_else(|| PathBuf::from("."))),
        Command::Explain { code, format } => explain(&code, format),
        Command::Rules { format } => rules(format),
        Command::Fmt { paths, check } => fmt(&paths, check),
        #[cfg(feature = "lsp")]
        Command::Lsp => {
            // `LAWFUL_TIMINGS=1` (read at start): the server's phase times on standard error.
            match lawful::lsp::run_stdio() {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => usage_error(&format!("cannot start the language server: {error}")),
            }
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "error: {message}");
    ExitCode::from(EXIT_USAGE)
}

/// A note on standard error (never fails the run, even when stderr is closed).
fn note(output: &Output, message: &str) {
    if !output.quiet {
        let _ = writeln!(std::io::stderr(), "{message}");
    }
}

/// One workspace loaded and analysed, with only the findings its PATHs asked for.
struct Loaded {
    workspace: workspace::Workspace,
    settings: Settings,
    analysis: lawful::Analysis,
}

fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

/// PATHs → workspaces → analyses: every command that reads a workspace starts here.
fn load(input: &Input, output: &Output) -> Result<Vec<Loaded>, ExitCode> {
    let today_flag = match input
        .today
        .as_deref()
        .map(|text| Date::parse(text).ok_or(text))
    {
        Some(Err(text)) => {
            return Err(usage_error(&format!(
                "`--today {text}` is not a date; write YYYY-MM-DD"
            )));
        }
        Some(Ok(date)) => Some(date),
        None => None,
    };
    let cwd = cwd();
    let dash = Path::new("-");
    let stdin_named = input.paths.iter().any(|p| p == dash);
    let mut targets = Vec::new();
    let mut replacement = None;
    match (&input.stdin_filename, stdin_named) {
        (Some(name), true) => {
            let (target, real) =
                workspace::plan_stdin(name, &cwd).map_err(|e| usage_error(&e.0))?;
            let mut text = Vec::new();
            std::io::stdin()
                .lock()
                .take(lawful::source::MAX_FILE_BYTES as u64 + 1)
                .read_to_end(&mut text)
                .map_err(|e| usage_error(&format!("cannot read standard input: {e}")))?;
            targets.push(target);
            replacement = Some(workspace::Replacement { path: real, text });
        }
        (None, true) => {
            return Err(usage_error(
                "`-` reads standard input as a file: name that file with `--stdin-filename PATH`",
            ));
        }
        (Some(_), false) => {
            return Err(usage_error(
                "`--stdin-filename` names the text on standard input: give `-` as PATH",
            ));
        }
        (None, false) => {}
    }
    let others: Vec<PathBuf> = input.paths.iter().filter(|p| *p != dash).cloned().collect();
    if !others.is_empty() || targets.is_empty() {
        for target in workspace::plan(&others, &cwd).map_err(|e| usage_error(&e.0))? {
            match targets.iter_mut().find(|t| t.root == target.root) {
                Some(same) => same.scopes.extend(target.scopes),
                None => targets.push(target),
            }
        }
    }
    let mut loaded = Vec::new();
    for (index, target) in targets.iter().enumerate() {
        // The standard-input text belongs to the first target only (its own workspace).
        let replace = replacement.as_ref().filter(|_| index == 0);
        let workspace = target.load(replace).map_err(|e| usage_error(&e.0))?;
        if !workspace.has_config {
            note(
                output,
                &format!(
                    "note: no `lawful.toml` found; `{}` is taken as the workspace",
                    workspace.root_from(&cwd)
                ),
            );
        }
        let settings = Settings {
            today: today_flag
                .or(workspace.config.today)
                .unwrap_or_else(system_date),
            config: workspace.config.clone(),
        };
        let mut analysis = lawful::analysis::analyze_with(&workspace.sources, &settings, threads());
        if !workspace.diagnostics.is_empty() {
            analysis
                .diagnostics
                .extend(workspace.diagnostics.iter().cloned());
            diag::sort(&mut analysis.diagnostics, &workspace.sources);
        }
        workspace.retain_in_scope(&mut analysis.diagnostics);
        analysis.files = workspace.files_in_scope();
        loaded.push(Loaded {
            workspace,
            settings,
            analysis,
        });
    }
    Ok(loaded)
}

fn use_color(color: Color, output: &Output) -> bool {
    match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            output.output_file.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    }
}

fn check(
    input: &Input,
    format: Format,
    deny_warnings: bool,
    statistics: bool,
    fix: bool,
    output: &Output,
) -> ExitCode {
    if statistics && format != Format::Human {
        return usage_error(
            "`--statistics` prints a table for people: use it with `--format human`",
        );
    }
    if fix && input.stdin_filename.is_some() {
        return usage_error("`--fix` writes files: it cannot fix standard input");
    }
    let mut loaded = match load(input, output) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    if fix {
        // A fix can reveal another (a misspelt key whose value is misspelt too): a few
        // rounds, each on freshly read files, until nothing more applies.
        let mut applied = 0;
        for _ in 0..FIX_ROUNDS {
            let round = apply_safe_fixes(&loaded, output);
            if round == 0 {
                break;
            }
            applied += round;
            loaded = match load(
                input,
                &Output {
                    quiet: true,
                    ..output.clone()
                },
            ) {
                Ok(loaded) => loaded,
                Err(code) => return code,
            };
        }
        let remaining: usize = loaded.iter().map(|l| l.analysis.diagnostics.len()).sum();
        let fixes = if applied == 1 { "fix" } else { "fixes" };
        let remain = if remaining == 1 {
            "finding remains"
        } else {
            "findings remain"
        };
        note(
            output,
            &format!("note: applied {applied} safe {fixes}; {remaining} {remain}"),
        );
    }
    let cwd = cwd();
    let several = loaded.len() > 1;
    let text = match format {
        Format::Json => {
            let parts: Vec<diag::json::Part<'_>> = loaded
                .iter()
                .map(|l| diag::json::Part {
                    diagnostics: &l.analysis.diagnostics,
                    sources: &l.workspace.sources,
                    files: l.analysis.files,
                    workspace: several.then(|| l.workspace.root_from(&cwd)),
                })
                .collect();
            diag::json::render_parts(&parts)
        }
        Format::Sarif => {
            let parts: Vec<diag::sarif::Part<'_>> = loaded
                .iter()
                .map(|l| diag::sarif::Part {
                    diagnostics: &l.analysis.diagnostics,
                    sources: &l.workspace.sources,
                    names: l.workspace.names_from(&cwd),
                    fallback: Some(workspace_anchor(l, &cwd)),
                })
                .collect();
            let base = std::fs::canonicalize(&cwd).unwrap_or_else(|_| cwd.clone());
            diag::sarif::render_parts(&parts, Some(&base))
        }
        Format::Gitlab => {
            let parts: Vec<diag::gitlab::Part<'_>> = loaded
                .iter()
                .map(|l| diag::gitlab::Part {
                    diagnostics: &l.analysis.diagnostics,
                    sources: &l.workspace.sources,
                    names: l.workspace.names_from(&cwd),
                    fallback: workspace_anchor(l, &cwd),
                })
                .collect();
            diag::gitlab::render_parts(&parts)
        }
        Format::Github => {
            let parts: Vec<diag::github::Part<'_>> = loaded
                .iter()
                .map(|l| diag::github::Part {
                    diagnostics: &l.analysis.diagnostics,
                    sources: &l.workspace.sources,
                    names: l.workspace.names_from(&cwd),
                })
                .collect();
            // The job summary, appended as GitHub expects; a failure is a note, not a failed run.
            if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
                let written = std::fs::OpenOptions::new()
                    .append(true)
                    .create(true)
                    .open(&path)
                    .and_then(|mut file| file.write_all(diag::github::summary(&parts).as_bytes()));
                if let Err(error) = written {
                    note(
                        output,
                        &format!(
                            "warning: cannot write the job summary to `{}`: {error}",
                            Path::new(&path).display()
                        ),
                    );
                }
            }
            diag::github::render_parts(&parts)
        }
        Format::Human => {
            let color = use_color(output.color, output);
            let mut text = String::new();
            if statistics {
                text.push_str(&statistics_table(&loaded));
            } else {
                for l in &loaded {
                    text.push_str(&diag::human::render_named(
                        &l.analysis.diagnostics,
                        &l.workspace.sources,
                        &l.workspace.names_from(&cwd),
                        color,
                    ));
                }
            }
            if !output.quiet {
                text.push_str(&summary_line(&loaded));
                text.push('\n');
            }
            text
        }
    };
    let all: Vec<&Diagnostic> = loaded
        .iter()
        .flat_map(|l| &l.analysis.diagnostics)
        .collect();
    let code = exit_code(&all, deny_warnings);
    drop(all);
    let written = write_output(&text, output, code);
    // The process ends here: freeing the whole model (millions of small allocations on a large
    // workspace) would only cost time, the operating system takes the memory back at once.
    std::mem::forget(loaded);
    written
}

/// How many times `check --fix` re-checks and fixes again at most.
const FIX_ROUNDS: usize = 10;

/// Applies the safe fixes of every file in scope and writes the files that changed; returns
/// how many fixes were applied. A file is left as it is when it has a syntax error without a
/// safe fix, when the fixed text would not parse, or when it changed on disk meanwhile.
fn apply_safe_fixes(loaded: &[Loaded], output: &Output) -> usize {
    let mut applied = 0;
    for l in loaded {
        let diagnostics = &l.analysis.diagnostics;
        for (id, real) in l.workspace.files_to_process() {
            let file = l.workspace.sources.get(id);
            let in_file: Vec<Diagnostic> = diagnostics
                .iter()
                .filter(|d| d.file_id() == Some(id))
                .cloned()
                .collect();
            let unfixable_syntax = in_file.iter().any(|d| {
                d.code == "E001"
                    && !d
                        .fixes
                        .iter()
                        .any(|f| f.applicability == diag::Applicability::Safe)
            });
            let edits = lawful::fixes::safe_edits(&in_file, id);
            if edits.is_empty() || unfixable_syntax || file.problem.is_some() {
                continue;
            }
            let count = in_file
                .iter()
                .filter(|d| {
                    d.fixes
                        .iter()
                        .find(|f| f.applicability == diag::Applicability::Safe)
                        .is_some_and(|f| f.edits.iter().all(|e| edits.contains(&e)))
                })
                .count();
            let Ok(text) = lawful::fixes::apply(&file.text, &edits) else {
                continue;
            };
            let parsed = lawful::syntax::parse(id, &text);
            if parsed.diagnostics.iter().any(|d| d.code == "E001") {
                note(
                    output,
                    &format!(
                        "note: `{}` was left as it is: its fixes would not parse",
                        file.path
                    ),
                );
                continue;
            }
            let written = match std::fs::read(real) {
                Ok(bytes) if bytes == file.text.as_bytes() => {
                    write_atomically(real, &text).map_err(|e| e.to_string())
                }
                Ok(_) => Err("it changed while it was being fixed".to_string()),
                Err(error) => Err(error.to_string()),
            };
            match written {
                Ok(()) => applied += count,
                Err(error) => note(
                    output,
                    &format!("warning: cannot write `{}`: {error}", file.path),
                ),
            }
        }
    }
    applied
}

/// Where a finding about a whole workspace is shown in CI: its `lawful.toml`, else its directory,
/// named from the current directory.
fn workspace_anchor(l: &Loaded, cwd: &Path) -> String {
    let root = l.workspace.root_from(cwd);
    match (l.workspace.has_config, root.as_str()) {
        (true, ".") => workspace::CONFIG_FILE.to_string(),
        (true, _) => format!("{root}/{}", workspace::CONFIG_FILE),
        (false, _) => root,
    }
}

/// `--statistics`: one line per code, most frequent first, columns aligned.
fn statistics_table(loaded: &[Loaded]) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for l in loaded {
        for d in &l.analysis.diagnostics {
            *counts.entry(d.code).or_default() += 1;
        }
    }
    let mut rows: Vec<(&str, usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let width = rows
        .iter()
        .map(|r| r.1.to_string().len())
        .max()
        .unwrap_or(1);
    let mut text = String::new();
    for (code, count) in rows {
        let rule = registry::lookup(code);
        text.push_str(&format!(
            "{count:>width$}  {code}  {:<7}  {}\n",
            rule.map_or("", |r| r.severity.as_str()),
            rule.map_or("", |r| r.name),
        ));
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

/// Writes the command's output; a full disk or any other write failure is exit 2 with a
/// message, a closed pipe (`lawful check | head`) ends quietly with the run's own code.
fn write_output(text: &str, output: &Output, code: ExitCode) -> ExitCode {
    let result = match &output.output_file {
        Some(path) => std::fs::File::create(path)
            .and_then(|mut file| file.write_all(text.as_bytes()).and_then(|()| file.flush()))
            .map_err(|e| (format!("`{}`", path.display()), e)),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| ("standard output".to_string(), e))
        }
    };
    match result {
        Ok(()) => code,
        Err((_, error)) if error.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err((target, error)) => usage_error(&format!("cannot write to {target}: {error}")),
    }
}

fn breach(input: &Input, format: BreachFormat, output: &Output) -> ExitCode {
    let loaded = match load(input, output) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let mut text = String::new();
    let mut unmet = false;
    let mut structural = 0;
    let mut all_reports = Vec::new();
    for l in &loaded {
        let mut reports = report::breaches(&l.analysis, &l.workspace.sources, &l.settings);
        // As for `check`: the breaches declared at or below the PATHs.
        reports.retain(|r| {
            l.workspace
                .sources
                .find(&r.file)
                .is_none_or(|id| l.workspace.in_scope(id))
        });
        unmet |= reports.iter().any(report::BreachReport::unmet);
        match format {
            // Titles and reasons are the policy's own text: no escape sequence may pass.
            BreachFormat::Human => {
                text.push_str(&diag::escape_hidden(&report::breaches_human(&reports)));
            }
            BreachFormat::Json => all_reports.push(reports),
        }
        // Structural errors can hide facts the verdict needs; say so rather than stay silent.
        structural += l
            .analysis
            .diagnostics
            .iter()
            .filter(|d| d.code.starts_with('E') && d.severity == Severity::Error)
            .count();
    }
    if let BreachFormat::Json = format {
        text = match all_reports.as_slice() {
            [one] => report::breaches_json(one),
            many => {
                // Several workspaces: one document, each workspace's report in its own entry.
                let values: Vec<serde_json::Value> = many
                    .iter()
                    .map(|r| serde_json::from_str(&report::breaches_json(r)).unwrap_or_default())
                    .collect();
                serde_json::to_string_pretty(&values).unwrap_or_default() + "\n"
            }
        };
    }
    if structural > 0 {
        note(
            output,
            &format!(
                "warning: the workspace has {structural} structural error(s); run `lawful check`, as the verdicts may be incomplete"
            ),
        );
    }
    write_output(&text, output, ExitCode::from(u8::from(unmet)))
}

fn graph(input: &Input, format: GraphFormat, output: &Output) -> ExitCode {
    let loaded = match load(input, output) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let maps: Vec<lawful::graph::Map> = loaded
        .iter()
        .map(|l| lawful::graph::build(&l.analysis, l.settings.today))
        .collect();
    let text = match (format, maps.as_slice()) {
        (GraphFormat::Json, [one]) => lawful::graph::json(one),
        (GraphFormat::Json, many) => lawful::graph::json_many(many),
        (_, [one]) => match format {
            GraphFormat::Dot => lawful::graph::dot(one),
            GraphFormat::Mermaid => lawful::graph::mermaid(one),
            _ => lawful::graph::svg(one),
        },
        (_, _) => {
            return usage_error(
                "`lawful graph` draws one workspace at a time: give PATHs of one workspace, or use `--format json` for several",
            );
        }
    };
    // The map is drawn even when the workspace has errors: it is the view that helps fix them.
    write_output(&text, output, ExitCode::SUCCESS)
}

/// The words of a document: `--lang`, else `lang` in the workspace's `lawful.toml`.
fn words(document: &DocumentOptions, l: &Loaded) -> &'static lawful::documents::lang::Words {
    let lang = match document.lang {
        Some(DocLang::En) => lawful::config::Lang::En,
        Some(DocLang::Nl) => lawful::config::Lang::Nl,
        None => l.settings.config.lang,
    };
    lawful::documents::lang::words(lang)
}

/// A document is written for the workspace as it is: errors are a note, never a failed run
/// (the register is what a DPO asks for while the findings are being fixed).
fn document_note(loaded: &[Loaded], output: &Output) {
    let errors: usize = loaded
        .iter()
        .map(|l| diag::count(&l.analysis.diagnostics).errors)
        .sum();
    if errors > 0 {
        note(
            output,
            &format!(
                "warning: the workspace has {errors} error(s); run `lawful check`, as the document may be incomplete"
            ),
        );
    }
}

/// Several workspaces give one document each, one after another (JSON: an array).
fn one_workspace(loaded: &[Loaded], command: &str) -> Result<(), ExitCode> {
    if loaded.len() > 1 {
        return Err(usage_error(&format!(
            "`lawful {command}` writes one workspace at a time: give PATHs of one workspace, or use `--format json` for several"
        )));
    }
    Ok(())
}

fn register(
    input: &Input,
    format: RegisterFormat,
    document: &DocumentOptions,
    bom: bool,
    output: &Output,
) -> ExitCode {
    use lawful::documents::{jsonld, register, register_render};
    let loaded = match load(input, output) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let registers: Vec<register::Register> = loaded
        .iter()
        .map(|l| register::build(&l.analysis, l.settings.today))
        .collect();
    let text = match (format, registers.as_slice()) {
        (RegisterFormat::Json, [one]) => register_render::json(one),
        (RegisterFormat::Json, many) => register_render::json_many(many),
        (_, [one]) => {
            let w = words(document, &loaded[0]);
            match format {
                RegisterFormat::Md => register_render::markdown(w, one),
                RegisterFormat::Csv => register_render::csv(w, one, bom),
                RegisterFormat::Jsonld => jsonld::render(one),
                _ => {
                    let map = lawful::graph::build(&loaded[0].analysis, loaded[0].settings.today);
                    register_render::html_page(w, one, &lawful::graph::svg(&map))
                }
            }
        }
        _ => {
            if let Err(code) = one_workspace(&loaded, "register") {
                return code;
            }
            String::new()
        }
    };
    document_note(&loaded, output);
    write_output(&text, output, ExitCode::SUCCESS)
}

fn rights(
    input: &Input,
    format: RightsFormat,
    document: &DocumentOptions,
    bom: bool,
    output: &Output,
) -> ExitCode {
    use lawful::documents::rights;
    let loaded = match load(input, output) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let docs: Vec<rights::RightsDoc> = loaded.iter().map(|l| rights::build(&l.analysis)).collect();
    let text = match (format, docs.as_slice()) {
        (RightsFormat::Json, [one]) => rights::json(one),
        (RightsFormat::Json, many) => serde_json::to_string_pretty(many).unwrap_or_default() + "\n",
        (RightsFormat::Csv, [one]) => rights::csv(one, bom),
        (RightsFormat::Md, [one]) => rights::markdown(words(document, &loaded[0]), one),
        _ => {
            if let Err(code) = one_workspace(&loaded, "rights") {
                return code;
            }
            String::new()
        }
    };
    document_note(&loaded, output);
    write_output(&text, output, ExitCode::SUCCESS)
}

fn notice(
    input: &Input,
    format: NoticeFormat,
    document: &DocumentOptions,
    output: &Output,
) -> ExitCode {
    use lawful::documents::notice;
    let loaded = match load(input, output) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    if let Err(code) = one_workspace(&loaded, "notice") {
        return code;
    }
    let Some(l) = loaded.first() else {
        return ExitCode::SUCCESS;
    };
    let w = words(document, l);
    let built = notice::build(&l.analysis, l.settings.today);
    let text = match format {
        NoticeFormat::Md => notice::markdown(w, &built),
        NoticeFormat::Html => notice::html_page(w, &built),
        NoticeFormat::Tilt => notice::tilt(w, &built),
    };
    document_note(&loaded, output);
    write_output(&text, output, ExitCode::SUCCESS)
}

fn summary_line(loaded: &[Loaded]) -> String {
    let mut counts = diag::Counts::default();
    let mut files = 0;
    for l in loaded {
        let c = diag::count(&l.analysis.diagnostics);
        counts.errors += c.errors;
        counts.warnings += c.warnings;
        counts.infos += c.infos;
        files += l.analysis.files;
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let workspaces = if loaded.len() > 1 {
        format!(" ({} workspaces)", loaded.len())
    } else {
        String::new()
    };
    format!(
        "{}, {}, {} in {}{workspaces}",
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
        plural(counts.infos, "info"),
        plural(files, "file")
    )
}

fn exit_code(diagnostics: &[&Diagnostic], deny_warnings: bool) -> ExitCode {
    let failing = diagnostics.iter().any(|d| {
        d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
    });
    ExitCode::from(u8::from(failing))
}

fn init(dir: PathBuf) -> ExitCode {
    match write_new_files(&dir, &lawful::init::files()) {
        Ok(written) => {
            let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
            emit(&format!(
                "created {}\nnext: `lawful check {}`\n",
                names.join(" and "),
                dir.display()
            ))
        }
        Err(message) => usage_error(&message),
    }
}

/// `LAWFUL_THREADS=N`: parse and lower on N threads (the output is the same for any N);
/// else on every core. `LAWFUL_TIMINGS=1` also turns on the phase times on standard error.
/// The developers' knobs, read once at start: `LAWFUL_TIMINGS=1` (each phase's time on
/// stderr) and `LAWFUL_THREADS=N` (threads for every stage that shares its work).
fn apply_environment() {
    lawful::analysis::set_timings(std::env::var_os("LAWFUL_TIMINGS").is_some_and(|v| v == "1"));
    if let Some(n) = std::env::var("LAWFUL_THREADS")
        .ok()
        .and_then(|n| n.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        lawful::analysis::set_default_threads(n);
    }
}

fn threads() -> usize {
    lawful::analysis::default_threads()
}

/// Writes `files` (name, text) into `dir` (created if needed); refuses to overwrite any.
/// Returns the paths written.
fn write_new_files(dir: &Path, files: &[(&str, &str)]) -> Result<Vec<PathBuf>, String> {
    let files: Vec<(PathBuf, &str)> = files
        .iter()
        .map(|(name, text)| (dir.join(name), *text))
        .collect();
    for (path, _) in &files {
        // `symlink_metadata`: a dangling link counts as existing, it is never written through.
        if std::fs::symlink_metadata(path).is_ok() {
            return Err(format!(
                "`{}` already exists; nothing was written",
                path.display()
            ));
        }
    }
    std::fs::create_dir_all(dir)
        .map_err(|error| format!("cannot create `{}`: {error}", dir.display()))?;
    let mut written = Vec::new();
    for (path, text) in files {
        // `create_new` is O_CREAT|O_EXCL: it fails on any existing entry, a link included,
        // so a link planted between the check above and here is not followed either.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut file| file.write_all(text.as_bytes()))
            .map_err(|error| format!("cannot write `{}`: {error}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

fn explain(code: &str, format: ExplainFormat) -> ExitCode {
    let Some(rule) = registry::lookup_code_or_name(code) else {
        let hint = if code.contains('-') || code.len() > 4 {
            suggest::closest(&code.to_lowercase(), registry::all().iter().map(|r| r.name))
        } else {
            suggest::closest(&code.to_uppercase(), registry::all().iter().map(|r| r.code))
        }
        .map(|near| format!("; did you mean `{near}`?"))
        .unwrap_or_else(|| "; `lawful rules` lists every code and name".to_string());
        return usage_error(&format!("unknown rule `{code}`{hint}"));
    };
    let body = match format {
        ExplainFormat::Markdown => rule.explain.trim_end().to_string(),
        ExplainFormat::Text => markdown_to_text(rule.explain),
    };
    emit(&format!(
        "{body}\n\nStandard library facts (countries, adequacy decisions) last checked: {}\n",
        stdlib::facts_checked()
    ))
}

/// The rule pages' Markdown, for reading in a terminal: headings underlined, `**bold**`
/// markers dropped, code blocks indented by four spaces without their fences. Inline
/// backticks stay: they mark names, as in every message.
fn markdown_to_text(markdown: &str) -> String {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push(format!("    {line}"));
            continue;
        }
        let heading = line
            .strip_prefix("# ")
            .map(|h| (h, '='))
            .or_else(|| line.strip_prefix("## ").map(|h| (h, '-')))
            .or_else(|| line.strip_prefix("### ").map(|h| (h, '-')));
        if let Some((title, rule)) = heading {
            let title = title.replace("**", "");
            if out.last().is_some_and(|l: &String| !l.is_empty()) {
                out.push(String::new());
            }
            out.push(title.clone());
            out.push(rule.to_string().repeat(title.chars().count()));
            continue;
        }
        out.extend(wrap(&line.replace("**", ""), 88));
    }
    out.join("\n").trim_end().to_string()
}

/// Greedy word wrap at `width` characters; list items (`* `, `- `, `1. `) get a hanging indent.
fn wrap(line: &str, width: usize) -> Vec<String> {
    if line.chars().count() <= width {
        return vec![line.to_string()];
    }
    let trimmed = line.trim_start();
    let lead = line.len() - trimmed.len();
    let marker = ["* ", "- "]
        .iter()
        .find(|m| trimmed.starts_with(**m))
        .map_or(0, |m| m.len());
    let indent = " ".repeat(lead + marker);
    let mut lines = Vec::new();
    let mut current = " ".repeat(lead);
    let mut fresh = true;
    for word in trimmed.split(' ').filter(|w| !w.is_empty()) {
        if !fresh && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::replace(&mut current, indent.clone()));
            fresh = true;
        }
        if !fresh {
            current.push(' ');
        }
        current.push_str(word);
        fresh = false;
    }
    lines.push(current);
    lines
}

fn rules(format: CatalogFormat) -> ExitCode {
    let text = match format {
        CatalogFormat::Json => {
            let json = serde_json::json!({
                "version": 1,
                "facts_checked": stdlib::facts_checked(),
                "rules": registry::all(),
            });
            serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"
        }
        CatalogFormat::Human => {
            let all = registry::all();
            let width = |f: fn(&registry::Rule) -> usize| all.iter().map(f).max().unwrap_or(0);
            let name_w = width(|r| r.name.chars().count());
            let article_w = width(|r| r.article.chars().count());
            let mut text = String::new();
            for rule in all {
                text.push_str(&format!(
                    "{}  {:<7}  {:<name_w$}  {:<article_w$}  {}\n",
                    rule.code,
                    rule.severity.as_str(),
                    rule.name,
                    rule.article,
                    rule.summary
                ));
            }
            text + &format!(
                "\nStandard library facts last checked: {}\n",
                stdlib::facts_checked()
            )
        }
    };
    emit(&text)
}

/// Writes to stdout: a closed pipe (`lawful rules | head`) ends quietly, a full disk is exit 2
/// with a message.
fn emit(text: &str) -> ExitCode {
    let quiet = Output {
        color: Color::Never,
        quiet: false,
        output_file: None,
    };
    write_output(text, &quiet, ExitCode::SUCCESS)
}

/// Today's date from the system clock (UTC).
fn system_date() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    Date::from_days_since_epoch(i64::try_from(seconds / 86_400).unwrap_or(0))
}

/// `lawful fmt`: formats every user file of the workspace(s); `--check` only lists the files
/// that would change. Exit 1 for a file that would change (`--check`), has a syntax error or
/// cannot be read; exit 2 for a usage error or a formatter bug (nothing is written then).
fn fmt(paths: &[PathBuf], check: bool) -> ExitCode {
    use lawful::fmt::FmtError;
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let targets = match workspace::plan(paths, &cwd) {
        Ok(targets) => targets,
        Err(error) => return usage_error(&error.0),
    };
    let (mut changed, mut unchanged, mut failed, mut bug) = (0, 0, false, false);
    let mut out = std::io::stdout().lock();
    for target in targets {
        let workspace = match target.load(None) {
            Ok(workspace) => workspace,
            Err(error) => return usage_error(&error.0),
        };
        let names = workspace.names_from(&cwd);
        let mut syntax_errors = Vec::new();
        let files: Vec<_> = workspace.files_to_process().collect();
        // Every file is formatted alone: on all cores, then reported in path order.
        let formatted = lawful::parallel::map(threads(), 2, &files, |_, (id, _)| {
            let file = workspace.sources.get(*id);
            file.problem
                .is_none()
                .then(|| lawful::fmt::format(*id, &file.text))
        });
        for ((id, real), result) in files.into_iter().zip(formatted) {
            let file = workspace.sources.get(id);
            let shown = names.get(id.0 as usize).unwrap_or(&file.path);
            let Some(result) = result else {
                let problem = file.problem.as_deref().unwrap_or_default();
                eprintln!("error: cannot format `{shown}`: {problem}");
                failed = true;
                continue;
            };
            match result {
                Err(FmtError::Syntax(diagnostics)) => {
                    syntax_errors.extend(diagnostics);
                    failed = true;
                }
                Err(FmtError::Bug(why)) => {
                    eprintln!(
                        "error: `{shown}` was left as it is: {why}\nhelp: this is a bug in `lawful fmt`; please report it with the file"
                    );
                    bug = true;
                }
                Ok(text) if text == file.text => unchanged += 1,
                Ok(text) => {
                    changed += 1;
                    if check {
                        let _ = writeln!(out, "{shown}");
                    } else {
                        // The file on disk must still be the text that was formatted.
                        let written = match std::fs::read(real) {
                            Ok(bytes) if bytes == file.text.as_bytes() => {
                                write_atomically(real, &text).map_err(|e| e.to_string())
                            }
                            Ok(_) => Err("it changed while it was being formatted".to_string()),
                            Err(error) => Err(error.to_string()),
                        };
                        if let Err(error) = written {
                            eprintln!("error: cannot write `{shown}`: {error}");
                            failed = true;
                        }
                    }
                }
            }
        }
        if !syntax_errors.is_empty() {
            eprint!(
                "{}",
                diag::human::render_named(&syntax_errors, &workspace.sources, &names, false)
            );
            eprintln!("note: files with syntax errors are left as they are");
        }
    }
    let plural = |n: usize| if n == 1 { "file" } else { "files" };
    let done = if check {
        "would be reformatted"
    } else {
        "reformatted"
    };
    eprintln!(
        "{changed} {} {done}, {unchanged} already formatted",
        plural(changed)
    );
    if bug {
        ExitCode::from(EXIT_USAGE)
    } else {
        ExitCode::from(u8::from(failed || (check && changed > 0)))
    }
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`, so a reader
/// never sees half a file and a failed write leaves the original untouched.
fn write_atomically(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.fmt-tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create_new(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        if let Ok(metadata) = std::fs::metadata(path) {
            std::fs::set_permissions(&temp, metadata.permissions())?;
        }
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}
