//! Signing keys, their ids, and the published key ring.
//!
//! Owns the Ed25519 keys that sign documents, the key id derivation, storage forms
//! (raw 32-byte seed or PKCS#8 DER) and the public JSON (a JWK Set, RFC 7517/8037) a
//! bureau publishes at a well-known URL. Rotation is a new [`Signer`]; the ring keeps
//! every old public key so old documents still verify. It must not persist anything:
//! the app stores the key material.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::{Signature, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::data::sha256;

/// Identifies a key: the first 8 bytes of SHA-256 of the raw public key, shown as
/// 16 lowercase hex digits. Derived, so a published ring can be checked for typos.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId([u8; 8]);

impl KeyId {
    /// The id of a public key.
    pub fn of(key: &VerifyingKey) -> Self {
        let digest = sha256(key.as_bytes());
        let mut id = [0; 8];
        id.copy_from_slice(&digest[..8]);
        Self(id)
    }

    /// The id from its 8 raw bytes (as carried in a payload).
    pub fn from_bytes(bytes: [u8; 8]) -> Self {
        Self(bytes)
    }

    /// The 8 raw bytes.
    pub fn to_bytes(self) -> [u8; 8] {
        self.0
    }
}

impl std::fmt::Display for KeyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl std::fmt::Debug for KeyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyId({self})")
    }
}

/// What is wrong with key material or a published key ring.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// PKCS#8 could not be read or written.
    #[error("not an Ed25519 PKCS#8 private key: {0}")]
    Pkcs8(String),
    /// The key ring JSON is not a JWK Set of Ed25519 keys.
    #[error("key ring JSON is invalid: {0}")]
    Json(String),
    /// A published key's `kid` is not the id derived from its key.
    #[error("key `{kid}` does not match its public key (expected `{expected}`)")]
    KidMismatch {
        /// The published id.
        kid: String,
        /// The id derived from the key.
        expected: KeyId,
    },
}

/// The bureau's current signing key.
#[derive(Clone)]
pub struct Signer {
    key_id: KeyId,
    key: SigningKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({})", self.key_id)
    }
}

impl Signer {
    /// A fresh key (on first start, or to rotate). Randomness is injected.
    pub fn generate<R: rand::CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        Self::from_seed(seed)
    }

    /// The key from its 32-byte seed (the raw storage form).
    pub fn from_seed(seed: [u8; 32]) -> Self {
        let key = SigningKey::from_bytes(&seed);
        Self {
            key_id: KeyId::of(&key.verifying_key()),
            key,
        }
    }

    /// The 32-byte seed, to be stored secretly by the app.
    pub fn to_seed(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// PKCS#8 DER (RFC 8410), readable by `openssl pkey -inform DER`.
    pub fn to_pkcs8_der(&self) -> Result<Vec<u8>, KeyError> {
        let doc = self
            .key
            .to_pkcs8_der()
            .map_err(|e| KeyError::Pkcs8(e.to_string()))?;
        Ok(doc.as_bytes().to_vec())
    }

    /// The key from PKCS#8 DER.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, KeyError> {
        let key = SigningKey::from_pkcs8_der(der).map_err(|e| KeyError::Pkcs8(e.to_string()))?;
        Ok(Self::from_seed(key.to_bytes()))
    }

    /// This key's id.
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// The public half, to publish and to add to the ring.
    pub fn public_key(&self) -> PublicKey {
        PublicKey::new(self.key.verifying_key())
    }

    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer as _;
        self.key.sign(message).to_bytes()
    }
}

/// A public key with its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey {
    key_id: KeyId,
    key: VerifyingKey,
}

impl PublicKey {
    fn new(key: VerifyingKey) -> Self {
        Self {
            key_id: KeyId::of(&key),
            key,
        }
    }

    /// The key from its 32 raw bytes; `None` if they are not a valid point.
    pub fn from_bytes(bytes: &[u8; 32]) -> Option<Self> {
        VerifyingKey::from_bytes(bytes).ok().map(Self::new)
    }

    /// The 32 raw bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// This key's id.
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    pub(crate) fn verify(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        self.key
            .verify(message, &Signature::from_bytes(signature))
            .is_ok()
    }
}

