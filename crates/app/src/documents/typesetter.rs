//! Threads of their own, at the lowest CPU priority, for the typesetting of the background
//! document worker (issue 6; ADR 0004). A document made after a move is not the move's answer:
//! under load it takes only the CPU the requests leave idle (the scheduler gives a nice-19
//! thread about 1/70 of a busy core), and it catches up as soon as the load drops. Jobs run one
//! at a time, which bounds the typesetting's memory. Requests that wait for their document (a
//! licence notice, a re-rendering run) keep rendering on tokio's blocking pool.
//!
//! typst lays out pages and compresses PDF streams in parallel on a rayon pool. Rayon's global
//! pool takes its threads' priority from whichever thread first used it (a request thread), so
//! the typesetter runs each job inside a pool of its own whose threads are lowered too: without
//! it, about half the background typesetting ran at the requests' priority (measured in session
//! 8, docs/PERFORMANCE.md).

use std::panic::AssertUnwindSafe;
use std::sync::mpsc;

use crate::AppError;

/// The lowest priority (the highest nice value) Linux has.
const LOWEST_PRIORITY: i32 = 19;

type Work = Box<dyn FnOnce() + Send>;

/// The sending end of the typesetting thread; the thread and its pool end when this is dropped.
#[derive(Debug)]
pub(crate) struct Typesetter {
    work: mpsc::Sender<Work>,
}

impl Typesetter {
    /// Starts the thread that takes the jobs one at a time, and the pool they run in.
    pub(crate) fn start() -> std::io::Result<Typesetter> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("onewindow-typesetter-{i}"))
            .start_handler(|_| lower_priority())
            .build()
            .map_err(std::io::Error::other)?;
        let (work, queue) = mpsc::channel::<Work>();
        std::thread::Builder::new()
            .name("onewindow-typesetter".into())
            .spawn(move || {
                lower_priority();
                while let Ok(work) = queue.recv() {
                    // The job runs on one of the pool's threads (this one waits), and typst's
                    // parallel parts stay in the pool. A panicking job drops its answer (its
                    // caller gets an error); the thread stays for the next one.
                    pool.install(|| {
                        let _ = std::panic::catch_unwind(AssertUnwindSafe(work));
                    });
                }
            })?;
        Ok(Typesetter { work })
    }

    /// Runs `work` on the pool and waits for its result without blocking the runtime.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        self.work
            .send(Box::new(move || {
                let _ = answer.send(work());
            }))
            .map_err(|_| AppError::Unavailable("the typesetting thread has stopped".into()))?;
        answered
            .await
            .map_err(|_| AppError::Unavailable("document rendering stopped".into()))
    }
}

/// Lowers the calling thread to the lowest priority. On Linux the nice value belongs to the
/// thread (`who` = its thread id), not to the whole process, so the request threads keep theirs.
#[cfg(target_os = "linux")]
fn lower_priority() {
    // SAFETY: gettid(2) and setpriority(2) only read their arguments and touch no memory of
    // this program.
    let result = unsafe {
        let thread = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, LOWEST_PRIORITY)
    };
    if result != 0 {
        tracing::warn!(
            error = %std::io::Error::last_os_error(),
            "the typesetting thread keeps the normal priority"
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    fn nice_of_this_thread() -> i32 {
        // SAFETY: as in lower_priority; errno is cleared first because -1 is also a value.
        unsafe {
            *libc::__errno_location() = 0;
            libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t)
        }
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn work_runs_at_the_lowest_priority_and_the_caller_keeps_its_own() {
        let typesetter = Typesetter::start().unwrap();
        let before = nice_of_this_thread();
        let nice = typesetter.run(nice_of_this_thread).await.unwrap();
        assert_eq!(nice, LOWEST_PRIORITY);
        assert_eq!(
            nice_of_this_thread(),
            before,
            "the caller's thread is untouched"
        );
    }

    /// typst's parallel layout and compression (rayon) must not escape to threads of the
    /// requests' priority, even when a request thread started rayon's global pool first.
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn parallel_parts_of_a_job_run_at_the_lowest_priority_too() {
        use rayon::prelude::*;
        let global =
            tokio::task::spawn_blocking(|| rayon::join(nice_of_this_thread, nice_of_this_thread))
                .await
                .unwrap();
        assert_ne!(
            global.0, LOWEST_PRIORITY,
            "the global pool keeps its priority"
        );
        let typesetter = Typesetter::start().unwrap();
        let nices: Vec<i32> = typesetter
            .run(|| {
                (0..64)
                    .into_par_iter()
                    .map(|_| {
                        std::thread::sleep(std::time::Duration::from_millis(1));
                        nice_of_this_thread()
                    })
                    .collect()
            })
            .await
            .unwrap();
        assert_eq!(nices.len(), 64);
        assert!(
            nices.iter().all(|&n| n == LOWEST_PRIORITY),
            "every part at the lowest priority: {nices:?}"
        );
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_error_and_the_thread_goes_on() {
        let typesetter = Typesetter::start().unwrap();
        let failed = typesetter.run(|| -> u32 { panic!("a template bug") }).await;
        assert!(
            matches!(failed, Err(AppError::Unavailable(_))),
            "{failed:?}"
        );
        assert_eq!(typesetter.run(|| 6 * 7).await.unwrap(), 42);
    }
}
