//! Files made durable together (issue 6), as the case writer does for commits: one thread of
//! the store's takes the files of every request waiting at that moment and stores them in
//! stages, each on up to 16 threads at once: every file written to a temporary name, then every
//! one synced and renamed, then every folder they went into synced once. Each file and folder
//! is still synced before its request is answered; what the batch saves is a folder sync per
//! file and most of the file system's journal commits (the first syncs of a stage carry the
//! rest), instead of each request's syncs coming at their own moment. A file that fails fails
//! only the requests that gave it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use onewindow_store::{ContentHash, StoreError};
use tokio::sync::oneshot;

use crate::{sync_dir, temporary_name};

/// Most requests one batch takes (a batch waits for nothing: it is what is already queued).
const MAX_REQUESTS: usize = 256;

/// A file to store under its content hash.
pub(crate) struct Wanted {
    pub path: PathBuf,
    pub hash: ContentHash,
    pub bytes: Vec<u8>,
}

/// One request's files and where its answer goes.
struct Request {
    files: Vec<Wanted>,
    answer: oneshot::Sender<Result<(), StoreError>>,
}

/// The sending end of the thread; the thread ends when every clone is dropped.
pub(crate) struct Together {
    requests: mpsc::Sender<Request>,
}

impl Together {
    /// Starts the thread that stores under `root`.
    pub(crate) fn start(root: PathBuf) -> std::io::Result<Together> {
        let (requests, queue) = mpsc::channel();
        std::thread::Builder::new()
            .name("onewindow-files".into())
            .spawn(move || run(&root, &queue))?;
        Ok(Together { requests })
    }

    /// Stores `files` with whatever else is waiting; answers once all of them are durable.
    pub(crate) async fn store(&self, files: Vec<Wanted>) -> Result<(), StoreError> {
        let (answer, answered) = oneshot::channel();
        self.requests
            .send(Request { files, answer })
            .map_err(|_| stopped())?;
        answered.await.map_err(|_| stopped())?
    }
}

fn stopped() -> StoreError {
    StoreError::Database("file store: the writing thread has stopped".into())
}

fn run(root: &Path, queue: &mpsc::Receiver<Request>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_REQUESTS {
            match queue.try_recv() {
                Ok(request) => batch.push(request),
                Err(_) => break,
            }
        }
        let wanted: Vec<&Wanted> = batch.iter().flat_map(|r| &r.files).collect();
        // A bug in a batch fails its requests, not the thread the next ones need.
        let failed = std::panic::catch_unwind(AssertUnwindSafe(|| store_together(root, &wanted)))
            .map_err(|_| "file store: storing the files failed unexpectedly".to_owned());
        for request in batch {
            let outcome = match &failed {
                Ok(failed) => outcome(failed, &request.files),
                Err(message) => Err(StoreError::Database(message.clone())),
            };
            let _ = request.answer.send(outcome);
        }
    }
}

/// Stores `files` on the calling thread, as one batch of its own (when the store's thread
/// could not be started).
pub(crate) fn store_alone(root: &Path, files: &[Wanted]) -> Result<(), StoreError> {
    let wanted: Vec<&Wanted> = files.iter().collect();
    outcome(&store_together(root, &wanted), files)
}

/// A request's answer: the first of its files that failed, else done.
fn outcome(failed: &BTreeMap<PathBuf, String>, files: &[Wanted]) -> Result<(), StoreError> {
    match files.iter().find_map(|f| failed.get(&f.path)) {
        Some(message) => Err(StoreError::Database(message.clone())),
        None => Ok(()),
    }
}

/// A file written under its name by this batch: its folder's entry is still to be synced.
struct Named<'a> {
    path: &'a Path,
    dir: &'a Path,
    /// Its folder was made for it: the root's entry is to be synced too.
    new_dir: bool,
}

