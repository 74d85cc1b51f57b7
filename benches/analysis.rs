//! The analysis benchmark (not a test; `scripts/bench-analysis` runs it). For each backend
//! it makes a fresh database with the exports' round of 4 chapters × 10 questions and
//! 10,000 organisations' submitted responses (400,000 answers, a quarter of them long
//! texts of about 800 characters, written from a vocabulary of 6,000 words with the
//! frequencies of prose, so that a search finds what it would find in real answers), 10
//! campaigns of 100 near-identical texts among them; then, over HTTP against the release
//! server:
//!
//! - search: 16 clients at once, each query with a filter (one word, two words, a
//!   phrase), latencies p50 / p95; and the first search after the bulk load (on SQLite it
//!   folds every answer written into the index);
//! - the themes page and `…/themes` with 20 themes and 20,000 tags;
//! - near-identical answers over the 100,000 long texts: the first request (every
//!   signature computed), its peak memory, then after 10 answers change (10 computed),
//!   and with nothing changed;
//! - the synthesis: about 300 pages published, downloaded as PDF and DOCX; then what
//!   everyone reads: the contribution's public page, the public list of responses (first
//!   and last page) and the open data (CSV, JSON), with the server's peak memory.
//!
//! Results go to `docs/benchmarks.md` (section « Analyse »).

mod common;

use std::fmt::Write as _;
use std::process::Command;

use common::*;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

const ORGANISATIONS: usize = 10_000;
const CLIENTS: usize = 16;
const REQUESTS_PER_CLIENT: usize = 30;
const THEMES: usize = 20;
const TAGS: usize = 20_000;

/// Long texts of prose; one in fifty also says « soins à domicile » (the phrase searched).
fn analysed(rng: &mut Lcg, chars: usize) -> String {
    let mut text = prose(rng, chars);
    if rng.next(50) == 0 {
        let at = text.find(' ').unwrap_or(0);
        text.insert_str(at, " soins à domicile");
    }
    text
}

/// The queries timed, each with a filter: (label, query string).
fn queries() -> Vec<(&'static str, String)> {
    let encode = |q: &str| url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>();
    vec![
        (
            "un mot, filtre chapitre",
            format!("q={}&chapter=E2", encode(&word(1000))),
        ),
        (
            "deux mots, filtre type",
            format!(
                "q={}&kind=patient_association",
                encode(&format!("{} {}", word(300), word(400)))
            ),
        ),
        (
            "expression, filtre question",
            format!("q={}&question=E1.Q5", encode("\"soins à domicile\"")),
        ),
    ]
}

