//! The web crate's integration tests, as one binary: each file here was once its own test
//! binary, and each linked the whole dependency tree again (≈150–190 MB apiece), which filled
//! CI's disk. One binary links once and runs the same tests (names gain the file as a module).

mod support;

mod accounts;
mod admin;
mod admin_catalogue_file;
mod admin_records;
mod admission;
mod api;
mod api_case_refusals;
mod api_cases;
mod api_prefer_minimal;
mod case_forms;
mod case_pages;
mod case_wording;
mod documents;
mod licence_cases;
mod licence_certificates;
mod licence_public_facts;
mod licences;
mod notifications;
mod openapi_doc;
mod pages;
