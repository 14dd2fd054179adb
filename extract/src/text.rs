//! Plain text files: UTF-8 (with or without BOM), UTF-16 with a BOM, else Latin-1.

/// Decodes a text file; binary data (NUL bytes without a UTF-16 BOM) is refused.
pub fn decode(bytes: &[u8]) -> Result<String, &'static str> {
    let utf16 = |rest: &[u8], le: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Ok(utf16(rest, true));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Ok(utf16(rest, false));
    }
    if bytes.contains(&0) {
        return Err("it contains binary data");
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf16_with_a_bom_and_falls_back_to_latin1() {
        assert_eq!(decode(&[0xFF, 0xFE, b'h', 0, b'i', 0]).unwrap(), "hi");
        assert_eq!(decode(&[0xFE, 0xFF, 0, b'h', 0, b'i']).unwrap(), "hi");
        assert_eq!(decode(b"caf\xe9").unwrap(), "café");
        assert_eq!(decode("\u{FEFF}ok".as_bytes()).unwrap(), "ok");
    }

    #[test]
    fn refuses_binary_data() {
        assert!(decode(b"PK\x03\x04\x00\x00").is_err());
    }
}
