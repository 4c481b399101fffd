//! Content-addressed files in a local folder (the default; an S3-compatible store can implement
//! the same `FileStore` port for a cluster). `<root>/ab/cdef…` holds the file whose SHA-256 is
//! `abcdef…`; a file is written to a temporary name, flushed and renamed, so a crash never leaves
//! half a file under a real name. The files of concurrent requests are made durable together by
//! one thread (`together.rs`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use onewindow_store::{ContentHash, FileStore, StoreError};
use sha2::{Digest, Sha256};

mod together;

use together::{Together, Wanted};

pub struct LocalFiles {
    root: PathBuf,
    /// The thread that makes files durable together (`together.rs`); `None` if it could not
    /// be started, and then each request stores its own files the same way.
    together: Option<Together>,
}

impl LocalFiles {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        let together = Together::start(root.clone()).ok();
        Self { root, together }
    }

    /// Stores `files` (deduplicated by the caller) and answers once every one is durable.
    async fn store(&self, files: Vec<Wanted>) -> Result<(), StoreError> {
        if let Some(together) = &self.together {
            return together.store(files).await;
        }
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || together::store_alone(&root, &files))
            .await
            .map_err(|e| StoreError::Database(format!("file store: {e}")))?
    }

    fn path(&self, hash: &ContentHash) -> PathBuf {
        let (dir, rest) = hash.as_str().split_at(2);
        self.root.join(dir).join(rest)
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |e| StoreError::Database(format!("file store {}: {e}", path.display()))
}

/// A temporary name of this write's own: two requests (or instances) storing the same file at
/// once (two applicants uploading one standard form) must not write into, or rename away, each
/// other's temporary file. Both renames land the same bytes under the same name, so the later
/// one is harmless.
fn temporary_name(hash: &ContentHash) -> String {
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let serial = WRITES.fetch_add(1, Ordering::Relaxed);
    format!(".{}.{}-{serial}.partial", hash.as_str(), std::process::id())
}

/// Makes a folder's entries (a rename, a new sub-folder) durable.
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io(dir))
}

/// The content hash of some bytes.
pub fn content_hash(bytes: &[u8]) -> ContentHash {
    let hex = hex::encode(Sha256::digest(bytes));
    ContentHash::parse(&hex).unwrap_or_else(|| unreachable!("SHA-256 hex is 64 lowercase digits"))
}

#[async_trait]
impl FileStore for LocalFiles {
    async fn put(&self, bytes: &[u8]) -> Result<ContentHash, StoreError> {
        let hash = content_hash(bytes);
        let wanted = Wanted {
            path: self.path(&hash),
            hash: hash.clone(),
            bytes: bytes.to_vec(),
        };
        self.store(vec![wanted]).await?;
        Ok(hash)
    }

    async fn put_all(&self, files: &[&[u8]]) -> Result<Vec<ContentHash>, StoreError> {
        let hashes: Vec<ContentHash> = files.iter().map(|bytes| content_hash(bytes)).collect();
        // A file given twice is written once.
        let mut wanted: Vec<Wanted> = Vec::with_capacity(files.len());
        for (hash, bytes) in hashes.iter().zip(files) {
            if wanted.iter().all(|w| &w.hash != hash) {
                wanted.push(Wanted {
                    path: self.path(hash),
                    hash: hash.clone(),
                    bytes: bytes.to_vec(),
                });
            }
        }
        self.store(wanted).await?;
        Ok(hashes)
    }

