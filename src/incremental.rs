//! The incremental analysis an editor calls on every keystroke: a workspace value that keeps
//! each file's [`Unit`] (tree, lowered declarations, the file's own diagnostics) and parses
//! again only the files that changed. Pure: the caller (the language server, a test) hands it
//! texts; it reads nothing itself.
//!
//! ```
//! use lawful::incremental::Incremental;
//! use lawful::time::Date;
//!
//! let mut workspace = Incremental::new(Date { year: 2026, month: 11, day: 22 });
//! workspace.set_file("a.lawful", "data email { }\n");
//! let first = workspace.analysis();
//! workspace.set_file("a.lawful", "data email \"E-mail\" { }\n");
//! let second = workspace.analysis(); // only `a.lawful` is parsed again
//! assert_eq!(workspace.parses(), 2);
//! # let _ = (first, second);
//! ```
//!
//! File identities are stable: a path keeps its [`FileId`] until it is removed, whatever
//! happens to other files, so spans held by the editor stay valid. Slots 0–3 hold the stdlib,
//! slot 4 `lawful.toml`; user files come after. The stdlib is parsed and lowered once per
//! process (a `OnceLock`) and shared by every workspace value.
//!
//! Cost of [`Incremental::analysis`] after editing k files of a workspace of n: parsing and
//! lowering the k files (in parallel), then the workspace stages, which are linear in n:
//! resolution, the data-flow graph, the facts, the rules, allows, severities and the order.

use crate::analysis::{self, Analysis, Timings, Unit};
use crate::config::{self, Config, ConfigError};
use crate::diag::{self, Diagnostic};
use crate::settings::Settings;
use crate::source::{Contents, FileId, Origin, Sources};
use crate::stdlib;
use crate::time::Date;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// The slot of `lawful.toml`; the stdlib's files have the slots before it.
pub const CONFIG_SLOT: FileId = FileId(stdlib::FILES.len() as u32);
const FIRST_USER_SLOT: u32 = CONFIG_SLOT.0 + 1;

/// The name `lawful.toml` has in diagnostics.
const CONFIG_NAME: &str = "lawful.toml";

/// The stdlib's units, parsed and lowered once per process in slots `0..FILES.len()`.
fn stdlib_units() -> &'static [Unit] {
    static UNITS: OnceLock<Vec<Unit>> = OnceLock::new();
    UNITS.get_or_init(|| {
        let mut sources = Sources::new();
        stdlib::add_to(&mut sources);
        let files: Vec<_> = sources.iter().collect();
        analysis::units(&files, 1, false)
            .into_iter()
            .flatten()
            .collect()
    })
}

/// A workspace kept between analyses. See the module documentation.
#[derive(Debug)]
pub struct Incremental {
    sources: Sources,
    /// By slot; `None` for the stdlib (shared), `lawful.toml`, empty slots and stale files.
    units: Vec<Option<Arc<Unit>>>,
    /// The user's files by path: their order is the order of the analysis.
    by_path: BTreeMap<String, FileId>,
    /// Slots freed by `remove_file`, reused by the next new path.
    free: Vec<FileId>,
    /// Files set since the last analysis, parsed on the next one.
    stale: Vec<FileId>,
    config: Config,
    config_diagnostics: Vec<Diagnostic>,
    today: Date,
    /// `Some` pins the date over `lawful.toml`'s `today` (the command line's `--today`).
    today_override: Option<Date>,
    threads: usize,
    /// Whether units keep their syntax trees (see [`Incremental::set_keep_trees`]).
    keep_trees: bool,
    parses: u64,
    current: Option<Arc<Analysis>>,
    /// The analysis a change made stale, freed once the next one is built (see `retire`).
    retired: Option<Arc<Analysis>>,
}

