//! The bureau's signing keys: created on first start (two instances starting at once make one
//! key), rotated on demand (the new key signs from then on; old keys stay in the ring as
//! verify-only, so every document ever issued still verifies), and published as a JWK Set.
//! Keys live in the database, shared by every instance (docs/adr/0002-document-signatures.md).

use jiff::Timestamp;
use onewindow_documents::{KeyRing, Signer};
use onewindow_store::{AuditEntry, SigningKeyRecord, StoreError};

use crate::{App, AppError};

/// A key as `onewindow keys list` shows it: public facts only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    pub key_id: String,
    pub created_at: Timestamp,
    /// `None` for the current key.
    pub retired_at: Option<Timestamp>,
}

impl KeyInfo {
    pub fn is_current(&self) -> bool {
        self.retired_at.is_none()
    }
}

fn info(record: &SigningKeyRecord) -> KeyInfo {
    KeyInfo {
        key_id: record.key_id.clone(),
        created_at: record.created_at,
        retired_at: record.retired_at,
    }
}

fn corrupt(detail: String) -> AppError {
    AppError::Store(StoreError::Corrupt {
        what: "signing key".into(),
        detail,
    })
}

/// The stored form of a new key: PKCS#8 DER in hex, and the public key as one JWK.
fn record(signer: &Signer, at: Timestamp) -> Result<SigningKeyRecord, AppError> {
    let der = signer.to_pkcs8_der().map_err(|e| corrupt(e.to_string()))?;
    let set: serde_json::Value =
        serde_json::from_str(&KeyRing::new([signer.public_key()]).to_json())
            .map_err(|e| corrupt(e.to_string()))?;
    Ok(SigningKeyRecord {
        key_id: signer.key_id().to_string(),
        created_at: at,
        retired_at: None,
        public_jwk: set["keys"][0].to_string(),
        private_key: hex::encode(der),
    })
}

/// The signer a stored key record holds.
fn signer_of(record: &SigningKeyRecord) -> Result<Signer, AppError> {
    let der = hex::decode(&record.private_key)
        .map_err(|e| corrupt(format!("key {}: {e}", record.key_id)))?;
    let signer =
        Signer::from_pkcs8_der(&der).map_err(|e| corrupt(format!("key {}: {e}", record.key_id)))?;
    if signer.key_id().to_string() != record.key_id {
        return Err(corrupt(format!(
            "key {} holds the private key of {}",
            record.key_id,
            signer.key_id()
        )));
    }
    Ok(signer)
}

/// The ring of every stored public key.
fn ring_of(records: &[SigningKeyRecord]) -> Result<KeyRing, AppError> {
    let jwks: Vec<&str> = records.iter().map(|r| r.public_jwk.as_str()).collect();
    KeyRing::from_json(&format!("{{\"keys\":[{}]}}", jwks.join(",")))
        .map_err(|e| corrupt(e.to_string()))
}

impl App {
    fn new_signer(&self) -> Signer {
        Signer::from_seed(self.random.bytes32())
    }

    /// Makes sure a current signing key exists, creating the first one if none does; returns
    /// it. Safe when several instances start at once: the store lets only one key be current,
    /// and the others read the winner's.
    pub async fn prepare_signing_key(&self) -> Result<KeyInfo, AppError> {
        Ok(info(&self.current_key_record().await?))
    }

    pub(crate) async fn current_signer(&self) -> Result<Signer, AppError> {
        signer_of(&self.current_key_record().await?)
    }

    async fn current_key_record(&self) -> Result<SigningKeyRecord, AppError> {
        let current =
            |keys: Vec<SigningKeyRecord>| keys.into_iter().find(|k| k.retired_at.is_none());
        if let Some(key) = current(self.store.signing_keys().await?) {
            return Ok(key);
        }
        let first = record(&self.new_signer(), self.clock.now())?;
        match self.store.add_first_signing_key(&first).await {
            Ok(()) => {
                tracing::info!(key_id = first.key_id, "document signing key created");
                Ok(first)
            }
            Err(StoreError::Duplicate(_)) => current(self.store.signing_keys().await?)
                .ok_or_else(|| corrupt("another instance added a key that cannot be read".into())),
            Err(other) => Err(other.into()),
        }
    }

    /// Every key, oldest first.
    pub async fn signing_keys(&self) -> Result<Vec<KeyInfo>, AppError> {
        Ok(self.store.signing_keys().await?.iter().map(info).collect())
    }

    /// A new key signs from now on; the old one is kept, verify-only. Audited.
    pub async fn rotate_signing_key(&self, actor: &str) -> Result<KeyInfo, AppError> {
        let previous = self.prepare_signing_key().await?;
        let now = self.clock.now();
        let new = record(&self.new_signer(), now)?;
        let audit = AuditEntry {
            at: now,
            actor: actor.to_owned(),
            action: "rotate_signing_key".into(),
            detail: format!(
                "document signing key {} replaces {} (kept for verification)",
                new.key_id, previous.key_id
            ),
        };
        match self.store.rotate_signing_key(&new, &audit).await {
            Ok(()) => Ok(info(&new)),
            Err(StoreError::Duplicate(_)) => Err(AppError::Conflict(
                "another rotation of the signing key happened at the same time; list the keys and try again if needed".into(),
            )),
            Err(other) => Err(other.into()),
        }
    }

    /// Every public key ever used, current and retired: what verification checks against.
    pub async fn key_ring(&self) -> Result<KeyRing, AppError> {
        ring_of(&self.store.signing_keys().await?)
    }

    /// The published JWK Set (public parts only), served at
    /// `/.well-known/onewindow/keys.json`.
    pub async fn published_keys(&self) -> Result<String, AppError> {
        Ok(self.key_ring().await?.to_json())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_key_gives_back_its_signer_and_its_public_key() {
        let signer = Signer::from_seed([8; 32]);
        let at = Timestamp::from_second(1_764_000_000).unwrap();
        let stored = record(&signer, at).unwrap();
        assert_eq!(stored.key_id, signer.key_id().to_string());
        assert!(!stored.public_jwk.contains("\"d\""), "no private part");
        assert_eq!(signer_of(&stored).unwrap().key_id(), signer.key_id());
        let ring = ring_of(std::slice::from_ref(&stored)).unwrap();
        assert!(ring.get(signer.key_id()).is_some());
        let mut swapped = stored;
        swapped.key_id = "0000000000000000".into();
        assert!(signer_of(&swapped).is_err());
    }
}