    async fn get(&self, hash: &ContentHash) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.path(hash);
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(&path)(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn identical_files_are_stored_once_under_their_hash() {
        let dir = tempfile::tempdir().unwrap();
        let files = LocalFiles::new(dir.path());
        let a = files.put(b"%PDF-1.7 one").await.unwrap();
        let b = files.put(b"%PDF-1.7 one").await.unwrap();
        assert_eq!(a, b);
        assert_eq!(
            files.get(&a).await.unwrap().as_deref(),
            Some(&b"%PDF-1.7 one"[..])
        );
        let stored: Vec<_> = walk(dir.path());
        assert_eq!(stored.len(), 1, "one file on disk: {stored:?}");
        let missing = content_hash(b"other");
        assert_eq!(files.get(&missing).await.unwrap(), None);
    }

    #[tokio::test]
    async fn several_files_are_stored_at_once_each_under_its_hash_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let files = LocalFiles::new(dir.path());
        let already = files.put(b"%PDF-1.7 stored before").await.unwrap();
        let given: [&[u8]; 4] = [
            b"%PDF-1.7 first",
            b"%PDF-1.7 second",
            b"%PDF-1.7 first",
            b"%PDF-1.7 stored before",
        ];
        let hashes = files.put_all(&given).await.unwrap();
        assert_eq!(
            hashes,
            given.iter().map(|b| content_hash(b)).collect::<Vec<_>>(),
            "one hash per file given, in order"
        );
        assert_eq!(hashes[3], already);
        for (hash, bytes) in hashes.iter().zip(given) {
            assert_eq!(files.get(hash).await.unwrap().as_deref(), Some(bytes));
        }
        let stored = walk(dir.path());
        assert_eq!(
            stored.len(),
            3,
            "each distinct file once, no temporary left: {stored:?}"
        );
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(walk(&path))
            } else {
                out.push(path)
            }
        }
        out
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_requests_at_once_are_stored_together_each_answered_for_its_own_files() {
        let dir = tempfile::tempdir().unwrap();
        let files = std::sync::Arc::new(LocalFiles::new(dir.path()));
        let requests: Vec<_> = (0..64)
            .map(|i| {
                let files = files.clone();
                tokio::spawn(async move {
                    // Every request shares one file with the others and has two of its own.
                    let own = format!("%PDF-1.7 request {i}");
                    let given: [&[u8]; 2] = [b"%PDF-1.7 shared form", own.as_bytes()];
                    let hashes = files.put_all(&given).await.expect("stored");
                    let alone = files.put(format!("alone {i}").as_bytes()).await;
                    (own, hashes, alone.expect("stored alone"))
                })
            })
            .collect();
        for request in requests {
            let (own, hashes, alone) = request.await.unwrap();
            assert_eq!(
                files.get(&hashes[0]).await.unwrap().as_deref(),
                Some(&b"%PDF-1.7 shared form"[..])
            );
            assert_eq!(
                files.get(&hashes[1]).await.unwrap().as_deref(),
                Some(own.as_bytes())
            );
            assert!(files.get(&alone).await.unwrap().is_some());
        }
        let stored = walk(dir.path());
        assert_eq!(
            stored.len(),
            1 + 64 + 64,
            "each file once: {}",
            stored.len()
        );
        assert!(
            stored
                .iter()
                .all(|p| !p.to_string_lossy().ends_with(".partial")),
            "no temporary file left behind"
        );
    }

    #[tokio::test]
    async fn a_file_that_cannot_be_stored_fails_only_the_request_that_gave_it() {
        let dir = tempfile::tempdir().unwrap();
        let files = LocalFiles::new(dir.path());
        let blocked = b"%PDF-1.7 its folder is taken by a file";
        let hash = content_hash(blocked);
        // A plain file where the file's folder should be: the folder cannot be made.
        std::fs::write(dir.path().join(&hash.as_str()[..2]), b"in the way").unwrap();
        let other = b"%PDF-1.7 another file";
        assert_ne!(content_hash(other).as_str()[..2], hash.as_str()[..2]);
        let (failed, stored) = tokio::join!(files.put(blocked), files.put(other));
        let message = failed.expect_err("no folder for it").to_string();
        assert!(message.contains(&hash.as_str()[..2]), "{message}");
        let stored = stored.expect("the other request is not failed with it");
        assert_eq!(
            files.get(&stored).await.unwrap().as_deref(),
            Some(&other[..])
        );
    }

    #[test]
    fn a_content_hash_is_64_lowercase_hex_digits_and_nothing_else() {
        assert!(ContentHash::parse(&"a".repeat(64)).is_some());
        assert!(ContentHash::parse("../../etc/passwd").is_none());
        assert!(ContentHash::parse(&"A".repeat(64)).is_none());
    }

    #[test]
    fn many_requests_storing_the_same_file_at_once_all_succeed() {
        let dir = tempfile::tempdir().unwrap();
        let files = LocalFiles::new(dir.path());
        // Large enough (4 MiB) that the writes overlap in time; all start together.
        let bytes = b"%PDF-1.7 the same standard form ".repeat(1 << 17);
        let hash = content_hash(&bytes);
        let path = files.path(&hash);
        let wanted = [Wanted {
            path: path.clone(),
            hash,
            bytes: bytes.clone(),
        }];
        let start = std::sync::Barrier::new(16);
        let results: Vec<Result<(), StoreError>> = std::thread::scope(|scope| {
            let writers: Vec<_> = (0..16)
                .map(|_| {
                    scope.spawn(|| {
                        start.wait();
                        together::store_alone(dir.path(), &wanted)
                    })
                })
                .collect();
            writers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        for result in results {
            result.expect("every write succeeds");
        }
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary file left behind");
    }
}
