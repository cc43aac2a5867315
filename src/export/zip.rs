//! A small zip writer for "Download all" and the workspace backup: entries stored uncompressed
//! (method 0, STORE) with their CRC-32, Unix permissions (scripts executable) and a fixed date,
//! so the same files give the same bytes. No compression crate: the page's size budget has no
//! room for one, and the files are a few kilobytes of text.
//!
//! And the reader the backup's restore uses ([`unzip`]): our own, since what it mostly reads is
//! what [`zip`] wrote; it also inflates DEFLATE entries (method 8, with miniz_oxide, which the
//! share links already ship) so a backup unpacked and zipped again by another tool still opens.
//! Every offset and size is checked against the archive, sizes are bounded, and CRCs verified.

/// One file to put in the archive.
#[derive(Debug, Clone, Copy)]
pub struct ZipEntry<'a> {
    /// The path inside the archive, `/`-separated.
    pub name: &'a str,
    pub data: &'a [u8],
    /// Mode 0755 instead of 0644.
    pub executable: bool,
}

/// The CRC-32 (IEEE 802.3, reflected, as zip and gzip use) of `data`.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// 1980-01-01 00:00, the earliest DOS date: the archive does not depend on the clock.
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = (1 << 5) | 1;

/// The archive holding `entries`, in order. Names and sizes must fit zip's 16- and 32-bit
/// fields (no Zip64): the exported files are far below that.
pub fn zip(entries: &[ZipEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for entry in entries {
        let offset = out.len() as u32;
        let crc = crc32(entry.data);
        let size = entry.data.len() as u32;
        let name = entry.name.as_bytes();
        // Bit 11: the name is UTF-8.
        let flags: u16 = 1 << 11;
        // Local file header.
        put32(&mut out, 0x0403_4b50);
        put16(&mut out, 20); // version needed: 2.0
        put16(&mut out, flags);
        put16(&mut out, 0); // STORE
        put16(&mut out, DOS_TIME);
        put16(&mut out, DOS_DATE);
        put32(&mut out, crc);
        put32(&mut out, size);
        put32(&mut out, size);
        put16(&mut out, name.len() as u16);
        put16(&mut out, 0);
        out.extend_from_slice(name);
        out.extend_from_slice(entry.data);
        // Central directory header.
        let mode: u32 = if entry.executable { 0o100_755 } else { 0o100_644 };
        put32(&mut central, 0x0201_4b50);
        put16(&mut central, (3 << 8) | 20); // made by Unix, zip 2.0
        put16(&mut central, 20);
        put16(&mut central, flags);
        put16(&mut central, 0);
        put16(&mut central, DOS_TIME);
        put16(&mut central, DOS_DATE);
        put32(&mut central, crc);
        put32(&mut central, size);
        put32(&mut central, size);
        put16(&mut central, name.len() as u16);
        put16(&mut central, 0); // extra
        put16(&mut central, 0); // comment
        put16(&mut central, 0); // disk
        put16(&mut central, 0); // internal attributes
        put32(&mut central, mode << 16);
        put32(&mut central, offset);
        central.extend_from_slice(name);
    }
    let central_offset = out.len() as u32;
    let central_size = central.len() as u32;
    out.extend_from_slice(&central);
    // End of central directory.
    put32(&mut out, 0x0605_4b50);
    put16(&mut out, 0);
    put16(&mut out, 0);
    put16(&mut out, entries.len() as u16);
    put16(&mut out, entries.len() as u16);
    put32(&mut out, central_size);
    put32(&mut out, central_offset);
    put16(&mut out, 0);
    out
}

/// The archive of exported files, in order, scripts executable.
pub fn zip_files(files: &[super::ExportFile]) -> Vec<u8> {
    let entries: Vec<ZipEntry> =
        files.iter().map(|f| ZipEntry { name: f.name, data: f.contents.as_bytes(), executable: f.executable }).collect();
    zip(&entries)
}

/// Why an archive could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct UnzipError(pub String);

impl std::fmt::Display for UnzipError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not a zip archive we can read: {}", self.0)
    }
}

/// The most an archive may unpack to, in total.
pub const MAX_UNZIPPED: usize = 256 << 20;

