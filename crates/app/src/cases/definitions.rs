//! Which process definition a case follows: the shipped definitions plus those an administrator
//! saved (every version kept; a running case keeps the version it started under), and the map
//! from service items to definition codes. "The latest" (what a new case follows) is read under
//! the catalogue's generation, which saving a version or choosing an item's process bumps, so
//! several instances agree on it without a read per submission; an administrator's change reads
//! the store. A running case's version is looked up in the set this process read last
//! (`DefinitionCache`): a saved version never changes, so a cached one is never stale.

use std::sync::{Arc, OnceLock, RwLock};

use onewindow_domain::catalogue::CatalogueCode;
use onewindow_domain::clock::TimeLimits;
use onewindow_domain::process::{DefinitionProblem, DefinitionSet, ProcessDefinition};
use onewindow_store::{CaseRecord, SavedDefinition};

use crate::{App, AppError};

/// The definitions this process read last. A version, once saved, never changes: `save_definition`
/// refuses a version already held, and the store's key is (code, version). So each definition
/// here stays right for as long as it is cached, and only a version missing from it (saved
/// since, perhaps by another instance) calls for a fresh read. Moves need no query for it.
/// The set's "latest" versions are right for catalogue generations up to the one kept beside
/// it (0: not known to be right for any; see [`App::definitions_at`]).
#[derive(Default)]
pub(crate) struct DefinitionCache(RwLock<(i64, Option<Arc<DefinitionSet>>)>);

impl DefinitionCache {
    fn get(&self) -> (i64, Option<Arc<DefinitionSet>>) {
        self.0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn put(&self, generation: i64, set: Arc<DefinitionSet>) {
        *self
            .0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = (generation, Some(set));
    }
}

/// The definition a service item follows when an administrator has not chosen one: new
/// industrial product production licences (power XK-0101, `…-XB` items: 新办) follow the
/// on-site-first industrial process (RULES.md §2); new special-equipment production licences
/// (XK-0103) the special-equipment process (§3). The cases on an existing licence of either
/// power — `…-BG` change (art. 49), `…-YX` renewal (art. 50), `…-ZX` cancellation (art. 70) —
/// follow the licence change, renewal and cancellation processes. Other items wait for an
/// administrator's choice.
pub fn default_process_for(item_code: &str) -> Option<&'static str> {
    let licensing = item_code.contains("XK-0101-") || item_code.contains("XK-0103-");
    let (_, suffix) = item_code.rsplit_once('-')?;
    match (licensing, suffix) {
        (false, _) => None,
        (true, "XB") if item_code.contains("XK-0101-") => Some("PROC-XK-ONSITE-FIRST"),
        (true, "XB") => Some("PROC-TS-PRODUCTION"),
        (true, "BG") => Some("PROC-LICENCE-CHANGE"),
        (true, "YX") => Some("PROC-LICENCE-RENEWAL"),
        (true, "ZX") => Some("PROC-LICENCE-CANCELLATION"),
        _ => None,
    }
}

/// The administrator's choice for `item` among `chosen` (item code, definition code), or the
/// default.
fn chosen_or_default(chosen: &[(String, String)], item: &CatalogueCode) -> Option<String> {
    chosen
        .iter()
        .find(|(code, _)| code == item.as_str())
        .map(|(_, definition)| definition.clone())
        .or_else(|| default_process_for(item.as_str()).map(str::to_owned))
}

/// What a case's definition and clock limits depend on: (definition code, version, item code).
/// Passes over many cases (sweep, recompute) read each process once under it.
pub(crate) type ProcessKey = (String, i64, String);

pub(crate) fn process_key(record: &CaseRecord) -> ProcessKey {
    (
        record.definition_code.clone(),
        record.definition_version,
        record.item_code.clone(),
    )
}

impl App {
    /// The definition the case `record` follows; refused, naming the case, when that version is
    /// not installed here.
    pub(crate) async fn definition_of(
        &self,
        record: &CaseRecord,
    ) -> Result<ProcessDefinition, AppError> {
        let version = u32::try_from(record.definition_version).unwrap_or(0);
        self.definition(&record.definition_code, version)
            .await?
            .ok_or_else(|| {
                AppError::Refused(format!(
                    "case {} follows process {} v{}, which is not installed",
                    record.number, record.definition_code, record.definition_version
                ))
            })
    }

    /// The definition the case `record` follows and its clock limits (with its item's
    /// warning threshold).
    pub(crate) async fn process_of(
        &self,
        record: &CaseRecord,
    ) -> Result<(ProcessDefinition, TimeLimits), AppError> {
        let definition = self.definition_of(record).await?;
        let limits = self.limits_for(&definition, &record.item_code).await?;
        Ok((definition, limits))
    }

