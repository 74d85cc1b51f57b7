//! Bytes written as lower-case hexadecimal: digests (SHA-256 of tokens, contents,
//! answers), pseudonyms, and the random names of requests and downloads. One writer for
//! all, so that every such name reads the same way.

use std::fmt::Write;

/// `bytes` as lower-case hexadecimal, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// `N` random bytes, in hexadecimal (`2 * N` digits).
pub fn random_hex<const N: usize>() -> String {
    use rand::Rng;
    hex(&rand::rng().random::<[u8; N]>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_lower_case_digits_a_byte() {
        assert_eq!(hex(&[0, 9, 10, 255]), "00090aff");
        assert_eq!(hex(&[]), "");
        let random = random_hex::<16>();
        assert_eq!(random.len(), 32);
        assert!(
            random
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_ne!(random, random_hex::<16>());
    }
}