/// The files of a zip archive, in the central directory's order: (name, contents). Folders are
/// skipped.
pub fn unzip(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, UnzipError> {
    let bad = |why: &str| UnzipError(why.to_string());
    let u16_at = |at: usize| bytes.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize).ok_or_else(|| bad("it ends early"));
    let u32_at = |at: usize| bytes.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize).ok_or_else(|| bad("it ends early"));
    // The end record: in the last 64 KB + 22 bytes (its comment is at most 64 KB).
    let from = bytes.len().saturating_sub(22 + 0xFFFF);
    let end = (from..bytes.len().saturating_sub(21)).rev().find(|&i| bytes[i..i + 4] == [0x50, 0x4b, 0x05, 0x06]).ok_or_else(|| bad("no end of central directory"))?;
    let count = u16_at(end + 10)?;
    let mut at = u32_at(end + 16)?;
    let mut files = Vec::new();
    let mut total = 0usize;
    for _ in 0..count {
        if u32_at(at)? != 0x0201_4b50 {
            return Err(bad("a damaged central directory"));
        }
        let method = u16_at(at + 10)?;
        let crc = u32_at(at + 16)? as u32;
        let packed = u32_at(at + 20)?;
        let size = u32_at(at + 24)?;
        let (name_len, extra_len, comment_len) = (u16_at(at + 28)?, u16_at(at + 30)?, u16_at(at + 32)?);
        let local = u32_at(at + 42)?;
        let name = bytes.get(at + 46..at + 46 + name_len).ok_or_else(|| bad("it ends early"))?;
        let name = String::from_utf8_lossy(name).into_owned();
        at += 46 + name_len + extra_len + comment_len;
        if name.ends_with('/') {
            continue;
        }
        total = total.saturating_add(size);
        if total > MAX_UNZIPPED {
            return Err(bad("it unpacks to more than 256 MB"));
        }
        if u32_at(local)? != 0x0403_4b50 {
            return Err(UnzipError(format!("{name}: a damaged entry")));
        }
        let start = local + 30 + u16_at(local + 26)? + u16_at(local + 28)?;
        let data = bytes.get(start..start.saturating_add(packed)).ok_or_else(|| UnzipError(format!("{name}: it ends early")))?;
        let data = match method {
            0 => data.to_vec(),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(data, size).map_err(|_| UnzipError(format!("{name}: damaged compressed data")))?,
            m => return Err(UnzipError(format!("{name}: compression method {m} (only stored and deflated entries are read)"))),
        };
        if data.len() != size || crc32(&data) != crc {
            return Err(UnzipError(format!("{name}: its checksum does not match (damaged)")));
        }
        files.push((name, data));
    }
    Ok(files)
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_values() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b"The quick brown fox jumps over the lazy dog"), 0x414F_A339);
    }

    #[test]
    fn an_archive_has_its_headers_where_the_end_record_says() {
        let bytes = zip(&[ZipEntry { name: "a.txt", data: b"hello", executable: false }]);
        assert_eq!(&bytes[..4], b"PK\x03\x04");
        let end = bytes.len() - 22;
        assert_eq!(&bytes[end..end + 4], b"PK\x05\x06");
        let central = u32::from_le_bytes(bytes[end + 16..end + 20].try_into().unwrap()) as usize;
        assert_eq!(&bytes[central..central + 4], b"PK\x01\x02");
        assert_eq!(zip(&[]).len(), 22);
    }

    #[test]
    fn unzip_reads_what_zip_writes_and_deflated_entries() {
        let entries = [ZipEntry { name: "a.txt", data: b"hello", executable: false }, ZipEntry { name: "dir/b.json", data: "{\"é\": 1}".as_bytes(), executable: true }];
        let back = unzip(&zip(&entries)).unwrap();
        assert_eq!(back, [("a.txt".to_string(), b"hello".to_vec()), ("dir/b.json".to_string(), "{\"é\": 1}".as_bytes().to_vec())]);
        assert_eq!(unzip(&zip(&[])).unwrap(), []);
        // Method 8: rewrite a stored entry as deflated (sizes and offsets follow).
        let text = b"deflate me deflate me deflate me".to_vec();
        let packed = miniz_oxide::deflate::compress_to_vec(&text, 6);
        let mut one = zip(&[ZipEntry { name: "c.txt", data: &packed, executable: false }]);
        let central = u32::from_le_bytes(one[one.len() - 6..one.len() - 2].try_into().unwrap()) as usize;
        for at in [8, central + 10] {
            one[at] = 8;
        }
        for (crc_at, size_at) in [(14, 22), (central + 16, central + 24)] {
            one[crc_at..crc_at + 4].copy_from_slice(&crc32(&text).to_le_bytes());
            one[size_at..size_at + 4].copy_from_slice(&(text.len() as u32).to_le_bytes());
        }
        assert_eq!(unzip(&one).unwrap(), [("c.txt".to_string(), text)]);
    }

    #[test]
    fn unzip_says_what_is_wrong_with_a_damaged_archive() {
        let good = zip(&[ZipEntry { name: "a.txt", data: b"hello", executable: false }]);
        let mut crc = good.clone();
        crc[30 + 5] = b'j'; // the data: "jello"
        let cases: [(&[u8], &str); 4] = [
            (b"not a zip", "no end of central directory"),
            (&good[..good.len() - 30], "no end of central directory"),
            (&crc, "a.txt: its checksum does not match (damaged)"),
            (&good[20..], "a damaged central directory"),
        ];
        for (bytes, why) in cases {
            assert_eq!(unzip(bytes).map_err(|e| e.0), Err(why.to_string()));
        }
    }
}
