//! The excerpt shown for an answer found: where in its text the search matched, the
//! matching words marked. Made here rather than by the engines (`ts_headline` parsed
//! and scored the whole text of every answer of a page again, 3 to 7 ms a page, a third
//! of a search's time under load; FTS5's `snippet` ran the match a second time).
//!
//! An excerpt marks the words the engine's index matched, so a word of the text is read
//! as each index keeps it (`Engine::key`): on PostgreSQL accents folded as `unaccent`
//! does, then the French Snowball stemmer (`french_stem`), and the query's lexemes are
//! the ones PostgreSQL itself made of it (stop words dropped); on SQLite accents folded
//! as FTS5's `remove_diacritics 2` does, and the terms as `SearchQuery::fts5` says them.
//! The tests of `tests/api/search.rs` hold both readings to the engines' own, word by
//! word, so that the copies cannot drift apart.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::{SearchQuery, Term, light_stem, word_spans};

/// Which index found the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Postgres,
    Sqlite,
}

static FRENCH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::French));

/// What `unaccent` makes of a lower-case letter of `makes_words`; `None`: itself.
fn unaccent(c: char) -> Option<&'static str> {
    Some(match c {
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        'ĳ' => "ij",
        'ŉ' => "'n",
        'ð' => "d",
        'þ' => "th",
        'ø' => "o",
        'đ' => "d",
        'ħ' => "h",
        'ı' => "i",
        'ŀ' | 'ł' => "l",
        'ŧ' => "t",
        'ĸ' => "q",
        'ŋ' => "n",
        'ſ' => "s",
        _ => return without_diacritic(c),
    })
}

/// What FTS5's `remove_diacritics 2` makes of a lower-case letter; `None`: itself.
fn remove_diacritics(c: char) -> Option<&'static str> {
    match c {
        'ſ' => Some("s"),
        _ => without_diacritic(c),
    }
}

/// A lower-case letter of Latin-1 or Latin Extended-A written with a diacritic, without it.
fn without_diacritic(c: char) -> Option<&'static str> {
    Some(match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' => "d",
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' => "h",
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò'..='ö' | 'ō' | 'ŏ' | 'ő' => "o",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' => "s",
        'ţ' | 'ť' => "t",
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

fn folded(word: &str, fold: fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(word.len());
    // 'İ' lower-cases to 'i' and a combining dot, which both engines leave out.
    for c in word
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|&c| c != '\u{307}')
    {
        match fold(c) {
            Some(plain) => out.push_str(plain),
            None => out.push(c),
        }
    }
    out
}

impl Engine {
    /// A word of a text (letters and digits of `makes_words`) as this engine's index
    /// keeps it. PostgreSQL keeps a word with digits lower-cased only (`numword`).
    pub fn key(self, word: &str) -> String {
        self.key_if(word, |_| true).unwrap_or_default()
    }

    /// `key`, when its first two characters are some `wanted` takes. Stemming only
    /// changes the end of a word (never its first two letters), so a word is folded
    /// and stemmed only if it may be a needle: most of a text's words are not (folding
    /// and stemming every word of a page took more time than the rest of a search's work
    /// in the service).
    fn key_if(self, word: &str, wanted: impl Fn(Head) -> bool) -> Option<String> {
        let (fold, stemmed) = self.reading(word);
        if !wanted(head(word, fold)) {
            return None;
        }
        let plain = folded(word, fold);
        Some(if stemmed {
            FRENCH.stem(&plain).into_owned()
        } else {
            plain
        })
    }

    /// How this index folds `word`, and whether it stems it.
    fn reading(self, word: &str) -> (fn(char) -> Option<&'static str>, bool) {
        match self {
            Engine::Postgres if word.chars().any(|c| c.is_ascii_digit()) => (|_| None, false),
            Engine::Postgres => (unaccent, true),
            Engine::Sqlite => (remove_diacritics, false),
        }
    }
}

/// The first two characters of a key (`None` past its end).
type Head = [Option<char>; 2];

/// The first two characters of `folded(word, fold)`, without making it.
fn head(word: &str, fold: fn(char) -> Option<&'static str>) -> Head {
    let mut head = [None; 2];
    let mut at = 0;
    for c in word
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|&c| c != '\u{307}')
    {
        let mut put = |c: char| {
            if at < 2 {
                head[at] = Some(c);
                at += 1;
            }
        };
        match fold(c) {
            Some(plain) => plain.chars().for_each(&mut put),
            None => put(c),
        }
        if at == 2 {
            break;
        }
    }
    head
}

/// Whether a key starting with `head` may be (or, for a prefix, start with) `key`.
fn may_be(head: Head, key: &str) -> bool {
    key.chars().take(2).zip(head).all(|(k, h)| h == Some(k))
}

