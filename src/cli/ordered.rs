//! Work on all cores, results in input order as soon as each one's turn
//! comes. Workers (this thread is one) take jobs in order from a shared
//! queue; the worker that finishes the job whose turn it is hands it on,
//! and every later result already waiting. Jobs are taken in order, so
//! only a few results wait at a time (those that finished before a slower
//! earlier one): a run over thousands of files holds a handful, not all.
//! No thread waits to be woken for each result, so there is no switching
//! between threads per file.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Results waiting for their turn, and what takes them.
struct Turn<T, F, E> {
    next: usize,
    waiting: BTreeMap<usize, T>,
    each: F,
    error: Option<E>,
}

/// Run `work` on every job, on up to `threads` threads, and call `each`
/// with the results in the order of `jobs` while later jobs are still
/// being worked on. When `each` returns an error, no new job starts and
/// the error is returned once the running ones end.
pub(crate) fn in_order<J, T, E>(
    jobs: Vec<J>,
    threads: usize,
    work: impl Fn(J) -> T + Sync,
    mut each: impl FnMut(T) -> Result<(), E> + Send,
) -> Result<(), E>
where
    J: Send,
    T: Send,
    E: Send,
{
    let threads = threads.min(jobs.len());
    if threads < 2 {
        // One job (most runs) or one core: starting a thread costs more
        // than it saves.
        for job in jobs {
            each(work(job))?;
        }
        return Ok(());
    }
    let queue = Mutex::new(jobs.into_iter().enumerate());
    let stop = AtomicBool::new(false);
    let turn = Mutex::new(Turn {
        next: 0,
        waiting: BTreeMap::new(),
        each,
        error: None,
    });
    let worker = || {
        while !stop.load(Ordering::Relaxed) {
            // A worker that panicked poisons a lock; the others stop, and
            // the scope passes the panic on.
            let Some((i, job)) = queue.lock().ok().and_then(|mut q| q.next()) else {
                break;
            };
            let result = work(job);
            let Ok(mut turn) = turn.lock() else { break };
            let turn = &mut *turn;
            turn.waiting.insert(i, result);
            while let Some(result) = turn.waiting.remove(&turn.next) {
                turn.next += 1;
                if let Err(e) = (turn.each)(result) {
                    turn.error = Some(e);
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(worker);
        }
        worker();
    });
    match turn.into_inner() {
        Ok(Turn { error: Some(e), .. }) => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn results_come_in_input_order_whatever_order_they_finish_in() {
        // Early jobs are the slowest, so later ones finish first.
        let jobs: Vec<u64> = (0..40).collect();
        for threads in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            let r: Result<(), ()> = in_order(
                jobs.clone(),
                threads,
                |j| {
                    std::thread::sleep(Duration::from_micros((40 - j) * 50));
                    j * 10
                },
                |t| {
                    seen.push(t);
                    Ok(())
                },
            );
            assert_eq!(r, Ok(()));
            assert_eq!(seen, (0..40).map(|j| j * 10).collect::<Vec<_>>());
        }
    }

    #[test]
    fn an_error_stops_new_jobs_and_is_returned() {
        let started = std::sync::atomic::AtomicUsize::new(0);
        let mut seen = Vec::new();
        let r = in_order(
            (0..10_000).collect(),
            2,
            |j: usize| {
                started.fetch_add(1, Ordering::Relaxed);
                j
            },
            |t| {
                seen.push(t);
                if t == 3 { Err("stop") } else { Ok(()) }
            },
        );
        assert_eq!(r, Err("stop"));
        assert_eq!(seen, [0, 1, 2, 3]);
        // Only the jobs already taken when the error came ran.
        assert!(started.load(Ordering::Relaxed) < 100);
    }

    #[test]
    fn no_jobs_is_no_calls() {
        let r: Result<(), ()> = in_order(Vec::<u8>::new(), 4, |j| j, |_| panic!("no job"));
        assert_eq!(r, Ok(()));
    }
}
