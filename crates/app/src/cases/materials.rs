//! Materials handed in with an application or a supplement: each checked by its content (PDF,
//! JPEG, PNG or OFD) and size before anything is stored, then kept content-addressed (a file
//! name never becomes a path; identical files are stored once). Downloads are for those who
//! may see the case.

use onewindow_domain::cases::{Hash, MaterialRef};
use onewindow_domain::catalogue::Problems;
use onewindow_domain::materials::{FileType, check_material, sniff};
use onewindow_store::ContentHash;

use super::Person;
use crate::{App, AppError};

/// One uploaded file for one material of the guide.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The material's name in the service guide (申请材料名称).
    pub material: String,
    /// The name the file had on the sender's machine (only its extension is read).
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl App {
    /// Checks every upload first (all problems at once, by material), then stores them.
    pub(crate) async fn store_uploads(
        &self,
        uploads: &[Upload],
    ) -> Result<Vec<MaterialRef>, AppError> {
        let mut problems = Problems::default();
        for upload in uploads {
            if let Err(e) = check_material(&upload.file_name, &upload.bytes) {
                problems.push("materials", format!("{}: {e}", upload.material));
            }
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid {
                what: "materials".into(),
                problems,
            });
        }
        let files: Vec<&[u8]> = uploads.iter().map(|u| u.bytes.as_slice()).collect();
        let hashes = self.files.put_all(&files).await?;
        let mut refs = Vec::with_capacity(uploads.len());
        for (upload, stored) in uploads.iter().zip(hashes) {
            let content_hash = Hash::parse(stored.as_str()).map_err(|e| {
                AppError::Refused(format!("the file store answered a bad hash: {e}"))
            })?;
            refs.push(MaterialRef {
                name: upload.material.clone(),
                content_hash,
            });
        }
        Ok(refs)
    }

    /// A material of a case, for someone who may see the case: its bytes and type.
    pub async fn case_material(
        &self,
        person: &Person,
        number: &str,
        hash: &str,
    ) -> Result<(Vec<u8>, FileType), AppError> {
        let case = self.load_case(number).await?;
        self.check_visible(person, &case)?;
        let listed = case
            .state
            .materials()
            .iter()
            .any(|m| m.content_hash.to_string() == hash);
        let missing = || AppError::NotFound(format!("material {hash} of case {number}"));
        if !listed {
            return Err(missing());
        }
        let address = ContentHash::parse(hash).ok_or_else(missing)?;
        let bytes = self.files.get(&address).await?.ok_or_else(missing)?;
        let kind = sniff(&bytes).ok_or_else(missing)?;
        Ok((bytes, kind))
    }
}