/// What a word must be, as the index keeps it, to be marked.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Needle {
    key: String,
    /// Any word whose key starts with `key`.
    prefix: bool,
}

/// Marks in texts the words a query matched in one engine's index.
#[derive(Debug, Clone)]
pub struct Marker {
    engine: Engine,
    needles: Vec<Needle>,
    /// Words marked only where they follow each other so (SQLite's phrases; PostgreSQL's
    /// lexemes of a phrase are needles, its stop words being left out of the query).
    phrases: Vec<Vec<String>>,
}

/// A piece of an excerpt: (text, whether it is a match).
pub type Piece = (String, bool);

/// Words of an excerpt when nothing in it is marked, and of each of its two fragments.
const PLAIN_WORDS: usize = 30;
const FRAGMENT_WORDS: usize = 17;
/// Words kept before a fragment's first match.
const LEAD_WORDS: usize = 5;
const FRAGMENTS: usize = 2;
const ELLIPSIS: &str = "…";

impl Marker {
    /// For PostgreSQL, from the query as it normalised it (`to_tsquery(…)::text`, e.g.
    /// `'soin' <2> 'domicil' & 'tel':*`): its lexemes, stemmed and without stop words.
    pub fn postgres(normalised: &str) -> Self {
        let mut needles = Vec::new();
        let mut parts = normalised.split('\'');
        parts.next();
        // Quoted lexemes alternate with what joins them; terms hold no quote.
        while let (Some(lexeme), Some(after)) = (parts.next(), parts.next()) {
            needles.push(Needle {
                key: lexeme.to_owned(),
                prefix: after.starts_with(":*"),
            });
        }
        Self {
            engine: Engine::Postgres,
            needles,
            phrases: Vec::new(),
        }
    }

    /// For SQLite, from the query's terms, as `SearchQuery::fts5` says them.
    pub fn sqlite(query: &SearchQuery) -> Self {
        let key = |word: &str| Engine::Sqlite.key(word);
        let (mut needles, mut phrases) = (Vec::new(), Vec::new());
        for term in query.alternatives().flatten() {
            match term {
                Term::Word(word) => needles.push(Needle {
                    key: key(&light_stem(word)),
                    prefix: true,
                }),
                Term::Phrase(words) => phrases.push(words.iter().map(|w| key(w)).collect()),
                Term::Prefix(word) => needles.push(Needle {
                    key: key(word),
                    prefix: true,
                }),
            }
        }
        Self {
            engine: Engine::Sqlite,
            needles,
            phrases,
        }
    }

    /// Which of `words` (spans of `text`) are marked, in order.
    fn marked(&self, text: &str, words: &[(usize, usize)]) -> Vec<usize> {
        let needles: Vec<&str> = self
            .needles
            .iter()
            .map(|n| n.key.as_str())
            .chain(self.phrases.iter().flatten().map(String::as_str))
            .collect();
        let keys: Vec<Option<String>> = words
            .iter()
            .map(|&(start, end)| {
                self.engine.key_if(&text[start..end], |head| {
                    needles.iter().any(|key| may_be(head, key))
                })
            })
            .collect();
        let mut marked = vec![false; keys.len()];
        for (key, mark) in keys.iter().zip(marked.iter_mut()) {
            let Some(key) = key else { continue };
            *mark = self.needles.iter().any(|needle| {
                if needle.prefix {
                    key.starts_with(&needle.key)
                } else {
                    *key == needle.key
                }
            });
        }
        for phrase in self.phrases.iter().filter(|p| !p.is_empty()) {
            for at in 0..keys.len().saturating_sub(phrase.len() - 1) {
                let here = &keys[at..at + phrase.len()];
                if here.iter().zip(phrase).all(|(k, w)| k.as_ref() == Some(w)) {
                    marked[at..at + phrase.len()].fill(true);
                }
            }
        }
        (0..marked.len()).filter(|&i| marked[i]).collect()
    }

