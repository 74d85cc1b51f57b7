//! French first, English second: the language of a page comes from the visitor's choice
//! (a cookie set by the switch), then from `Accept-Language`, then French.

use std::collections::HashMap;

use actix_web::http::header::ACCEPT_LANGUAGE;
use actix_web::{HttpMessage, HttpRequest};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};

static_loader! {
    static LOCALES = {
        locales: "./frontend/locales",
        fallback_language: "fr",
        // Bidi isolation marks around arguments would end up in attributes and titles.
        customise: |bundle| {
            bundle.set_use_isolating(false);
            bundle.add_function("DE", of_name).expect("DE is added once");
        },
    };
}

/// French `DE($name)`: "de" before a name, elided before a vowel ("la réponse d'APF",
/// "l'inscription de France Assos Santé", "la version d'Élodie"). Names starting with
/// "h" keep "de": whether it is mute cannot be told from the letter.
fn of_name<'a>(
    positional: &[FluentValue<'a>],
    _named: &fluent_templates::fluent_bundle::FluentArgs,
) -> FluentValue<'a> {
    let name = match positional.first() {
        Some(FluentValue::String(name)) => name.to_string(),
        Some(FluentValue::Number(n)) => n.as_string().to_string(),
        _ => return FluentValue::Error,
    };
    FluentValue::from(de(&name))
}

/// "de Name" or "d'Name", as French writes it.
pub fn de(name: &str) -> String {
    let vowel = name.chars().next().is_some_and(|c| {
        c.to_lowercase()
            .next()
            .is_some_and(|c| "aàâäeéèêëiîïoôöuùûüyÿœæ".contains(c))
    });
    if vowel {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

static FRENCH: LanguageIdentifier = langid!("fr");
static ENGLISH: LanguageIdentifier = langid!("en");

pub const LANG_COOKIE: &str = "concerto_lang";

/// The signed-in person's language, put in the request by the identity middleware.
#[derive(Debug, Clone, Copy)]
pub struct PreferredLang(pub Lang);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Self::Fr => "fr",
            Self::En => "en",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        let primary = value.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Self::Fr),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The language's own name, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::Fr => "Français",
            Self::En => "English",
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Self::Fr => &FRENCH,
            Self::En => &ENGLISH,
        }
    }

    /// The page language for this request: the switch's cookie, then the signed-in
    /// person's preference, then the browser's, then French.
    pub fn of_request(req: &HttpRequest) -> Self {
        if let Some(lang) = req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value())) {
            return lang;
        }
        if let Some(preferred) = req.extensions().get::<PreferredLang>() {
            return preferred.0;
        }
        req.headers()
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Self::from_accept_language)
            .unwrap_or(Self::Fr)
    }

    /// The supported language with the highest weight in an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut best: Option<(Self, f32)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default();
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Self::parse(tag)
                && weight > 0.0
                && best.is_none_or(|(_, w)| weight > w)
            {
                best = Some((lang, weight));
            }
        }
        best.map(|(lang, _)| lang)
    }
}

