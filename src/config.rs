//! Layered configuration: the defaults compiled into the binary, then `config/default.toml`,
//! then `config/$CONCERTO_ENV.toml`, then `CONCERTO_*` environment variables.

use std::fmt;
use std::path::{Path, PathBuf};

use config::{Config, Environment as EnvSource, File, FileFormat};
use serde::Deserialize;

/// The defaults ship inside the binary so that it runs from any directory.
const DEFAULTS: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Test,
    Production,
}

impl Environment {
    pub fn parse(value: &str) -> Result<Self, ConfigError> {
        match value {
            "development" | "dev" => Ok(Self::Development),
            "test" => Ok(Self::Test),
            "production" | "prod" => Ok(Self::Production),
            other => Err(ConfigError(format!(
                "CONCERTO_ENV « {other} » inconnu : valeurs acceptées development, test, production"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Development => "development",
            Self::Test => "test",
            Self::Production => "production",
        }
    }
}

/// A secret that never shows up in logs or `Debug` output (and is zeroed when dropped):
/// the `secrecy` crate's. `expose_secret()` marks each place it is read.
pub use secrecy::{ExposeSecret, SecretString as Secret};

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

/// How the pages look: a stylesheet and the header and footer around every page.
/// `dsfr` is the State Design System's (for State services only: see the README).
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    Concerto,
    Dsfr,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    pub max_connections: u32,
    pub connect_timeout_secs: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Limits {
    pub json_bytes: usize,
    pub form_bytes: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SessionSettings {
    pub idle_minutes: i64,
    pub absolute_hours: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MailSettings {
    pub from: String,
    pub poll_interval_ms: u64,
    pub retry_base_ms: u64,
    pub max_attempts: i32,
    pub lease_secs: i64,
    pub batch_size: i64,
    pub smtp_timeout_ms: u64,
}

impl MailSettings {
    /// SMTP steps of one email at most: connect, greeting, EHLO, STARTTLS and EHLO
    /// again, AUTH, MAIL, RCPT, DATA, the message and its reply.
    pub const SMTP_STEPS: u64 = 11;

    /// The longest one email's exchange may take before lettre gives up.
    pub fn longest_email(&self) -> std::time::Duration {
        std::time::Duration::from_millis(
            self.smtp_timeout_ms.max(1).saturating_mul(Self::SMTP_STEPS),
        )
    }

    /// A claim's lease: as configured, but never shorter than one email's longest
    /// exchange and a second, so that an email begun inside its lease ends inside it.
    pub fn lease(&self) -> std::time::Duration {
        let configured = std::time::Duration::from_secs(self.lease_secs.max(1) as u64);
        configured.max(self.longest_email() + std::time::Duration::from_secs(1))
    }
}

/// Who answers for the personal data, and how long it is kept (`[privacy]`).
#[derive(Debug, Clone, Deserialize)]
pub struct PrivacySettings {
    pub controller: String,
    pub controller_address: String,
    pub dpo_contact: String,
    pub audit_ip_months: u32,
    pub outbox_body_days: u32,
    pub archived_drafts_months: u32,
    pub archived_answers_months: u32,
}

/// Where attached documents are kept (`[files]`).
#[derive(Debug, Clone, Deserialize)]
pub struct FileSettings {
    pub store: FileStoreKind,
    /// For `local`: the directory, under `data_dir` unless absolute.
    pub dir: String,
    /// For `s3`: the service's address (empty: AWS itself), bucket and region.
    pub s3_endpoint: String,
    pub s3_bucket: String,
    pub s3_region: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStoreKind {
    Local,
    S3,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DemoSettings {
    pub coordinator_email: String,
    pub coordinator_name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    #[serde(skip, default = "default_env")]
    pub env: Environment,
    pub database_url: Secret,
    pub bind: String,
    pub base_url: String,
    pub data_dir: PathBuf,
    pub secret_key: Option<Secret>,
    pub smtp_url: Option<Secret>,
    /// The bearer token `/metrics` asks for; without one, there are no metrics.
    #[serde(default)]
    pub metrics_token: Option<Secret>,
    pub allow_http_base_url: bool,
    pub log_format: LogFormat,
    #[serde(default)]
    pub theme: Theme,
    pub log_level: String,
    pub workers: usize,
    pub shutdown_timeout_secs: u64,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub sessions: SessionSettings,
    pub database: DatabaseSettings,
    pub limits: Limits,
    pub mail: MailSettings,
    pub demo: DemoSettings,
    pub privacy: PrivacySettings,
    pub files: FileSettings,
}

fn default_env() -> Environment {
    Environment::Development
}

/// A configuration problem, worded for the person starting the service.
#[derive(Debug)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Settings {
    /// Reads the configuration as the running service does: `CONCERTO_ENV` picks the
    /// environment, `CONCERTO_CONFIG_DIR` (default `config`) the folder of files.
    pub fn load() -> Result<Self, ConfigError> {
        let env = match std::env::var("CONCERTO_ENV") {
            Ok(value) if !value.is_empty() => Environment::parse(&value)?,
            _ => Environment::Development,
        };
        let dir = std::env::var_os("CONCERTO_CONFIG_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("config"));
        Self::load_from(env, &dir, true)
    }

    /// Reads the layers for `env` from `dir`; `with_env_vars` lets tests ignore the
    /// caller's environment.
    pub fn load_from(
        env: Environment,
        dir: &Path,
        with_env_vars: bool,
    ) -> Result<Self, ConfigError> {
        let mut builder = Config::builder().add_source(File::from_str(DEFAULTS, FileFormat::Toml));
        for name in ["default", env.as_str()] {
            let path = dir.join(format!("{name}.toml"));
            if path.exists() {
                // Parse each file here so the error names it, rather than a merged blur.
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    ConfigError(format!(
                        "fichier de configuration {} illisible : {e}",
                        path.display()
                    ))
                })?;
                if let Err(e) = Config::builder()
                    .add_source(File::from_str(&text, FileFormat::Toml))
                    .build()
                {
                    return Err(ConfigError(format!(
                        "fichier de configuration {} mal formé : {}",
                        path.display(),
                        one_line(&e.to_string())
                    )));
                }
                builder = builder.add_source(File::from_str(&text, FileFormat::Toml));
            }
        }
        if with_env_vars {
            builder = builder.add_source(
                EnvSource::with_prefix("CONCERTO")
                    .prefix_separator("_")
                    .separator("__")
                    .try_parsing(true)
                    // CONCERTO_TRUSTED_PROXIES="10.0.0.2,10.0.0.3"
                    .list_separator(",")
                    .with_list_parse_key("trusted_proxies"),
            );
        }
        let mut settings: Settings =
            builder
                .build()
                .and_then(Config::try_deserialize)
                .map_err(|e| {
                    ConfigError(format!(
                        "configuration invalide : {}",
                        one_line(&e.to_string())
                    ))
                })?;
        settings.env = env;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let base = self.base_url.trim_end_matches('/');
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(ConfigError(format!(
                "CONCERTO_BASE_URL « {base} » : une adresse http:// ou https:// est attendue"
            )));
        }
        if self.env == Environment::Production {
            match &self.secret_key {
                None => {
                    return Err(ConfigError(
                        "en production, CONCERTO_SECRET_KEY est obligatoire (au moins 32 caractères aléatoires)"
                            .into(),
                    ));
                }
                Some(key) if key.expose_secret().chars().count() < 32 => {
                    return Err(ConfigError(
                        "CONCERTO_SECRET_KEY est trop courte : au moins 32 caractères".into(),
                    ));
                }
                Some(_) => {}
            }
            if base.starts_with("http://") && !self.allow_http_base_url {
                return Err(ConfigError(
                    "en production, CONCERTO_BASE_URL doit commencer par https:// \
                     (CONCERTO_ALLOW_HTTP_BASE_URL=true pour passer outre derrière un proxy TLS)"
                        .into(),
                ));
            }
        }
        if self.files.store == FileStoreKind::S3 && self.files.s3_bucket.trim().is_empty() {
            return Err(ConfigError(
                "files : avec store = \"s3\", s3_bucket est obligatoire".into(),
            ));
        }
        if self.limits.json_bytes == 0 || self.limits.form_bytes == 0 {
            return Err(ConfigError(
                "limits : les tailles de corps doivent être positives".into(),
            ));
        }
        Ok(())
    }

    /// The base URL without a trailing slash, ready to have paths appended.
    pub fn base_url(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// `scheme://host[:port]` of the base URL, as browsers send it in `Origin`.
    pub fn origin(&self) -> &str {
        let base = self.base_url();
        let after_scheme = base.find("://").map_or(0, |i| i + 3);
        match base[after_scheme..].find('/') {
            Some(i) => &base[..after_scheme + i],
            None => base,
        }
    }
}

/// Start-up errors are printed as one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_file_overrides_the_defaults() {
        let test = Settings::load_from(Environment::Test, Path::new("config"), false).unwrap();
        assert_eq!(test.workers, 1);
        assert_eq!(test.database.max_connections, 4);
        assert_eq!(test.log_format, LogFormat::Pretty, "kept from the defaults");
        let dev =
            Settings::load_from(Environment::Development, Path::new("config"), false).unwrap();
        assert_eq!(dev.workers, 0);
        assert_eq!(
            dev.database_url.expose_secret(),
            "sqlite://data/concerto.db"
        );
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let mut settings =
            Settings::load_from(Environment::Test, Path::new("config"), false).unwrap();
        settings.secret_key = Some(Secret::from("tres-secret-tres-secret-tres-secret"));
        settings.database_url = Secret::from("postgres://u:motdepasse@h/db");
        let shown = format!("{settings:?}");
        assert!(
            !shown.contains("tres-secret") && !shown.contains("motdepasse"),
            "{shown}"
        );
    }
}
