//! The synthesis as a tagged PDF (krilla): A4 pages, the blocks of `print` laid out line
//! by line, each chapter on a new page, a table of contents with page numbers, numbered
//! pages, bookmarks, and the structure tree (headings, paragraphs, quotations) that
//! screen readers and text extraction follow. Liberation Sans (SIL OFL) is embedded,
//! subset by krilla.
//!
//! Text is placed glyph by glyph from the font's own advances (Latin text needs no
//! shaping engine): the width a line is measured with is the width it is drawn with.

use std::collections::HashMap;
use std::num::NonZeroU16;
use std::sync::LazyLock;

use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, Node, SpanTag, Tag, TagGroup, TagKind, TagTree,
};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document as Pdf, SerializeSettings};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

use super::print::{Block, Role};
use super::render::Edition;
use crate::domain::synthesis::document::Document;

const REGULAR: &[u8] = include_bytes!("../../../frontend/fonts/LiberationSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../../frontend/fonts/LiberationSans-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../../frontend/fonts/LiberationSans-Italic.ttf");

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 62.0;
const BOTTOM: f32 = PAGE_HEIGHT - 72.0;
const WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;

/// A font with its glyphs' ids and advances (in ems), read once.
struct Face {
    font: Font,
    glyphs: HashMap<char, (u32, f32)>,
    fallback: (u32, f32),
}

impl Face {
    fn load(data: &'static [u8]) -> Self {
        let font = Font::new(data.into(), 0).expect("the embedded font reads");
        let face = skrifa::FontRef::new(data).expect("the embedded font reads");
        let upem = font.units_per_em();
        let metrics = face.glyph_metrics(Size::unscaled(), LocationRef::default());
        let advance = |gid: skrifa::GlyphId| metrics.advance_width(gid).unwrap_or(0.0) / upem;
        let glyphs = face
            .charmap()
            .mappings()
            .filter_map(|(code, gid)| Some((char::from_u32(code)?, (gid.to_u32(), advance(gid)))))
            .collect();
        // What stands for a character the font lacks: a question mark.
        let question = face.charmap().map('?').unwrap_or_default();
        Self {
            font,
            glyphs,
            fallback: (question.to_u32(), advance(question)),
        }
    }

    fn glyph(&self, c: char) -> (u32, f32) {
        match c {
            // Line-breaking and narrow spaces print as spaces.
            '\u{a0}' | '\u{202f}' | '\t' => self.glyph(' '),
            _ => self.glyphs.get(&c).copied().unwrap_or(self.fallback),
        }
    }

    /// The width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.glyph(c).1).sum::<f32>() * size
    }

    /// `text` as glyphs, each with its range in the text (what text extraction reads).
    fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(at, c)| {
                let (id, advance) = self.glyph(c);
                KrillaGlyph::new(
                    GlyphId::new(id),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    at..at + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }
}

struct Faces {
    regular: Face,
    bold: Face,
    italic: Face,
}

static FACES: LazyLock<Faces> = LazyLock::new(|| Faces {
    regular: Face::load(REGULAR),
    bold: Face::load(BOLD),
    italic: Face::load(ITALIC),
});

#[derive(Clone, Copy, PartialEq)]
enum Weight {
    Regular,
    Bold,
    Italic,
}

/// How a role looks: face, size, colour, left indent, space before and after.
#[derive(Clone, Copy)]
struct Look {
    weight: Weight,
    size: f32,
    colour: (u8, u8, u8),
    indent: f32,
    before: f32,
    after: f32,
}

const INK: (u8, u8, u8) = (22, 22, 22);
const GREY: (u8, u8, u8) = (58, 58, 58);
const BLUE: (u8, u8, u8) = (0, 0, 145);