/// Translations for templates: `{{ t.get("home-title") }}`.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    pub fn get(&self, key: &str) -> String {
        LOCALES.lookup(self.lang.id(), key)
    }

    /// The message `<prefix>-<value>`, for labels of stored values (`org-status-pending`).
    pub fn label(&self, prefix: &str, value: &str) -> String {
        self.get(&format!("{prefix}-{value}"))
    }

    /// The message, if one exists for this key.
    pub fn try_get(&self, key: &str) -> Option<String> {
        LOCALES.try_lookup(self.lang.id(), key)
    }

    /// A message with one argument.
    pub fn with(&self, key: &str, name: &str, value: &str) -> String {
        self.texts(key, &[(name, value)])
    }

    /// A moment as people here read it: in Paris time, said so.
    pub fn datetime(&self, t: chrono::DateTime<chrono::Utc>) -> String {
        let paris = t.with_timezone(&chrono_tz::Europe::Paris);
        match self.lang {
            Lang::Fr => paris
                .format("%d/%m/%Y à %H:%M (heure de Paris)")
                .to_string(),
            Lang::En => paris.format("%Y-%m-%d at %H:%M (Paris time)").to_string(),
        }
    }

    /// A message with two arguments.
    pub fn with2(&self, key: &str, first: (&str, &str), second: (&str, &str)) -> String {
        self.texts(key, &[first, second])
    }

    /// A message with any number of text arguments.
    pub fn texts(&self, key: &str, args: &[(&str, &str)]) -> String {
        let args: HashMap<std::borrow::Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(name, value)| {
                (
                    (*name).to_owned().into(),
                    FluentValue::from((*value).to_owned()),
                )
            })
            .collect();
        LOCALES.lookup_with_args(self.lang.id(), key, &args)
    }

    /// `with2` for templates (which pass arguments by reference).
    pub fn with_two(
        &self,
        key: &str,
        first_name: &str,
        first: &str,
        second_name: &str,
        second: &str,
    ) -> String {
        self.with2(key, (first_name, first), (second_name, second))
    }

    /// A message with a text and a number (a number to Fluent, so that its plural rules
    /// apply: never pass a count as text).
    pub fn text_and_number(&self, key: &str, text: (&str, &str), number: (&str, i64)) -> String {
        let args: HashMap<std::borrow::Cow<'static, str>, FluentValue<'_>> = HashMap::from([
            (
                text.0.to_owned().into(),
                FluentValue::from(text.1.to_owned()),
            ),
            (number.0.to_owned().into(), FluentValue::from(number.1)),
        ]);
        LOCALES.lookup_with_args(self.lang.id(), key, &args)
    }

    /// A message with numbers, each a number to Fluent (so its plural rules apply).
    pub fn numbers(&self, key: &str, args: &[(&'static str, usize)]) -> String {
        let args: HashMap<std::borrow::Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(name, n)| ((*name).into(), FluentValue::from(*n)))
            .collect();
        LOCALES.lookup_with_args(self.lang.id(), key, &args)
    }

    pub fn count(&self, key: &str, count: impl std::borrow::Borrow<usize>) -> String {
        let count = *count.borrow();
        let args: HashMap<std::borrow::Cow<'static, str>, FluentValue<'_>> =
            HashMap::from([("count".into(), FluentValue::from(count))]);
        LOCALES.lookup_with_args(self.lang.id(), key, &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,fr;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE,fr;q=0.5,en;q=0.4"),
            Some(Lang::Fr)
        );
        assert_eq!(Lang::from_accept_language("de, it"), None);
        assert_eq!(
            Lang::from_accept_language("en;q=0, fr;q=0.1"),
            Some(Lang::Fr)
        );
    }

    fn message_ids(path: &str) -> std::collections::BTreeSet<String> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
            .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
            .collect()
    }

    // The loader silently falls back to French, so compare the files themselves.
    #[test]
    fn both_languages_have_the_same_messages() {
        let fr = message_ids("frontend/locales/fr/main.ftl");
        let en = message_ids("frontend/locales/en/main.ftl");
        assert!(fr.len() > 10);
        assert_eq!(
            fr.difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in English"
        );
        assert_eq!(
            en.difference(&fr).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in French"
        );
    }

    /// Each message of a Fluent file, as (id, its lines).
    fn messages(path: &str) -> Vec<(String, Vec<String>)> {
        let mut found: Vec<(String, Vec<String>)> = Vec::new();
        for line in std::fs::read_to_string(path).unwrap().lines() {
            let starts = line.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
            match line.split_once(" = ") {
                Some((id, rest)) if starts => found.push((id.to_owned(), vec![rest.to_owned()])),
                _ => {
                    if let Some((_, lines)) = found.last_mut() {
                        lines.push(line.to_owned());
                    }
                }
            }
        }
        found
    }

    /// Where `text` puts a number in front of a plural word with no plural rule around
    /// it: `{ $days } jours`, outside any `[one]` / `*[other]` variant.
    fn unruled_plurals(
        lines: &[String],
        numeric: &std::collections::BTreeSet<String>,
    ) -> Vec<String> {
        let mut found = Vec::new();
        for line in lines {
            let trimmed = line.trim_start();
            if trimmed.starts_with('[') || trimmed.starts_with("*[") {
                continue;
            }
            for (at, _) in line.match_indices("{ $") {
                let rest = &line[at + 3..];
                let Some(end) = rest.find(" }") else { continue };
                let (name, after) = (&rest[..end], &rest[end + 2..]);
                let word: String = after
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphabetic())
                    .collect();
                let plural =
                    word.chars().count() > 2 && (word.ends_with('s') || word.ends_with('x'));
                if numeric.contains(name) && after.starts_with(' ') && plural {
                    found.push(format!("{{ ${name} }} {word}"));
                }
            }
        }
        found
    }

    /// Every file below `dir`.
    fn files_under(dir: &str) -> Vec<std::path::PathBuf> {
        let (mut stack, mut files) = (vec![std::path::PathBuf::from(dir)], Vec::new());
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        files
    }

    /// Counts read as people read them: no "jour(s)", and no number before a plural noun
    /// unless a plural rule chooses the words ("1 réponse", "2 réponses").
    #[test]
    fn every_count_has_a_plural_rule() {
        let mut failures = Vec::new();
        for lang in ["fr", "en"] {
            let path = format!("frontend/locales/{lang}/main.ftl");
            let messages = messages(&path);
            // Numbers: every variable a message selects on, and those only ever counts.
            let mut numeric: std::collections::BTreeSet<String> =
                ["max", "total", "seconds", "days", "questions", "n"]
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
            for (_, lines) in &messages {
                for line in lines {
                    for (at, _) in line.match_indices('$') {
                        let name: String = line[at + 1..]
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        if line[at + 1 + name.len()..].trim_start().starts_with("->") {
                            numeric.insert(name);
                        }
                    }
                }
            }
            for (id, lines) in &messages {
                if lines
                    .iter()
                    .any(|l| l.contains("(s)") || l.contains("(es)"))
                {
                    failures.push(format!("{lang} {id}: \"(s)\" instead of a plural rule"));
                }
                for hit in unruled_plurals(lines, &numeric) {
                    failures.push(format!("{lang} {id}: {hit} without a plural rule"));
                }
            }
        }
        // Templates write no plural by hand either.
        for path in files_under("frontend/templates") {
            if std::fs::read_to_string(&path).unwrap().contains("(s)") {
                failures.push(format!("{}: \"(s)\"", path.display()));
            }
        }
        // Nor do messages written in the code (the command line's): a "(s)" inside a
        // string literal.
        for path in files_under("src") {
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("i18n.rs") {
                continue;
            }
            for (n, line) in std::fs::read_to_string(&path).unwrap().lines().enumerate() {
                let quoted = line
                    .match_indices("(s)")
                    .any(|(at, _)| line[..at].matches('"').count() % 2 == 1);
                if quoted {
                    failures.push(format!("{}:{}: \"(s)\"", path.display(), n + 1));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn the_plural_check_catches_what_it_must() {
        let numeric = ["count".to_owned(), "days".to_owned()].into();
        let lines = |text: &str| text.lines().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(
            unruled_plurals(&lines("Il reste { $days } jours."), &numeric),
            ["{ $days } jours"]
        );
        assert_eq!(
            unruled_plurals(&lines("{ $count } characters out of 3"), &numeric),
            ["{ $count } characters"]
        );
        let ruled = "{ $count ->\n    [one] { $count } jour\n   *[other] { $count } jours\n}";
        assert!(unruled_plurals(&lines(ruled), &numeric).is_empty());
        assert!(unruled_plurals(&lines("{ $title } sessions"), &numeric).is_empty());
        assert!(unruled_plurals(&lines("{ $count } de trop"), &numeric).is_empty());
    }

    #[test]
    fn de_is_elided_before_a_vowel() {
        let t = Tr::new(Lang::Fr);
        let copy = |name: &str| t.with("copy-intro", "organisation", name);
        assert_eq!(copy("APF France handicap"), "Réponse d'APF France handicap");
        assert_eq!(copy("Élan solidaire"), "Réponse d'Élan solidaire");
        assert_eq!(copy("France Assos Santé"), "Réponse de France Assos Santé");
        assert_eq!(copy("Handi-Répit"), "Réponse de Handi-Répit");
        let english = Tr::new(Lang::En).with("copy-intro", "organisation", "APF");
        assert!(!english.contains("d'"), "{english}");
        // No French message still writes "de" before a name given as an argument.
        let fr = std::fs::read_to_string("frontend/locales/fr/main.ftl").unwrap();
        let unelided: Vec<&str> = fr
            .lines()
            .filter(|l| {
                ["$organisation", "$name", "$inviter", "$round"]
                    .iter()
                    .any(|v| l.contains(&format!("de {{ {v} }}")))
            })
            .collect();
        assert!(unelided.is_empty(), "{unelided:#?}");
    }

    #[test]
    fn dates_are_in_paris_time() {
        let winter = chrono::DateTime::parse_from_rfc3339("2027-01-23T17:30:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(
            Tr::new(Lang::Fr).datetime(winter),
            "23/01/2027 à 18:30 (heure de Paris)"
        );
        let summer = chrono::DateTime::parse_from_rfc3339("2027-07-01T08:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(
            Tr::new(Lang::En).datetime(summer),
            "2027-07-01 at 10:00 (Paris time)"
        );
    }

    #[test]
    fn lookups_use_the_language() {
        assert_ne!(
            Tr::new(Lang::Fr).get("skip-link"),
            Tr::new(Lang::En).get("skip-link")
        );
    }
}
