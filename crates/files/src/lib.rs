//! Content-addressed files in a local folder (the default; an S3-compatible store can implement
//! the same `FileStore` port for a cluster). `<root>/ab/cdef…` holds the file whose SHA-256 is
//! `abcdef…`; a file is written to a temporary name, flushed and renamed, so a crash never leaves
//! half a file under a real name.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use onewindow_store::{ContentHash, FileStore, StoreError};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

pub struct LocalFiles {
    root: PathBuf,
}

impl LocalFiles {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, hash: &ContentHash) -> PathBuf {
        let (dir, rest) = hash.as_str().split_at(2);
        self.root.join(dir).join(rest)
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |e| StoreError::Database(format!("file store {}: {e}", path.display()))
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
        let path = self.path(&hash);
        if tokio::fs::try_exists(&path).await.map_err(io(&path))? {
            return Ok(hash);
        }
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        tokio::fs::create_dir_all(&dir).await.map_err(io(&dir))?;
        let temp = dir.join(format!(".{}.partial", hash.as_str()));
        let mut file = tokio::fs::File::create(&temp).await.map_err(io(&temp))?;
        file.write_all(bytes).await.map_err(io(&temp))?;
        file.sync_all().await.map_err(io(&temp))?;
        tokio::fs::rename(&temp, &path).await.map_err(io(&path))?;
        Ok(hash)
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

    #[test]
    fn a_content_hash_is_64_lowercase_hex_digits_and_nothing_else() {
        assert!(ContentHash::parse(&"a".repeat(64)).is_some());
        assert!(ContentHash::parse("../../etc/passwd").is_none());
        assert!(ContentHash::parse(&"A".repeat(64)).is_none());
    }
}
