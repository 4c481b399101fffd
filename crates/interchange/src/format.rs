//! The two file formats, and telling which one a file is. The content decides first (an .xlsx is
//! a zip archive, whatever its name says); the file name only breaks the tie.

use std::fmt;
use std::path::Path;

/// A file format the catalogue can be imported from and exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// The usual file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    /// The media type to serve an exported file with.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Csv => "CSV",
            Self::Xlsx => "XLSX",
        })
    }
}

/// Zip archives start with a local file header (`PK\x03\x04`), or, when empty or spanned, an
/// end-of-directory or spanning marker.
const ZIP_SIGNATURES: [&[u8]; 3] = [b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"];

/// Which format `bytes` are in: a zip archive is XLSX; otherwise the file name's extension
/// (`.csv`; `.xlsx` or `.xlsm`, case-insensitive) decides. `None` when neither tells.
pub fn detect_format(file_name: Option<&str>, bytes: &[u8]) -> Option<Format> {
    if ZIP_SIGNATURES
        .iter()
        .any(|signature| bytes.starts_with(signature))
    {
        return Some(Format::Xlsx);
    }
    let extension = Path::new(file_name?).extension()?.to_str()?;
    if extension.eq_ignore_ascii_case("csv") {
        Some(Format::Csv)
    } else if extension.eq_ignore_ascii_case("xlsx") || extension.eq_ignore_ascii_case("xlsm") {
        Some(Format::Xlsx)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zip_is_xlsx_whatever_its_name() {
        let zip = b"PK\x03\x04rest";
        assert_eq!(
            detect_format(Some("catalogue.csv"), zip),
            Some(Format::Xlsx)
        );
        assert_eq!(detect_format(None, zip), Some(Format::Xlsx));
    }

    #[test]
    fn otherwise_the_extension_decides() {
        assert_eq!(detect_format(Some("目录.CSV"), b"a,b"), Some(Format::Csv));
        assert_eq!(
            detect_format(Some("x.xlsx"), b"garbage"),
            Some(Format::Xlsx)
        );
        assert_eq!(detect_format(Some("x.txt"), b"a,b"), None);
        assert_eq!(detect_format(None, b"a,b"), None);
    }
}
