//! "Did you mean": the closest candidate by edit distance, when it is close enough to help.

/// The candidate nearest to `word`, if within a third of its length (at least 1, at most 3 edits).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).clamp(1, 3);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let distance = if candidate.to_lowercase() == word_lower {
            // A case slip is the cheapest mistake of all.
            0
        } else {
            levenshtein(&word_lower, &candidate.to_lowercase())
        };
        if distance <= limit && best.is_none_or(|(d, c)| (distance, candidate) < (d, c)) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Edit distance where swapping two neighbouring letters counts as one edit
/// (optimal string alignment): `emial` is one slip away from `email`.
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before_previous = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 0..a.len() {
        current[0] = i + 1;
        for j in 0..b.len() {
            let substitution = previous[j] + usize::from(a[i] != b[j]);
            let mut best = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                best = best.min(before_previous[j - 1] + 1);
            }
            current[j + 1] = best;
        }
        std::mem::swap(&mut before_previous, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn ties_break_alphabetically_for_determinism() {
        assert_eq!(closest("ab", ["ac", "aa"]), Some("aa"));
    }
}
