//! People and their credentials: values that cannot exist unless valid.

use super::FieldError;

/// An email address, trimmed and lower-cased: the same person cannot register twice by
/// changing the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        use validator::ValidateEmail;
        let value = raw.trim().to_lowercase();
        if value.is_empty() {
            return Err(FieldError::new(
                "email",
                "required",
                "L'adresse électronique est obligatoire.",
            ));
        }
        if value.chars().count() > 254 || !value.validate_email() {
            return Err(FieldError::new(
                "email",
                "invalid_email",
                "Cette adresse électronique n'est pas valide (exemple : prenom.nom@exemple.fr).",
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name shown to colleagues and coordinators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(FieldError::new(
                "display_name",
                "required",
                "Le nom affiché est obligatoire.",
            ));
        }
        if value.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::new(
                "display_name",
                "too_long",
                format!(
                    "Le nom affiché ne doit pas dépasser {} caractères.",
                    Self::MAX_CHARS
                ),
            ));
        }
        if value.chars().any(char::is_control) {
            return Err(FieldError::new(
                "display_name",
                "invalid_characters",
                "Le nom affiché ne doit pas contenir de caractères de contrôle.",
            ));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_enum!(
    /// A person's rights on the platform itself (an organisation's members have their
    /// `MemberRole` besides).
    PlatformRole {
        None => "none",
        Coordinator => "coordinator",
        Admin => "admin",
    }
);

/// A person with an account, as the rest of the application sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: PlatformRole,
    pub language: crate::i18n::Lang,
    pub verified: bool,
    pub suspended: bool,
    pub two_factor: bool,
}

impl Account {
    /// Coordinators and admins run rounds; admins also manage coordinators.
    pub fn is_coordinator(&self) -> bool {
        matches!(self.role, PlatformRole::Coordinator | PlatformRole::Admin)
    }
}

/// The list shipped with the project (see the file's header for its source).
static COMMON_PASSWORDS: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        include_str!("common-passwords.txt")
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    });

fn is_common(password: &str) -> bool {
    COMMON_PASSWORDS.contains(password.trim().to_lowercase().as_str())
}

/// A password that satisfies the policy: long enough, not absurdly long, and not easy
/// to guess given who it belongs to. No composition rules (NIST SP 800-63B).
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 256;
    /// zxcvbn's "safely unguessable" level: about 10^10 guesses.
    const MIN_SCORE: zxcvbn::Score = zxcvbn::Score::Three;

    /// Checks `raw` against the policy; `context` holds what an attacker would try first
    /// (the account's email and name).
    pub fn parse(raw: &str, context: &[&str]) -> Result<Self, FieldError> {
        let length = raw.chars().count();
        if length < Self::MIN_CHARS {
            return Err(FieldError::new(
                "password",
                "too_short",
                format!(
                    "Le mot de passe doit comporter au moins {} caractères.",
                    Self::MIN_CHARS
                ),
            ));
        }
        if length > Self::MAX_CHARS {
            return Err(FieldError::new(
                "password",
                "too_long",
                format!(
                    "Le mot de passe ne doit pas dépasser {} caractères.",
                    Self::MAX_CHARS
                ),
            ));
        }
        // What an attacker derives from the context: each word of it, and each piece with
        // its punctuation removed ("jean.dupont@x.fr" gives "jean", "dupont", "jeandupont").
        let mut words: Vec<String> = Vec::new();
        for item in context {
            let local = item.split('@').next().unwrap_or_default();
            for piece in [*item, local] {
                words.push(piece.to_lowercase());
                words.push(
                    piece
                        .chars()
                        .filter(|c| c.is_alphanumeric())
                        .collect::<String>()
                        .to_lowercase(),
                );
                words.extend(
                    piece
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|w| w.len() >= 3)
                        .map(str::to_lowercase),
                );
            }
        }
        let inputs: Vec<&str> = words
            .iter()
            .map(String::as_str)
            .filter(|w| !w.is_empty())
            .collect();
        if is_common(raw) {
            return Err(FieldError::new(
                "password",
                "too_common",
                "Ce mot de passe figure parmi les plus utilisés : choisissez-en un autre.",
            ));
        }
        if zxcvbn::zxcvbn(raw, &inputs).score() < Self::MIN_SCORE {
            return Err(FieldError::new(
                "password",
                "too_guessable",
                "Ce mot de passe est trop facile à deviner : préférez une phrase de plusieurs mots sans lien entre eux.",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([secret])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Marie.Curie@Exemple.FR ").unwrap().as_str(),
            "marie.curie@exemple.fr"
        );
        assert_eq!(
            Email::parse("pas-une-adresse").unwrap_err().code,
            "invalid_email"
        );
        assert_eq!(Email::parse(" ").unwrap_err().code, "required");
    }

    #[test]
    fn password_policy() {
        assert_eq!(Password::parse("court", &[]).unwrap_err().code, "too_short");
        assert_eq!(
            Password::parse(&"a".repeat(300), &[]).unwrap_err().code,
            "too_long"
        );
        assert_eq!(
            Password::parse("motdepasse123", &[]).unwrap_err().code,
            "too_common"
        );
        assert_eq!(
            Password::parse(
                "marie.curie2024",
                &["marie.curie@exemple.fr", "Marie Curie"]
            )
            .unwrap_err()
            .code,
            "too_guessable"
        );
        // Counted in characters, not bytes: 12 accented letters pass the length rule.
        if let Err(e) = Password::parse("éàüöçèéàüöçè", &[]) {
            assert_ne!(e.code, "too_short");
        }
        assert!(Password::parse("cheval agrafe pile correcte", &[]).is_ok());
        assert_eq!(
            Password::parse("1qaz2wsx3edc", &[]).unwrap_err().code,
            "too_common"
        );
        assert_eq!(
            Password::parse("MotDePasse123", &[]).unwrap_err().code,
            "too_common"
        );
        assert_eq!(
            Password::parse("jeandupont2024", &["jean.dupont@exemple.fr"])
                .unwrap_err()
                .code,
            "too_guessable"
        );
    }

    #[test]
    fn display_names() {
        assert_eq!(DisplayName::parse("  Anne  ").unwrap().as_str(), "Anne");
        assert_eq!(
            DisplayName::parse(&"x".repeat(101)).unwrap_err().code,
            "too_long"
        );
        assert_eq!(
            DisplayName::parse("a\u{7}b").unwrap_err().code,
            "invalid_characters"
        );
    }
}