fn look(block: &Block) -> Look {
    let base = Look {
        weight: Weight::Regular,
        size: 10.5,
        colour: INK,
        indent: if block.label.is_some() { 16.0 } else { 0.0 },
        before: 0.0,
        after: 6.0,
    };
    match block.role {
        Role::Title => Look {
            weight: Weight::Bold,
            size: 24.0,
            colour: BLUE,
            after: 10.0,
            ..base
        },
        Role::Subtitle => Look {
            size: 12.0,
            colour: GREY,
            after: 4.0,
            ..base
        },
        Role::Heading(1) => Look {
            weight: Weight::Bold,
            size: 18.0,
            colour: BLUE,
            before: 24.0,
            after: 12.0,
            ..base
        },
        Role::Heading(2) => Look {
            weight: Weight::Bold,
            size: 13.0,
            colour: GREY,
            before: 14.0,
            after: 6.0,
            ..base
        },
        Role::Heading(_) => Look {
            weight: Weight::Bold,
            size: 11.5,
            before: 10.0,
            after: 4.0,
            ..base
        },
        Role::TocEntry(_) => Look {
            size: 11.0,
            after: 4.0,
            ..base
        },
        Role::Body => base,
        Role::Quote => Look {
            indent: 14.0,
            after: 4.0,
            ..base
        },
        Role::Signature => Look {
            weight: Weight::Italic,
            size: 10.0,
            colour: GREY,
            after: 12.0,
            ..base
        },
        Role::Proposal => Look {
            weight: Weight::Bold,
            size: 11.0,
            before: 4.0,
            after: 3.0,
            ..base
        },
        Role::Note => Look {
            weight: Weight::Italic,
            size: 8.5,
            colour: GREY,
            before: 24.0,
            ..base
        },
    }
}

fn face(weight: Weight) -> &'static Face {
    match weight {
        Weight::Regular => &FACES.regular,
        Weight::Bold => &FACES.bold,
        Weight::Italic => &FACES.italic,
    }
}

/// Room kept at the right of a table of contents entry for its page number.
const TOC_NUMBER: f32 = 36.0;

/// `text` broken into lines no wider than `width`: on spaces, a word longer than a line
/// cut where it must; a line break in the text kept.
fn wrap(face: &Face, size: f32, text: &str, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for given in text.split('\n') {
        let mut line = String::new();
        for word in given.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if face.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line: cut into pieces that fit.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if face.width(&piece, size) > width && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
        }
        lines.push(line);
    }
    lines
}

/// A line where it is printed.
struct Placed {
    block: usize,
    text: String,
    x: f32,
    /// The baseline, from the top of the page.
    y: f32,
    look: Look,
    /// A label (list number) printed before the first line.
    label: Option<String>,
    /// Whether it is its block's last line (a table of contents entry's page number
    /// goes there).
    last: bool,
}

/// The blocks laid out: each page's lines, and the page each level-1 heading begins.
struct Layout {
    pages: Vec<Vec<Placed>>,
    anchors: HashMap<usize, usize>,
}

fn line_height(look: &Look) -> f32 {
    look.size * 1.4
}

fn lay_out(blocks: &[Block]) -> Layout {
    let mut pages: Vec<Vec<Placed>> = vec![Vec::new()];
    let mut anchors = HashMap::new();
    let mut y = MARGIN;
    for (index, block) in blocks.iter().enumerate() {
        let look = look(block);
        let face = face(look.weight);
        let reserve = if matches!(block.role, Role::TocEntry(_)) {
            TOC_NUMBER
        } else {
            0.0
        };
        let lines = wrap(face, look.size, &block.text, WIDTH - look.indent - reserve);
        let height = line_height(&look);
        if block.anchor.is_some() && !pages.last().is_some_and(Vec::is_empty) {
            pages.push(Vec::new());
            y = MARGIN;
        } else if y > MARGIN {
            y += look.before;
        }
        // A heading keeps its first lines of text with it.
        let needed = match block.role {
            Role::Heading(_) | Role::Proposal => height * lines.len() as f32 + 3.0 * 14.7,
            _ => height * lines.len().min(2) as f32,
        };
        if y + needed > BOTTOM && y > MARGIN {
            pages.push(Vec::new());
            y = MARGIN;
        }
        if let Some(anchor) = block.anchor {
            anchors.insert(anchor, pages.len() - 1);
        }
        let count = lines.len();
        for (i, text) in lines.into_iter().enumerate() {
            if y + height > BOTTOM {
                pages.push(Vec::new());
                y = MARGIN;
            }
            y += height;
            pages.last_mut().expect("a page").push(Placed {
                block: index,
                text,
                x: MARGIN + look.indent,
                y: y - height * 0.28,
                look,
                label: if i == 0 { block.label.clone() } else { None },
                last: i + 1 == count,
            });
        }
        y += look.after;
    }
    Layout { pages, anchors }
}

fn fill(colour: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
        ..Fill::default()
    }
}

/// Draws `text` from `at` (baseline), tagged as a span: its identifier.
fn draw(
    surface: &mut Surface,
    at: Point,
    weight: Weight,
    size: f32,
    colour: (u8, u8, u8),
    text: &str,
) -> Identifier {
    let face = face(weight);
    let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
    surface.set_fill(Some(fill(colour)));
    surface.draw_glyphs(at, &face.glyphs(text), face.font.clone(), text, size, false);
    surface.end_tagged();
    id
}

