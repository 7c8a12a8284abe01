//! Password-protected workbooks: ECMA-376 agile encryption, the kind Excel
//! writes with File > Info > Protect Workbook > Encrypt with Password and
//! LibreOffice opens when given the password.
//!
//! An encrypted `.xlsx` is not a zip but an OLE compound file (it starts
//! `D0 CF 11 E0`) holding two streams, `EncryptionInfo` (salts, the spin
//! count, the encrypted key) and `EncryptedPackage` (the zip, encrypted with
//! AES-256). No cipher code is written here: `ms-offcrypto-writer` encrypts
//! and `office-crypto` decrypts.

use std::io::{Cursor, Write};

use crate::error::{Error, ErrorKind, Result};

/// The stream that marks an OLE compound file as an encrypted OOXML package.
const ENCRYPTION_INFO: &str = "/EncryptionInfo";

/// Whether `bytes` are an encrypted OOXML workbook: an OLE compound file
/// (`D0 CF 11 E0`) with an `EncryptionInfo` stream, as opposed to a plain
/// `.xlsx` (a zip, `PK\x03\x04`) or an old binary `.xls` (OLE without it).
///
/// # Examples
///
/// ```
/// use mavis_sheet::{encrypt_workbook, is_encrypted};
/// # use mavis_demo::{self as demo, DemoOptions};
/// # use mavis_domain::chrono::NaiveDate;
/// # let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// # let doc = demo::session(&DemoOptions { children: 2, ..DemoOptions::new(today) });
/// let plain = mavis_sheet::OfflineWorkbook::new(&doc, today).to_bytes()?;
/// assert!(!is_encrypted(&plain));
/// assert!(is_encrypted(&encrypt_workbook(&plain, "correct horse", "session.xlsx")?));
/// assert!(!is_encrypted(b"PERSON_FORENAME\r\n"));
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn is_encrypted(bytes: &[u8]) -> bool {
    if !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return false;
    }
    cfb::CompoundFile::open(Cursor::new(bytes)).is_ok_and(|file| file.is_stream(ENCRYPTION_INFO))
}

/// Encrypt a workbook (the bytes of an `.xlsx`; `file` names it in
/// messages) with `password`, with
/// ECMA-376 agile encryption: AES-256 in CBC mode, the key derived from the
/// password by 100,000 rounds of SHA-512 over a random salt, and an HMAC over
/// the package. Excel and LibreOffice open the result when given the password.
///
/// The salts and the key are random, so encrypting the same workbook twice
/// gives different bytes; both decrypt to the same workbook.
///
/// # Errors
///
/// [`ErrorKind::EmptyPassword`] for an empty password,
/// [`ErrorKind::NotAWorkbook`], naming `file`, when `bytes` are not an
/// `.xlsx` package (an
/// already encrypted one included), [`ErrorKind::Encryption`] when the
/// encryption fails.
///
/// # Examples
///
/// ```
/// use mavis_sheet::{decrypt_workbook, encrypt_workbook};
/// # use mavis_demo::{self as demo, DemoOptions};
/// # use mavis_domain::chrono::NaiveDate;
/// # let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// # let doc = demo::session(&DemoOptions { children: 2, ..DemoOptions::new(today) });
/// let plain = mavis_sheet::OfflineWorkbook::new(&doc, today).to_bytes()?;
/// let locked = encrypt_workbook(&plain, "correct horse", "session.xlsx")?;
/// assert!(locked.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]));
/// assert_eq!(decrypt_workbook(&locked, "correct horse", "session.xlsx")?, plain);
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn encrypt_workbook(bytes: &[u8], password: &str, file: &str) -> Result<Vec<u8>> {
    if password.is_empty() {
        return Err(ErrorKind::EmptyPassword.into());
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(ErrorKind::NotAWorkbook {
            file: file.to_owned(),
            message: "only a plain Excel workbook (.xlsx) can be encrypted, and this is not one \
                      (or is encrypted already); save it as an Excel workbook and try again"
                .to_owned(),
        }
        .into());
    }
    let failed = |e: std::io::Error| Error::from(ErrorKind::Encryption(e.to_string()));
    let mut rng = rand::rng();
    let mut writer = ms_offcrypto_writer::Ecma376AgileWriter::create(
        &mut rng,
        password,
        Cursor::new(Vec::new()),
    )
    .map_err(failed)?;
    writer.write_all(bytes).map_err(failed)?;
    Ok(writer.into_inner().map_err(failed)?.into_inner())
}

