//! Validated identifiers (RULES.md §8, §2, §3): the Unified Social Credit Code (GB 32100-2015,
//! with the GB 11714 organisation code inside it), licence numbers and the formats items issue
//! them in, the electronic licence identifier (GB/T 36904) and its ISO/IEC 7064 MOD 37,36
//! check. Each is built by a `parse` that says exactly what is wrong, so past the edge nobody
//! handles a raw string. Pure: no I/O, no lookups — a code's division part is not checked
//! against any list, and serials come from the caller.

mod credit_code;
mod credit_code_error;
mod electronic_licence_id;
pub mod iso7064;
mod licence_format;
mod licence_number;

pub use credit_code::{ALPHABET as CREDIT_CODE_ALPHABET, CreditCode};
pub use credit_code_error::{CreditCodeError, CreditCodeProblem};
pub use electronic_licence_id::{ElectronicLicenceId, ElectronicLicenceIdError};
pub use licence_format::{LicenceFormat, SpecialEquipmentFormat};
pub use licence_number::{LicenceNumber, LicenceNumberError, LicenceScheme};
