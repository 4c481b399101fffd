//! Catalogue records travel to the database as JSON objects of their fields — the same names and
//! shapes as the catalogue file — and come back through the domain's own parser, so a stored
//! record is exactly as valid as an imported one.

use onewindow_domain::catalogue::{FieldSpec, FieldValue, Problems, RecordSource};
use onewindow_store::StoreError;
use serde_json::{Map, Value};

/// Serialises a record's fields.
pub fn to_json(specs: &[FieldSpec], values: Vec<FieldValue>) -> String {
    let mut map = Map::new();
    for (spec, value) in specs.iter().zip(values) {
        let json = match value {
            FieldValue::Text(t) => Value::String(t),
            FieldValue::List(entries) => Value::Array(
                entries
                    .into_iter()
                    .map(|parts| Value::Array(parts.into_iter().map(Value::String).collect()))
                    .collect(),
            ),
        };
        map.insert(spec.name.to_owned(), json);
    }
    Value::Object(map).to_string()
}

/// A stored record, read back as a [`RecordSource`].
pub struct JsonRecord(Map<String, Value>);

impl RecordSource for JsonRecord {
    fn text(&self, field: &str) -> &str {
        self.0.get(field).and_then(Value::as_str).unwrap_or("")
    }

    fn list(&self, field: &str) -> Vec<Vec<String>> {
        let Some(Value::Array(entries)) = self.0.get(field) else {
            return Vec::new();
        };
        entries
            .iter()
            .map(|entry| match entry {
                Value::Array(parts) => parts
                    .iter()
                    .map(|p| p.as_str().unwrap_or_default().to_owned())
                    .collect(),
                _ => Vec::new(),
            })
            .collect()
    }
}

/// Parses a stored record with the domain parser `parse`.
pub fn from_json<T>(
    what: &str,
    json: &str,
    parse: impl FnOnce(&JsonRecord) -> Result<T, Problems>,
) -> Result<T, StoreError> {
    let corrupt = |detail: String| StoreError::Corrupt {
        what: what.to_owned(),
        detail,
    };
    match serde_json::from_str(json) {
        Ok(Value::Object(map)) => parse(&JsonRecord(map)).map_err(|p| corrupt(p.to_string())),
        Ok(_) => Err(corrupt("not a JSON object".into())),
        Err(e) => Err(corrupt(e.to_string())),
    }
}