/// Decrypt an encrypted workbook (see [`is_encrypted`]) with `password`,
/// giving the bytes of the plain `.xlsx`. `file` names it in messages.
///
/// The file format has no check of the password that this decryption
/// makes, so a wrong password is found by what it gives: anything but a
/// whole zip package is [`ErrorKind::WrongPassword`], never garbage.
///
/// # Errors
///
/// [`ErrorKind::WrongPassword`] when the password does not open it,
/// [`ErrorKind::Unreadable`] when the bytes are not an encrypted workbook or
/// are encrypted in a way that cannot be read (old binary `.xls`, standard
/// or extensible encryption with another hash than SHA-512).
///
/// # Examples
///
/// ```
/// use mavis_sheet::{decrypt_workbook, encrypt_workbook, ErrorKind};
/// # use mavis_demo::{self as demo, DemoOptions};
/// # use mavis_domain::chrono::NaiveDate;
/// # let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// # let doc = demo::session(&DemoOptions { children: 2, ..DemoOptions::new(today) });
/// let plain = mavis_sheet::OfflineWorkbook::new(&doc, today).to_bytes()?;
/// let locked = encrypt_workbook(&plain, "correct horse", "session.xlsx")?;
/// let err = decrypt_workbook(&locked, "battery staple", "session.xlsx").unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::WrongPassword { .. }));
/// assert_eq!(
///     err.to_string(),
///     "session.xlsx: the password does not open this workbook; check it (capitals count) and try again"
/// );
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn decrypt_workbook(bytes: &[u8], password: &str, file: &str) -> Result<Vec<u8>> {
    use office_crypto::DecryptError;
    let unreadable = |message: String| -> Error {
        ErrorKind::Unreadable {
            file: file.to_owned(),
            message,
        }
        .into()
    };
    if !is_encrypted(bytes) {
        return Err(unreadable(
            "it is not a password-protected workbook".to_owned(),
        ));
    }
    let plain = match office_crypto::decrypt_from_bytes(bytes.to_vec(), password) {
        Ok(plain) => plain,
        Err(DecryptError::Unimplemented(what)) => {
            return Err(unreadable(format!(
                "it is encrypted in a way this tool cannot read ({what}); open it with the \
                 password and save it again as an Excel workbook with a password"
            )))
        }
        Err(e) => {
            return Err(unreadable(format!(
                "the encrypted workbook is damaged ({e}); ask for the file again"
            )))
        }
    };
    let whole_zip = plain.starts_with(b"PK\x03\x04")
        && zip::ZipArchive::new(Cursor::new(plain.as_slice())).is_ok();
    if !whole_zip {
        return Err(ErrorKind::WrongPassword {
            file: file.to_owned(),
        }
        .into());
    }
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zip_or_text_is_not_encrypted() {
        assert!(!is_encrypted(b""));
        assert!(!is_encrypted(b"PK\x03\x04rest"));
        assert!(!is_encrypted(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0]));
    }

    #[test]
    fn an_empty_password_is_refused() {
        let err = encrypt_workbook(b"PK\x03\x04", "", "session.xlsx").unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::EmptyPassword));
    }

    #[test]
    fn plain_bytes_do_not_decrypt() {
        let err = decrypt_workbook(b"PK\x03\x04", "pw", "a.xlsx").unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.xlsx: cannot be read: it is not a password-protected workbook"
        );
    }
}
