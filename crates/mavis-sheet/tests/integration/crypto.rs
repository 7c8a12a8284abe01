//! Password-protected workbooks (issue 9): an encrypted export reads back
//! exactly as the plain one; a wrong or missing password is a clear error.
//!
//! Encryption draws random salts and a random key, so two encryptions of
//! the same workbook differ byte for byte; what must not differ is what
//! they decrypt to. These tests ask that, never identical encrypted bytes.

use crate::common::{reference_doc, today};
use mavis_sheet::{
    decrypt_workbook, encrypt_workbook, is_encrypted, read_bytes, read_bytes_with,
    read_bytes_with_password, read_sheet_rows, ErrorKind, OfflineWorkbook, ReadLimits,
    SESSION_SHEET,
};

const PASSWORD: &str = "Sch00l-nurses, 15 October!";
const FILE: &str = "Riverside Academy (141234) - exported on 15 October 2025.xlsx";

fn plain() -> Vec<u8> {
    OfflineWorkbook::new(&reference_doc(1002), today())
        .to_bytes()
        .unwrap()
}

#[test]
fn an_encrypted_export_reads_back_identical_to_the_plain_export() {
    let plain = plain();
    let locked = encrypt_workbook(&plain, PASSWORD, FILE).unwrap();
    assert!(is_encrypted(&locked));
    assert!(!is_encrypted(&plain));
    assert!(locked.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]));

    // What is inside is the plain workbook, byte for byte.
    assert_eq!(decrypt_workbook(&locked, PASSWORD, FILE).unwrap(), plain);

    let expected = read_bytes(&plain, FILE).unwrap();
    assert!(!expected.rows.is_empty());
    let table = read_bytes_with_password(&locked, FILE, PASSWORD, &ReadLimits::default()).unwrap();
    assert_eq!(table, expected);

    // A plain file is read as it is, whatever the password.
    let table = read_bytes_with_password(&plain, FILE, PASSWORD, &ReadLimits::default()).unwrap();
    assert_eq!(table, expected);
}

#[test]
fn the_session_sheet_survives_encryption() {
    let plain = plain();
    let locked = encrypt_workbook(&plain, PASSWORD, FILE).unwrap();
    let opened = decrypt_workbook(&locked, PASSWORD, FILE).unwrap();
    assert_eq!(
        read_sheet_rows(&opened, FILE, SESSION_SHEET).unwrap(),
        read_sheet_rows(&plain, FILE, SESSION_SHEET).unwrap()
    );
    let err = read_sheet_rows(&locked, FILE, SESSION_SHEET).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Encrypted { .. }), "{err}");
}

#[test]
fn a_wrong_password_is_a_clear_error_never_garbage() {
    let locked = encrypt_workbook(&plain(), PASSWORD, FILE).unwrap();
    for wrong in [
        "",
        "sch00l-nurses, 15 october!",
        "Sch00l-nurses, 15 October! ",
    ] {
        let err = decrypt_workbook(&locked, wrong, FILE).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::WrongPassword { .. }),
            "{wrong:?}: {err}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "{FILE}: the password does not open this workbook; check it (capitals count) and \
                 try again"
            )
        );
        let err =
            read_bytes_with_password(&locked, FILE, wrong, &ReadLimits::default()).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::WrongPassword { .. }));
    }
}

#[test]
fn no_password_says_the_workbook_is_protected() {
    let locked = encrypt_workbook(&plain(), PASSWORD, FILE).unwrap();
    for err in [
        read_bytes(&locked, FILE).unwrap_err(),
        read_bytes_with(&locked, FILE, &ReadLimits::upload()).unwrap_err(),
    ] {
        assert!(matches!(err.kind(), ErrorKind::Encrypted { .. }), "{err}");
        assert_eq!(
            err.to_string(),
            format!(
                "{FILE}: this workbook is protected with a password; give its password to open it"
            )
        );
    }
}

#[test]
fn encryption_is_not_deterministic_but_decryption_is() {
    // Random salts: the same workbook and password give other bytes each
    // time, and both open to the same workbook.
    let plain = plain();
    let one = encrypt_workbook(&plain, PASSWORD, FILE).unwrap();
    let two = encrypt_workbook(&plain, PASSWORD, FILE).unwrap();
    assert_ne!(one, two);
    assert_eq!(decrypt_workbook(&one, PASSWORD, FILE).unwrap(), plain);
    assert_eq!(decrypt_workbook(&two, PASSWORD, FILE).unwrap(), plain);
}

#[test]
fn only_a_plain_workbook_is_encrypted() {
    let err = encrypt_workbook(b"PERSON_FORENAME\r\nAisha\r\n", PASSWORD, FILE).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::NotAWorkbook { .. }),
        "{err}"
    );
    let locked = encrypt_workbook(&plain(), PASSWORD, FILE).unwrap();
    let err = encrypt_workbook(&locked, PASSWORD, FILE).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::NotAWorkbook { .. }),
        "{err}"
    );
    let err = encrypt_workbook(&plain(), "", FILE).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::EmptyPassword), "{err}");
}

#[test]
fn a_damaged_encrypted_workbook_is_unreadable_not_a_panic() {
    let locked = encrypt_workbook(&plain(), PASSWORD, FILE).unwrap();
    // Cut it short, and flip bytes through the middle.
    let mut cases = vec![locked[..locked.len() / 2].to_vec()];
    let mut flipped = locked.clone();
    for i in (512..flipped.len()).step_by(97) {
        flipped[i] ^= 0x5A;
    }
    cases.push(flipped);
    for bytes in cases {
        if let Err(err) = read_bytes_with_password(&bytes, FILE, PASSWORD, &ReadLimits::default()) {
            assert!(
                matches!(
                    err.kind(),
                    ErrorKind::Unreadable { .. }
                        | ErrorKind::WrongPassword { .. }
                        | ErrorKind::NotAWorkbook { .. }
                ),
                "{err}"
            );
        }
    }
}
