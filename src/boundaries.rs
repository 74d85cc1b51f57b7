//! Tests that hold the code to its architecture (`docs/architecture.md`): each code
//! spelled by its enum alone, diesel in the store alone. They read the source tree.

use std::path::{Path, PathBuf};

use crate::domain::organisations::{MemberRole, OrganisationStatus};
use crate::domain::responses::{Progress, PublicationConsent, ResponseStatus};
use crate::domain::rounds::{Audience, RoundStatus};

fn files(dir: &Path, extensions: &[&str], found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, extensions, found);
        } else if path
            .extension()
            .is_some_and(|e| extensions.iter().any(|x| e == *x))
        {
            found.push(path);
        }
    }
}

/// Every source file (Rust, SQL in the source tree, templates), relative to the crate.
fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    files(&root.join("src"), &["rs", "sql"], &mut found);
    files(
        &root.join("frontend/templates"),
        &["html", "txt"],
        &mut found,
    );
    found
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, text)
        })
        .collect()
}

/// Where a code may be spelled besides its enum's file, and why: the same word meaning
/// something else.
const ELSEWHERE: &[(&str, &str)] = &[
    // `Sec-Fetch-Site: none` and the CSP's `'none'`.
    ("src/auth/identity.rs", "none"),
    ("src/web/middleware.rs", "none"),
    ("src/services/synthesis/render.rs", "none"),
    ("src/api/attachments.rs", "none"),
    // The second factor's own `none` (`domain::accounts`), and the outbox's `pending`.
    ("src/domain/accounts.rs", "none"),
    ("src/store/outbox.rs", "pending"),
    // A document's text waiting to be read (`TextState`), not an organisation's status.
    ("src/domain/attachments.rs", "pending"),
    // An invitation's status in the API ("invited": sent), not a round's audience.
    ("src/api/organisations.rs", "invited"),
    // This file, which lists them.
    ("src/boundaries.rs", ""),
];

/// The files that define each family of codes.
fn families() -> Vec<(&'static str, Vec<&'static str>)> {
    let names = |codes: &mut dyn Iterator<Item = &'static str>| codes.collect::<Vec<_>>();
    vec![
        (
            "src/domain/responses.rs",
            names(
                &mut ResponseStatus::ALL
                    .iter()
                    .map(|c| c.as_str())
                    .chain(Progress::ALL.iter().map(|c| c.as_str()))
                    .chain(PublicationConsent::ALL.iter().map(|c| c.as_str())),
            ),
        ),
        (
            "src/domain/organisations.rs",
            names(
                &mut MemberRole::ALL
                    .iter()
                    .map(|c| c.as_str())
                    .chain(OrganisationStatus::ALL.iter().map(|c| c.as_str())),
            ),
        ),
        (
            "src/domain/rounds.rs",
            names(
                &mut [
                    RoundStatus::Draft,
                    RoundStatus::Scheduled,
                    RoundStatus::Open,
                    RoundStatus::Closed,
                    RoundStatus::Archived,
                ]
                .iter()
                .map(|c| c.as_str())
                .chain(Audience::ALL.iter().map(|c| c.as_str())),
            ),
        ),
    ]
}

/// A status, consent or role is spelled only by its enum (and the migrations, outside
/// `src`): everywhere else, code compares and binds the enum.
#[test]
fn codes_are_spelled_by_their_enums_alone() {
    let families = families();
    let mut strays = Vec::new();
    for (file, text) in sources() {
        for (home, codes) in &families {
            if file == *home {
                continue;
            }
            for code in codes {
                let excused = ELSEWHERE
                    .iter()
                    .any(|(f, c)| *f == file && (c.is_empty() || c == code));
                let spelled =
                    text.contains(&format!("\"{code}\"")) || text.contains(&format!("'{code}'"));
                // (Codes shared by two families, such as `draft`, are at home in both.)
                let at_home_elsewhere = families
                    .iter()
                    .any(|(h, cs)| *h == file && cs.contains(code));
                if spelled && !excused && !at_home_elsewhere {
                    strays.push(format!("{file}: {code}"));
                }
            }
        }
    }
    strays.sort();
    strays.dedup();
    assert!(
        strays.is_empty(),
        "codes spelled outside their enum:\n{}",
        strays.join("\n")
    );
}

/// Only the store speaks diesel: the other layers call it (`docs/architecture.md`).
#[test]
fn diesel_is_spoken_in_the_store_alone() {
    let strays: Vec<String> = sources()
        .into_iter()
        .filter(|(file, _)| !file.starts_with("src/store/") && file != "src/boundaries.rs")
        .filter(|(_, text)| text.contains("diesel::") || text.contains("use diesel"))
        .map(|(file, _)| file)
        .collect();
    assert!(strays.is_empty(), "diesel outside src/store: {strays:?}");
}

/// Refusals are decided by the services (`services::authority` for the powers of
/// coordinators and administrators); handlers only translate them. The one exception is
/// the request's own checks before anyone is known (`auth`: CSRF, cross-site requests).
#[test]
fn refusals_are_decided_in_services() {
    let strays: Vec<String> = sources()
        .into_iter()
        .filter(|(file, _)| {
            !file.starts_with("src/services/")
                && !file.starts_with("src/auth/")
                && file != "src/error.rs"
                && file != "src/boundaries.rs"
        })
        .filter(|(_, text)| {
            text.contains("AppError::Forbidden(\"") || text.contains("SecondFactorNeeded {\n")
        })
        .map(|(file, _)| file)
        .collect();
    assert!(
        strays.is_empty(),
        "refusals decided outside services: {strays:?}"
    );
}

/// The scans above would pass on an empty tree: they do read it.
#[test]
fn the_scans_read_the_tree() {
    let sources = sources();
    assert!(
        sources
            .iter()
            .any(|(f, t)| f.starts_with("src/store/") && t.contains("diesel::"))
    );
    assert!(
        sources
            .iter()
            .any(|(f, t)| f == "src/domain/responses.rs" && t.contains("\"submitted\""))
    );
    assert!(
        sources
            .iter()
            .any(|(f, _)| f.starts_with("frontend/templates/"))
    );
    assert!(
        sources
            .iter()
            .any(|(f, t)| f == "src/services/authority.rs" && t.contains("AppError::Forbidden(\""))
    );
}