    /// The definition a running case follows, `code` at `version`: from the set read last, or
    /// read again when this version is not in it.
    pub(crate) async fn definition(
        &self,
        code: &str,
        version: u32,
    ) -> Result<Option<ProcessDefinition>, AppError> {
        let (_, cached) = self.definition_cache.get();
        if let Some(definition) = cached.as_deref().and_then(|set| set.get(code, version)) {
            return Ok(Some(definition.clone()));
        }
        Ok(self.definitions().await?.get(code, version).cloned())
    }

    /// Every definition: shipped, then saved versions, read from the store now.
    pub async fn definitions(&self) -> Result<DefinitionSet, AppError> {
        let mut set = shipped();
        for saved in self.store.definitions().await? {
            let definition = ProcessDefinition::parse(&saved.source).map_err(|problems| {
                AppError::Refused(format!(
                    "stored definition {} v{} no longer parses: {}",
                    saved.code,
                    saved.version,
                    problems
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                ))
            })?;
            // A saved version equal to a shipped one is the shipped one.
            let _ = set.add(definition);
        }
        // Read without knowing the generation it belongs to: right for none until
        // `definitions_at` says so.
        self.definition_cache.put(0, Arc::new(set.clone()));
        Ok(set)
    }

    /// Every definition as stored at catalogue generation `generation` or later: the cached set
    /// when it was read after that generation was seen, else read now (and kept under it).
    pub(crate) async fn definitions_at(
        &self,
        generation: i64,
    ) -> Result<Arc<DefinitionSet>, AppError> {
        if let (kept, Some(set)) = self.definition_cache.get()
            && kept >= generation
            && kept > 0
        {
            return Ok(set);
        }
        let set = Arc::new(self.definitions().await?);
        self.definition_cache.put(generation, set.clone());
        Ok(set)
    }

    /// The definition code a service item's new cases follow: the administrator's choice, or
    /// the default by kind of licence.
    pub async fn item_process(&self, item: &CatalogueCode) -> Result<Option<String>, AppError> {
        let chosen = self.store.item_processes().await?;
        Ok(chosen_or_default(&chosen, item))
    }

    /// [`App::item_process`] as chosen at catalogue generation `generation` or later.
    pub(crate) async fn item_process_at(
        &self,
        item: &CatalogueCode,
        generation: i64,
    ) -> Result<Option<String>, AppError> {
        let chosen = self.item_processes_at(generation).await?;
        Ok(chosen_or_default(&chosen, item))
    }

    /// Saves an administrator's definition (a new code, or a higher version of one). A bad one
    /// is refused with every problem and its line; nothing is saved.
    pub async fn save_definition(
        &self,
        by: &str,
        source: &str,
    ) -> Result<ProcessDefinition, AppError> {
        let definition =
            ProcessDefinition::parse(source).map_err(|problems| AppError::Invalid {
                what: "process definition".into(),
                problems: problems_by_line(&problems),
            })?;
        let mut set = self.definitions().await?;
        // A version once saved never changes (a running case may follow it).
        set.add(definition.clone())
            .map_err(|e| AppError::Conflict(e.to_string()))?;
        self.store
            .save_definition(&SavedDefinition {
                code: definition.code().as_str().to_owned(),
                version: i64::from(definition.version()),
                source: source.to_owned(),
                saved_by: by.to_owned(),
                saved_at: self.clock.now(),
            })
            .await?;
        Ok(definition)
    }

    /// Points a service item's new cases at a definition (running cases keep theirs).
    pub async fn set_item_process(
        &self,
        by: &str,
        item: &CatalogueCode,
        definition_code: &str,
    ) -> Result<(), AppError> {
        if self.store.item(item).await?.is_none() {
            return Err(AppError::NotFound(format!(
                "service item {}",
                item.as_str()
            )));
        }
        if self.definitions().await?.latest(definition_code).is_none() {
            return Err(AppError::NotFound(format!(
                "process definition {definition_code}"
            )));
        }
        self.store
            .set_item_process(item.as_str(), definition_code, by, self.clock.now())
            .await?;
        Ok(())
    }
}

/// The shipped definitions, parsed once per process: they are compiled in, and every read of
/// the saved ones starts from them.
fn shipped() -> DefinitionSet {
    static SHIPPED: OnceLock<DefinitionSet> = OnceLock::new();
    SHIPPED.get_or_init(DefinitionSet::shipped).clone()
}

/// Definition problems as field problems named by line, for the one error type.
fn problems_by_line(problems: &[DefinitionProblem]) -> onewindow_domain::catalogue::Problems {
    let mut out = onewindow_domain::catalogue::Problems::default();
    for problem in problems {
        match problem.line {
            Some(line) => out.push_line("definition", line, problem.message.clone()),
            None => out.push("definition", problem.message.clone()),
        }
    }
    out
}
