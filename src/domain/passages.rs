//! A passage of a text answer: a range of characters (Unicode scalar values, from 0, end
//! excluded) kept with its text when it was marked, so that later edits are seen. A tag
//! or a redaction follows its passage when an edit elsewhere moves it, and is flagged
//! when the passage itself was changed.

use super::FieldError;

/// A passage as marked: where, and what it said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Where a passage marked earlier is in an answer's text now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Located {
    /// Where it was marked, or moved by an edit elsewhere: (start, end) now.
    Found(usize, usize),
    /// Its text was changed or deleted (or is now ambiguous): a person must look again.
    ToReview,
}

/// The characters `start..end` of `text`, if the range is inside it.
pub fn slice(text: &str, start: usize, end: usize) -> Option<&str> {
    if start >= end {
        return None;
    }
    let mut offsets = text.char_indices().map(|(i, _)| i).chain([text.len()]);
    let from = offsets.nth(start)?;
    let to = offsets.nth(end - start - 1)?;
    Some(&text[from..to])
}

impl Passage {
    /// The passage `start..end` of `text`: refused (field `start` or `end`) when the range
    /// is empty, outside the text or only blanks.
    pub fn mark(text: &str, start: i64, end: i64) -> Result<Self, FieldError> {
        let length = text.chars().count() as i64;
        if start < 0 || start >= length {
            return Err(FieldError::new(
                "start",
                "out_of_range",
                format!(
                    "le début du passage doit être entre 0 et {}",
                    length.max(1) - 1
                ),
            ));
        }
        if end <= start || end > length {
            return Err(FieldError::new(
                "end",
                "out_of_range",
                format!(
                    "la fin du passage doit être entre {} et {length}",
                    start + 1
                ),
            ));
        }
        let (start, end) = (start as usize, end as usize);
        let passage = slice(text, start, end).unwrap_or_default();
        if passage.trim().is_empty() {
            return Err(FieldError::new(
                "end",
                "blank",
                "le passage choisi ne contient que des espaces",
            ));
        }
        Ok(Self {
            start,
            end,
            text: passage.to_owned(),
        })
    }

    /// Where this passage is in `now` (the answer's text today): in place, or moved as a
    /// whole when it occurs once elsewhere; otherwise to review.
    pub fn locate(&self, now: &str) -> Located {
        if slice(now, self.start, self.end) == Some(self.text.as_str()) {
            return Located::Found(self.start, self.end);
        }
        let mut found = now.match_indices(self.text.as_str());
        match (found.next(), found.next()) {
            (Some((byte, _)), None) => {
                let start = now[..byte].chars().count();
                Located::Found(start, start + self.end - self.start)
            }
            _ => Located::ToReview,
        }
    }
}

/// What replaces personal data in what is published.
pub const MASK: &str = "[donnée personnelle masquée]";

/// `text` with every occurrence of each passage's text masked: where an edit moved it,
/// and wherever the same words appear again (a name is personal data wherever it is
/// written). Passages that overlap or touch are masked as one.
pub fn mask<'a>(text: &str, passages: impl IntoIterator<Item = &'a str>) -> String {
    masked_bytes(text, 0..text.len(), passages)
}

/// The characters `start..end` of `text` (as `slice`), masked as `mask` masks the whole
/// text: a passage cut by the excerpt's edge is masked too, not left half-visible.
pub fn mask_slice<'a>(
    text: &str,
    start: usize,
    end: usize,
    passages: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let piece = slice(text, start, end)?;
    let from = piece.as_ptr() as usize - text.as_ptr() as usize;
    Some(masked_bytes(text, from..from + piece.len(), passages))
}

