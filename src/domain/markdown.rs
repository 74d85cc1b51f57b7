//! Round bodies are written in Markdown by coordinators and shown to everyone: rendered,
//! then sanitised, so that no script, style or event handler ever reaches a page.

use pulldown_cmark::{Options, Parser, html};

/// Markdown to safe HTML (links get `rel="noopener noreferrer"`; raw HTML is cleaned).
pub fn to_safe_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::new();
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn markdown_is_rendered_and_sanitised() {
        let html = to_safe_html("# Titre\n\nUn **texte** et [un lien](https://exemple.fr).");
        assert!(
            html.contains("<h1>Titre</h1>") && html.contains("<strong>texte</strong>"),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="https://exemple.fr" rel="noopener noreferrer">un lien</a>"#),
            "{html}"
        );
        let hostile = to_safe_html(
            "<script>alert(1)</script><img src=x onerror=alert(1)><style>p{}</style>\n\n[x](javascript:alert(1))",
        );
        assert!(
            !hostile.contains("<script")
                && !hostile.contains("onerror")
                && !hostile.contains("<style"),
            "{hostile}"
        );
        assert!(!hostile.contains("href=\"javascript"), "{hostile}");
    }
}
