//! "Did you mean": the closest candidate by edit distance, when it is close enough to help.
//!
//! Cost: a comparison is skipped outright when the lengths differ by more than the limit, and
//! otherwise runs a banded edit distance (only cells within `limit` of the diagonal) that stops
//! as soon as a row exceeds the limit, or the best distance found so far. So one comparison is
//! O(len · limit), limit ≤ 3. A whole run shares a [`Budget`] of such work: thousands of unknown
//! names against thousands of declared ones stay bounded (suggestions are simply left out once
//! the budget is spent, which no hand-written workspace comes near).

/// Work (comparisons plus edit-distance cells) that one run may spend on suggestions.
#[derive(Debug)]
pub struct Budget {
    left: u64,
}

impl Budget {
    /// Enough for hundreds of unknown names against thousands of candidates; a few tenths of a
    /// second at most, even in a debug build.
    pub const PER_RUN: u64 = 20_000_000;

    pub fn per_run() -> Budget {
        Budget {
            left: Self::PER_RUN,
        }
    }

    pub fn new(units: u64) -> Budget {
        Budget { left: units }
    }

    /// Spends `units`; false once the budget is exhausted.
    fn spend(&mut self, units: u64) -> bool {
        match self.left.checked_sub(units) {
            Some(left) => {
                self.left = left;
                true
            }
            None => {
                self.left = 0;
                false
            }
        }
    }

    pub fn exhausted(&self) -> bool {
        self.left == 0
    }
}

/// The most edits a suggestion for `word` may be away: a third of its length, 1 to 3.
pub fn limit_for(word: &str) -> usize {
    (word.chars().count() / 3).clamp(1, 3)
}

/// The candidate nearest to `word`, if within a third of its length (at least 1, at most 3 edits).
/// For small, fixed candidate lists (keys, keywords): the work per call is bounded by the list.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest_within(word, candidates, &mut Budget::new(u64::MAX))
}

/// [`closest`], spending from `budget`; `None` when the budget runs out before the answer is known.
pub fn closest_within<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    budget: &mut Budget,
) -> Option<&'a str> {
    closest_with_distance(word, candidates, budget).map(|(_, candidate)| candidate)
}

/// The nearest candidate and its distance (0 for a case slip).
pub fn closest_with_distance<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    budget: &mut Budget,
) -> Option<(usize, &'a str)> {
    let word_lower: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
    let limit = limit_for(word);
    let mut best: Option<(usize, &'a str)> = None;
    let mut scratch = Scratch::default();
    let mut lowered: Vec<char> = Vec::new();
    for candidate in candidates {
        if !budget.spend(1) {
            return None;
        }
        if candidate == word {
            continue;
        }
        let bound = best.map_or(limit, |(d, _)| d);
        lowered.clear();
        lowered.extend(candidate.chars().flat_map(char::to_lowercase));
        if lowered.len().abs_diff(word_lower.len()) > bound {
            continue;
        }
        let distance = if lowered == word_lower {
            // A case slip is the cheapest mistake of all.
            Some(0)
        } else {
            let cells = (lowered.len().min(word_lower.len()) as u64 + 1) * (2 * bound as u64 + 1);
            if !budget.spend(cells) {
                return None;
            }
            distance_within(&word_lower, &lowered, bound, &mut scratch)
        };
        if let Some(distance) = distance
            && best.is_none_or(|(d, c)| (distance, candidate) < (d, c))
        {
            best = Some((distance, candidate));
        }
    }
    best
}

#[derive(Default)]
struct Scratch {
    before_previous: Vec<usize>,
    previous: Vec<usize>,
    current: Vec<usize>,
}

/// Edit distance where swapping two neighbouring letters counts as one edit (optimal string
/// alignment: `emial` is one slip away from `email`), when it is at most `limit`. Only the cells
/// within `limit` of the diagonal are computed, and a row whose every cell exceeds the limit ends
/// the computation.
fn distance_within(a: &[char], b: &[char], limit: usize, s: &mut Scratch) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > limit {
        return None;
    }
    let out = limit + 1;
    for row in [&mut s.before_previous, &mut s.previous, &mut s.current] {
        row.clear();
        row.resize(m + 1, out);
    }
    for (j, cell) in s.previous.iter_mut().enumerate().take(limit.min(m) + 1) {
        *cell = j;
    }
    for i in 1..=n {
        let lo = i.saturating_sub(limit).max(1);
        let hi = (i + limit).min(m);
        s.current[lo - 1] = if lo == 1 { i.min(out) } else { out };
        if hi < m {
            s.current[hi + 1] = out;
        }
        let mut row_min = s.current[lo - 1];
        for j in lo..=hi {
            let substitution = s.previous[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let mut best = substitution
                .min(s.previous[j] + 1)
                .min(s.current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(s.before_previous[j - 2] + 1);
            }
            let best = best.min(out);
            s.current[j] = best;
            row_min = row_min.min(best);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut s.before_previous, &mut s.previous);
        std::mem::swap(&mut s.previous, &mut s.current);
    }
    let distance = s.previous[m];
    (distance <= limit).then_some(distance)
}

/// The exact fix for a value written almost right, from the text around a syntax error at
/// `offset`: `6weeks` → `6 weeks`, `2026-11-27 08:15` → `2026-11-27T08:15`. Looks at most a few
/// dozen bytes either side, so it costs the same on any line.
pub fn value_fix(text: &str, offset: usize) -> Option<String> {
    value_edit(text, offset).map(|edit| edit.help)
}

/// A value written almost right, found where a syntax error stopped: the bytes to replace,
/// their replacement, and the help that says so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueEdit {
    pub range: std::ops::Range<usize>,
    pub text: String,
    pub help: String,
}

