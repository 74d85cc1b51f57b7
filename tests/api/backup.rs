//! Backups of an SQLite installation: taken while people write, restored, and whole.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use concerto::store::backup;
use concerto::store::schema::{answer_history, answers};
use concerto::store::{DatabaseUrl, establish};
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::fixtures::send;
use crate::helpers::{Backend, spawn_app};

/// Every answer's last version in its history is the answer itself (same version, same
/// value): what a torn copy would break. Returns how many answers were looked at.
fn histories_end_at_current_values(url: &DatabaseUrl) -> usize {
    let mut conn = establish(url, Duration::from_secs(5)).unwrap();
    let current: Vec<(i64, Option<String>, i32)> = answers::table
        .select((answers::id, answers::value, answers::version))
        .load(&mut conn)
        .unwrap();
    for (id, value, version) in &current {
        let last: (Option<String>, i32) = answer_history::table
            .filter(answer_history::answer_id.eq(id))
            .order(answer_history::version.desc())
            .select((answer_history::value, answer_history::version))
            .first(&mut conn)
            .unwrap();
        assert_eq!((&last.0, last.1), (value, *version), "answer {id}");
    }
    current.len()
}

#[tokio::test]
async fn a_backup_taken_while_people_write_restores_whole() {
    let app = spawn_app(Backend::Sqlite)
        .await
        .expect("SQLite always runs");
    let s = crate::responses::setup(&app, chrono::Duration::days(30)).await;
    let path = format!("/api/v1/rounds/essai/responses/{}/answers/E1.Q2", s.org);
    let (written, backed_up) = (
        Arc::new(AtomicI64::new(0)),
        Arc::new(AtomicBool::new(false)),
    );
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("sauvegarde.db");

    // A colleague saves again and again; the backup starts after five saves, and the
    // saves go on twenty times after it ends.
    let writer = async {
        let (mut version, mut after) = (0, 0);
        while after < 20 {
            let saved = send(
                &app,
                &s.editor,
                "PUT",
                &path,
                Some(json!({"value": format!("Version {}", version + 1), "version": version})),
            )
            .await;
            assert_eq!(saved.status(), 200);
            version = saved.json::<Value>().await.unwrap()["version"]
                .as_i64()
                .unwrap();
            written.store(version, Ordering::SeqCst);
            if backed_up.load(Ordering::SeqCst) {
                after += 1;
            }
        }
        version
    };
    let backing_up = {
        let (written, backed_up) = (written.clone(), backed_up.clone());
        let (url, copy) = (DatabaseUrl::parse(&app.db.url).unwrap(), copy.clone());
        tokio::task::spawn_blocking(move || {
            while written.load(Ordering::SeqCst) < 5 {
                std::thread::sleep(Duration::from_millis(5));
            }
            let done = backup::backup(&url, &copy, Duration::from_secs(5));
            backed_up.store(true, Ordering::SeqCst);
            done
        })
    };
    let (last, done) = tokio::join!(writer, backing_up);
    let done = done.unwrap().expect("backup written");
    assert!(
        done.contents.answers >= 1 && done.contents.accounts >= 4,
        "{done:?}"
    );
    assert!(done.bytes > 0);

    // Restored as a new installation: whole, and in the middle of the saves.
    let restored = DatabaseUrl::parse(&format!(
        "sqlite://{}",
        dir.path().join("restaurée.db").display()
    ))
    .unwrap();
    let back = backup::restore(&restored, &copy, false, Duration::from_secs(5)).unwrap();
    assert_eq!(back.contents, done.contents);
    assert!(histories_end_at_current_values(&restored) >= 1);
    let mut conn = establish(&restored, Duration::from_secs(5)).unwrap();
    let kept: i32 = answers::table
        .select(answers::version)
        .order(answers::version.desc())
        .first(&mut conn)
        .unwrap();
    assert!(
        (5..=last - 20).contains(&i64::from(kept)),
        "version {kept} of {last}: the copy is of a moment during the saves"
    );
    // The live database went on, whole too.
    assert!(histories_end_at_current_values(&DatabaseUrl::parse(&app.db.url).unwrap()) >= 1);

    // Refusals: an existing file is never overwritten, a database is replaced only when
    // asked, and a file that is not a database is not restored.
    let again = backup::backup(
        &DatabaseUrl::parse(&app.db.url).unwrap(),
        &copy,
        Duration::from_secs(5),
    );
    assert!(again.unwrap_err().to_string().contains("existe déjà"));
    let over = backup::restore(&restored, &copy, false, Duration::from_secs(5));
    assert!(over.unwrap_err().to_string().contains("--replace"));
    let junk = dir.path().join("pas-une-base.db");
    std::fs::write(&junk, "ceci n'est pas une base SQLite, ni une sauvegarde").unwrap();
    let refused = backup::restore(&restored, &junk, true, Duration::from_secs(5));
    assert!(refused.is_err());
    assert_eq!(
        backup::check(dir.path().join("restaurée.db").as_path()).unwrap(),
        done.contents,
        "a refused restoration leaves the database as it was"
    );
    let postgres = DatabaseUrl::parse("postgres://concerto@127.0.0.1:1/concerto").unwrap();
    let elsewhere = dir.path().join("pg.db");
    let refused = backup::backup(&postgres, &elsewhere, Duration::from_secs(1));
    assert!(refused.unwrap_err().to_string().contains("pg_dump"));
    assert!(!elsewhere.exists());
}