/// Stores every file not there already; answers the failures, by path, with their messages.
fn store_together(root: &Path, wanted: &[&Wanted]) -> BTreeMap<PathBuf, String> {
    // A file given twice (two applicants uploading one standard form) is written once.
    let unique: BTreeMap<&Path, &Wanted> = wanted.iter().map(|w| (w.path.as_path(), *w)).collect();
    let mut files: Vec<&Wanted> = unique.into_values().collect();
    let mut failed = BTreeMap::new();
    // Every file written first, then every one synced and renamed: the first syncs carry the
    // journal (and the data) of all of them, so the others find little left to do.
    let mut written = Vec::new();
    for outcome in in_parallel(&mut files, |wanted| write_temporary(root, wanted)) {
        match outcome {
            Ok(Some(file)) => written.push(file),
            Ok(None) => {}
            Err((path, message)) => {
                failed.insert(path.to_owned(), message);
            }
        }
    }
    let mut named = Vec::new();
    for outcome in in_parallel(&mut written, |file| file.sync_and_rename()) {
        match outcome {
            Ok(file) => named.push(file),
            Err((path, message)) => {
                failed.insert(path.to_owned(), message);
            }
        }
    }
    // Then the names: each folder once, and the root once if it got a folder.
    let mut dirs: Vec<&Path> = named
        .iter()
        .map(|n| n.dir)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let dir_syncs = in_parallel(&mut dirs, |dir| sync_dir(dir));
    let mut unsynced: BTreeMap<&Path, String> = BTreeMap::new();
    for (dir, outcome) in dirs.iter().zip(dir_syncs) {
        if let Err(e) = outcome {
            unsynced.insert(dir, e.to_string());
        }
    }
    if named.iter().any(|n| n.new_dir)
        && let Err(e) = sync_dir(root)
    {
        for n in named.iter().filter(|n| n.new_dir) {
            unsynced.entry(n.dir).or_insert_with(|| e.to_string());
        }
    }
    for n in &named {
        if let Some(message) = unsynced.get(n.dir) {
            failed.insert(n.path.to_owned(), message.clone());
        }
    }
    failed
}

/// A file written to its temporary name, not yet synced.
struct Written<'a> {
    named: Named<'a>,
    temp: PathBuf,
    file: Option<File>,
}

type Failure<'a> = (&'a Path, String);

fn failure<'a>(path: &'a Path, what: &Path, e: std::io::Error) -> Failure<'a> {
    (path, format!("file store {}: {e}", what.display()))
}

/// Writes one file to a temporary name in its folder; `None` when it is there already.
fn write_temporary<'a>(
    root: &'a Path,
    wanted: &'a Wanted,
) -> Result<Option<Written<'a>>, Failure<'a>> {
    let path = wanted.path.as_path();
    if path.try_exists().map_err(|e| failure(path, path, e))? {
        return Ok(None);
    }
    let dir = path.parent().unwrap_or(root);
    let new_dir = !dir.exists();
    std::fs::create_dir_all(dir).map_err(|e| failure(path, dir, e))?;
    let temp = dir.join(temporary_name(&wanted.hash));
    let written = File::create(&temp).and_then(|mut file| {
        file.write_all(&wanted.bytes)?;
        Ok(file)
    });
    match written {
        Ok(file) => Ok(Some(Written {
            named: Named { path, dir, new_dir },
            temp,
            file: Some(file),
        })),
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(failure(path, &temp, e))
        }
    }
}

impl<'a> Written<'a> {
    /// Syncs the file and renames it into place; a failure leaves no temporary file behind.
    fn sync_and_rename(&mut self) -> Result<Named<'a>, Failure<'a>> {
        let path = self.named.path;
        let synced = self.file.take().map_or(Ok(()), |file| file.sync_all());
        match synced.and_then(|()| std::fs::rename(&self.temp, path)) {
            Ok(()) => Ok(Named { ..self.named }),
            Err(e) => {
                let _ = std::fs::remove_file(&self.temp);
                Err(failure(path, &self.temp, e))
            }
        }
    }
}

/// Most threads one stage of a batch uses: enough that the disk always has syncs to overlap.
const MAX_THREADS: usize = 16;

/// `work` on every item, spread over up to [`MAX_THREADS`] threads; the outcomes in order.
fn in_parallel<T: Send, R: Send>(items: &mut [T], work: impl Fn(&mut T) -> R + Sync) -> Vec<R> {
    if items.len() <= 1 {
        return items.iter_mut().map(&work).collect();
    }
    let per_thread = items.len().div_ceil(MAX_THREADS);
    std::thread::scope(|scope| {
        let running: Vec<_> = items
            .chunks_mut(per_thread)
            .map(|chunk| {
                let work = &work;
                scope.spawn(move || chunk.iter_mut().map(work).collect::<Vec<R>>())
            })
            .collect();
        running
            .into_iter()
            .flat_map(|thread| {
                // A panicking file operation is a bug: it fails the batch (`run`).
                thread
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e))
            })
            .collect()
    })
}
