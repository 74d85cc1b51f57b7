//! Text as itself in the Markdown rendering of the document: whatever Markdown (or a
//! renderer's automatic links) would read as markup is escaped.

/// Text as itself in Markdown: what Markdown would read as markup is escaped, and line
/// breaks inside a paragraph stay line breaks.
pub fn md(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            let mut out = String::with_capacity(line.len());
            let trimmed = line.trim_start();
            out.push_str(&line[..line.len() - trimmed.len()]);
            // Line starts that would make a heading, a quote, a list or a rule.
            let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
            let after_digits = trimmed[digits..].chars().next();
            if digits > 0 && matches!(after_digits, Some('.' | ')')) {
                out.push_str(&trimmed[..digits]);
                out.push('\\');
                out.push_str(&escape_inline(&trimmed[digits..]));
            } else if matches!(trimmed.chars().next(), Some('-' | '+' | '=')) {
                // (`#` and `>` are escaped wherever they stand.)
                out.push('\\');
                out.push_str(&escape_inline(trimmed));
            } else {
                out.push_str(&escape_inline(trimmed));
            }
            out
        })
        .collect();
    // Two trailing spaces keep a single line break inside a paragraph.
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        let next_blank = lines.get(i + 1).is_some_and(|l| l.trim().is_empty());
        if i + 1 < lines.len() {
            if !line.trim().is_empty() && !next_blank {
                out.push_str("  ");
            }
            out.push('\n');
        }
    }
    out
}

/// Escapes what Markdown would read as markup, and what GitHub-flavoured renderers turn
/// into links by themselves (`https://…`, `www.…`, `a@b.fr`: the `:` before `//`, the dot after
/// `www` and the `@` are escaped, which renders them as they are, unlinked).
fn escape_inline(text: &str) -> String {
    const MARKUP: &[char] = &[
        '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '~', '&', '!', '@',
    ];
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let www_dot = c == '.'
            && i >= 3
            && text[..i]
                .get(i - 3..)
                .is_some_and(|w| w.eq_ignore_ascii_case("www"));
        let scheme_colon = c == ':' && text[i + 1..].starts_with("//");
        if www_dot || scheme_colon || MARKUP.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_addresses_are_not_links() {
        assert_eq!(
            md("voir https://evil.example, WWW.evil.example ou a@b.fr"),
            "voir https\\://evil.example, WWW\\.evil.example ou a\\@b.fr"
        );
        assert_eq!(md("à 10:30 : www"), "à 10:30 : www");
    }

    #[test]
    fn markdown_text_stays_text() {
        assert_eq!(md("# titre"), "\\# titre");
        assert_eq!(md("1. un\n- deux"), "1\\. un  \n\\- deux");
        assert_eq!(
            md("a *b* [c](d) <e>\n\npara"),
            "a \\*b\\* \\[c\\](d) \\<e\\>\n\npara"
        );
    }
}
