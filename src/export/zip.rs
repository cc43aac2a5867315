//! A small zip writer for "Download all": entries stored uncompressed (method 0, STORE) with
//! their CRC-32, Unix permissions (scripts executable) and a fixed date, so the same files
//! give the same bytes. No compression crate: the page's size budget has no room for one, and
//! the files are a few kilobytes of text.

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
}
