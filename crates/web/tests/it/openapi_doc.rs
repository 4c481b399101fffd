//! The committed OpenAPI document (docs/openapi.json) must be the one the code serves: CI fails
//! when an endpoint changes without regenerating it (`cargo run -- openapi > docs/openapi.json`).

#[test]
fn the_committed_openapi_document_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    let committed = std::fs::read_to_string(path).expect("docs/openapi.json exists");
    let current = onewindow_web::openapi_json();
    assert!(
        committed.trim_end() == current.trim_end(),
        "docs/openapi.json is stale: run `cargo run -- openapi > docs/openapi.json` and commit it"
    );
}
