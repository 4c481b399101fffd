//! Reading the catalogue as the public and the staff see it: filtered, paginated lists, a
//! power's or an item's page with what belongs to it, and the overview figures.

mod edit;
mod references;

pub use edit::ChangeForm;
pub use references::Assumed;
pub(crate) use references::check_references;

use onewindow_domain::catalogue::{
    CatalogueCode, FeeItem, ItemStatus, Org, Overview, Power, PowerStatus, ServiceItem,
};
use onewindow_store::{ItemFilter, PowerFilter, Versioned};

use crate::{App, AppError};

/// A page of a list: 1-based number and size, both checked at the edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub number: u32,
    pub size: u32,
}

impl PageRequest {
    pub const MAX_SIZE: u32 = 200;
    pub const DEFAULT_SIZE: u32 = 50;

    /// Checks a page number and size; the error names what is wrong.
    pub fn new(number: u32, size: u32) -> Result<Self, String> {
        if number == 0 {
            return Err("page numbers start at 1".into());
        }
        if size == 0 || size > Self::MAX_SIZE {
            return Err(format!("the page size must be 1–{}", Self::MAX_SIZE));
        }
        Ok(Self { number, size })
    }

    pub fn first() -> Self {
        Self {
            number: 1,
            size: Self::DEFAULT_SIZE,
        }
    }
}

/// One page of results and where it sits in the whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: usize,
    pub page: PageRequest,
}

impl<T> Paged<T> {
    /// One page the store already cut, with the total it counted.
    pub fn from_page(items: Vec<T>, total: usize, page: PageRequest) -> Self {
        Self { items, total, page }
    }

    fn cut(all: Vec<T>, page: PageRequest) -> Self {
        let total = all.len();
        let start = (page.number as usize - 1).saturating_mul(page.size as usize);
        let items = all
            .into_iter()
            .skip(start)
            .take(page.size as usize)
            .collect();
        Self { items, total, page }
    }

    pub fn pages(&self) -> u32 {
        u32::try_from(self.total.div_ceil(self.page.size as usize).max(1)).unwrap_or(u32::MAX)
    }
}

/// A power with its status today.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerEntry {
    pub power: Power,
    pub status: PowerStatus,
}

/// What a power's page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerPage {
    pub power: Versioned<Power>,
    pub status: PowerStatus,
    pub parent: Option<Power>,
    pub sub_powers: Vec<Power>,
    pub items: Vec<ServiceItem>,
    pub fees: Vec<FeeItem>,
    pub orgs: Vec<Org>,
}

/// What a service guide's page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemPage {
    pub item: Versioned<ServiceItem>,
    pub power: Option<Power>,
    pub org: Option<Org>,
}

/// Who is looking: the public sees published guides only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Public,
    Staff,
}

impl App {
    pub async fn orgs(&self) -> Result<Vec<Org>, AppError> {
        Ok(self.store.orgs().await?)
    }

    /// Powers matching the filter and, when given, the status they have today.
    pub async fn list_powers(
        &self,
        filter: &PowerFilter,
        status: Option<PowerStatus>,
        page: PageRequest,
    ) -> Result<Paged<PowerEntry>, AppError> {
        let today = self.today();
        let entries: Vec<PowerEntry> = self
            .store
            .powers(filter)
            .await?
            .into_iter()
            .map(|power| PowerEntry {
                status: power.status_on(today),
                power,
            })
            .filter(|e| status.is_none_or(|s| s == e.status))
            .collect();
        Ok(Paged::cut(entries, page))
    }

    pub async fn power_page(
        &self,
        code: &CatalogueCode,
        audience: Audience,
    ) -> Result<PowerPage, AppError> {
        let power = self
            .store
            .power(code)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("power {code}")))?;
        let parent = match &power.value.parent {
            Some(p) => self.store.power(p).await?.map(|v| v.value),
            None => None,
        };
        let sub_powers = self
            .store
            .powers(&PowerFilter::default())
            .await?
            .into_iter()
            .filter(|p| p.parent.as_ref() == Some(code))
            .collect();
        let item_filter = ItemFilter {
            power: Some(code.clone()),
            status: (audience == Audience::Public).then_some(ItemStatus::Published),
            ..Default::default()
        };
        let items = self.store.items(&item_filter).await?;
        let fees = self
            .store
            .fees()
            .await?
            .into_iter()
            .filter(|f| f.power.as_ref() == Some(code))
            .collect();
        Ok(PowerPage {
            status: power.value.status_on(self.today()),
            power,
            parent,
            sub_powers,
            items,
            fees,
            orgs: self.store.orgs().await?,
        })
    }

    pub async fn list_items(
        &self,
        filter: &ItemFilter,
        page: PageRequest,
    ) -> Result<Paged<ServiceItem>, AppError> {
        Ok(Paged::cut(self.store.items(filter).await?, page))
    }

    /// A guide; the public may only see published ones (a draft is "not found" to them).
    pub async fn item_page(
        &self,
        code: &CatalogueCode,
        audience: Audience,
    ) -> Result<ItemPage, AppError> {
        let not_found = || AppError::NotFound(format!("service item {code}"));
        let item = self.store.item(code).await?.ok_or_else(not_found)?;
        if audience == Audience::Public && item.value.status != ItemStatus::Published {
            return Err(not_found());
        }
        let power = self.store.power(&item.value.power).await?.map(|v| v.value);
        let org = self
            .store
            .orgs()
            .await?
            .into_iter()
            .find(|o| o.code == item.value.handling_org);
        Ok(ItemPage { item, power, org })
    }

    pub async fn fees(&self) -> Result<Vec<FeeItem>, AppError> {
        Ok(self.store.fees().await?)
    }

    /// The published figures, computed from the histories as of today.
    pub async fn overview(&self) -> Result<Overview, AppError> {
        let powers = self.store.powers(&PowerFilter::default()).await?;
        let fees = self.store.fees().await?;
        Ok(Overview::compute(&powers, &fees, self.today()))
    }
}
