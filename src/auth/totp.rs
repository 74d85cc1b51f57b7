//! Time-based one-time codes (RFC 6238 defaults: SHA-1, 6 digits, 30 s), the
//! `otpauth://` link authenticator apps read, and its QR code drawn as SVG on the server.

use qrcode::QrCode;
use qrcode::render::svg;
use rand::Rng;
use totp_rs::{Builder, Secret, Totp};

pub const ISSUER: &str = "Concerto";

/// A new shared secret (160 bits, as RFC 4226 recommends), base32-encoded.
pub fn new_secret() -> String {
    let mut bytes = vec![0u8; 20];
    rand::rng().fill(&mut bytes[..]);
    Secret::from(bytes).to_base32()
}

fn totp(secret_base32: &str, account: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret_base32).ok()?;
    Builder::new()
        .with_secret(secret)
        .with_account_name(account)
        .with_issuer(Some(ISSUER))
        .build()
        .ok()
}

pub fn otpauth_uri(secret_base32: &str, account: &str) -> Option<String> {
    totp(secret_base32, account)?.to_url().ok()
}

/// The time step a code belongs to, if the code is right now (one step of skew allowed).
pub fn check(secret_base32: &str, account: &str, code: &str) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    totp(secret_base32, account)?.check_current(&code)
}

/// The code of the current step (tests, and the browser test's "authenticator").
pub fn current_code(secret_base32: &str, account: &str) -> Option<String> {
    Some(totp(secret_base32, account)?.generate_current().to_string())
}

/// The code an authenticator shows at `unix_time` (tests: the next step's code is
/// accepted now, within the allowed skew).
pub fn code_at(secret_base32: &str, account: &str, unix_time: u64) -> Option<String> {
    Some(
        totp(secret_base32, account)?
            .generate(unix_time)
            .to_string(),
    )
}

/// The QR code of `uri` as an SVG image (no script, no external resource).
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = QrCode::new(uri.as_bytes()).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

/// Recovery codes: 10 of them, each 60 random bits, shown once as `xxxx-xxxx-xxxx`.
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| {
            let chars: String = (0..12)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect();
            format!("{}-{}-{}", &chars[0..4], &chars[4..8], &chars[8..12])
        })
        .collect()
}

/// How a recovery code is compared: case and separators do not matter.
pub fn normalise_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_check_and_links_render() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        let code = current_code(&secret, "a@b.fr").unwrap();
        assert_eq!(code.len(), 6);
        assert!(check(&secret, "a@b.fr", &code).is_some());
        assert!(check(&secret, "a@b.fr", "000000").is_none() || code == "000000");
        let uri = otpauth_uri(&secret, "a@b.fr").unwrap();
        assert!(
            uri.starts_with("otpauth://totp/Concerto:a%40b.fr?")
                && uri.contains(&format!("secret={secret}")),
            "{uri}"
        );
        let svg = qr_svg(&uri).unwrap();
        assert!(svg.contains("<svg") && !svg.contains("<script"));
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        assert_eq!(normalise_recovery_code(" ABCD-efgh-2345 "), "abcdefgh2345");
    }
}
