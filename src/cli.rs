//! The `concerto` command: `serve` (the default), `migrate`, `users add`, `demo`, `export`,
//! `backup` and `restore`.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;
use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{Environment, ExposeSecret, Settings};
use crate::domain::accounts::{DisplayName, Email, Password, PlatformRole};
use crate::startup::{Application, open_database};
use crate::{seed, store, telemetry};

#[derive(Parser)]
#[command(
    name = "concerto",
    version,
    about = "Consultations publiques répondues par des organisations"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Sert l'application web et l'API (commande par défaut).
    Serve,
    /// Applique les migrations en attente, puis s'arrête.
    Migrate,
    /// Gère les comptes.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Crée la consultation de démonstration et son compte coordinateur s'ils manquent.
    Demo,
    /// Exporte les réponses d'une consultation (sur la sortie standard, ou dans un fichier).
    Export {
        /// Identifiant de la consultation (son « slug »).
        #[arg(long)]
        round: String,
        #[arg(long, value_enum, default_value = "csv")]
        format: FormatArg,
        /// `all` pour inclure les brouillons.
        #[arg(long, value_enum, default_value_t = IncludeArg::Submitted)]
        include: IncludeArg,
        /// `excel-fr` : séparateur `;`, BOM UTF-8 et fins de ligne CRLF.
        #[arg(long, value_enum, default_value = "standard")]
        dialect: DialectArg,
        /// Pour `--format document` : `html` (imprimable, par défaut) ou `markdown`.
        #[arg(long = "as", value_enum)]
        rendering: Option<RenderingArg>,
        /// Masque aussi dans CSV, JSON et XLSX les données personnelles marquées par les
        /// coordinateurs (le document les masque toujours).
        #[arg(long)]
        masked: bool,
        /// Fichier à écrire ; il n'apparaît qu'une fois l'export complet.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// Sauvegarde la base SQLite pendant que le service tourne (copie cohérente, vérifiée).
    Backup {
        /// Fichier de la sauvegarde (il ne doit pas exister).
        #[arg(long)]
        output: std::path::PathBuf,
    },
    /// Opérations sur les bases (copie d'une installation vers une autre base).
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Restaure une sauvegarde SQLite à la place de la base (service arrêté).
    Restore {
        /// La sauvegarde à restaurer.
        #[arg(long)]
        input: std::path::PathBuf,
        /// Remplace la base existante.
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Csv,
    CsvWide,
    Json,
    Xlsx,
    Document,
}

#[derive(Clone, Copy, ValueEnum)]
enum RenderingArg {
    Html,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum IncludeArg {
    Submitted,
    All,
}

#[derive(Clone, Copy, ValueEnum)]
enum DialectArg {
    Standard,
    ExcelFr,
}

#[derive(Subcommand)]
enum DbCommand {
    /// Copie toute une installation dans une base neuve (de SQLite vers PostgreSQL quand
    /// elle grandit, ou l'inverse), puis vérifie les nombres de lignes et chaque réponse.
    /// Arrêtez le service avant : ce qui s'écrirait pendant la copie n'y serait pas.
    Copy {
        /// La base à copier, par exemple sqlite://data/concerto.db (au schéma de cette version).
        #[arg(long)]
        from: String,
        /// La base neuve où copier, par exemple postgres://concerto@localhost/concerto
        /// (vide ; ses migrations sont appliquées d'abord).
        #[arg(long)]
        to: String,
    },
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Crée un compte vérifié ; le mot de passe est lu sur l'entrée standard.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Coordinator,
    Admin,
}

/// Runs the command line; every failure is one line on standard error and a non-zero exit.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("concerto : {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings);
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings),
        Command::Migrate => migrate(&settings),
        Command::Users {
            command: UsersCommand::Add { email, name, role },
        } => add_user(&settings, &email, &name, role),
        Command::Demo => demo(&settings),
        Command::Export {
            round,
            format,
            include,
            dialect,
            rendering,
            masked,
            output,
        } => export(
            &settings,
            &round,
            (format, rendering),
            (include, masked),
            dialect,
            output.as_deref(),
        ),
        Command::Backup { output } => backup(&settings, &output),
        Command::Restore { input, replace } => restore(&settings, &input, replace),
        Command::Db {
            command: DbCommand::Copy { from, to },
        } => copy_database(&settings, &from, &to),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}` joins the causes on one line: no backtrace for the operator to decode.
            eprintln!("concerto : {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn serve(settings: Settings) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let seed_on_first_run = settings.env == Environment::Development;
        let app = Application::build(settings).await?;
        if seed_on_first_run {
            let state = app.state().clone();
            let seeded = state
                .db
                .run(move |conn| seed::first_run(conn, &state.settings))
                .await?;
            for line in seeded.as_ref().map(seed::report).unwrap_or_default() {
                println!("{line}");
            }
        }
        let address = format!(
            "http://{}:{}",
            app.state()
                .settings
                .bind
                .rsplit_once(':')
                .map_or("127.0.0.1", |(h, _)| h),
            app.port()
        );
        tracing::info!(%address, "listening");
        println!("Concerto écoute sur {address}");
        std::io::stdout().flush().ok();
        app.run_until_stopped()
            .await
            .context("le serveur s'est arrêté sur une erreur")?;
        tracing::info!("stopped");
        Ok(())
    })
}

fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let url = store::DatabaseUrl::parse(settings.database_url.expose_secret())?;
    let timeout = std::time::Duration::from_secs(settings.database.connect_timeout_secs);
    let mut conn = store::establish(&url, timeout)?;
    match store::migrate(&mut conn)? {
        0 => println!(
            "Base de données à jour ({}) : aucune migration en attente.",
            url.redacted()
        ),
        1 => println!("1 migration appliquée à {}.", url.redacted()),
        n => println!("{n} migrations appliquées à {}.", url.redacted()),
    }
    Ok(())
}

/// The password comes from standard input so that it never shows in the process list or
/// the shell history.
fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!(
            "Mot de passe (au moins {} caractères) : ",
            Password::MIN_CHARS
        );
        std::io::stderr().flush().ok();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("lecture du mot de passe sur l'entrée standard")?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

fn add_user(settings: &Settings, email: &str, name: &str, role: RoleArg) -> anyhow::Result<()> {
    use crate::error::AppError;
    let role = match role {
        RoleArg::Coordinator => PlatformRole::Coordinator,
        RoleArg::Admin => PlatformRole::Admin,
    };
    // Checked before the password is asked for: a wrong address fails at once.
    Email::parse(email).map_err(|e| anyhow::anyhow!("--email : {}", e.message))?;
    DisplayName::parse(name).map_err(|e| anyhow::anyhow!("--name : {}", e.message))?;
    let password = read_password()?;
    let db = open_database(settings)?;
    let mut conn = db.get()?;
    let created = crate::services::accounts::create_by_operator(
        &mut conn,
        email,
        name,
        &password,
        role,
        Utc::now(),
    );
    let id = match created {
        Ok(id) => id,
        Err(AppError::Validation(fields)) => {
            let said: Vec<String> = fields
                .iter()
                .map(|f| match f.field.as_str() {
                    "password" => format!("mot de passe refusé : {}", f.message),
                    "display_name" => format!("--name : {}", f.message),
                    other => format!("--{other} : {}", f.message),
                })
                .collect();
            anyhow::bail!("{}", said.join(" ; "))
        }
        Err(AppError::Conflict(why)) => anyhow::bail!("{why}"),
        Err(e) => return Err(e.into()),
    };
    println!("Compte {email} créé (n° {id}, rôle {role}).");
    Ok(())
}

/// "12 comptes, 40 réponses d'organisations, 1600 réponses aux questions ; 3.2 Mo, en 0.4 s"
fn describe(done: &store::backup::Done) -> String {
    let c = done.contents;
    format!(
        "{}, {}, {} ; {} Mo, en {} s",
        count(c.accounts, "compte", "comptes"),
        count(
            c.responses,
            "réponse d'organisation",
            "réponses d'organisations"
        ),
        count(c.answers, "réponse aux questions", "réponses aux questions"),
        decimal(done.bytes as f64 / 1_048_576.0),
        decimal(done.took.as_secs_f64())
    )
}

/// One decimal, with the French comma.
fn decimal(x: f64) -> String {
    format!("{x:.1}").replace('.', ",")
}

fn backup(settings: &Settings, output: &std::path::Path) -> anyhow::Result<()> {
    let url = store::DatabaseUrl::parse(settings.database_url.expose_secret())?;
    let timeout = std::time::Duration::from_secs(settings.database.connect_timeout_secs);
    let done = store::backup::backup(&url, output, timeout)?;
    println!(
        "Sauvegarde écrite dans {} : {}.",
        output.display(),
        describe(&done)
    );
    Ok(())
}

fn restore(settings: &Settings, input: &std::path::Path, replace: bool) -> anyhow::Result<()> {
    let url = store::DatabaseUrl::parse(settings.database_url.expose_secret())?;
    let timeout = std::time::Duration::from_secs(settings.database.connect_timeout_secs);
    let done = store::backup::restore(&url, input, replace, timeout)?;
    println!(
        "Sauvegarde restaurée dans {} : {}.",
        url.redacted(),
        describe(&done)
    );
    Ok(())
}

fn copy_database(settings: &Settings, from: &str, to: &str) -> anyhow::Result<()> {
    use indicatif::{ProgressBar, ProgressStyle};
    let from = store::DatabaseUrl::parse(from).context("--from")?;
    let to = store::DatabaseUrl::parse(to).context("--to")?;
    let timeout = std::time::Duration::from_secs(settings.database.connect_timeout_secs);
    // Drawn on a terminal only (standard error), hidden otherwise.
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template(
            "{msg:24} [{bar:30}] {human_pos}/{human_len} lignes ({per_sec}, reste {eta})",
        )
        .expect("a valid template")
        .progress_chars("=> "),
    );
    let copied = store::copy::copy(&from, &to, timeout, &mut |step| match step {
        store::copy::Step::Total(rows) => bar.set_length(rows),
        store::copy::Step::Table(table) => bar.set_message(table),
        store::copy::Step::Rows(rows) => bar.inc(rows),
        store::copy::Step::Verifying => bar.set_message("vérification"),
    });
    bar.finish_and_clear();
    let copied = copied?;
    println!(
        "Copie terminée en {} s : {} de {} vers {}.",
        decimal(copied.took.as_secs_f64()),
        count(copied.rows(), "ligne", "lignes"),
        from.redacted(),
        to.redacted()
    );
    for (table, rows) in copied.tables.iter().filter(|(_, rows)| *rows > 0) {
        println!("  {table} : {rows}");
    }
    println!(
        "Vérifié dans la cible avant validation : mêmes nombres de lignes dans les {} tables ; \
         réponses aux questions comparées une à une : {}, sans écart (empreinte SHA-256 {}).",
        copied.tables.len(),
        copied.answers,
        copied.answers_digest
    );
    Ok(())
}

/// `n` and its noun, singular or plural as French says (0 and 1 take the singular).
fn count(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

fn demo(settings: &Settings) -> anyhow::Result<()> {
    let db = open_database(settings)?;
    let mut conn = db.get()?;
    let seeded = seed::seed_demo(&mut conn, settings)?;
    let lines = seed::report(&seeded);
    if lines.is_empty() {
        println!("Les données de démonstration sont déjà présentes.");
    }
    for line in lines {
        println!("{line}");
    }
    Ok(())
}

fn export(
    settings: &Settings,
    slug: &str,
    format: (FormatArg, Option<RenderingArg>),
    (include, masked): (IncludeArg, bool),
    dialect: DialectArg,
    output: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    use crate::services::exports::{self, Dialect, Format, Include, Rendering, Shape};
    let format = match format {
        (FormatArg::Document, rendering) => Format::Document(match rendering {
            Some(RenderingArg::Markdown) => Rendering::Markdown,
            _ => Rendering::Html,
        }),
        (_, Some(_)) => anyhow::bail!("--as ne s'applique qu'au format document"),
        (FormatArg::Csv, None) => Format::Csv(Shape::Long),
        (FormatArg::CsvWide, None) => Format::Csv(Shape::Wide),
        (FormatArg::Json, None) => Format::Json,
        (FormatArg::Xlsx, None) => Format::Xlsx,
    };
    let include = match include {
        IncludeArg::Submitted => Include::Submitted,
        IncludeArg::All => Include::All,
    };
    let dialect = match dialect {
        DialectArg::Standard => Dialect::STANDARD,
        DialectArg::ExcelFr => Dialect::EXCEL_FR,
    };
    let db = open_database(settings)?;
    let mut conn = db.get()?;
    let detail = match exports::begin(
        &mut conn,
        exports::Requester::Operator,
        slug,
        format,
        (include, masked),
    ) {
        Err(crate::error::AppError::NotFound) => anyhow::bail!("aucune consultation « {slug} »"),
        begun => begun?,
    };
    // Into a sibling temporary file renamed at the end: a failed export never leaves a
    // truncated file that looks complete.
    let (mut sink, temp): (Box<dyn Write>, Option<tempfile::NamedTempFile>) = match output {
        None => (Box::new(std::io::stdout().lock()), None),
        Some(path) => {
            let dir = store::backup::folder_of(path);
            let temp = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("écriture impossible dans {}", dir.display()))?;
            (
                Box::new(std::io::BufWriter::new(temp.reopen()?)),
                Some(temp),
            )
        }
    };
    let mut failure = None;
    let rows = exports::write(
        &mut conn,
        &detail,
        (format, include, dialect, masked),
        (Utc::now(), settings.base_url()),
        &mut |chunk| match sink.write_all(&chunk) {
            Ok(()) => true,
            Err(e) => {
                failure = Some(e);
                false
            }
        },
    )?;
    if let Some(e) = failure {
        return Err(e).context("écriture de l'export");
    }
    sink.flush().context("écriture de l'export")?;
    drop(sink);
    if let (Some(temp), Some(path)) = (temp, output) {
        temp.persist(path)
            .with_context(|| format!("écriture de {}", path.display()))?;
        match rows {
            // French counts 0 and 1 alike: "0 ligne exportée".
            0 | 1 => eprintln!("{rows} ligne exportée dans {}.", path.display()),
            rows => eprintln!("{rows} lignes exportées dans {}.", path.display()),
        }
    }
    Ok(())
}
