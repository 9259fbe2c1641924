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
    let threads = threads.clamp(1, 8);
    if threads < 2 || items.len() < min.max(2) {
        return items.iter().enumerate().map(|(i, t)| f(i, t)).collect();
    }
    let run = items.len().div_ceil(threads);
    let work = |start: usize| -> Vec<R> {
        let end = (start + run).min(items.len());
        (start..end).map(|i| f(i, &items[i])).collect()
    };
    let starts: Vec<usize> = (0..items.len()).step_by(run).collect();
    std::thread::scope(|scope| {
        let (last, others) = match starts.split_last() {
            Some((last, others)) => (*last, others),
            None => return Vec::new(),
        };
        let handles: Vec<_> = others
            .iter()
            .map(|&start| {
                std::thread::Builder::new()
                    .stack_size(crate::analysis::STACK_BYTES)
                    .spawn_scoped(scope, move || work(start))
                    .map_err(|_| start)
            })
            .collect();
        let mine = work(last);
        let mut all = Vec::with_capacity(items.len());
        for handle in handles {
            match handle {
                Ok(handle) => match handle.join() {
                    Ok(part) => all.extend(part),
                    Err(payload) => std::panic::resume_unwind(payload),
                },
                Err(start) => all.extend(work(start)),
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
    }

    #[test]
    fn join_returns_both_results_in_place() {
        assert_eq!(join(2, MIN_WORK, || 1, || "b"), (1, "b"));
        assert_eq!(join(1, MIN_WORK, || vec![1], || 2), (vec![1], 2));
    }
}
