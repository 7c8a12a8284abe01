//! One upload per session: Mavis wants the amalgamated sheet uploaded once.
//! Given the outcome digests of the session's earlier uploads (the service
//! keeps them), a different version is refused and the same one let through.

/// How an upload compares with the session's earlier uploads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadVersion {
    /// No earlier upload: go ahead.
    First,
    /// The same outcomes as an earlier upload: a repeat, harmless.
    Same,
    /// Different outcomes from an earlier upload of the same session.
    Different {
        /// The earlier upload's digest.
        earlier: String,
    },
}

impl UploadVersion {
    /// Compare an upload's outcome digest
    /// ([`mavis_domain::outcome_digest`]) with the digests of the session's
    /// earlier uploads.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_import::UploadVersion;
    ///
    /// assert_eq!(UploadVersion::of("sha256:aa", &[]), UploadVersion::First);
    /// assert_eq!(UploadVersion::of("sha256:aa", &["sha256:aa".into()]), UploadVersion::Same);
    /// let v = UploadVersion::of("sha256:bb", &["sha256:aa".into()]);
    /// assert!(v.refusal(1002).unwrap().starts_with("Session 1002 was uploaded before"));
    /// ```
    pub fn of(digest: &str, earlier: &[String]) -> UploadVersion {
        if earlier.is_empty() {
            UploadVersion::First
        } else if earlier.iter().any(|e| e == digest) {
            UploadVersion::Same
        } else {
            UploadVersion::Different {
                earlier: earlier.last().cloned().unwrap_or_default(),
            }
        }
    }

    /// The message that refuses a different version, if this is one.
    pub fn refusal(&self, session_id: u64) -> Option<String> {
        match self {
            UploadVersion::Different { earlier } => Some(format!(
                "Session {session_id} was uploaded before with different outcomes ({earlier}). \
                 Mavis takes one upload per session: do not upload another version. Make any \
                 further changes in Mavis itself."
            )),
            UploadVersion::First | UploadVersion::Same => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        let earlier = vec!["sha256:aa".to_owned(), "sha256:cc".to_owned()];
        assert_eq!(
            UploadVersion::of("sha256:cc", &earlier),
            UploadVersion::Same
        );
        assert_eq!(
            UploadVersion::of("sha256:bb", &earlier),
            UploadVersion::Different {
                earlier: "sha256:cc".into()
            }
        );
        assert_eq!(UploadVersion::First.refusal(1), None);
        assert_eq!(UploadVersion::Same.refusal(1), None);
    }
}
