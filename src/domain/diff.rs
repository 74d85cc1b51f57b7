//! Word differences between two versions of a text answer, for the conflict screen: what
//! a colleague's version removed from and added to one's own, word by word.

/// A run of words, as one side has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Same(String),
    /// In the first text only.
    Removed(String),
    /// In the second text only.
    Added(String),
}

impl Piece {
    pub fn text(&self) -> &str {
        match self {
            Self::Same(t) | Self::Removed(t) | Self::Added(t) => t,
        }
    }

    fn text_mut(&mut self) -> &mut String {
        match self {
            Self::Same(t) | Self::Removed(t) | Self::Added(t) => t,
        }
    }
}

/// Beyond this many words on either side, no word diff is offered (the table below is
/// `words × words`): both versions are shown whole instead.
pub const MAX_WORDS: usize = 1500;

/// Words with the spaces that follow them, so that joining the pieces gives the texts
/// back exactly.
fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (i, c) in text.char_indices() {
        let space = c.is_whitespace();
        if in_space && !space {
            out.push(&text[start..i]);
            start = i;
        }
        in_space = space;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The pieces that turn `ours` into `theirs`, runs merged, spacing as theirs has it
/// (and a space between two runs wherever a text's last word would touch the next);
/// `None` when either text is too long to compare.
pub fn words_diff(ours: &str, theirs: &str) -> Option<Vec<Piece>> {
    let (a, b) = (words(ours), words(theirs));
    if a.len() > MAX_WORDS || b.len() > MAX_WORDS {
        return None;
    }
    // Longest common subsequence, from the end: lcs[i][j] for a[i..] and b[j..].
    let width = b.len() + 1;
    let mut lcs = vec![0u16; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * width + j] = if a[i].trim_end() == b[j].trim_end() {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let mut pieces: Vec<Piece> = Vec::new();
    let mut push = |piece: Piece| match (pieces.last_mut(), piece) {
        (Some(Piece::Same(run)), Piece::Same(w))
        | (Some(Piece::Removed(run)), Piece::Removed(w))
        | (Some(Piece::Added(run)), Piece::Added(w)) => run.push_str(&w),
        (last, mut piece) => {
            // A word that ends its text has no space after it: keep two runs apart.
            let joined = last.is_some_and(|p| !p.text().ends_with(char::is_whitespace));
            if joined {
                piece.text_mut().insert(0, ' ');
            }
            pieces.push(piece)
        }
    };
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i].trim_end() == b[j].trim_end() {
            // The same word: theirs, with its own spacing.
            push(Piece::Same(b[j].to_owned()));
            i += 1;
            j += 1;
        } else if j < b.len()
            && (i == a.len() || lcs[i * width + j + 1] >= lcs[(i + 1) * width + j])
        {
            push(Piece::Added(b[j].to_owned()));
            j += 1;
        } else {
            push(Piece::Removed(a[i].to_owned()));
            i += 1;
        }
    }
    Some(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theirs(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Same(s) | Piece::Added(s) => Some(s.as_str()),
                Piece::Removed(_) => None,
            })
            .collect()
    }

    fn ours(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Same(s) | Piece::Removed(s) => Some(s.as_str()),
                Piece::Added(_) => None,
            })
            .collect()
    }

    #[test]
    fn a_changed_word_is_removed_then_added() {
        let pieces = words_diff("Le tri aux urgences", "Le tri rapide aux urgences").unwrap();
        assert_eq!(
            pieces,
            vec![
                Piece::Same("Le tri ".into()),
                Piece::Added("rapide ".into()),
                Piece::Same("aux urgences".into()),
            ]
        );
        let pieces = words_diff("un deux trois", "un quatre trois").unwrap();
        assert!(pieces.contains(&Piece::Removed("deux ".into())));
        assert!(pieces.contains(&Piece::Added("quatre ".into())));
    }

    #[test]
    fn the_pieces_give_back_both_texts() {
        let cases = [
            ("", "tout neuf"),
            ("tout effacé", ""),
            ("  espaces  en trop ", "espaces en trop"),
            ("a b c d e", "e d c b a"),
            ("Même texte.", "Même texte."),
        ];
        let words_of = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        for (a, b) in cases {
            let pieces = words_diff(a, b).unwrap();
            assert_eq!(words_of(&theirs(&pieces)), words_of(b), "{a:?} → {b:?}");
            assert_eq!(words_of(&ours(&pieces)), words_of(a), "{a:?} → {b:?}");
        }
        // Unchanged texts come back exactly, line breaks included.
        let text = "Premier paragraphe.\n\nSecond  paragraphe.";
        assert_eq!(theirs(&words_diff(text, text).unwrap()), text);
    }

    #[test]
    fn texts_too_long_are_not_compared() {
        let long = "mot ".repeat(MAX_WORDS + 1);
        assert!(words_diff(&long, "mot").is_none());
    }
}