impl Incremental {
    /// An empty workspace (the stdlib only). `today` is the date time-dependent rules use
    /// unless `lawful.toml` sets one: the core does not read the clock.
    pub fn new(today: Date) -> Incremental {
        let mut sources = Sources::new();
        stdlib::add_to(&mut sources);
        Incremental {
            sources,
            units: Vec::new(),
            by_path: BTreeMap::new(),
            free: Vec::new(),
            stale: Vec::new(),
            config: Config::default(),
            config_diagnostics: Vec::new(),
            today,
            today_override: None,
            threads: analysis::default_threads(),
            keep_trees: true,
            parses: 0,
            current: None,
            retired: None,
        }
    }

    /// How many threads parse changed files (default: [`analysis::default_threads`]).
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.max(1);
    }

    /// Whether each file's unit keeps its syntax tree for [`Incremental::unit`] (default:
    /// yes). A caller that parses on demand instead (the language server) turns it off: the
    /// trees of a workspace take more memory than its analysis.
    pub fn set_keep_trees(&mut self, keep: bool) {
        self.keep_trees = keep;
    }

    /// The date of the clock, used when neither [`Incremental::set_today`] nor `lawful.toml`
    /// pins one. A long-running caller (the language server, open past midnight) sets it
    /// again before each analysis; a new date makes the next analysis run again.
    pub fn set_clock_date(&mut self, today: Date) {
        if self.today != today {
            self.today = today;
            self.retire();
        }
    }

    /// Pins the date over `lawful.toml`'s `today` (`None` lets the config decide again).
    pub fn set_today(&mut self, today: Option<Date>) {
        if self.today_override != today {
            self.today_override = today;
            self.retire();
        }
    }

    /// Adds or replaces a user file by its workspace-relative path (`/` separators).
    /// Returns its id, which stays the same until the path is removed. Setting the text a
    /// file already has changes nothing (no parse).
    pub fn set_file(&mut self, path: &str, text: &str) -> FileId {
        self.set_contents(path, Contents::Bytes(text.as_bytes().to_vec()))
    }

    /// [`Incremental::set_file`] with raw bytes or an unreadable file (E011).
    pub fn set_contents(&mut self, path: &str, contents: Contents) -> FileId {
        let id = match self.by_path.get(path) {
            Some(&id) => {
                let file = self.sources.get(id);
                if let Contents::Bytes(bytes) = &contents
                    && file.problem.is_none()
                    && file.text.as_bytes() == bytes.as_slice()
                {
                    return id;
                }
                id
            }
            None => {
                let id = self.free.pop().unwrap_or_else(|| {
                    let next = self.sources.slots().max(FIRST_USER_SLOT as usize);
                    FileId(u32::try_from(next).unwrap_or(u32::MAX))
                });
                self.by_path.insert(path.to_string(), id);
                id
            }
        };
        self.sources.set(id, path, Origin::User, contents);
        if let Some(unit) = self.units.get_mut(id.0 as usize) {
            *unit = None;
        }
        self.stale.push(id);
        self.retire();
        id
    }

    /// Removes a user file; the others keep their ids. Returns whether it was there.
    pub fn remove_file(&mut self, path: &str) -> bool {
        let Some(id) = self.by_path.remove(path) else {
            return false;
        };
        self.sources.remove(id);
        if let Some(unit) = self.units.get_mut(id.0 as usize) {
            *unit = None;
        }
        self.free.push(id);
        self.retire();
        true
    }

    /// Sets `lawful.toml` (`None`: there is none). Its problems are E014 diagnostics of the
    /// analysis; TOML that does not parse is returned as an error and the defaults apply.
    /// Which directories hold sources is the caller's business (it decides which files to set).
    pub fn set_config(&mut self, text: Option<&str>) -> Result<(), ConfigError> {
        self.retire();
        self.config = Config::default();
        self.config_diagnostics.clear();
        self.sources.remove(CONFIG_SLOT);
        let Some(text) = text else { return Ok(()) };
        self.sources.set(
            CONFIG_SLOT,
            CONFIG_NAME,
            Origin::Config,
            Contents::Bytes(text.as_bytes().to_vec()),
        );
        let (config, problems) = config::parse(text, CONFIG_SLOT)?;
        self.config = config;
        self.config_diagnostics = problems;
        Ok(())
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The settings the next analysis uses.
    pub fn settings(&self) -> Settings {
        Settings {
            config: self.config.clone(),
            today: self
                .today_override
                .or(self.config.today)
                .unwrap_or(self.today),
        }
    }

    /// Every file, for rendering diagnostics (line and column of a span) and for the text.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// The id of a user file.
    pub fn file_id(&self, path: &str) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    /// A user file's unit as of the last analysis (its tree, for the editor's lookups).
    pub fn unit(&self, id: FileId) -> Option<&Unit> {
        self.units.get(id.0 as usize)?.as_deref()
    }

    /// How many files were parsed since this value was made (the stdlib not counted): a
    /// test's proof that unchanged files are not parsed again.
    pub fn parses(&self) -> u64 {
        self.parses
    }

    /// The analysis of the workspace as it is now; computed again only after a change.
    pub fn analysis(&mut self) -> Arc<Analysis> {
        if let Some(current) = &self.current {
            return Arc::clone(current);
        }
        let mut timer = Timings::start();
        self.parse_stale();
        timer.phase("parse and lower (changed files)");
        let stdlib = stdlib_units();
        let mut lowered = Vec::with_capacity(self.by_path.len() + stdlib.len());
        let mut lost_names = Vec::new();
        let mut diagnostics = Vec::new();
        let user = self
            .by_path
            .values()
            .filter_map(|id| self.units.get(id.0 as usize)?.as_deref());
        for unit in user.chain(stdlib) {
            lowered.push(unit.lowered.clone());
            lost_names.extend_from_slice(&unit.lost_names);
            diagnostics.extend_from_slice(&unit.diagnostics);
        }
        timer.phase("copy units");
        let settings = self.settings();
        let mut analysis = analysis::workspace_stages(
            &self.sources,
            &settings,
            analysis::Lowering {
                lowered,
                lost_names,
                diagnostics,
            },
            self.by_path.len(),
            self.threads,
            timer,
        );
        if !self.config_diagnostics.is_empty() {
            analysis
                .diagnostics
                .extend(self.config_diagnostics.iter().cloned());
            diag::sort(&mut analysis.diagnostics, &self.sources);
        }
        let analysis = Arc::new(analysis);
        self.current = Some(Arc::clone(&analysis));
        self.free_retired();
        analysis
    }

    /// Forgets the current analysis. It is kept until the next analysis is built, then freed:
    /// freeing hundreds of thousands of allocations on another thread *while* the next
    /// analysis allocates made both contend for the allocator (at 10k activities the flow
    /// stage took three times as long as in a cold analysis).
    fn retire(&mut self) {
        if let Some(old) = self.current.take() {
            // Two changes without an analysis between them: the first one retired it already.
            if self.retired.is_none() {
                self.retired = Some(old);
            }
        }
    }

    /// Frees the retired analysis on a thread of its own, so the caller (an editor waiting
    /// for diagnostics) does not wait for it; when that was not its last holder, nothing is
    /// freed.
    fn free_retired(&mut self) {
        if let Some(old) = self.retired.take()
            && let Some(old) = Arc::into_inner(old)
        {
            let freeing = std::thread::Builder::new().spawn(move || drop(old));
            // No thread to be had: it is freed here (`spawn` gave the closure back by dropping it).
            let _ = freeing;
        }
    }

    /// Parses and lowers the files set since the last analysis, in parallel.
    fn parse_stale(&mut self) {
        let mut stale = std::mem::take(&mut self.stale);
        stale.sort_unstable();
        stale.dedup();
        // A file set then removed before the analysis is not parsed.
        stale.retain(|id| {
            let file = self.sources.get(*id);
            self.by_path.get(&file.path) == Some(id)
        });
        let files: Vec<_> = stale.iter().map(|&id| (id, self.sources.get(id))).collect();
        let units = analysis::units(&files, self.threads, self.keep_trees);
        self.parses += units.len() as u64;
        let slots = self.sources.slots();
        if self.units.len() < slots {
            self.units.resize_with(slots, || None);
        }
        for (id, unit) in stale.into_iter().zip(units) {
            self.units[id.0 as usize] = unit.map(Arc::new);
        }
    }
}
