//! Files made durable together (issue 6), as the case writer does for commits: one thread of
//! the store's takes the files of every request waiting at that moment and stores them in
//! stages: every temporary file written, then every one synced, renamed, and every folder
//! synced. Each file and folder is still synced before its request is answered; what the
//! stages save is that the file system commits its journal once for the batch, which the
//! first sync of each stage starts and the others find done, instead of once or twice per file
//! as each request's syncs came at their own moment. A file that fails fails only the requests
//! that gave it.

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
                Ok(failed) => match request.files.iter().find_map(|f| failed.get(&f.path)) {
                    Some(message) => Err(StoreError::Database(message.clone())),
                    None => Ok(()),
                },
                Err(message) => Err(StoreError::Database(message.clone())),
            };
            let _ = request.answer.send(outcome);
        }
    }
}

/// A file on its way: its temporary name and open handle until renamed.
struct Pending<'a> {
    wanted: &'a Wanted,
    dir: &'a Path,
    temp: PathBuf,
    file: Option<File>,
}

/// Stores every file not there already; answers the failures, by path, with their messages.
fn store_together(root: &Path, wanted: &[&Wanted]) -> BTreeMap<PathBuf, String> {
    let mut failed = BTreeMap::new();
    let mut fail = |path: &Path, what: &Path, e: std::io::Error| {
        failed.insert(
            path.to_owned(),
            format!("file store {}: {e}", what.display()),
        );
    };
    // A file given twice (two applicants uploading one standard form) is written once.
    let unique: BTreeMap<&Path, &Wanted> = wanted.iter().map(|w| (w.path.as_path(), *w)).collect();
    let mut new_dirs = BTreeSet::new();
    let mut pending = Vec::new();
    for (path, wanted) in unique {
        match path.try_exists() {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => {
                fail(path, path, e);
                continue;
            }
        }
        let dir = path.parent().unwrap_or(root);
        if !dir.exists() {
            new_dirs.insert(dir);
        }
        if let Err(e) = std::fs::create_dir_all(dir) {
            fail(path, dir, e);
            continue;
        }
        let temp = dir.join(temporary_name(&wanted.hash));
        let written = File::create(&temp).and_then(|mut file| {
            file.write_all(&wanted.bytes)?;
            Ok(file)
        });
        match written {
            Ok(file) => pending.push(Pending {
                wanted,
                dir,
                temp,
                file: Some(file),
            }),
            Err(e) => {
                let _ = std::fs::remove_file(&temp);
                fail(path, &temp, e);
            }
        }
    }
    // The data reaches the disk before any name points to it. The syncs overlap: each waits
    // for the disk, and the first ones carry the journal for the rest.
    let synced = in_parallel(&mut pending, |p| {
        let synced = p.file.take().map_or(Ok(()), |file| file.sync_all());
        synced.and_then(|()| std::fs::rename(&p.temp, &p.wanted.path))
    });
    let mut renamed = Vec::with_capacity(pending.len());
    for (p, outcome) in pending.into_iter().zip(synced) {
        match outcome {
            Ok(()) => renamed.push(p),
            Err(e) => {
                let _ = std::fs::remove_file(&p.temp);
                fail(&p.wanted.path, &p.temp, e);
            }
        }
    }
    // Then the names themselves: each folder once, and the root once if it got a folder.
    let mut dirs: Vec<&Path> = renamed
        .iter()
        .map(|p| p.dir)
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
    if !new_dirs.is_empty()
        && let Err(e) = sync_dir(root)
    {
        for dir in &new_dirs {
            unsynced.entry(dir).or_insert_with(|| e.to_string());
        }
    }
    for p in &renamed {
        if let Some(message) = unsynced.get(p.dir) {
            failed.insert(p.wanted.path.clone(), message.clone());
        }
    }
    failed
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
