//! The document's HTML pieces: `frontend/templates/exports/document.html`, one block
//! each (askama escapes every value).

use askama::Template;

/// Appends `piece` to `out` (writing into a `String` cannot fail).
pub fn render(piece: &impl Template, out: &mut String) {
    piece
        .render_into(out)
        .expect("a document piece renders into a String");
}

#[derive(Template)]
#[template(path = "exports/document.html", block = "start")]
pub struct Start<'a> {
    pub title: &'a str,
    pub style: &'a str,
    pub intro: &'a [String],
    /// (anchor, code, title)
    pub chapters: Vec<(String, &'a str, &'a str)>,
}

#[derive(Template)]
#[template(path = "exports/document.html", block = "chapter")]
pub struct Chapter<'a> {
    pub first: bool,
    pub anchor: String,
    pub code: &'a str,
    pub title: &'a str,
    pub description: Vec<Vec<String>>,
}

#[derive(Template)]
#[template(path = "exports/document.html", block = "question")]
pub struct Question<'a> {
    pub code: &'a str,
    pub prompt: &'a str,
}

#[derive(Template)]
#[template(path = "exports/document.html", block = "contribution")]
pub struct Contribution<'a> {
    pub who: &'a str,
    pub what: &'a str,
    pub text: Vec<Vec<String>>,
    /// (title, description's paragraphs)
    pub proposals: Vec<(&'a str, Vec<Vec<String>>)>,
}

#[derive(Template)]
#[template(path = "exports/document.html", block = "note")]
pub struct Note<'a> {
    pub text: &'a str,
}

#[derive(Template)]
#[template(path = "exports/document.html", block = "results")]
pub struct Results<'a> {
    pub caption: &'a str,
    /// (label, count, share in words)
    pub bars: Vec<(&'a str, u64, String)>,
}

#[derive(Template)]
#[template(path = "exports/document.html", block = "end")]
pub struct End {
    pub close_section: bool,
}
