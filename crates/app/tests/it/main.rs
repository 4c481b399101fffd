//! The app crate's integration tests, as one binary: each file here was once its own test
//! binary, and each linked the whole dependency tree again (≈150–190 MB apiece), which filled
//! CI's disk. One binary links once and runs the same tests (names gain the file as a module).

mod support;

mod accounts;
mod background_documents;
mod case_flow;
mod catalogue_admin_edits;
mod catalogue_file_refusals;
mod catalogue_history;
mod catalogue_overview;
mod catalogue_record_refusals;
mod catalogue_round_trip;
mod demo_cases;
mod demo_catalogue;
mod document_templates;
mod documents;
mod instance_caches;
mod licence_cases;
mod licence_identifier;
mod licence_open_cases;
mod licences;
mod move_answers;
mod notifications;
mod recompute_rows;
mod rerender;
mod roles;
mod scale_seed;
mod smtp_tls;
mod sweeper;
mod synthetic_cases;
