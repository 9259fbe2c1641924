//! The `lawful` command line: a thin shell over the library.

use clap::{Parser, Subcommand, ValueEnum};
use lawful::diag::{self, Diagnostic};
use lawful::registry::{self, Severity};
use lawful::time::Date;
use lawful::{Settings, analyze, report, stdlib, suggest, workspace};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
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

#[derive(Subcommand)]
enum Command {
    /// Check a workspace (or files) and report diagnostics.
    Check {
        /// Workspace directories or `.lawful` files (default: the workspace around the current directory).
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// `--deny warnings` makes warnings fail the run (exit 1).
        #[arg(long, value_enum)]
        deny: Option<Deny>,
        /// The date time-dependent rules use, YYYY-MM-DD (overrides `lawful.toml`).
        #[arg(long)]
        today: Option<String>,
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
    /// Decide, for each declared breach, whether the authority and the people affected must be
    /// notified (Art. 33/34), by when, and why.
    Breach {
        /// Workspace directories or `.lawful` files (default: the workspace around the current directory).
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = BreachFormat::Human)]
        format: BreachFormat,
        /// The date time-dependent rules use, YYYY-MM-DD (overrides `lawful.toml`).
        #[arg(long)]
        today: Option<String>,
    },
    /// Create a new workspace: a `lawful.toml` and a commented example.
    Init {
        /// Directory to create it in (default: the current directory).
        dir: Option<PathBuf>,
    },
    /// Explain a rule: the article, why it matters, an example and its fix.
    Explain {
        /// A rule code such as B001.
        code: String,
    },
    /// List every rule.
    Rules {
        #[arg(long, value_enum, default_value_t = CatalogFormat::Human)]
        format: CatalogFormat,
    },
    /// Rewrite `.lawful` files in the canonical layout, comments kept.
    Fmt {
        /// Workspace directories or `.lawful` files (default: the workspace around the current directory).
        paths: Vec<PathBuf>,
        /// Write nothing; list the files that would change and exit 1 if there are any.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    /// SARIF 2.1.0 for code-scanning dashboards.
    Sarif,
    /// GitHub Actions annotations.
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum BreachFormat {
    Human,
    Json,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            paths,
            format,
            deny,
            today,
            color,
        } => check(&paths, format, deny.is_some(), today.as_deref(), color),
        Command::Breach {
            paths,
            format,
            today,
        } => breach(&paths, format, today.as_deref()),
        Command::Init { dir } => init(dir.unwrap_or_else(|| PathBuf::from("."))),
        Command::Explain { code } => explain(&code),
        Command::Rules { format } => rules(format),
        Command::Fmt { paths, check } => fmt(&paths, check),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_USAGE)
}

/// A workspace loaded and analysed, shared by every command that reads one.
struct Loaded {
    workspace: workspace::Workspace,
    settings: Settings,
    analysis: lawful::Analysis,
}

fn load(paths: &[PathBuf], today: Option<&str>) -> Result<Loaded, ExitCode> {
    let today_flag = match today.map(|text| Date::parse(text).ok_or(text)) {
        Some(Err(text)) => {
            return Err(usage_error(&format!(
                "`--today {text}` is not a date; write YYYY-MM-DD"
            )));
        }
        Some(Ok(date)) => Some(date),
        None => None,
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let workspace = workspace::load(paths, &cwd).map_err(|error| usage_error(&error.0))?;
    let settings = Settings {
        today: today_flag
            .or(workspace.config.today)
            .unwrap_or_else(system_date),
        config: workspace.config.clone(),
    };
    let mut analysis = analyze(&workspace.sources, &settings);
    if !workspace.diagnostics.is_empty() {
        analysis
            .diagnostics
            .extend(workspace.diagnostics.iter().cloned());
        diag::sort(&mut analysis.diagnostics, &workspace.sources);
    }
    Ok(Loaded {
        workspace,
        settings,
        analysis,
    })
}

fn check(
    paths: &[PathBuf],
    format: Format,
    deny_warnings: bool,
    today: Option<&str>,
    color: Color,
) -> ExitCode {
    let Loaded {
        workspace,
        analysis,
        ..
    } = match load(paths, today) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let diagnostics = &analysis.diagnostics;
    let mut out = std::io::stdout().lock();
    let written = match format {
        Format::Json => out.write_all(
            diag::json::render(diagnostics, &workspace.sources, analysis.files).as_bytes(),
        ),
        Format::Sarif => {
            out.write_all(diag::sarif::render(diagnostics, &workspace.sources).as_bytes())
        }
        Format::Github => {
            out.write_all(diag::github::render(diagnostics, &workspace.sources).as_bytes())
        }
        Format::Human => {
            let color = match color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            let text = diag::human::render(diagnostics, &workspace.sources, color);
            out.write_all(text.as_bytes())
                .and_then(|()| writeln!(out, "{}", summary_line(diagnostics, analysis.files)))
        }
    };
    if written.is_err() {
        // stdout closed (e.g. piped into `head`): nothing more to say.
        return ExitCode::from(EXIT_USAGE);
    }
    exit_code(diagnostics, deny_warnings)
}

fn breach(paths: &[PathBuf], format: BreachFormat, today: Option<&str>) -> ExitCode {
    let loaded = match load(paths, today) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let reports = report::breaches(
        &loaded.analysis,
        &loaded.workspace.sources,
        &loaded.settings,
    );
    let text = match format {
        BreachFormat::Json => report::breaches_json(&reports),
        BreachFormat::Human => report::breaches_human(&reports),
    };
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return ExitCode::from(EXIT_USAGE);
    }
    // Structural errors can hide facts the verdict needs; say so rather than stay silent.
    let structural = loaded
        .analysis
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with('E') && d.severity == Severity::Error)
        .count();
    if structural > 0 {
        eprintln!(
            "warning: the workspace has {structural} structural error(s); run `lawful check`, as the verdicts may be incomplete"
        );
    }
    ExitCode::from(u8::from(reports.iter().any(report::BreachReport::unmet)))
}

