//! Finding and loading the CJK serif font at run time.
//!
//! Owns the lookup of Noto Serif CJK (Debian `fonts-noto-cjk`): first `fc-list
//! :lang=zh`, then the known Debian paths. The font files are mapped into memory once and
//! shared by every render. It must never embed a font in the binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use typst::foundations::Bytes;
use typst::text::Font;

/// The family every shipped template asks for.
pub const FAMILY: &str = "Noto Serif CJK SC";

const DEBIAN_DIR: &str = "/usr/share/fonts/opentype/noto";
const FILES: [&str; 2] = ["NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc"];
const INSTALL_HINT: &str = "install it with `apt-get install fonts-noto-cjk`";

/// Why the fonts could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// Neither fontconfig nor the Debian path has the font.
    #[error(
        "the Chinese serif font {FAMILY} was not found (searched `fc-list :lang=zh` and {DEBIAN_DIR}); {INSTALL_HINT}"
    )]
    NotFound,
    /// A font file exists but cannot be read.
    #[error("cannot read font file {path}: {source}; {INSTALL_HINT}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A font file is not a font typst can use.
    #[error(
        "{path} holds no usable font; reinstall it with `apt-get install --reinstall fonts-noto-cjk`"
    )]
    Unusable {
        /// The file.
        path: PathBuf,
    },
}

/// Loaded font faces, cheap to clone (the file data is shared).
#[derive(Clone)]
pub struct Fonts {
    faces: Vec<Font>,
    paths: Vec<PathBuf>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fonts({} faces from {:?})", self.faces.len(), self.paths)
    }
}

impl Fonts {
    /// Finds Noto Serif CJK (regular and, if present, bold) and loads it.
    pub fn discover() -> Result<Self, FontError> {
        let mut paths = fontconfig_paths();
        if paths.is_empty() {
            paths = FILES
                .iter()
                .map(|f| Path::new(DEBIAN_DIR).join(f))
                .filter(|p| p.is_file())
                .collect();
        }
        if paths.is_empty() {
            return Err(FontError::NotFound);
        }
        Self::from_files(&paths)
    }

    /// Loads these font files (`.ttc`, `.otf`, `.ttf`); every face in them is usable.
    pub fn from_files(paths: &[PathBuf]) -> Result<Self, FontError> {
        let mut faces = Vec::new();
        for path in paths {
            let read_error = |source| FontError::Read {
                path: path.clone(),
                source,
            };
            let file = std::fs::File::open(path).map_err(read_error)?;
            // Mapped, not read: the two faces are ≈ 50 MB, which then stay in the page cache
            // (shared, and dropped under memory pressure) instead of the process's own memory;
            // only the pages typesetting touches count in its RSS (issue 6).
            // SAFETY: the mapping is read-only and the files are the system's fonts, which a
            // package upgrade replaces by renaming a new file into place, so the pages mapped
            // stay those of the file opened here. A file truncated in place by hand while the
            // server runs would fault the process: an administrator's error, as deleting the
            // database would be.
            let data = unsafe { memmap2::Mmap::map(&file) }.map_err(read_error)?;
            let before = faces.len();
            faces.extend(Font::iter(Bytes::new(data)));
            if faces.len() == before {
                return Err(FontError::Unusable { path: path.clone() });
            }
        }
        if !faces.iter().any(|f| f.info().family == FAMILY) {
            return Err(FontError::NotFound);
        }
        Ok(Self {
            faces,
            paths: paths.to_vec(),
        })
    }

    /// The loaded faces.
    pub fn faces(&self) -> &[Font] {
        &self.faces
    }

    /// The files they came from.
    pub fn paths(&self) -> &[PathBuf] {
        &self.paths
    }
}

/// Noto Serif CJK files fontconfig knows for Chinese, regular first.
fn fontconfig_paths() -> Vec<PathBuf> {
    let Ok(out) = Command::new("fc-list").args([":lang=zh", "file"]).output() else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&out.stdout);
    FILES
        .iter()
        .filter_map(|name| {
            text.lines()
                .map(|line| line.trim().trim_end_matches(':'))
                .find(|path| path.ends_with(&format!("/{name}")))
                .map(PathBuf::from)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_font_says_how_to_install_it() {
        let message = FontError::NotFound.to_string();
        assert!(
            message.contains("apt-get install fonts-noto-cjk"),
            "{message}"
        );
        let err = Fonts::from_files(&[PathBuf::from("/nonexistent/font.ttc")]).unwrap_err();
        assert!(
            err.to_string().contains("apt-get install fonts-noto-cjk"),
            "{err}"
        );
    }
}
