//! Backups of an SQLite installation. A backup is one consistent snapshot taken while the
//! service keeps writing (`VACUUM INTO` reads the database in one read transaction,
//! beside which WAL lets writers go on), checked before it is kept; a restoration puts a
//! checked backup in place of the database file while the service is stopped, then
//! brings it up to this version's migrations. PostgreSQL has its own tools (`pg_dump`,
//! point-in-time recovery): `docs/operations.md`.

use std::path::Path;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::schema::{answers, responses, users};
use super::{DatabaseUrl, StoreError, establish, migrate};

/// What a backup holds, counted when it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contents {
    pub accounts: i64,
    pub responses: i64,
    pub answers: i64,
}

/// A backup written or restored: what it holds, its size, how long it took.
#[derive(Debug, Clone, Copy)]
pub struct Done {
    pub contents: Contents,
    pub bytes: u64,
    pub took: Duration,
}

fn io(what: impl std::fmt::Display) -> StoreError {
    StoreError::Io(what.to_string())
}

fn sqlite_only(url: &DatabaseUrl) -> Result<&Path, StoreError> {
    url.sqlite_file().ok_or_else(|| {
        io(
            "la sauvegarde intégrée est celle d'une base SQLite (fichier) ; pour PostgreSQL, \
            utilisez pg_dump ou la restauration à un instant donné (docs/operations.md)",
        )
    })
}

/// The folder a file goes in (the current one for a bare name).
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Writes a consistent copy of the database at `url` to `output`, which must not exist:
/// the copy is written beside it and renamed once checked, so a failed backup never
/// leaves a file that looks like one.
pub fn backup(url: &DatabaseUrl, output: &Path, timeout: Duration) -> Result<Done, StoreError> {
    sqlite_only(url)?;
    if output.exists() {
        return Err(io(format!(
            "{} existe déjà : choisissez un autre nom de fichier",
            output.display()
        )));
    }
    let started = Instant::now();
    let dir = folder_of(output);
    let partial = tempfile::Builder::new()
        .prefix(".concerto-sauvegarde-")
        .tempfile_in(dir)
        .map_err(|e| io(format!("écriture impossible dans {} : {e}", dir.display())))?;
    let mut conn = establish(url, timeout)?;
    // (The file exists, empty: VACUUM INTO accepts an empty file.)
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(partial.path().to_string_lossy().into_owned())
        .execute(&mut conn)
        .map_err(|e| io(format!("sauvegarde impossible : {e}")))?;
    let contents = check(partial.path())?;
    partial
        .persist_noclobber(output)
        .map_err(|e| io(format!("{} : {}", output.display(), e.error)))?;
    Ok(Done {
        contents,
        bytes: std::fs::metadata(output).map_or(0, |m| m.len()),
        took: started.elapsed(),
    })
}

/// Puts the backup `input` in place of the database at `url` (which, if it exists, is
/// replaced only when `replace` says so), then applies the migrations it lacks.
pub fn restore(
    url: &DatabaseUrl,
    input: &Path,
    replace: bool,
    timeout: Duration,
) -> Result<Done, StoreError> {
    let target = sqlite_only(url)?;
    if target.exists() && !replace {
        return Err(io(format!(
            "la base {} existe : arrêtez le service, puis relancez avec --replace pour la remplacer",
            target.display()
        )));
    }
    let started = Instant::now();
    let contents = check(input)?;
    let dir = folder_of(target);
    std::fs::create_dir_all(dir).map_err(|e| io(format!("{} : {e}", dir.display())))?;
    // Copied beside the target, then renamed over it: never a half-written database.
    let partial = tempfile::Builder::new()
        .prefix(".concerto-restauration-")
        .tempfile_in(dir)
        .map_err(|e| io(format!("écriture impossible dans {} : {e}", dir.display())))?;
    std::fs::copy(input, partial.path())
        .map_err(|e| io(format!("copie de {} impossible : {e}", input.display())))?;
    // The replaced file's journal is not the backup's: left there, SQLite would replay it
    // into the restored database.
    for suffix in ["-wal", "-shm"] {
        let mut journal = target.as_os_str().to_owned();
        journal.push(suffix);
        match std::fs::remove_file(&journal) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(io(format!("{} : {e}", Path::new(&journal).display())));
            }
            _ => {}
        }
    }
    partial
        .persist(target)
        .map_err(|e| io(format!("{} : {}", target.display(), e.error)))?;
    let mut conn = establish(url, timeout)?;
    migrate(&mut conn)?;
    Ok(Done {
        contents,
        bytes: std::fs::metadata(target).map_or(0, |m| m.len()),
        took: started.elapsed(),
    })
}

/// Opens `file` as an SQLite database and checks that it is whole and Concerto's: what it
/// holds.
pub fn check(file: &Path) -> Result<Contents, StoreError> {
    #[derive(QueryableByName)]
    struct Verdict {
        #[diesel(sql_type = Text)]
        integrity_check: String,
    }
    let unreadable = |e: &dyn std::fmt::Display| {
        io(format!(
            "{} n'est pas une sauvegarde lisible : {e}",
            file.display()
        ))
    };
    if !file.is_file() {
        return Err(io(format!("{} : fichier introuvable", file.display())));
    }
    let mut conn =
        SqliteConnection::establish(&file.to_string_lossy()).map_err(|e| unreadable(&e))?;
    let verdicts: Vec<Verdict> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .map_err(|e| unreadable(&e))?;
    if verdicts.len() != 1 || verdicts[0].integrity_check != "ok" {
        let said: Vec<String> = verdicts
            .into_iter()
            .map(|v| v.integrity_check)
            .take(3)
            .collect();
        return Err(io(format!(
            "{} est endommagée : {}",
            file.display(),
            said.join(" ; ")
        )));
    }
    // A database of something else has not these tables.
    let foreign = |_| io(format!("{} n'est pas une base de Concerto", file.display()));
    Ok(Contents {
        accounts: users::table
            .count()
            .get_result(&mut conn)
            .map_err(foreign)?,
        responses: responses::table
            .count()
            .get_result(&mut conn)
            .map_err(foreign)?,
        answers: answers::table
            .count()
            .get_result(&mut conn)
            .map_err(foreign)?,
    })
}
