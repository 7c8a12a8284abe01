//! Rows that duplicate each other (`import-csv.md` §7).
//!
//! Each row's duplicate key is written out as bytes and reduced to a 128-bit
//! XXH3 fingerprint (one fast pass), so the index holds 24 bytes a row
//! whatever the row's text; two different keys
//! share a fingerprint with a probability of about n²/2¹²⁹, which is nil
//! for any upload.

use std::hash::{Hash, Hasher};

use mavis_domain::english_list;

/// Collects a row's duplicate key as bytes (through `Hash`, which
/// delimits strings and tags options, so distinct keys give distinct
/// bytes); the fingerprint hashes them once.
pub(crate) struct KeyHasher {
    bytes: Vec<u8>,
}

impl Hasher for KeyHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    // The fixed-size writes (option and enum tags, lengths, numbers) inline
    // to a store instead of a call to copy a few bytes.
    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.bytes.push(n);
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.bytes.extend_from_slice(&n.to_le_bytes());
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.bytes.extend_from_slice(&n.to_le_bytes());
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.bytes.extend_from_slice(&n.to_le_bytes());
    }

    #[inline]
    fn write_isize(&mut self, n: isize) {
        self.bytes.extend_from_slice(&n.to_le_bytes());
    }

    fn finish(&self) -> u64 {
        unreachable!("the key is fingerprinted by the index")
    }
}

impl KeyHasher {
    /// Add one part of the key.
    pub(crate) fn add<T: Hash + ?Sized>(&mut self, part: &T) {
        part.hash(self);
    }
}

/// A fingerprint: two 64-bit halves (eight-byte aligned, so an index entry
/// with its row takes 24 bytes).
type Fingerprint = [u64; 2];

/// The rows seen so far, with their fingerprints: 24 bytes a row in one
/// vector, sorted once at the end. A hash map of the same would take about
/// twice that, and three times while it grows; at 1,000,000 rows that is
/// the difference between staying under 64 MiB and not.
pub(crate) struct DuplicateIndex {
    seen: Vec<(Fingerprint, u32)>,
    scratch: Vec<u8>,
}

impl DuplicateIndex {
    pub(crate) fn new() -> DuplicateIndex {
        DuplicateIndex {
            seen: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// An empty key to fill for one row.
    pub(crate) fn key(&mut self) -> KeyHasher {
        let mut bytes = std::mem::take(&mut self.scratch);
        bytes.clear();
        KeyHasher { bytes }
    }

    /// The 128-bit fingerprint of a key.
    fn fingerprint(&self, key: &KeyHasher) -> Fingerprint {
        // XXH3-128: one pass over the key, a well-distributed 128 bits.
        let h = xxhash_rust::xxh3::xxh3_128(&key.bytes);
        #[allow(clippy::cast_possible_truncation)] // the two halves
        [(h >> 64) as u64, h as u64]
    }

    /// Record that `row` has this key.
    pub(crate) fn insert_key(&mut self, key: KeyHasher, row: u32) {
        let fingerprint = self.fingerprint(&key);
        self.scratch = key.bytes;
        self.insert(fingerprint, row);
    }

    /// Record that `row` has the key `fingerprint`.
    fn insert(&mut self, fingerprint: Fingerprint, row: u32) {
        self.seen.push((fingerprint, row));
    }

    /// Add the rows another index has seen.
    pub(crate) fn absorb(&mut self, other: DuplicateIndex) {
        self.seen.extend(other.seen);
    }

    /// Every duplicated row with its message, in no particular order.
    pub(crate) fn messages(&mut self) -> Vec<(u32, String)> {
        self.seen.sort_unstable();
        let mut out = Vec::new();
        for group in self.seen.chunk_by(|a, b| a.0 == b.0) {
            if group.len() < 2 {
                continue;
            }
            for &(_, row) in group {
                let others: Vec<u32> = group
                    .iter()
                    .map(|(_, r)| *r)
                    .filter(|&r| r != row)
                    .collect();
                out.push((row, duplicate_message(&others)));
            }
        }
        out
    }
}

/// `The record on this row appears to be a duplicate of rows 3 and 5.`
pub(crate) fn duplicate_message(others: &[u32]) -> String {
    let mut sorted = others.to_vec();
    sorted.sort_unstable();
    let texts: Vec<String> = sorted.iter().map(u32::to_string).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let noun = if refs.len() == 1 { "row" } else { "rows" };
    format!(
        "The record on this row appears to be a duplicate of {noun} {}.",
        english_list(&refs)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        assert_eq!(
            duplicate_message(&[3]),
            "The record on this row appears to be a duplicate of row 3."
        );
        assert_eq!(
            duplicate_message(&[5, 3]),
            "The record on this row appears to be a duplicate of rows 3 and 5."
        );
        assert_eq!(
            duplicate_message(&[5, 4, 3]),
            "The record on this row appears to be a duplicate of rows 3, 4 and 5."
        );
    }

    #[test]
    fn index() {
        let mut index = DuplicateIndex::new();
        let mut key = |s: &str| {
            let mut h = index.key();
            h.add(s);
            let f = index.fingerprint(&h);
            index.scratch = h.bytes;
            f
        };
        let (a, b) = (key("a"), key("b"));
        assert_ne!(a, b);
        assert_eq!(a, key("a"));
        // Strings are delimited: ("ab", "c") is not ("a", "bc").
        let mut h = index.key();
        h.add(&("ab", "c"));
        let f1 = index.fingerprint(&h);
        let mut h = index.key();
        h.add(&("a", "bc"));
        assert_ne!(f1, index.fingerprint(&h));
        index.insert(a, 2);
        index.insert(b, 3);
        index.insert(a, 4);
        index.insert(a, 7);
        let mut m = index.messages();
        m.sort();
        assert_eq!(
            m,
            [
                (2, duplicate_message(&[4, 7])),
                (4, duplicate_message(&[2, 7])),
                (7, duplicate_message(&[2, 4])),
            ]
        );
    }
}
