//! Redirections, in one place: every `Location` the pages send is built here, from
//! values that may have come from a client (a path segment, a `suite` to go back to).

use actix_web::HttpResponse;
use actix_web::http::header::LOCATION;

/// Everything but unreserved characters (RFC 3986) and `/`.
const ENCODED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes everything but unreserved characters and `/` (a path or a query
/// value): control characters, spaces, `?`, `&`, `%` and non-ASCII never reach a header
/// as they are.
pub fn percent_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, ENCODED).to_string()
}

/// Makes any location a valid header value: visible ASCII stays (our own locations
/// are built of it), anything else is percent-encoded. A CR or LF from a client once
/// made the header invalid, and the response a 500.
fn header_safe(location: &str) -> String {
    location
        .bytes()
        .map(|b| match b {
            0x21..=0x7e => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// 303 to `location` (a path of this site).
pub fn see_other(location: &str) -> HttpResponse {
    see_other_with(location).finish()
}

/// The same, to add cookies to before it is sent.
pub fn see_other_with(location: &str) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::SeeOther();
    response.insert_header((LOCATION, header_safe(location)));
    response
}

/// The sign-in page's address, coming back to `back_to` afterwards.
pub fn sign_in_then(back_to: &str) -> String {
    format!("/connexion?suite={}", percent_encode(back_to))
}

/// `path` carrying where to go afterwards (`suite=`, after its own query if it has
/// one), when that is somewhere of this site other than the home page.
pub fn with_suite(path: &str, next: &str) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    match safe_local_path(next) {
        "/" => path.to_owned(),
        next => format!("{path}{separator}suite={}", percent_encode(next)),
    }
}

/// 303 to the sign-in page, coming back to `back_to` afterwards.
pub fn sign_in_first(back_to: &str) -> HttpResponse {
    see_other(&sign_in_then(back_to))
}

/// Where to go after a form that says where it came from (`suite`, `next`): a path of
/// this site, or the home page. Refused: anything that is not a plain absolute path
/// (`//host`, a scheme), and control characters, spaces and backslashes anywhere,
/// which browsers strip or turn into `/` (`/\t/evil.example/` reads as
/// `//evil.example/`).
pub fn safe_local_path(next: &str) -> &str {
    let plain = next
        .chars()
        .all(|c| !c.is_control() && !c.is_whitespace() && c != '\\');
    let mut chars = next.chars();
    let ok = plain && chars.next() == Some('/') && chars.next() != Some('/');
    if ok { next } else { "/" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_encoded_but_for_unreserved_characters_and_slashes() {
        assert_eq!(
            percent_encode("/a b?c=é&d%\r\n-_.~"),
            "/a%20b%3Fc%3D%C3%A9%26d%25%0D%0A-_.~"
        );
        assert_eq!(
            sign_in_then("/consultations/ia?chapitre=E1"),
            "/connexion?suite=/consultations/ia%3Fchapitre%3DE1"
        );
    }

    #[test]
    fn only_plain_local_paths_are_followed() {
        for good in ["/", "/compte", "/consultations/ia?chapitre=E1", "/a%20b"] {
            assert_eq!(safe_local_path(good), good);
        }
        for bad in [
            "//evil.example/",
            "/\t/evil.example/",
            "/\\evil.example",
            "/x\\y",
            "https://evil.example/",
            "evil.example",
            "/\r\nSet-Cookie: x=y",
            "/ /evil.example",
            "/\u{a0}/x",
            "",
        ] {
            assert_eq!(safe_local_path(bad), "/", "{bad:?}");
        }
    }

    #[test]
    fn a_suite_follows_the_path_and_its_own_query() {
        assert_eq!(with_suite("/connexion", "/"), "/connexion");
        assert_eq!(with_suite("/connexion", "//evil.example"), "/connexion");
        assert_eq!(
            with_suite("/connexion", "/invitations/accepter?jeton=a"),
            "/connexion?suite=/invitations/accepter%3Fjeton%3Da"
        );
        assert_eq!(
            with_suite("/compte/verifier?jeton=t", "/organisations"),
            "/compte/verifier?jeton=t&suite=/organisations"
        );
    }

    #[test]
    fn every_location_is_a_valid_header() {
        for hostile in ["/x\r\nSet-Cookie: a=b", "/é", "/\u{0}", "/a b"] {
            let response = see_other(hostile);
            assert_eq!(response.status(), 303, "{hostile:?}");
            let location = response.headers().get(LOCATION).unwrap().to_str().unwrap();
            assert!(
                location.bytes().all(|b| (0x21..=0x7e).contains(&b)),
                "{location}"
            );
        }
        assert_eq!(
            sign_in_then("/consultations/a b?x=1&y=\r\n"),
            "/connexion?suite=/consultations/a%20b%3Fx%3D1%26y%3D%0D%0A"
        );
    }
}
