//! What a run needs besides the sources. A module of its own so the rules and the facts
//! stage can read it without depending on the pipeline (`analysis`) that calls them.

use crate::config::Config;
use crate::time::Date;

/// What a run needs besides the sources.
#[derive(Clone, Debug)]
pub struct Settings {
    pub config: Config,
    /// The date time-dependent rules use (`--today`, else `lawful.toml`, else the clock).
    pub today: Date,
}
