use std::collections::BTreeSet;

use crate::helpers::repo_path;

fn versions(backend: &str) -> BTreeSet<String> {
    std::fs::read_dir(repo_path(&format!("migrations/{backend}")))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| {
            for file in ["up.sql", "down.sql"] {
                assert!(
                    e.path().join(file).is_file(),
                    "{} lacks {file}",
                    e.path().display()
                );
            }
            e.file_name().into_string().unwrap()
        })
        .collect()
}

/// Both backends must move through the same schema versions.
#[test]
fn both_backends_have_the_same_migration_versions() {
    let sqlite = versions("sqlite");
    let postgres = versions("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
}
