//! Uploaded materials: what a file really is, judged by its content (never by its name or the
//! type the browser claims), and how large it may be. Applicants hand in PDF, JPEG, PNG or OFD
//! (GB/T 33190, the Chinese fixed-layout format, a ZIP package with `OFD.xml` at its root).

use std::fmt;

/// The kinds of file a material may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
    Ofd,
}

impl FileType {
    pub fn media_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Ofd => "application/ofd",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
            FileType::Ofd => "ofd",
        }
    }
}

impl fmt::Display for FileType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// The largest material accepted, in bytes (20 MiB: a scanned multi-page PDF).
pub const MAX_MATERIAL_BYTES: usize = 20 * 1024 * 1024;

/// Why a file is not accepted as a material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MaterialFileError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {size} bytes; a material may be at most {max} bytes (20 MB)", max = MAX_MATERIAL_BYTES)]
    TooLarge { size: usize },
    #[error("the file is not a PDF, JPEG, PNG or OFD document (judged by its content{claimed})")]
    UnknownType { claimed: String },
    #[error(
        "the file's content is {actual} but its name says .{claimed}; rename it or upload the right file"
    )]
    Mismatch { actual: FileType, claimed: String },
}

/// Judges a file by its first bytes. An OFD is a ZIP whose first entry is `OFD.xml` (the
/// package's entry document); other ZIPs (e.g. a Word file) are refused.
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileType::Png)
    } else if bytes.starts_with(b"PK\x03\x04")
        && zip_first_name(bytes) == Some(b"OFD.xml".as_slice())
    {
        Some(FileType::Ofd)
    } else {
        None
    }
}

/// The name of a ZIP's first local file entry.
fn zip_first_name(bytes: &[u8]) -> Option<&[u8]> {
    let len = usize::from(u16::from_le_bytes([*bytes.get(26)?, *bytes.get(27)?]));
    bytes.get(30..30 + len)
}

/// Checks a material: size, type by content, and agreement with the file name's extension.
pub fn check_material(file_name: &str, bytes: &[u8]) -> Result<FileType, MaterialFileError> {
    if bytes.is_empty() {
        return Err(MaterialFileError::Empty);
    }
    if bytes.len() > MAX_MATERIAL_BYTES {
        return Err(MaterialFileError::TooLarge { size: bytes.len() });
    }
    let claimed = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let actual = sniff(bytes).ok_or_else(|| MaterialFileError::UnknownType {
        claimed: if claimed.is_empty() {
            String::new()
        } else {
            format!("; its name says .{claimed}")
        },
    })?;
    let agrees = claimed.is_empty()
        || claimed == actual.extension()
        || (actual == FileType::Jpeg && claimed == "jpeg");
    if agrees {
        Ok(actual)
    } else {
        Err(MaterialFileError::Mismatch { actual, claimed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with_first(name: &str) -> Vec<u8> {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend_from_slice(&[0; 22]);
        bytes.extend_from_slice(&u16::try_from(name.len()).unwrap().to_le_bytes());
        bytes.extend_from_slice(&[0, 0]);
        bytes.extend_from_slice(name.as_bytes());
        bytes
    }

    #[test]
    fn files_are_judged_by_their_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileType::Pdf));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileType::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(FileType::Png));
        assert_eq!(sniff(&zip_with_first("OFD.xml")), Some(FileType::Ofd));
        assert_eq!(
            sniff(&zip_with_first("[Content_Types].xml")),
            None,
            "a Word file is not an OFD"
        );
        assert_eq!(sniff(b"MZ\x90\x00"), None);
    }

    #[test]
    fn a_file_that_is_not_what_its_name_claims_is_refused() {
        let err = check_material("licence.pdf", b"\x89PNG\r\n\x1a\n").unwrap_err();
        assert!(err.to_string().contains("png"), "{err}");
        let err = check_material("virus.pdf", b"MZ\x90").unwrap_err();
        assert!(
            matches!(err, MaterialFileError::UnknownType { .. }),
            "{err}"
        );
        assert_eq!(
            check_material("scan.JPEG", &[0xFF, 0xD8, 0xFF]),
            Ok(FileType::Jpeg)
        );
    }

    #[test]
    fn empty_and_oversized_files_are_refused() {
        assert_eq!(check_material("a.pdf", b""), Err(MaterialFileError::Empty));
        let big = vec![b'%'; MAX_MATERIAL_BYTES + 1];
        assert!(matches!(
            check_material("a.pdf", &big),
            Err(MaterialFileError::TooLarge { .. })
        ));
    }
}