fn summary_line(diagnostics: &[Diagnostic], files: usize) -> String {
    let counts = diag::count(diagnostics);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}, {} in {}",
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
        plural(counts.infos, "info"),
        plural(files, "file")
    )
}

fn exit_code(diagnostics: &[Diagnostic], deny_warnings: bool) -> ExitCode {
    let failing = diagnostics.iter().any(|d| {
        d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
    });
    ExitCode::from(u8::from(failing))
}

fn init(dir: PathBuf) -> ExitCode {
    match lawful::init::init(&dir) {
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

fn explain(code: &str) -> ExitCode {
    let Some(rule) = registry::lookup(code) else {
        let codes = registry::all().iter().map(|rule| rule.code);
        let hint = suggest::closest(&code.to_uppercase(), codes)
            .map(|near| format!("; did you mean `{near}`?"))
            .unwrap_or_else(|| "; `lawful rules` lists every code".to_string());
        return usage_error(&format!("unknown rule code `{code}`{hint}"));
    };
    emit(&format!(
        "{}\n\nStandard library facts (countries, adequacy decisions) last checked: {}\n",
        rule.explain.trim_end(),
        stdlib::facts_checked()
    ))
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
            let mut text = String::new();
            for rule in registry::all() {
                text.push_str(&format!(
                    "{}  {:<7}  {:<40}  {:<22}  {}\n",
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

/// Writes to stdout; a closed pipe (`lawful rules | head`) ends quietly instead of panicking.
fn emit(text: &str) -> ExitCode {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(EXIT_USAGE),
    }
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
    let workspace = match workspace::load(paths, &cwd) {
        Ok(workspace) => workspace,
        Err(error) => return usage_error(&error.0),
    };
    let (mut changed, mut unchanged, mut failed, mut bug) = (0, 0, false, false);
    let mut syntax_errors = Vec::new();
    let mut out = std::io::stdout().lock();
    for (id, file) in workspace.sources.iter() {
        if file.origin != lawful::source::Origin::User {
            continue;
        }
        if let Some(problem) = &file.problem {
            eprintln!("error: cannot format `{}`: {problem}", file.path);
            failed = true;
            continue;
        }
        match lawful::fmt::format(id, &file.text) {
            Err(FmtError::Syntax(diagnostics)) => {
                syntax_errors.extend(diagnostics);
                failed = true;
            }
            Err(FmtError::Bug(why)) => {
                eprintln!(
                    "error: `{}` was left as it is: {why}\nhelp: this is a bug in `lawful fmt`; please report it with the file",
                    file.path
                );
                bug = true;
            }
            Ok(text) if text == file.text => unchanged += 1,
            Ok(text) => {
                changed += 1;
                if check {
                    let _ = writeln!(out, "{}", file.path);
                } else {
                    // The file on disk must still be the text that was formatted.
                    let target = workspace.root.join(&file.path);
                    let written = match std::fs::read(&target) {
                        Ok(bytes) if bytes == file.text.as_bytes() => {
                            write_atomically(&target, &text).map_err(|e| e.to_string())
                        }
                        Ok(_) => Err("it changed while it was being formatted".to_string()),
                        Err(error) => Err(error.to_string()),
                    };
                    if let Err(error) = written {
                        eprintln!("error: cannot write `{}`: {error}", file.path);
                        failed = true;
                    }
                }
            }
        }
    }
    if !syntax_errors.is_empty() {
        eprint!(
            "{}",
            diag::human::render(&syntax_errors, &workspace.sources, false)
        );
        eprintln!("note: files with syntax errors are left as they are");
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
