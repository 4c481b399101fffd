//! How much an import may hold, and the running count that enforces it while a file is read.
//!
//! The limits protect the server from accidents (a whole database dumped into one sheet) and
//! from small files that expand hugely (an .xlsx is a zip: 20 MB can unzip to gigabytes of
//! cells). Reading stops at the first limit crossed, so memory stays proportional to the limits,
//! not to what the file claims to hold.

use crate::problem::{Problem, human_size};

/// Ceilings for one imported file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, checked before any parsing. Default 20 MiB.
    pub max_bytes: usize,
    /// Most non-blank rows under the headers, all sheets together. Default 100 000.
    pub max_rows: usize,
    /// Most cells, all sheets together: non-empty cells while reading, then rows × header
    /// width of the tables handed back. Default 4 000 000 (100 000 rows of 40 columns).
    pub max_cells: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 20 * 1024 * 1024,
            max_rows: 100_000,
            max_cells: 4_000_000,
        }
    }
}

impl Limits {
    /// The size check done before parsing.
    pub(crate) fn check_size(&self, len: usize) -> Result<(), Problem> {
        if len > self.max_bytes {
            return Err(Problem::new(format!(
                "the file is {}, larger than the {} limit; split it into smaller files and \
                 import them one at a time",
                human_size(len),
                human_size(self.max_bytes)
            )));
        }
        Ok(())
    }
}

/// Counts rows and cells against the limits across all sheets of one file.
#[derive(Debug)]
pub(crate) struct Budget {
    limits: Limits,
    rows: usize,
    cells: usize,
    grid: usize,
}

impl Budget {
    pub fn new(limits: &Limits) -> Self {
        Self {
            limits: *limits,
            rows: 0,
            cells: 0,
            grid: 0,
        }
    }

    /// Counts one non-blank row below a header.
    pub fn data_row(&mut self) -> Result<(), Problem> {
        self.rows += 1;
        if self.rows > self.limits.max_rows {
            return Err(Problem::new(format!(
                "the file has more than {} rows (not counting headers), the most one import \
                 accepts; split it into smaller files and import them one at a time",
                self.limits.max_rows
            )));
        }
        Ok(())
    }

    /// Counts non-empty cells as they are read.
    pub fn cells(&mut self, count: usize) -> Result<(), Problem> {
        self.cells = self.cells.saturating_add(count);
        if self.cells > self.limits.max_cells {
            return Err(self.too_many_cells());
        }
        Ok(())
    }

    /// Counts the cells of a sheet's table (rows × header width) before it is built.
    pub fn table(&mut self, rows: usize, width: usize) -> Result<(), Problem> {
        self.grid = self.grid.saturating_add(rows.saturating_mul(width));
        if self.grid > self.limits.max_cells {
            return Err(self.too_many_cells());
        }
        Ok(())
    }

    fn too_many_cells(&self) -> Problem {
        Problem::new(format!(
            "the file has more than {} cells, the most one import accepts; split it into \
             smaller files and import them one at a time",
            self.limits.max_cells
        ))
    }
}

/// True for 0 bytes, or only a UTF-8 byte-order mark and whitespace.
pub(crate) fn is_empty_file(bytes: &[u8]) -> bool {
    bytes
        .strip_prefix(crate::csv_read::UTF8_BOM)
        .unwrap_or(bytes)
        .iter()
        .all(u8::is_ascii_whitespace)
}

pub(crate) fn empty_file() -> Problem {
    Problem::new("the file is empty; check that the right file was chosen and that it was saved")
}