/// Every public key a bureau has signed with, current and retired.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyRing {
    keys: Vec<PublicKey>,
}

/// One entry of the published JWK Set (RFC 8037 OKP key).
#[derive(Serialize, Deserialize)]
struct Jwk {
    kty: String,
    crv: String,
    kid: String,
    x: String,
    #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
    usage: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    alg: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Jwks {
    keys: Vec<Jwk>,
}

impl KeyRing {
    /// A ring holding these keys.
    pub fn new(keys: impl IntoIterator<Item = PublicKey>) -> Self {
        let mut ring = Self::default();
        keys.into_iter().for_each(|k| ring.push(k));
        ring
    }

    /// Adds a key (after a rotation); a key already present is not added twice.
    pub fn push(&mut self, key: PublicKey) {
        if self.get(key.key_id).is_none() {
            self.keys.push(key);
        }
    }

    /// The key with this id.
    pub fn get(&self, key_id: KeyId) -> Option<&PublicKey> {
        self.keys.iter().find(|k| k.key_id == key_id)
    }

    /// All keys, oldest first.
    pub fn keys(&self) -> &[PublicKey] {
        &self.keys
    }

    /// The published form: a JWK Set, e.g. for `/.well-known/onewindow-keys.json`.
    pub fn to_json(&self) -> String {
        let keys = self
            .keys
            .iter()
            .map(|k| Jwk {
                kty: "OKP".into(),
                crv: "Ed25519".into(),
                kid: k.key_id.to_string(),
                x: B64.encode(k.to_bytes()),
                usage: Some("sig".into()),
                alg: Some("EdDSA".into()),
            })
            .collect();
        serde_json::to_string_pretty(&Jwks { keys }).expect("a key ring always serialises")
    }

    /// Reads a published JWK Set; every `kid` must be the id derived from its key.
    pub fn from_json(json: &str) -> Result<Self, KeyError> {
        let bad = |m: String| KeyError::Json(m);
        let jwks: Jwks = serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
        let mut ring = Self::default();
        for jwk in jwks.keys {
            if jwk.kty != "OKP" || jwk.crv != "Ed25519" {
                return Err(bad(format!("key `{}` is not an Ed25519 OKP key", jwk.kid)));
            }
            let raw: [u8; 32] = B64
                .decode(&jwk.x)
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| bad(format!("key `{}`: `x` is not 32 base64url bytes", jwk.kid)))?;
            let key = PublicKey::from_bytes(&raw)
                .ok_or_else(|| bad(format!("key `{}` is not a valid Ed25519 point", jwk.kid)))?;
            if jwk.kid != key.key_id.to_string() {
                return Err(KeyError::KidMismatch {
                    kid: jwk.kid,
                    expected: key.key_id,
                });
            }
            ring.push(key);
        }
        Ok(ring)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_survives_seed_and_pkcs8_storage() {
        let signer = Signer::generate(&mut rand::rng());
        let again = Signer::from_seed(signer.to_seed());
        assert_eq!(again.key_id(), signer.key_id());
        let der = signer.to_pkcs8_der().unwrap();
        let back = Signer::from_pkcs8_der(&der).unwrap();
        assert_eq!(back.public_key(), signer.public_key());
        assert!(Signer::from_pkcs8_der(b"not der").is_err());
    }

    #[test]
    fn the_published_ring_round_trips_and_rejects_a_wrong_kid() {
        let old = Signer::from_seed([1; 32]).public_key();
        let new = Signer::from_seed([2; 32]).public_key();
        let ring = KeyRing::new([old, new, old]);
        assert_eq!(ring.keys().len(), 2);
        let json = ring.to_json();
        assert_eq!(KeyRing::from_json(&json).unwrap(), ring);
        let wrong = json.replacen(&old.key_id().to_string(), "0000000000000000", 1);
        assert!(matches!(
            KeyRing::from_json(&wrong),
            Err(KeyError::KidMismatch { .. })
        ));
    }

    #[test]
    fn a_key_id_is_sixteen_hex_digits() {
        let id = Signer::from_seed([7; 32]).key_id().to_string();
        assert_eq!(id.len(), 16);
        assert!(
            id.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
    }
}
