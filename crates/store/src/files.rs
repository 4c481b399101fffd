//! The file storage port: uploaded materials and generated documents, content-addressed. A file
//! is named by the SHA-256 of its bytes, so identical files are stored once and a file name
//! chosen by a user never becomes a path.

use async_trait::async_trait;

use crate::StoreError;

/// The SHA-256 of a file's bytes, lowercase hex: its only name in the store.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentHash(String);

impl ContentHash {
    /// Accepts exactly 64 lowercase hex digits.
    pub fn parse(text: &str) -> Option<ContentHash> {
        let ok = text.len() == 64
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        ok.then(|| ContentHash(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ContentHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[async_trait]
pub trait FileStore: Send + Sync {
    /// Stores the bytes (once, whatever how often) and returns their hash.
    async fn put(&self, bytes: &[u8]) -> Result<ContentHash, StoreError>;
    /// Stores several files (an application's materials), returning their hashes in order. A
    /// store may write them at once; this default writes one after another.
    async fn put_all(&self, files: &[&[u8]]) -> Result<Vec<ContentHash>, StoreError> {
        let mut hashes = Vec::with_capacity(files.len());
        for bytes in files {
            hashes.push(self.put(bytes).await?);
        }
        Ok(hashes)
    }
    async fn get(&self, hash: &ContentHash) -> Result<Option<Vec<u8>>, StoreError>;
}