/// [`value_fix`] as an edit: `6weeks` → `6 weeks` (the range is the glued token),
/// `2026-11-27 08:15` → `2026-11-27T08:15` (the range is the date, the space and the time).
pub fn value_edit(text: &str, offset: usize) -> Option<ValueEdit> {
    let floor = |i: usize| {
        (0..=i.min(text.len()))
            .rev()
            .find(|i| text.is_char_boundary(*i))
            .unwrap_or(0)
    };
    let ceil = |i: usize| {
        (i.min(text.len())..=text.len())
            .find(|i| text.is_char_boundary(*i))
            .unwrap_or(text.len())
    };
    let offset = floor(offset);
    let after = &text[offset..ceil(offset + 40)];
    let token: &str = after
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .next()
        .unwrap_or("");
    // A number glued to its unit.
    let digits = token.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        let unit = &token[digits..];
        if crate::time::Unit::parse(unit).is_some() {
            let count = &token[..digits];
            return Some(ValueEdit {
                range: offset..offset + token.len(),
                text: format!("{count} {unit}"),
                help: format!("put a space between the number and the unit: `{count} {unit}`"),
            });
        }
    }
    // A date and a time written apart: `2026-11-27 08:15`, the error at the `:`.
    let from = floor(offset.saturating_sub(13));
    let before = &text[from..offset];
    if after.starts_with(':') && before.len() == 13 && before.is_ascii() {
        let (date, hour) = (&before[..10], &before[11..]);
        let is_date = date.len() == 10
            && date.char_indices().all(|(i, c)| match i {
                4 | 7 => c == '-',
                _ => c.is_ascii_digit(),
            });
        if is_date && before.as_bytes()[10] == b' ' && hour.chars().all(|c| c.is_ascii_digit()) {
            let rest: String = after
                .chars()
                .take_while(|c| c.is_ascii_digit() || matches!(c, ':' | '+' | '-' | 'Z'))
                .collect();
            return Some(ValueEdit {
                range: from..offset + rest.len(),
                text: format!("{date}T{hour}{rest}"),
                help: format!(
                    "write the date and the time as one value, joined by `T`: `{date}T{hour}{rest}`"
                ),
            });
        }
    }
    None
}

/// Words people write as a declaration's kind, with the kind they mean and the statement that
/// says the rest: `processor mailco { … }` is `party mailco { role processor … }`. None of them is
/// a declaration kind or a statement key.
const WRONG_KINDS: &[(&str, &str, Option<&str>)] = &[
    ("processor", "party", Some("role processor")),
    ("processors", "party", Some("role processor")),
    ("subprocessor", "party", Some("role processor")),
    ("sub-processor", "party", Some("role processor")),
    ("verwerker", "party", Some("role processor")),
    ("subverwerker", "party", Some("role processor")),
    ("vendor", "party", Some("role processor")),
    ("supplier", "party", Some("role processor")),
    ("leverancier", "party", Some("role processor")),
    ("joint-controller", "party", Some("role joint-controller")),
    ("ontvanger", "party", Some("role processor")),
    ("third-party", "party", Some("role controller")),
    ("derde", "party", Some("role controller")),
    ("organisation", "party", None),
    ("organization", "party", None),
    ("organisatie", "party", None),
    ("company", "party", None),
    ("bedrijf", "party", None),
    ("verwerkingsverantwoordelijke", "controller", None),
    ("processing", "activity", None),
    ("processing-activity", "activity", None),
    ("process", "activity", None),
    ("verwerking", "activity", None),
    ("verwerkingsactiviteit", "activity", None),
    ("subject", "subjects", None),
    ("data-subjects", "subjects", None),
    ("betrokkenen", "subjects", None),
    ("category", "data", None),
    ("data-category", "data", None),
    ("gegevens", "data", None),
    ("doel", "purpose", None),
    ("application", "system", None),
    ("applicatie", "system", None),
    ("app", "system", None),
    ("database", "system", None),
    ("service", "system", None),
    ("systeem", "system", None),
    ("land", "country", None),
    ("incident", "breach", None),
    ("datalek", "breach", None),
    ("data-breach", "breach", None),
];

