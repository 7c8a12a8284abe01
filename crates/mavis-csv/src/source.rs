//! The bytes after the byte order mark: UTF-8 or Windows-1252 bytes as
//! they are, UTF-16 and UTF-32 transcoded to UTF-8 (`import-csv.md` §3.1:
//! Mavis strips all three marks). encoding_rs decodes UTF-16; it has no
//! UTF-32, which is a few lines here.

use std::io::{self, Read};

use encoding_rs::{Decoder, UTF_16BE, UTF_16LE};

/// How many bytes a reader asks for at a time.
pub(crate) const CHUNK: usize = 64 * 1024;

/// The byte source after the byte order mark: UTF-8 or Windows-1252 bytes
/// as they are, UTF-16 and UTF-32 transcoded to UTF-8.
pub(crate) enum Source<R: Read> {
    Plain(io::Chain<io::Cursor<Vec<u8>>, R>),
    Utf16 {
        inner: io::Chain<io::Cursor<Vec<u8>>, R>,
        decoder: Decoder,
        raw: Vec<u8>,
        done: bool,
    },
    Utf32 {
        inner: io::Chain<io::Cursor<Vec<u8>>, R>,
        big_endian: bool,
        pending: Vec<u8>,
        done: bool,
    },
}

impl<R: Read> Source<R> {
    pub(crate) fn open(mut input: R) -> io::Result<Source<R>> {
        let mut head = [0u8; 4];
        let mut n = 0;
        while n < 4 {
            let got = input.read(&mut head[n..])?;
            if got == 0 {
                break;
            }
            n += got;
        }
        let head = &head[..n];
        let rest = |skip: usize| io::Cursor::new(head[skip..].to_vec()).chain(input);
        Ok(if head.starts_with(&[0xFF, 0xFE, 0, 0]) {
            Source::Utf32 {
                inner: rest(4),
                big_endian: false,
                pending: Vec::new(),
                done: false,
            }
        } else if head.starts_with(&[0, 0, 0xFE, 0xFF]) {
            Source::Utf32 {
                inner: rest(4),
                big_endian: true,
                pending: Vec::new(),
                done: false,
            }
        } else if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            Source::Plain(rest(3))
        } else if head.starts_with(&[0xFF, 0xFE]) {
            Source::Utf16 {
                inner: rest(2),
                decoder: UTF_16LE.new_decoder_without_bom_handling(),
                raw: vec![0; CHUNK / 2],
                done: false,
            }
        } else if head.starts_with(&[0xFE, 0xFF]) {
            Source::Utf16 {
                inner: rest(2),
                decoder: UTF_16BE.new_decoder_without_bom_handling(),
                raw: vec![0; CHUNK / 2],
                done: false,
            }
        } else {
            Source::Plain(rest(0))
        })
    }
}

fn invalid() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "invalid text")
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match self {
            Source::Plain(r) => r.read(out),
            Source::Utf16 {
                inner,
                decoder,
                raw,
                done,
            } => loop {
                if *done {
                    return Ok(0);
                }
                // Leave room for the decoder's worst case.
                let room = out.len().min(raw.len() * 3 / 2) / 3 * 2;
                let n = inner.read(&mut raw[..room.max(2)])?;
                let last = n == 0;
                let (_, read, written, had_errors) = decoder.decode_to_utf8(&raw[..n], out, last);
                if had_errors || read != n {
                    return Err(invalid());
                }
                if last {
                    *done = true;
                }
                if written > 0 || last {
                    return Ok(written);
                }
            },
            Source::Utf32 {
                inner,
                big_endian,
                pending,
                done,
            } => {
                if pending.is_empty() && !*done {
                    let mut raw = [0u8; 4096];
                    let mut n = 0;
                    while n < raw.len() {
                        let got = inner.read(&mut raw[n..])?;
                        if got == 0 {
                            *done = true;
                            break;
                        }
                        n += got;
                    }
                    if n % 4 != 0 {
                        return Err(invalid());
                    }
                    for unit in raw[..n].chunks_exact(4) {
                        let unit: [u8; 4] = unit.try_into().expect("four bytes");
                        let code = if *big_endian {
                            u32::from_be_bytes(unit)
                        } else {
                            u32::from_le_bytes(unit)
                        };
                        let c = char::from_u32(code).ok_or_else(invalid)?;
                        let mut tmp = [0u8; 4];
                        pending.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                    }
                }
                let n = pending.len().min(out.len());
                out[..n].copy_from_slice(&pending[..n]);
                pending.drain(..n);
                Ok(n)
            }
        }
    }
}

impl Source<&[u8]> {
    /// A source with nothing in it (for a reader over text in memory).
    pub(crate) fn empty() -> Source<&'static [u8]> {
        Source::Plain(io::Cursor::new(Vec::new()).chain(&[][..]))
    }
}

impl<R: Read> Source<R> {
    /// Whether `head` starts with a UTF-16 or UTF-32 byte order mark: the
    /// text is transcoded to UTF-8.
    pub(crate) fn is_transcoded(head: &[u8]) -> bool {
        head.starts_with(&[0xFF, 0xFE])
            || head.starts_with(&[0xFE, 0xFF])
            || head.starts_with(&[0, 0, 0xFE, 0xFF])
    }
}