    /// The words of `text` marked, in order.
    pub fn marked_words<'t>(&self, text: &'t str) -> Vec<&'t str> {
        let words = word_spans(text);
        self.marked(text, &words)
            .into_iter()
            .map(|i| &text[words[i].0..words[i].1])
            .collect()
    }

    /// The excerpt of `text`: up to two fragments around its first marked words (or its
    /// beginning when none is), an ellipsis where text is left out.
    pub fn excerpt(&self, text: &str) -> Vec<Piece> {
        let words = word_spans(text);
        let marked = self.marked(text, &words);
        // Fragments as ranges of words, in order.
        let mut fragments: Vec<(usize, usize)> = Vec::new();
        for &at in &marked {
            if fragments.last().is_some_and(|&(_, end)| at < end) {
                continue;
            }
            if fragments.len() == FRAGMENTS {
                break;
            }
            let start = at
                .saturating_sub(LEAD_WORDS)
                .max(fragments.last().map_or(0, |f| f.1));
            fragments.push((start, (start + FRAGMENT_WORDS).min(words.len())));
        }
        if fragments.is_empty() {
            fragments.push((0, PLAIN_WORDS.min(words.len())));
        }
        let mut pieces: Vec<Piece> = Vec::new();
        let mut push = |text: &str, matched: bool| match pieces.last_mut() {
            Some((last, was)) if *was == matched && !matched => last.push_str(text),
            _ if text.is_empty() => {}
            _ => pieces.push((text.to_owned(), matched)),
        };
        let mut shown_to = 0;
        for (n, &(first, end)) in fragments.iter().enumerate() {
            if words.is_empty() {
                break;
            }
            let from = if first == 0 { 0 } else { words[first].0 };
            if n == 0 && first > 0 {
                push(&format!("{ELLIPSIS} "), false);
            } else if n > 0 && from > shown_to {
                push(&format!(" {ELLIPSIS} "), false);
            }
            let mut at = from;
            for (i, &(start, stop)) in words.iter().enumerate().take(end).skip(first) {
                if marked.binary_search(&i).is_ok() {
                    push(&text[at..start], false);
                    push(&text[start..stop], true);
                    at = stop;
                }
            }
            let to = if end == words.len() {
                text.len()
            } else {
                words[end - 1].1
            };
            push(&text[at..to], false);
            shown_to = to;
        }
        if shown_to < text.len() && !words.is_empty() {
            push(&format!(" {ELLIPSIS}"), false);
        }
        pieces
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|(t, m)| if *m { format!("[{t}]") } else { t.clone() })
            .collect()
    }

    #[test]
    fn postgres_needles_are_its_own_lexemes() {
        let marker = Marker::postgres("'soin' <2> 'domicil' & 'tel':*");
        assert_eq!(
            marker.needles,
            [
                Needle {
                    key: "soin".into(),
                    prefix: false
                },
                Needle {
                    key: "domicil".into(),
                    prefix: false
                },
                Needle {
                    key: "tel".into(),
                    prefix: true
                },
            ]
        );
        let text = "Les Soins à domicile et la télémédecine, les téléphones.";
        assert_eq!(
            shown(&marker.excerpt(text)),
            "Les [Soins] à [domicile] et la [télémédecine], les [téléphones]."
        );
    }

    #[test]
    fn sqlite_marks_light_stems_phrases_and_prefixes() {
        let query = SearchQuery::parse("hôpitaux \"soins à domicile\" télé*").unwrap();
        let marker = Marker::sqlite(&query);
        let text = "L'Hopital, les soins à domicile, la télémédecine, un hôte à soins.";
        assert_eq!(
            shown(&marker.excerpt(text)),
            "L'[Hopital], les [soins] [à] [domicile], la [télémédecine], un hôte à soins."
        );
    }

    /// What lets `key_if` skip folding and stemming: the key of a word starts with the
    /// two characters `head` reads.
    #[test]
    fn keys_keep_their_first_two_letters() {
        let words = "yeux ayant yaourt quoique quelques uniques iode ouïes chevaux hôpitaux \
            eaux aïeux écrivaient hospitalisations a y ou ils anticonstitutionnellement \
            eussions ioniennes Œuvre ÆTHER Ĳssel İstanbul ſoin été ui ue uy aa ee ii oo \
            aimer aimées yeuse ouïr ôter Ça ça covid19 2026 t1 Straße naïve noël bœufs \
            ultime ialisme iu yu qu quu";
        for word in words.split_whitespace() {
            for engine in [Engine::Postgres, Engine::Sqlite] {
                let key = engine.key(word);
                let head = head(word, engine.reading(word).0);
                assert!(may_be(head, &key), "{engine:?} {word} → {key}, {head:?}");
            }
        }
    }

    #[test]
    fn long_texts_are_cut_around_their_matches() {
        let words: Vec<String> = (0..100).map(|i| format!("mot{i}")).collect();
        let mut text = words.join(" ");
        text = text.replace("mot40 ", "soins ").replace("mot80 ", "soins ");
        let marker = Marker::postgres("'soin'");
        let cut = shown(&marker.excerpt(&text));
        assert!(cut.starts_with("… mot35 "), "{cut}");
        assert!(cut.contains("[soins] mot41"), "{cut}");
        assert!(cut.contains(" … mot75 "), "{cut}");
        assert!(cut.ends_with(" …"), "{cut}");
        // Nothing marked: the beginning.
        let plain = shown(&Marker::postgres("'absent'").excerpt(&text));
        assert!(
            plain.starts_with("mot0 mot1 ") && plain.ends_with("mot29 …"),
            "{plain}"
        );
        // Short texts whole.
        assert_eq!(shown(&marker.excerpt("Des soins.")), "Des [soins].");
        assert!(marker.excerpt("").is_empty());
    }
}
