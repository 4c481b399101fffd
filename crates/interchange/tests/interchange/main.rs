//! Integration tests of the public API, one binary: round trips through both formats, every
//! refusal with its exact position, limits, and list cells.

mod csv_problems;
mod limits;
mod list_cells;
mod robustness;
mod round_trips;
mod support;
mod xlsx_problems;
