//! Work shared between threads, with results put together in a fixed order: the output is the
//! same for any thread count.

/// Below this many activities, everything stays on the calling thread: starting a thread
/// costs more than it saves, and editors and fuzzers analyse small workspaces thousands of
/// times.
pub(crate) const MIN_WORK: usize = 2_000;

/// Runs `a` and `b` and returns both results: `a` on a thread of its own and `b` on this one
/// when `threads > 1` and `work` (a count of activities) is at least [`MIN_WORK`], else one
/// after the other. `a` is `Fn`, not `FnOnce`, so that it can still run here when no thread
/// can be started.
pub(crate) fn join<A: Send, B>(
    threads: usize,
    work: usize,
    a: impl Fn() -> A + Sync,
    b: impl FnOnce() -> B,
) -> (A, B) {
    if threads < 2 || work < MIN_WORK {
        return (a(), b());
    }
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .stack_size(crate::analysis::STACK_BYTES)
            .spawn_scoped(scope, &a);
        let b = b();
        let a = match spawned {
            Ok(handle) => match handle.join() {
                Ok(a) => a,
                // A panic on the other thread is a bug; it is raised here as it would have
                // been on one thread.
                Err(payload) => std::panic::resume_unwind(payload),
            },
            Err(_) => a(),
        };
        (a, b)
    })
}

/// `items.iter().map(f).collect()`, the items cut into `threads` contiguous runs done at once
/// (the last on this thread) when there are at least `min` of them.
pub fn map<T: Sync, R: Send>(
    threads: usize,
    min: usize,
    items: &[T],
    f: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    map_weighted(threads, min.max(2), items, |_| 1, f)
}

/// [`map`] with runs of about equal total `weight` instead of equal counts (files by their
/// bytes), shared only when the items weigh at least `min` in all.
pub fn map_weighted<T: Sync, R: Send>(
    threads: usize,
    min: usize,
    items: &[T],
    weight: impl Fn(&T) -> usize,
    f: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.clamp(1, 8).min(items.len().max(1));
    let total: usize = items.iter().map(&weight).sum();
    if threads < 2 || total < min {
        return items.iter().enumerate().map(|(i, t)| f(i, t)).collect();
    }
    // Contiguous runs of about `share` each, as many as threads.
    let share = total.div_ceil(threads);
    let mut runs: Vec<std::ops::Range<usize>> = Vec::with_capacity(threads);
    let (mut start, mut weighed) = (0, 0);
    for (i, item) in items.iter().enumerate() {
        weighed += weight(item);
        if weighed >= share && runs.len() + 1 < threads {
            runs.push(start..i + 1);
            (start, weighed) = (i + 1, 0);
        }
    }
    runs.push(start..items.len());
    let work = |run: std::ops::Range<usize>| -> Vec<R> { run.map(|i| f(i, &items[i])).collect() };
    std::thread::scope(|scope| {
        // The last run is done on this thread: one thread (and one allocator arena) fewer.
        let last = runs.pop().unwrap_or_default();
        let handles: Vec<_> = runs
            .into_iter()
            .map(|run| {
                std::thread::Builder::new()
                    .stack_size(crate::analysis::STACK_BYTES)
                    .spawn_scoped(scope, {
                        let run = run.clone();
                        move || work(run)
                    })
                    .map_err(|_| run)
            })
            .collect();
        let mine = work(last);
        let mut all = Vec::with_capacity(items.len());
        for handle in handles {
            match handle {
                Ok(handle) => match handle.join() {
                    Ok(part) => all.extend(part),
                    // A panic on another thread is a bug; it is raised here as it would have
                    // been on one thread.
                    Err(payload) => std::panic::resume_unwind(payload),
                },
                // No thread to be had: the run is done here.
                Err(run) => all.extend(work(run)),
            }
        }
        all.extend(mine);
        all
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_keeps_the_order_for_any_thread_count() {
        let items: Vec<usize> = (0..MIN_WORK * 3 + 7).collect();
        let one = map(1, MIN_WORK, &items, |i, x| (i, x * 2));
        for threads in [2, 3, 8] {
            assert_eq!(map(threads, MIN_WORK, &items, |i, x| (i, x * 2)), one);
        }
        assert_eq!(one[MIN_WORK + 1], (MIN_WORK + 1, (MIN_WORK + 1) * 2));
        assert!(map(2, 0, &[] as &[usize], |_, x| *x).is_empty());
        assert_eq!(map(2, 0, &[5usize], |i, x| (i, *x)), [(0, 5)]);
        // Uneven weights: still every item once, in order.
        let weighted = map_weighted(2, 0, &items, |x| x % 97, |i, x| (i, x * 2));
        assert_eq!(weighted, one);
    }

    #[test]
    fn join_returns_both_results_in_place() {
        assert_eq!(join(2, MIN_WORK, || 1, || "b"), (1, "b"));
        assert_eq!(join(1, MIN_WORK, || vec![1], || 2), (vec![1], 2));
    }
}