/// Whether `word` is one people write for a declaration kind (see [`declaration_fix`]).
pub fn is_wrong_kind(word: &str) -> bool {
    let word = word.to_lowercase();
    WRONG_KINDS.iter().any(|(wrong, _, _)| *wrong == word)
}

/// What to write instead of a declaration with a wrong kind, from the text at the kind:
/// `processor mailco {` → "write `party mailco { role processor … }`".
pub fn declaration_fix(at: &str) -> Option<String> {
    // Lazily: two words, whatever the length of the line.
    let mut words = at.split_whitespace();
    let written = words.next()?.to_lowercase();
    let (_, kind, statement) = WRONG_KINDS.iter().find(|(wrong, _, _)| *wrong == written)?;
    let name = words
        .next()
        .filter(|name| {
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .unwrap_or("NAME");
    let body = statement.map_or("…".to_string(), |statement| format!("{statement} …"));
    Some(format!(
        "`{written}` is not a kind of declaration: write `{kind} {name} {{ {body} }}`"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The full optimal-string-alignment distance, as a reference for the banded one.
    fn reference(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let mut best = (d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]))
                    .min(d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn suggests_near_misses_only() {
        let keys = ["purpose", "basis", "retention", "recipient"];
        assert_eq!(closest("purpse", keys), Some("purpose"));
        assert_eq!(closest("retension", keys), Some("retention"));
        assert_eq!(closest("colour", keys), None);
        assert_eq!(closest("Basis", keys), Some("basis"));
        assert_eq!(closest("emial", ["email", "name"]), Some("email"));
    }

    #[test]
    fn values_written_almost_right_get_the_exact_fix() {
        let at = |text: &str, token: &str| value_fix(text, text.find(token).unwrap_or(0));
        assert_eq!(
            at("  retention 6weeks\n", "6weeks").as_deref(),
            Some("put a space between the number and the unit: `6 weeks`")
        );
        assert_eq!(
            at("  discovered 2026-11-27 08:15\n", ":").as_deref(),
            Some("write the date and the time as one value, joined by `T`: `2026-11-27T08:15`")
        );
        assert_eq!(
            at("  discovered 2026-11-27 08:15+01:00\n", ":").as_deref(),
            Some(
                "write the date and the time as one value, joined by `T`: `2026-11-27T08:15+01:00`"
            )
        );
        assert_eq!(at("  retention 6 wekes\n", "wekes"), None);
        assert_eq!(at("é:", ":"), None);
    }

    #[test]
    fn a_wrong_declaration_kind_says_what_to_write() {
        assert_eq!(
            declaration_fix("processor mailco \"MailCo\" {\n  country US\n}").as_deref(),
            Some(
                "`processor` is not a kind of declaration: write `party mailco { role processor … }`"
            )
        );
        assert_eq!(
            declaration_fix("verwerking salarissen {").as_deref(),
            Some("`verwerking` is not a kind of declaration: write `activity salarissen { … }`")
        );
        assert_eq!(declaration_fix("activty a {"), None);
    }

    #[test]
    fn ties_break_alphabetically_for_determinism() {
        assert_eq!(closest("ab", ["ac", "aa"]), Some("aa"));
    }

    #[test]
    fn the_banded_distance_agrees_with_the_full_one() {
        // Every pair of words over a small alphabet up to length 5, every limit.
        let mut words = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = words
                .iter()
                .filter(|w| w.len() == words.last().map_or(0, |l| l.len()))
                .flat_map(|w| ["a", "b", "c"].map(|c| format!("{w}{c}")))
                .collect();
            words.extend(longer);
        }
        let sample: Vec<&String> = words.iter().step_by(3).collect();
        let mut scratch = Scratch::default();
        for a in &sample {
            for b in &sample {
                let a_chars: Vec<char> = a.chars().collect();
                let b_chars: Vec<char> = b.chars().collect();
                let full = reference(a, b);
                for limit in 1..=3 {
                    let banded = distance_within(&a_chars, &b_chars, limit, &mut scratch);
                    let expected = (full <= limit).then_some(full);
                    assert_eq!(banded, expected, "{a:?} {b:?} limit {limit}");
                }
            }
        }
    }

    #[test]
    fn thousands_of_words_against_thousands_of_names_stay_bounded() {
        // 8,000 unknown names against 8,000 declared ones of the same length: 64 million
        // comparisons unbounded (minutes in a debug build); the run's budget caps the work.
        let names: Vec<String> = (0..8_000).map(|i| format!("party-{i:05}")).collect();
        let mut budget = Budget::per_run();
        let mut answered = 0;
        for i in 0..8_000 {
            let word = format!("ytrap-{i:05}");
            if closest_within(&word, names.iter().map(String::as_str), &mut budget).is_some() {
                answered += 1;
            }
        }
        assert!(budget.exhausted());
        assert_eq!(answered, 0);
        // The first suggestions of a run are exact, as without a budget.
        let mut budget = Budget::per_run();
        assert_eq!(
            closest_within("party-0001", names.iter().map(String::as_str), &mut budget),
            Some("party-00001")
        );
    }
}
