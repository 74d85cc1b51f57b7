//! The export benchmark (not a test; `scripts/bench-export` runs it). For each backend and
//! size it makes a fresh database, builds a round of 4 chapters × 10 questions (a quarter
//! of them long texts of about 800 characters) through the API of the release server,
//! seeds N organisations with a submitted response each (bulk SQL: the data, not the
//! answering path, is what is measured here), then times every export format over HTTP
//! while reading the server's peak memory, and the database's own CSV dump of the same
//! join as the baseline: PostgreSQL's `COPY (…) TO STDOUT WITH CSV`, `sqlite3 -csv`.
//! Results go to `docs/benchmarks.md`.

mod common;

use std::fmt::Write as _;
use std::process::{Command, Stdio};
use std::time::Instant;

use common::*;

const FORMATS: [&str; 5] = ["csv", "csv-wide", "json", "xlsx", "document"];
struct Measure {
    backend: Backend,
    organisations: usize,
    answers: usize,
    what: String,
    seconds: f64,
    bytes: u64,
    peak_private_mb: Option<f64>,
    baseline_seconds: f64,
}

/// The rows of the long CSV, as one join, for the databases' own dumps.
const JOIN: &str = "SELECT r.slug, c.code, c.title, q.code, q.prompt, q.kind, o.name, o.legal_id, o.kind, s.status, s.submitted_at, a.value \
FROM responses s JOIN rounds r ON r.id = s.round_id JOIN organisations o ON o.id = s.organisation_id \
JOIN answers a ON a.response_id = s.id JOIN questions q ON q.id = a.question_id JOIN chapters c ON c.id = q.chapter_id \
WHERE r.slug = 'banc' AND s.status = 'submitted' ORDER BY s.id, c.position, q.position";

fn baseline(backend: Backend, target: &Target) -> f64 {
    let started = Instant::now();
    let mut command = match backend {
        Backend::Postgres => {
            let mut c = Command::new("psql");
            c.args([
                "-X",
                "-q",
                &target.url,
                "-c",
                &format!("COPY ({JOIN}) TO STDOUT WITH CSV"),
            ]);
            c
        }
        Backend::Sqlite => {
            let mut c = Command::new("sqlite3");
            c.args([
                "-csv",
                target.sqlite_file.as_ref().unwrap().to_str().unwrap(),
                JOIN,
            ]);
            c
        }
    };
    let status = command
        .stdout(Stdio::null())
        .status()
        .expect("baseline runs");
    assert!(status.success(), "{command:?}");
    started.elapsed().as_secs_f64()
}

async fn measure(backend: Backend, organisations: usize, pg_admin: &str, out: &mut Vec<Measure>) {
    eprintln!("— {} × {organisations} organisations", backend.name());
    let (target, server, coordinator, answers) =
        prepare(backend, organisations, Status::Submitted, pg_admin).await;

    // Warm the caches alike for both sides, then keep the faster of two runs of each.
    baseline(backend, &target);
    coordinator.export("csv").await;
    let baseline_seconds = (0..2)
        .map(|_| baseline(backend, &target))
        .fold(f64::INFINITY, f64::min);
    eprintln!("  baseline {baseline_seconds:.2} s");
    for format in FORMATS {
        let mut best = (f64::INFINITY, 0);
        let mut peak: Option<f64> = None;
        for _ in 0..2 {
            let watched = MemoryPeak::watch(server.pid());
            let (seconds, bytes) = coordinator.export(format).await;
            if seconds < best.0 {
                best = (seconds, bytes);
            }
            if let Some(now) = watched.mb() {
                peak = Some(peak.map_or(now, |p: f64| p.max(now)));
            }
        }
        eprintln!(
            "  {format}: {:.2} s, {} bytes, peak {:?} MB",
            best.0, best.1, peak
        );
        out.push(Measure {
            backend,
            organisations,
            answers,
            what: format.to_owned(),
            seconds: best.0,
            bytes: best.1,
            peak_private_mb: peak,
            baseline_seconds,
        });
    }
}