/// Draws something that is not content (a page number, a rule).
fn artifact(surface: &mut Surface, kind: ArtifactType, paint: impl FnOnce(&mut Surface)) {
    surface.start_tagged(ContentTag::Artifact(Artifact::new(kind, None)));
    paint(surface);
    surface.end_tagged();
}

fn tag_of(block: &Block) -> TagKind {
    match block.role {
        Role::Title => Tag::Title.into(),
        Role::Heading(level) => Tag::Hn(
            NonZeroU16::new(level as u16).expect("levels from 1"),
            Some(block.text.clone()),
        )
        .into(),
        Role::TocEntry(_) => Tag::TOCI.into(),
        Role::Quote => Tag::BlockQuote.into(),
        _ => Tag::P.into(),
    }
}

/// The PDF of `doc`.
pub fn pdf(doc: &Document, edition: Edition) -> Result<Vec<u8>, String> {
    let blocks = super::print::blocks(doc, edition);
    let layout = lay_out(&blocks);
    let total = layout.pages.len();
    let mut pdf = Pdf::new_with(SerializeSettings::default());
    let mut groups: Vec<Vec<Node>> = vec![Vec::new(); blocks.len()];
    for (number, lines) in layout.pages.iter().enumerate() {
        let mut page = pdf.start_page_with(
            PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).expect("A4 is a valid size"),
        );
        let mut surface = page.surface();
        for line in lines {
            let block = &blocks[line.block];
            if let Some(label) = &line.label {
                let at = Point::from_xy(line.x - 16.0, line.y);
                let id = draw(
                    &mut surface,
                    at,
                    line.look.weight,
                    line.look.size,
                    line.look.colour,
                    label,
                );
                groups[line.block].push(id.into());
            }
            if block.role == Role::Quote {
                artifact(&mut surface, ArtifactType::Layout, |s| {
                    let mut bar = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(
                        MARGIN,
                        line.y - line.look.size,
                        2.5,
                        line_height(&line.look),
                    ) {
                        bar.push_rect(rect);
                    }
                    if let Some(path) = bar.finish() {
                        s.set_fill(Some(fill(BLUE)));
                        s.draw_path(&path);
                    }
                });
            }
            let at = Point::from_xy(line.x, line.y);
            let id = draw(
                &mut surface,
                at,
                line.look.weight,
                line.look.size,
                line.look.colour,
                &line.text,
            );
            groups[line.block].push(id.into());
            if let Role::TocEntry(anchor) = block.role
                && line.last
            {
                let shown = layout.anchors.get(&anchor).map_or(0, |p| p + 1).to_string();
                let face = face(line.look.weight);
                let x = MARGIN + WIDTH - face.width(&shown, line.look.size);
                let id = draw(
                    &mut surface,
                    Point::from_xy(x, line.y),
                    line.look.weight,
                    line.look.size,
                    line.look.colour,
                    &shown,
                );
                groups[line.block].push(id.into());
            }
        }
        let folio = format!("{} / {total}", number + 1);
        artifact(&mut surface, ArtifactType::PageNumber, |s| {
            let face = face(Weight::Regular);
            let x = MARGIN + WIDTH - face.width(&folio, 9.0);
            s.set_fill(Some(fill(GREY)));
            s.draw_glyphs(
                Point::from_xy(x, PAGE_HEIGHT - 36.0),
                &face.glyphs(&folio),
                face.font.clone(),
                &folio,
                9.0,
                false,
            );
        });
        surface.finish();
        page.finish();
    }
    let mut tree = TagTree::new().with_lang(Some("fr".to_owned()));
    for (block, children) in blocks.iter().zip(groups) {
        if !children.is_empty() {
            tree.push(TagGroup::with_children(tag_of(block), children));
        }
    }
    pdf.set_tag_tree(tree);
    let mut outline = Outline::new();
    for block in &blocks {
        if let (Some(anchor), Role::Heading(1)) = (block.anchor, block.role) {
            let page = layout.anchors.get(&anchor).copied().unwrap_or(0);
            outline.push_child(OutlineNode::new(
                block.text.clone(),
                XyzDestination::new(page, Point::from_xy(MARGIN, MARGIN)),
            ));
        }
    }
    pdf.set_outline(outline);
    pdf.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .language("fr".to_owned())
            .creator("Concerto".to_owned()),
    );
    pdf.finish().map_err(|e| format!("{e:?}"))
}
