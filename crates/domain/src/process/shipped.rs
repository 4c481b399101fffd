//! The definitions shipped with the product, compiled in from `data/processes/`: the industrial
//! product production licence in both procedures (RULES.md §2), the special-equipment production
//! licence with an appraisal institution (§3), an item decided on the spot at the window, and the
//! cases on an existing licence: change (art. 49), renewal (art. 50), cancellation (art. 70).
//! A test keeps them free of problems and warnings.

use super::model::ProcessDefinition;

/// The shipped definitions' texts, by file name.
pub const SHIPPED_SOURCES: &[(&str, &str)] = &[
    (
        "industrial_product_onsite_first.toml",
        include_str!("../../data/processes/industrial_product_onsite_first.toml"),
    ),
    (
        "industrial_product_licence_first.toml",
        include_str!("../../data/processes/industrial_product_licence_first.toml"),
    ),
    (
        "special_equipment_production.toml",
        include_str!("../../data/processes/special_equipment_production.toml"),
    ),
    (
        "on_the_spot.toml",
        include_str!("../../data/processes/on_the_spot.toml"),
    ),
    (
        "licence_change.toml",
        include_str!("../../data/processes/licence_change.toml"),
    ),
    (
        "licence_renewal.toml",
        include_str!("../../data/processes/licence_renewal.toml"),
    ),
    (
        "licence_cancellation.toml",
        include_str!("../../data/processes/licence_cancellation.toml"),
    ),
];

/// The shipped definitions, parsed.
pub fn shipped() -> Vec<ProcessDefinition> {
    SHIPPED_SOURCES
        .iter()
        .map(|(file, text)| {
            ProcessDefinition::parse(text)
                // Compiled in and checked by the tests: failing is a build bug.
                .unwrap_or_else(|problems| panic!("shipped definition {file}: {problems:?}"))
        })
        .collect()
}