fn report(measures: &[Measure], command: &str) -> String {
    let mut md = String::new();
    let machine = run(Command::new("sh").args([
        "-c",
        "echo \"$(nproc) cœurs, $(free -g | awk '/Mem:/ {print $2}') Gio, $(uname -sr)\"",
    ]));
    writeln!(md, "## Exports\n").unwrap();
    writeln!(
        md,
        "Produit par `{command}` le {} ({}). Base fraîche à chaque taille ; serveur de production (binaire `--release`, \
         `CONCERTO_ENV=production`) ; chaque export est téléchargé en entier par HTTP sur la boucle locale ; meilleur \
         de deux essais. Référence : le vidage CSV de la même jointure par la base elle-même, dans la même exécution \
         (`COPY (…) TO STDOUT WITH CSV` par `psql`, `sqlite3 -csv`). Mémoire : pic de mémoire propre du \
         serveur pendant chaque export (pages anonymes, `RssAnon` relevé toutes les 2 ms : le RSS compterait \
         aussi les pages du fichier SQLite lu par projection mémoire).\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        machine.trim()
    )
    .unwrap();
    writeln!(
        md,
        "| Base | Organisations | Réponses (lignes) | Format | Secondes | Lignes/s | Octets | Pic mémoire propre (Mo) | Référence (s) | Rapport à la référence |"
    )
    .unwrap();
    writeln!(md, "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|").unwrap();
    for m in measures {
        writeln!(
            md,
            "| {} | {} | {} | {} | {:.2} | {:.0} | {} | {} | {:.2} | {:.2} |",
            m.backend.name(),
            m.organisations,
            m.answers,
            m.what,
            m.seconds,
            m.answers as f64 / m.seconds,
            m.bytes,
            m.peak_private_mb
                .map(|v| format!("{v:.1}"))
                .unwrap_or_else(|| "—".into()),
            m.baseline_seconds,
            m.seconds / m.baseline_seconds
        )
        .unwrap();
    }
    // Linearity: time per answer against the smallest size, per backend and format.
    writeln!(
        md,
        "\nTemps par réponse rapporté à la plus petite taille (1,00 = linéaire) :\n"
    )
    .unwrap();
    writeln!(
        md,
        "| Base | Format | Organisations | Rapport |\n|---|---|---:|---:|"
    )
    .unwrap();
    for m in measures {
        let smallest = measures
            .iter()
            .filter(|o| o.backend == m.backend && o.what == m.what)
            .min_by_key(|o| o.organisations)
            .unwrap();
        if smallest.organisations == m.organisations {
            continue;
        }
        let per = |x: &Measure| x.seconds / x.answers as f64;
        writeln!(
            md,
            "| {} | {} | {} | {:.2} |",
            m.backend.name(),
            m.what,
            m.organisations,
            per(m) / per(smallest)
        )
        .unwrap();
    }
    md.push_str(&targets(measures));
    md
}

/// The targets, checked on these figures.
fn targets(measures: &[Measure]) -> String {
    let mut md = String::from("\nCibles :\n\n");
    let find = |backend: Backend, n: usize, what: &str| {
        measures
            .iter()
            .find(|m| m.backend == backend && m.organisations == n && m.what == what)
    };
    let sizes = |backend: Backend| {
        let mut sizes: Vec<usize> = measures
            .iter()
            .filter(|m| m.backend == backend)
            .map(|m| m.organisations)
            .collect();
        sizes.sort_unstable();
        sizes.dedup();
        sizes
    };
    let mark = |ok: bool| if ok { "tenue" } else { "**manquée**" };
    for backend in [Backend::Postgres, Backend::Sqlite] {
        let sizes = sizes(backend);
        let (Some(&small), Some(&reference)) = (sizes.first(), sizes.get(1)) else {
            continue;
        };
        if let Some(csv) = find(backend, reference, "csv") {
            let ratio = csv.seconds / csv.baseline_seconds;
            writeln!(
                md,
                "- {} : CSV long à {reference} organisations en {ratio:.2} × le temps de la référence (cible ≤ 2) : {}.",
                backend.name(),
                mark(ratio <= 2.0)
            )
            .unwrap();
        }
        let peak = |n: usize| {
            measures
                .iter()
                .filter(|m| m.backend == backend && m.organisations == n)
                .filter_map(|m| m.peak_private_mb)
                .fold(0.0_f64, f64::max)
        };
        let (at_small, at_reference) = (peak(small), peak(reference));
        writeln!(
            md,
            "- {} : pic de mémoire du serveur sur tous les exports, {at_reference:.1} Mo à {reference} organisations (cible < 100) et {at_small:.1} Mo à {small} (cible : au plus 20 % de plus à {reference}) : {}.",
            backend.name(),
            mark(at_reference < 100.0 && at_reference <= at_small * 1.2)
        )
        .unwrap();
        if let Some(&largest) = sizes.last().filter(|&&n| n > reference) {
            let per = |m: &Measure| m.seconds / m.answers as f64;
            let worst = FORMATS
                .iter()
                .filter_map(|f| {
                    Some(per(find(backend, largest, f)?) / per(find(backend, small, f)?))
                })
                .fold(0.0_f64, f64::max);
            writeln!(
                md,
                "- {} : temps par réponse à {largest} organisations rapporté à {small}, au pire des formats {worst:.2} (cible ≤ 1,20, croissance linéaire) : {}.",
                backend.name(),
                mark(worst <= 1.2)
            )
            .unwrap();
        }
    }
    md
}

fn main() {
    let mut sizes = vec![2_000, 10_000];
    let mut pg_only = vec![20_000];
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--quick") {
        sizes = vec![200, 1_000];
        pg_only = vec![2_000];
    }
    let pg_admin = std::env::var("CONCERTO_BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let command = std::env::var("CONCERTO_BENCH_COMMAND")
        .unwrap_or_else(|_| "cargo bench --bench export".into());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut measures = Vec::new();
    rt.block_on(async {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            for &n in &sizes {
                measure(backend, n, &pg_admin, &mut measures).await;
            }
        }
        for &n in &pg_only {
            measure(Backend::Postgres, n, &pg_admin, &mut measures).await;
        }
    });
    let section = report(&measures, &command);
    println!("{section}");
    if !args.iter().any(|a| a == "--no-write") {
        write_section("Exports", &section);
    }
}