/// The bytes `within` of `text`, each run of characters covered by an occurrence (in the
/// whole text) of a passage replaced by one `MASK`.
fn masked_bytes<'a>(
    text: &str,
    within: std::ops::Range<usize>,
    passages: impl IntoIterator<Item = &'a str>,
) -> String {
    let mut covered: Vec<std::ops::Range<usize>> = passages
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| text.match_indices(p).map(|(at, m)| at..at + m.len()))
        .collect();
    covered.sort_by_key(|r| r.start);
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for r in covered {
        match runs.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => runs.push(r),
        }
    }
    let mut out = String::with_capacity(within.len());
    let mut at = within.start;
    for run in runs {
        if run.end <= at {
            continue;
        }
        if run.start >= within.end {
            break;
        }
        out.push_str(&text[at..run.start.max(at)]);
        out.push_str(MASK);
        at = run.end.min(within.end);
    }
    out.push_str(&text[at..within.end]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Mme Lucie Martin, 82 ans, attend à l'hôpital de Brest.";

    #[test]
    fn a_passage_is_counted_in_characters() {
        let marked = Passage::mark(TEXT, 4, 16).unwrap();
        assert_eq!(marked.text, "Lucie Martin");
        // « à » and « ô » are one character each.
        let place = Passage::mark(TEXT, 37, 45).unwrap();
        assert_eq!(place.text, "hôpital ");
        assert_eq!(slice("été", 1, 3), Some("té"));
        assert_eq!(slice("été", 1, 4), None);
    }

    #[test]
    fn a_range_outside_the_text_or_blank_is_refused() {
        let length = TEXT.chars().count() as i64;
        assert_eq!(Passage::mark(TEXT, -1, 3).unwrap_err().field, "start");
        assert_eq!(
            Passage::mark(TEXT, length, length + 1).unwrap_err().field,
            "start"
        );
        assert_eq!(Passage::mark(TEXT, 3, 3).unwrap_err().field, "end");
        assert_eq!(Passage::mark(TEXT, 3, length + 1).unwrap_err().field, "end");
        assert_eq!(Passage::mark(TEXT, 3, 4).unwrap_err().code, "blank");
        assert!(Passage::mark(TEXT, 0, length).is_ok());
    }

    #[test]
    fn a_passage_follows_edits_elsewhere_and_is_flagged_when_changed() {
        let name = Passage::mark(TEXT, 4, 16).unwrap();
        assert_eq!(name.locate(TEXT), Located::Found(4, 16));
        // Words added before it: moved.
        let earlier = format!("Témoignage : {TEXT}");
        assert_eq!(name.locate(&earlier), Located::Found(17, 29));
        // Words changed after it: in place.
        let later = TEXT.replace("Brest", "Quimper");
        assert_eq!(name.locate(&later), Located::Found(4, 16));
        // The passage itself changed, or twice in the text: to review.
        assert_eq!(name.locate(&TEXT.replace("Lucie", "L.")), Located::ToReview);
        let twice = format!("{TEXT} Lucie Martin");
        assert_eq!(name.locate(&twice), Located::Found(4, 16));
        let moved_twice = format!("Note. Lucie Martin et {TEXT}");
        assert_eq!(name.locate(&moved_twice), Located::ToReview);
    }

    #[test]
    fn masking_covers_every_occurrence_and_the_longest_first() {
        let masked = mask(
            "Lucie Martin, puis Lucie Martin encore ; Lucie seule.",
            ["Lucie", "Lucie Martin"],
        );
        assert_eq!(
            masked,
            format!("{MASK}, puis {MASK} encore ; {MASK} seule.")
        );
        assert_eq!(mask(TEXT, []), TEXT);
        assert_eq!(mask("rien", [""]), "rien");
    }

    #[test]
    fn an_excerpt_masks_a_passage_its_edge_cuts() {
        let text = "Mme Lucie Martin, 82 ans, puis Lucie Martin.";
        let passages = ["Lucie Martin", "82 ans"];
        // "Martin, 82 ans, puis Lu": both names cut by an edge, the age inside.
        assert_eq!(
            mask_slice(text, 10, 33, passages).as_deref(),
            Some(format!("{MASK}, {MASK}, puis {MASK}").as_str())
        );
        assert_eq!(mask_slice(text, 0, 3, passages).as_deref(), Some("Mme"));
        assert_eq!(mask_slice(text, 0, 100, passages), None);
        assert_eq!(
            mask(text, passages),
            format!("Mme {MASK}, {MASK}, puis {MASK}.")
        );
        // Passages that overlap are masked as one.
        assert_eq!(mask("Jean Paul Dupont", ["Jean Paul", "Paul Dupont"]), MASK);
    }
}