fn percentile(sorted: &[f64], p: usize) -> f64 {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

#[derive(Default)]
struct Figures {
    backend: &'static str,
    answers: usize,
    first_search: f64,
    /// (label, p50 ms, p95 ms, matches)
    search: Vec<(String, f64, f64, i64)>,
    themes_page_p50: f64,
    themes_api_p50: f64,
    duplicates_first: f64,
    duplicates_private_mb: Option<f64>,
    duplicates_groups: usize,
    duplicates_computed: i64,
    incremental: f64,
    incremental_computed: i64,
    unchanged: f64,
    /// The synthesis of SYNTHESIS_QUOTES testimonies: (format, seconds, pages, peak MB).
    synthesis: Vec<(&'static str, f64, Option<usize>, Option<f64>)>,
    /// p50 ms of the public contribution page, the public list's first page and its last.
    public_pages: [f64; 3],
    /// Publishable responses (the public list's and the open data's).
    publishable: i64,
    /// The open data: (format, seconds, bytes, peak MB).
    open_data: Vec<(&'static str, f64, usize, Option<f64>)>,
}

/// Testimonies quoted per chapter of the synthesis (about 300 pages in all), and
/// proposals consolidated per chapter, each from four organisations'.
const SYNTHESIS_QUOTES: usize = 300;
const SYNTHESIS_PROPOSALS: usize = 25;

fn ids(conn: &mut concerto::store::DbConnection, sql: &str) -> Vec<i64> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    diesel::sql_query(sql)
        .load::<Id>(conn)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

/// 10 campaigns of 100 copies of a text, each copy with one word changed, written over
/// answers to E1.Q1 (one organisation in ten).
fn plant_campaigns(url: &str) {
    let mut conn = connect(url);
    let targets = ids(
        &mut conn,
        "SELECT a.id AS id FROM answers a JOIN questions q ON q.id = a.question_id \
         WHERE q.code = 'E1.Q1' ORDER BY a.id",
    );
    // One organisation in ten at full size (every one in the quick run).
    let stride = (targets.len() / 1000).max(1);
    let mut rng = Lcg(7);
    let mut sql = String::from("BEGIN;");
    for campaign in 0..10 {
        let text = prose(&mut rng, 800);
        for copy in 0..100 {
            let id = targets[((campaign * 100 + copy) * stride) % targets.len()];
            let changed = text.replacen(' ', &format!(" {} ", word(5000 + copy)), 1);
            let value = serde_json::Value::String(changed).to_string();
            write!(
                sql,
                "UPDATE answers SET value = {} WHERE id = {id};",
                quote(&value)
            )
            .unwrap();
        }
    }
    sql.push_str("COMMIT;");
    conn.batch_execute(&sql).unwrap();
}

/// 20 themes through the API, then 20,000 tags on long answers in bulk.
async fn plant_themes(url: &str, coordinator: &mut Coordinator) {
    let mut themes = Vec::new();
    for i in 0..THEMES {
        let made = coordinator
            .post(
                &format!("/api/v1/rounds/{SLUG}/themes"),
                serde_json::json!({"name": format!("Thème n° {i}"), "keywords": word(100 + i)}),
            )
            .await;
        themes.push(made["id"].as_i64().unwrap());
    }
    let mut conn = connect(url);
    let coder = ids(
        &mut conn,
        &format!("SELECT id FROM users WHERE email = '{EMAIL}'"),
    )[0];
    let answers = ids(
        &mut conn,
        "SELECT a.id AS id FROM answers a JOIN questions q ON q.id = a.question_id \
         WHERE q.kind = 'long_text' ORDER BY a.id",
    );
    // Each tag with its answer's response and question, as the service stores it.
    let mut sql = String::from("BEGIN;");
    for chunk in (0..TAGS).collect::<Vec<_>>().chunks(1000) {
        let rows: Vec<String> = chunk
            .iter()
            .map(|i| {
                let answer = answers[(i * 5) % answers.len()];
                format!(
                    "({}, {answer}, (SELECT response_id FROM answers WHERE id = {answer}), \
                     (SELECT question_id FROM answers WHERE id = {answer}), {coder}, 1, '2026-11-20 10:00:00')",
                    // (Another theme each time the answers wrap round: each tag once.)
                    themes[(i + i * 5 / answers.len()) % THEMES],
                )
            })
            .collect();
        write!(
            sql,
            "INSERT INTO tags (theme_id, answer_id, response_id, question_id, coder_id, answer_version, created_at) VALUES {};",
            rows.join(",")
        )
        .unwrap();
    }
    sql.push_str("COMMIT;");
    conn.batch_execute(&sql).unwrap();
}

async fn timed_p50(coordinator: &Coordinator, path: &str, runs: usize) -> f64 {
    coordinator.get(path).await;
    let mut times: Vec<f64> = Vec::new();
    for _ in 0..runs {
        let (status, body, seconds) = coordinator.get(path).await;
        assert_eq!(status, 200, "{path}: {body}");
        times.push(seconds * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    percentile(&times, 50)
}

async fn search_under_load(coordinator: &Coordinator, query: &str) -> (f64, f64, i64) {
    let path = format!("/api/v1/rounds/{SLUG}/search?{query}");
    let (status, body, _) = coordinator.get(&path).await;
    assert_eq!(status, 200, "{body}");
    let total = serde_json::from_str::<serde_json::Value>(&body).unwrap()["total"]
        .as_i64()
        .unwrap();
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let (http, base, cookie, path) = (
            coordinator.http.clone(),
            coordinator.base.clone(),
            coordinator.cookie.clone(),
            path.clone(),
        );
        clients.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for _ in 0..REQUESTS_PER_CLIENT {
                let started = std::time::Instant::now();
                let response = http
                    .get(format!("{base}{path}"))
                    .header("cookie", &cookie)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200);
                response.bytes().await.unwrap();
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            times
        }));
    }
    let mut times = Vec::new();
    for client in clients {
        times.extend(client.await.unwrap());
    }
    times.sort_by(f64::total_cmp);
    (percentile(&times, 50), percentile(&times, 95), total)
}

async fn duplicates(coordinator: &Coordinator) -> (f64, usize, i64) {
    let (status, body, seconds) = coordinator
        .get(&format!("/api/v1/rounds/{SLUG}/duplicates?threshold=0.8"))
        .await;
    assert_eq!(status, 200, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    (
        seconds,
        body["groups"].as_array().unwrap().len(),
        body["computed"].as_i64().unwrap(),
    )
}

async fn measure(backend: Backend, pg_admin: &str, organisations: usize) -> Figures {
    eprintln!("— {} × {organisations} organisations", backend.name());
    let (target, server, mut coordinator, answers) = prepare_with(
        backend,
        organisations,
        Status::Submitted,
        pg_admin,
        analysed,
    )
    .await;
    plant_campaigns(&target.url);
    let mut figures = Figures {
        backend: backend.name(),
        answers,
        ..Figures::default()
    };

    // The first search after the bulk load (SQLite folds every noted answer first).
    let (_, _, seconds) = coordinator
        .get(&format!("/api/v1/rounds/{SLUG}/search?q=soins"))
        .await;
    figures.first_search = seconds;
    eprintln!("  first search {seconds:.1} s");
    for (label, query) in queries() {
        let (p50, p95, total) = search_under_load(&coordinator, &query).await;
        eprintln!("  {label}: p50 {p50:.1} ms, p95 {p95:.1} ms, {total} found");
        figures.search.push((label.to_owned(), p50, p95, total));
    }

    plant_themes(&target.url, &mut coordinator).await;
    figures.themes_page_p50 = timed_p50(
        &coordinator,
        &format!("/coordination/consultations/{SLUG}/themes"),
        20,
    )
    .await;
    figures.themes_api_p50 =
        timed_p50(&coordinator, &format!("/api/v1/rounds/{SLUG}/themes"), 20).await;
    eprintln!(
        "  themes page p50 {:.1} ms, API {:.1} ms",
        figures.themes_page_p50, figures.themes_api_p50
    );

    let watched = MemoryPeak::watch(server.pid());
    let (seconds, groups, computed) = duplicates(&coordinator).await;
    figures.duplicates_private_mb = watched.mb();
    (
        figures.duplicates_first,
        figures.duplicates_groups,
        figures.duplicates_computed,
    ) = (seconds, groups, computed);
    eprintln!("  duplicates {seconds:.1} s, {groups} groups, {computed} computed");
    // Ten answers change: only they are computed again.
    let mut conn = connect(&target.url);
    let changed = ids(
        &mut conn,
        "SELECT a.id AS id FROM answers a JOIN questions q ON q.id = a.question_id \
         WHERE q.code = 'E2.Q3' ORDER BY a.id LIMIT 10",
    );
    let list: Vec<String> = changed.iter().map(i64::to_string).collect();
    conn.batch_execute(&format!(
        "UPDATE answers SET value = '\"{}\"', version = version + 1 WHERE id IN ({})",
        prose(&mut Lcg(9), 800),
        list.join(",")
    ))
    .unwrap();
    let (seconds, _, computed) = duplicates(&coordinator).await;
    (figures.incremental, figures.incremental_computed) = (seconds, computed);
    let (seconds, _, _) = duplicates(&coordinator).await;
    figures.unchanged = seconds;
    eprintln!(
        "  after 10 changes {:.2} s ({} computed), unchanged {:.2} s",
        figures.incremental, figures.incremental_computed, figures.unchanged
    );
    figures.synthesis = synthesis(&target.url, &server, &mut coordinator).await;
    public(&target.url, &server, &coordinator, &mut figures).await;
    drop(server);
    drop(target);
    figures
}

/// A synthesis drawing on the round: per chapter SYNTHESIS_QUOTES long testimonies of
/// organisations that consented, and SYNTHESIS_PROPOSALS proposals each merged from
/// four; published, then downloaded as PDF and DOCX, timed, with the server's peak memory.
async fn synthesis(
    url: &str,
    server: &Server,
    coordinator: &mut Coordinator,
) -> Vec<(&'static str, f64, Option<usize>, Option<f64>)> {
    let mut conn = connect(url);
    for chapter in 1..=4 {
        let code = format!("E{chapter}");
        let pick = |kind: &str, limit: usize| {
            format!(
                "SELECT a.id AS id FROM answers a JOIN questions q ON q.id = a.question_id \
                 JOIN chapters c ON c.id = q.chapter_id JOIN responses r ON r.id = a.response_id \
                 WHERE c.code = '{code}' AND q.kind = '{kind}' AND r.publication_consent <> 'none' \
                 ORDER BY a.id LIMIT {limit}"
            )
        };
        let quotes = ids(&mut conn, &pick("long_text", SYNTHESIS_QUOTES));
        let sources = ids(&mut conn, &pick("proposals", SYNTHESIS_PROPOSALS * 4));
        let contributions: Vec<serde_json::Value> = quotes
            .iter()
            .enumerate()
            .map(|(i, id)| serde_json::json!({"answer": id, "heading": format!("Témoignage {}", i + 1)}))
            .collect();
        let proposals: Vec<serde_json::Value> = sources
            .chunks(4)
            .enumerate()
            .map(|(i, four)| {
                serde_json::json!({
                    "title": format!("Proposition consolidée {code}.{}", i + 1),
                    "description": "Reprise de quatre propositions voisines, reformulées.",
                    "sources": four.iter().map(|id| serde_json::json!({"answer": id, "item": 0})).collect::<Vec<_>>(),
                })
            })
            .collect();
        let section = serde_json::json!({"introduction": "Ce que les associations ont dit.", "contributions": contributions, "proposals": proposals});
        coordinator
            .put(
                &format!("/api/v1/rounds/{SLUG}/synthesis/chapters/{code}"),
                section,
            )
            .await;
    }
    coordinator
        .post(
            &format!("/api/v1/rounds/{SLUG}/synthesis/publications"),
            serde_json::json!({}),
        )
        .await;
    let mut out = Vec::new();
    for format in ["pdf", "docx"] {
        let path = format!("/api/v1/rounds/{SLUG}/synthesis/publications/1?format={format}");
        let watched = MemoryPeak::watch(server.pid());
        let (status, body, seconds) = coordinator.get_bytes(&path).await;
        assert_eq!(status, 200, "{format}");
        let pages = (format == "pdf").then(|| pdf_pages(&body)).flatten();
        eprintln!(
            "  synthesis {format}: {seconds:.2} s, {} bytes, {pages:?} pages",
            body.len()
        );
        out.push((format, seconds, pages, watched.mb()));
    }
    out
}

/// What everyone reads once the synthesis is published: the contribution's page, the
/// public list of responses (first and last page), the open data (CSV, JSON) with the
/// server's peak memory.
async fn public(url: &str, server: &Server, coordinator: &Coordinator, figures: &mut Figures) {
    let mut conn = connect(url);
    // The bench's round was seeded as a draft, which nobody outside sees: closed, as a
    // round is when its synthesis comes out.
    conn.batch_execute(&format!(
        "UPDATE rounds SET status = 'closed' WHERE slug = '{SLUG}'"
    ))
    .unwrap();
    figures.publishable = ids(
        &mut conn,
        "SELECT COUNT(*) AS id FROM responses WHERE status = 'submitted' \
         AND publication_consent <> 'none'",
    )[0];
    let last = (figures.publishable as usize).div_ceil(20).max(1);
    let base = format!("/consultations/{SLUG}/contribution");
    for (i, path) in [
        base.clone(),
        format!("{base}/reponses"),
        format!("{base}/reponses?page={last}"),
    ]
    .iter()
    .enumerate()
    {
        figures.public_pages[i] = timed_p50(coordinator, path, 20).await;
        eprintln!("  {path}: p50 {:.1} ms", figures.public_pages[i]);
    }
    for format in ["csv", "json"] {
        let watched = MemoryPeak::watch(server.pid());
        let (status, body, seconds) = coordinator
            .get_bytes(&format!("{base}/reponses.{format}"))
            .await;
        assert_eq!(status, 200, "{format}");
        eprintln!("  open data {format}: {seconds:.2} s, {} bytes", body.len());
        figures
            .open_data
            .push((format, seconds, body.len(), watched.mb()));
    }
}

/// A PDF's page count, as poppler's `pdfinfo` reads it (when installed).
fn pdf_pages(pdf: &[u8]) -> Option<usize> {
    let file = std::env::temp_dir().join(format!("banc-synthese-{}.pdf", std::process::id()));
    std::fs::write(&file, pdf).ok()?;
    let out = Command::new("pdfinfo").arg(&file).output().ok();
    let _ = std::fs::remove_file(&file);
    String::from_utf8(out?.stdout)
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").and_then(|n| n.trim().parse().ok()))
}

fn report(all: &[Figures], command: &str, organisations: usize) -> String {
    let machine = run(Command::new("sh").args([
        "-c",
        "echo \"$(nproc) cœurs, $(free -g | awk '/Mem:/ {print $2}') Gio, $(uname -sr)\"",
    ]));
    let mut md = String::new();
    writeln!(md, "## Analyse\n").unwrap();
    writeln!(
        md,
        "Produit par `{command}` le {} ({}). La consultation des exports (4 chapitres × 10 questions) avec \
         {organisations} organisations ayant soumis, soit le nombre de réponses indiqué, dont un quart de textes \
         d'environ 800 caractères écrits dans un vocabulaire de 6 000 mots aux fréquences d'une prose (rang \
         log-uniforme), et 10 campagnes de 100 textes presque identiques. Serveur de production (`--release`), \
         requêtes HTTP sur la boucle locale avec la session d'un coordinateur à double authentification.\n",
        chrono::Utc::now().format("%Y-%m-%d"),
        machine.trim()
    )
    .unwrap();
    writeln!(
        md,
        "Recherche : {CLIENTS} clients simultanés, {REQUESTS_PER_CLIENT} requêtes chacun par requête type ; cibles \
         p50 < 50 ms et p95 < 150 ms.\n"
    )
    .unwrap();
    writeln!(md, "| moteur | réponses | requête | trouvées | p50 | p95 |").unwrap();
    writeln!(md, "|---|---:|---|---:|---:|---:|").unwrap();
    for f in all {
        for (label, p50, p95, total) in &f.search {
            writeln!(
                md,
                "| {} | {} | {label} | {total} | {p50:.1} ms | {p95:.1} ms |",
                f.backend, f.answers
            )
            .unwrap();
        }
    }
    writeln!(md).unwrap();
    writeln!(
        md,
        "| moteur | première recherche après le chargement | page des thèmes (20 thèmes, 20 000 étiquettes), p50 | `…/themes`, p50 | doublons : premier calcul | mémoire propre de pointe | groupes | après 10 réponses modifiées | sans changement |"
    )
    .unwrap();
    writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|").unwrap();
    for f in all {
        writeln!(
            md,
            "| {} | {:.1} s | {:.1} ms | {:.1} ms | {:.1} s ({} signatures) | {} | {} | {:.2} s ({} signatures) | {:.2} s |",
            f.backend,
            f.first_search,
            f.themes_page_p50,
            f.themes_api_p50,
            f.duplicates_first,
            f.duplicates_computed,
            f.duplicates_private_mb.map_or("—".to_owned(), |m| format!("{m:.0} Mo")),
            f.duplicates_groups,
            f.incremental,
            f.incremental_computed,
            f.unchanged
        )
        .unwrap();
    }
    writeln!(
        md,
        "\nCibles : page des thèmes p50 < 200 ms ; doublons sur 100 000 textes longs en moins de 30 s et 300 Mo, \
         puis incrémental (seules les réponses modifiées sont recalculées). La première recherche après un \
         chargement en masse n'est pas une cible : sur SQLite elle range dans l'index toutes les réponses notées \
         par les déclencheurs (en service, chaque seconde au plus tard)."
    )
    .unwrap();
    writeln!(
        md,
        "\nSynthèse publiée tirée de la consultation : par chapitre {SYNTHESIS_QUOTES} témoignages \
         (réponses longues d'organisations ayant consenti) et {SYNTHESIS_PROPOSALS} propositions \
         consolidées chacune de quatre ; téléchargement de la version publiée.\n"
    )
    .unwrap();
    writeln!(
        md,
        "| moteur | format | durée | pages | mémoire propre de pointe |"
    )
    .unwrap();
    writeln!(md, "|---|---|---:|---:|---:|").unwrap();
    for f in all {
        for (format, seconds, pages, mb) in &f.synthesis {
            writeln!(
                md,
                "| {} | {format} | {seconds:.2} s | {} | {} |",
                f.backend,
                pages.map_or("—".to_owned(), |p| p.to_string()),
                mb.map_or("—".to_owned(), |m| format!("{m:.0} Mo"))
            )
            .unwrap();
        }
    }
    writeln!(
        md,
        "\nCibles : PDF et DOCX d'une synthèse de 300 pages en moins de 10 s et 200 Mo de mémoire de pointe."
    )
    .unwrap();
    writeln!(
        md,
        "\nCe que lit le public une fois la synthèse publiée : la page de la contribution, la liste des \
         réponses publiables (20 par page, la première et la dernière), et leurs données ouvertes \
         (téléchargement entier).\n"
    )
    .unwrap();
    writeln!(
        md,
        "| moteur | réponses publiables | page de la contribution, p50 | liste, 1re page, p50 | liste, dernière page, p50 | CSV | JSON |"
    )
    .unwrap();
    writeln!(md, "|---|---:|---:|---:|---:|---|---|").unwrap();
    for f in all {
        let files: Vec<String> = f
            .open_data
            .iter()
            .map(|(_, seconds, bytes, mb)| {
                format!(
                    "{seconds:.2} s, {:.0} Mo, mémoire de pointe {}",
                    *bytes as f64 / 1e6,
                    mb.map_or("—".to_owned(), |m| format!("{m:.0} Mo"))
                )
            })
            .collect();
        writeln!(
            md,
            "| {} | {} | {:.1} ms | {:.1} ms | {:.1} ms | {} |",
            f.backend,
            f.publishable,
            f.public_pages[0],
            f.public_pages[1],
            f.public_pages[2],
            files.join(" | ")
        )
        .unwrap();
    }
    writeln!(md, "\nCible : page publique p50 < 100 ms.").unwrap();
    md
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let organisations = if args.iter().any(|a| a == "--quick") {
        1_000
    } else {
        ORGANISATIONS
    };
    let pg_admin = std::env::var("CONCERTO_BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let command = std::env::var("CONCERTO_BENCH_COMMAND")
        .unwrap_or_else(|_| "cargo bench --bench analysis".into());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let all: Vec<Figures> = rt.block_on(async {
        let mut all = Vec::new();
        // `--only sqlite` or `--only postgres`: one backend, for a quicker look.
        let only = args
            .iter()
            .position(|a| a == "--only")
            .and_then(|i| args.get(i + 1));
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let name = backend.name().to_lowercase();
            if only.is_some_and(|wanted| !name.starts_with(&wanted.to_lowercase())) {
                continue;
            }
            all.push(measure(backend, &pg_admin, organisations).await);
        }
        all
    });
    let section = report(&all, &command, organisations);
    println!("{section}");
    let partial = args.iter().any(|a| a == "--only");
    if !partial && !args.iter().any(|a| a == "--no-write") && !args.iter().any(|a| a == "--quick") {
        write_section("Analyse", &section);
    }
}
