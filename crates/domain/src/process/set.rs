//! The versions of every definition a bureau holds. A new version must be numbered above the
//! latest of its code; older versions stay, because a case keeps the version it was submitted
//! under (DESIGN.md "Process definitions are data"). Storage is the store's; this is the rule.

use std::collections::BTreeMap;

use super::model::{DefinitionKey, ProcessDefinition};

/// Why a definition was not added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    #[error(
        "{key} is refused: version {latest} is already the latest; a new version must be \
         numbered above it (older versions stay for the cases that started under them)"
    )]
    NotNewer { key: DefinitionKey, latest: u32 },
}

/// Every version of every definition, by code then version.
#[derive(Debug, Clone, Default)]
pub struct DefinitionSet {
    by_code: BTreeMap<String, BTreeMap<u32, ProcessDefinition>>,
}

impl DefinitionSet {
    pub fn new() -> DefinitionSet {
        DefinitionSet::default()
    }

    /// The definitions shipped with the product (see [`super::shipped`]).
    pub fn shipped() -> DefinitionSet {
        let mut set = DefinitionSet::new();
        for definition in super::shipped() {
            // Distinct codes, each at its first version: adding cannot fail.
            let _ = set.add(definition);
        }
        set
    }

    /// Adds a new version. Refused unless its version is above the latest of its code; the
    /// versions already held are never replaced.
    pub fn add(&mut self, definition: ProcessDefinition) -> Result<(), VersionError> {
        let versions = self
            .by_code
            .entry(definition.code().as_str().to_owned())
            .or_default();
        if let Some((&latest, _)) = versions.last_key_value()
            && definition.version() <= latest
        {
            return Err(VersionError::NotNewer {
                key: definition.key().clone(),
                latest,
            });
        }
        versions.insert(definition.version(), definition);
        Ok(())
    }

    /// The newest version of `code`: what a new case is submitted under.
    pub fn latest(&self, code: &str) -> Option<&ProcessDefinition> {
        self.by_code.get(code)?.last_key_value().map(|(_, d)| d)
    }

    /// One version of `code`: what a running case keeps using.
    pub fn get(&self, code: &str, version: u32) -> Option<&ProcessDefinition> {
        self.by_code.get(code)?.get(&version)
    }

    pub fn get_key(&self, key: &DefinitionKey) -> Option<&ProcessDefinition> {
        self.get(key.code.as_str(), key.version)
    }

    /// The versions held of `code`, oldest first.
    pub fn versions(&self, code: &str) -> impl Iterator<Item = &ProcessDefinition> {
        self.by_code
            .get(code)
            .into_iter()
            .flat_map(BTreeMap::values)
    }

    /// The latest version of every code, by code.
    pub fn latest_all(&self) -> impl Iterator<Item = &ProcessDefinition> {
        self.by_code
            .values()
            .filter_map(|versions| versions.last_key_value().map(|(_, d)| d))
    }

    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }
}
