//! The orgs, service items and items' chosen processes every move or submission reads (names for the clock's explanation, an item's
//! warning threshold), kept per instance under the store's catalogue generation (issue 6: two
//! statements fewer per move). The generation comes with the case in one statement
//! (`CaseStore::case_for_change`) and is bumped in every catalogue write's transaction, so a
//! move sees the catalogue as stored when it read its case — as fresh as the two reads it
//! replaces, which also ran before the append — whichever instance changed it.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use onewindow_domain::catalogue::{CatalogueCode, Org, ServiceItem};

use crate::{App, AppError};

/// What this instance read of the catalogue, and the generation it is valid for.
#[derive(Default)]
pub struct CatalogueCache(RwLock<Cached>);

#[derive(Default)]
struct Cached {
    /// Everything below was read after a request saw this generation (or a later one): it
    /// serves any request that saw this generation or an earlier one.
    generation: i64,
    orgs: Option<Arc<Vec<Org>>>,
    /// By item code; `None`: the catalogue has no such item.
    items: HashMap<String, Option<ServiceItem>>,
    /// (item code, definition code): the processes administrators chose.
    item_processes: Option<Arc<Vec<(String, String)>>>,
}

impl CatalogueCache {
    fn get<T>(&self, generation: i64, pick: impl Fn(&Cached) -> Option<T>) -> Option<T> {
        let cached = self.0.read().unwrap_or_else(|e| e.into_inner());
        (cached.generation >= generation)
            .then(|| pick(&cached))
            .flatten()
    }

    /// Keeps what was read after seeing `generation`. A newer generation seen meanwhile drops
    /// everything older; what was read under an older one than the cache's is not kept (it may
    /// predate the change that made the newer one).
    fn put(&self, generation: i64, keep: impl FnOnce(&mut Cached)) {
        let mut cached = self.0.write().unwrap_or_else(|e| e.into_inner());
        if generation > cached.generation {
            *cached = Cached {
                generation,
                ..Cached::default()
            };
        }
        if generation == cached.generation {
            keep(&mut cached);
        }
    }
}

impl App {
    /// Every org, as stored at catalogue generation `generation` or later.
    pub(crate) async fn orgs_at(&self, generation: i64) -> Result<Arc<Vec<Org>>, AppError> {
        if let Some(orgs) = self.catalogue_cache.get(generation, |c| c.orgs.clone()) {
            return Ok(orgs);
        }
        let orgs = Arc::new(self.store.orgs().await?);
        self.catalogue_cache
            .put(generation, |c| c.orgs = Some(orgs.clone()));
        Ok(orgs)
    }

    /// The service item coded `item_code` (`None`: no such item, or not a catalogue code), as
    /// stored at catalogue generation `generation` or later.
    pub(crate) async fn item_at(
        &self,
        item_code: &str,
        generation: i64,
    ) -> Result<Option<ServiceItem>, AppError> {
        if let Some(item) = self
            .catalogue_cache
            .get(generation, |c| c.items.get(item_code).cloned())
        {
            return Ok(item);
        }
        let item = self.item_named(item_code).await?;
        self.catalogue_cache.put(generation, |c| {
            c.items.insert(item_code.to_owned(), item.clone());
        });
        Ok(item)
    }

    /// The processes administrators chose for items, (item code, definition code), as stored at
    /// catalogue generation `generation` or later (choosing one bumps it).
    pub(crate) async fn item_processes_at(
        &self,
        generation: i64,
    ) -> Result<Arc<Vec<(String, String)>>, AppError> {
        if let Some(chosen) = self
            .catalogue_cache
            .get(generation, |c| c.item_processes.clone())
        {
            return Ok(chosen);
        }
        let chosen = Arc::new(self.store.item_processes().await?);
        self.catalogue_cache
            .put(generation, |c| c.item_processes = Some(chosen.clone()));
        Ok(chosen)
    }

    /// The service item coded `item_code` as stored now (`None`: no such item, or not a
    /// catalogue code).
    pub(crate) async fn item_named(
        &self,
        item_code: &str,
    ) -> Result<Option<ServiceItem>, AppError> {
        match CatalogueCode::parse(item_code) {
            Ok(code) => Ok(self.store.item(&code).await?.map(|v| v.value)),
            Err(_) => Ok(None),
        }
    }
}
