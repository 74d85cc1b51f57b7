//! The consolidated contribution for the ministry: chapter by chapter, each question's
//! contributions signed according to each organisation's publication consent
//! (`attributed`: by name; `anonymous`: by kind only; `none`: left out and counted), and
//! the results of choices and scales; the personal data coordinators marked is masked
//! (`services::redactions`; `exports::write` always passes the masks here). Printable
//! HTML or Markdown. Memory stays flat
//! whatever the size of the round (see `write`).

use chrono::{DateTime, Utc};

use std::io::{Read, Seek, SeekFrom, Write};

use super::{Include, Tally, for_each_batch, questions_of};
use crate::domain::answers::{Contribution, contribution};
use crate::domain::responses::PublicationConsent;
use crate::domain::rounds::{Question, RoundDetail};
use crate::domain::statistics::QuestionStats;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::store::DbConnection;
use crate::store::exports::ExportedResponse;
use crate::store::redactions::Masks;

/// Flush to the client once this much text is waiting.
const CHUNK: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendering {
    Html,
    Markdown,
}

impl Rendering {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "html" => Some(Self::Html),
            "markdown" => Some(Self::Markdown),
            _ => None,
        }
    }
}

/// The printed document, in either rendering. The French wording is the document's:
/// it goes to a French ministry whatever the coordinator's interface language.
struct Doc {
    rendering: Rendering,
    out: String,
    tr: Tr,
}

impl Doc {
    fn html(&self) -> bool {
        self.rendering == Rendering::Html
    }

    fn start(&mut self, detail: &RoundDetail, intro: &[String]) {
        let title = format!("Contribution consolidée : {}", detail.round.title);
        if self.html() {
            let chapters = detail
                .chapters
                .iter()
                .map(|c| {
                    (
                        anchor(&c.chapter.code),
                        c.chapter.code.as_str(),
                        c.chapter.title.as_str(),
                    )
                })
                .collect();
            html::render(
                &html::Start {
                    title: &title,
                    style: STYLE,
                    intro,
                    chapters,
                },
                &mut self.out,
            );
        } else {
            self.out.push_str(&format!("# {}\n\n", md(&title)));
            for line in intro {
                self.out.push_str(&format!("{}\n\n", md(line)));
            }
        }
    }

    fn chapter(&mut self, code: &str, title: &str, description: &str, first: bool) {
        if self.html() {
            let chapter = html::Chapter {
                first,
                anchor: anchor(code),
                code,
                title,
                description: paragraphs(description),
            };
            html::render(&chapter, &mut self.out);
        } else {
            self.out
                .push_str(&format!("## {} — {}\n\n", md(code), md(title)));
            if !description.is_empty() {
                self.out.push_str(&format!("{}\n\n", md(description)));
            }
        }
    }

    fn question(&mut self, q: &Question) {
        if self.html() {
            let question = html::Question {
                code: &q.code,
                prompt: &q.prompt,
            };
            html::render(&question, &mut self.out);
        } else {
            self.out
                .push_str(&format!("### {} — {}\n\n", md(&q.code), md(&q.prompt)));
        }
    }

    /// One organisation's contribution, signed as its consent says, into `out`.
    fn contribution(&self, out: &mut String, by: &ExportedResponse, body: &Contribution) {
        let kind = self.tr.label("org-kind", &by.organisation_kind);
        let (who, what) = if by.publication_consent == PublicationConsent::Attributed {
            (by.organisation_name.clone(), kind)
        } else {
            (kind, "contribution anonyme".to_owned())
        };
        if self.html() {
            let (text, proposals) = match body {
                Contribution::Text(text) => (paragraphs(text), Vec::new()),
                Contribution::Proposals(items) => (
                    Vec::new(),
                    items
                        .iter()
                        .map(|p| (p.title.as_str(), paragraphs(p.description())))
                        .collect(),
                ),
            };
            let contribution = html::Contribution {
                who: &who,
                what: &what,
                text,
                proposals,
            };
            html::render(&contribution, out);
        } else {
            out.push_str(&format!("#### {} ({})\n\n", md(&who), md(&what)));
            match body {
                Contribution::Text(text) => out.push_str(&format!("{}\n\n", md(text))),
                Contribution::Proposals(items) => {
                    for (i, p) in items.iter().enumerate() {
                        out.push_str(&format!("{}. **{}**", i + 1, md(&p.title)));
                        if !p.description().is_empty() {
                            // Indented under its item, paragraph breaks kept.
                            let indented = md(p.description()).replace('\n', "\n   ");
                            out.push_str(&format!("  \n   {indented}"));
                        }
                        out.push('\n');
                    }
                    out.push('\n');
                }
            }
        }
    }

    fn note(&mut self, text: &str) {
        if self.html() {
            html::render(&html::Note { text }, &mut self.out);
        } else {
            self.out.push_str(&format!("*{}*\n\n", md(text)));
        }
    }

    fn results(&mut self, q: &Question, stats: &QuestionStats) {
        let bars = stats.bars(&q.spec);
        let caption = format!(
            "Résultats : {} répondant{}",
            stats.respondents,
            if stats.respondents > 1 { "s" } else { "" }
        );
        let percent = |share: f64| format!("{:.1} %", share * 100.0).replace('.', ",");
        if self.html() {
            let results = html::Results {
                caption: &caption,
                bars: bars
                    .iter()
                    .map(|b| (b.label.as_str(), b.count, percent(b.share)))
                    .collect(),
            };
            html::render(&results, &mut self.out);
        } else {
            self.out.push_str(&format!(
                "{}\n\n| Réponse | Nombre | Part des répondants |\n| --- | ---: | ---: |\n",
                md(&caption)
            ));
            for bar in &bars {
                self.out.push_str(&format!(
                    "| {} | {} | {} |\n",
                    md(&bar.label),
                    bar.count,
                    percent(bar.share)
                ));
            }
            self.out.push('\n');
        }
        if let (Some(mean), Some(median)) = (stats.mean(&q.spec), stats.median(&q.spec)) {
            let number = |v: f64| format!("{v:.2}").replace('.', ",");
            self.note(&format!(
                "Moyenne : {} ; médiane : {}.",
                number(mean),
                number(median)
            ));
        }
    }

    fn end(&mut self, any_chapter: bool) {
        if self.html() {
            let end = html::End {
                close_section: any_chapter,
            };
            html::render(&end, &mut self.out);
        }
    }
}

/// Printable on its own: the file is opened away from the site, so the style travels
/// inside it.
const STYLE: &str = "body{font-family:Marianne,Arial,sans-serif;line-height:1.5;color:#161616;margin:0 auto;max-width:48rem;padding:1rem}h1{font-size:1.8rem}h2{font-size:1.4rem;border-bottom:2px solid #000091;margin-top:2.5rem}h3{font-size:1.15rem;margin-top:2rem}h4{font-size:1rem;margin-bottom:.25rem}.kind{font-weight:normal;color:#3a3a3a}.meta,.note{color:#3a3a3a}.contribution{border-left:3px solid #929292;padding-left:1rem;margin:1rem 0}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #929292;padding:.25rem .5rem;text-align:left}td{text-align:right}caption{text-align:left;font-weight:bold}@media print{@page{margin:2cm}body{max-width:none;padding:0;font-size:11pt}nav{display:none}.chapter{break-before:page}h2,h3,h4{break-after:avoid}.contribution,tr{break-inside:avoid}a{color:inherit;text-decoration:none}}";

/// Paragraphs on blank lines, each a list of its lines (line breaks kept inside them).
pub(crate) fn paragraphs(text: &str) -> Vec<Vec<String>> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.split('\n').map(str::to_owned).collect())
        .collect()
}

mod html;
mod markdown;

pub(crate) use self::markdown::md;

fn anchor(code: &str) -> String {
    let clean: String = code
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("chapitre-{clean}")
}

/// One question's rendered contributions while the responses are read: a small buffer,
/// spilled to a temporary file when it grows, so memory stays flat whatever the round.
#[derive(Default)]
struct Spool {
    buffer: String,
    file: Option<std::fs::File>,
    shown: usize,
    left_out: u64,
}

impl Spool {
    fn push(&mut self, text: &str) -> std::io::Result<()> {
        self.buffer.push_str(text);
        if self.buffer.len() >= CHUNK {
            let file = match &mut self.file {
                Some(file) => file,
                None => self.file.insert(tempfile::tempfile()?),
            };
            file.write_all(self.buffer.as_bytes())?;
            self.buffer.clear();
        }
        Ok(())
    }

    /// Hands everything out in order; false once nobody is listening.
    fn drain(self, emit: &mut dyn FnMut(Vec<u8>) -> bool) -> std::io::Result<bool> {
        if let Some(mut file) = self.file {
            file.seek(SeekFrom::Start(0))?;
            let mut chunk = vec![0; CHUNK];
            loop {
                let n = file.read(&mut chunk)?;
                if n == 0 {
                    break;
                }
                if !emit(chunk[..n].to_vec()) {
                    return Ok(false);
                }
            }
        }
        Ok(self.buffer.is_empty() || emit(self.buffer.into_bytes()))
    }
}

/// Writes the document; returns the contributions printed. One pass over the responses
/// (in keyset batches, like every export) fills one spool per question; the document is
/// then written chapter by chapter from the spools. (Walking the answers question by
/// question instead reads every page of the answers table once per question, which
/// stops being linear once the table outgrows the database's cache.)
pub fn write(
    conn: &mut DbConnection,
    detail: &RoundDetail,
    rendering: Rendering,
    (include, masks): (Include, Option<&Masks>),
    now: DateTime<Utc>,
    emit: &mut dyn FnMut(Vec<u8>) -> bool,
) -> Result<usize, AppError> {
    let tr = Tr::new(Lang::Fr);
    let mut doc = Doc {
        rendering,
        out: String::new(),
        tr,
    };
    let questions = questions_of(detail);
    let mut spools: Vec<Option<Spool>> = questions
        .iter()
        .map(|(_, q)| q.spec.is_textual().then(Spool::default))
        .collect();
    let mut tally = Tally::new(detail);
    let (mut total, mut refused) = (0usize, 0usize);
    let mut failure = None;
    for_each_batch(
        conn,
        detail.round.id,
        include,
        masks,
        &mut |batch, answers| {
            for response in batch {
                total += 1;
                if !response.publication_consent.allows_publication() {
                    refused += 1;
                }
                tally.add(response.response_id, answers);
                for ((_, q), spool) in questions.iter().zip(spools.iter_mut()) {
                    let Some(spool) = spool else { continue };
                    let Some(body) = contribution(&q.spec, answers.of(response.response_id, q))
                    else {
                        continue;
                    };
                    if !response.publication_consent.allows_publication() {
                        spool.left_out += 1;
                        continue;
                    }
                    let mut text = String::new();
                    doc.contribution(&mut text, response, &body);
                    if let Err(e) = spool.push(&text) {
                        failure = Some(e);
                        return false;
                    }
                    spool.shown += 1;
                }
            }
            true
        },
    )?;
    if let Some(e) = failure {
        return Err(anyhow::Error::from(e).into());
    }

    let scope = include.scope_fr();
    let mut intro = vec![format!(
        "Consultation « {} », document établi le {} à partir de {total} réponse{} ({scope}).",
        detail.round.title,
        doc.tr.datetime(now),
        if total > 1 { "s" } else { "" },
    )];
    intro.push(if refused > 0 {
        format!(
            "{refused} organisation{s} n'{a} pas consenti à la publication de {leur} contribution{s} : {elle} ne figure{nt} pas dans ce document, mais {elle} {est} comptée{s} dans les résultats chiffrés.",
            s = if refused > 1 { "s" } else { "" },
            a = if refused > 1 { "ont" } else { "a" },
            leur = if refused > 1 { "leurs" } else { "sa" },
            elle = if refused > 1 { "elles" } else { "elle" },
            nt = if refused > 1 { "nt" } else { "" },
            est = if refused > 1 { "sont" } else { "est" },
        )
    } else {
        "Toutes les organisations ont consenti à la publication de leur contribution.".to_owned()
    });
    intro.push(
        "Les contributions anonymes sont présentées par le type d'organisation seulement."
            .to_owned(),
    );
    doc.start(detail, &intro);
    let mut printed = 0;
    let mut spools = spools.into_iter();
    let mut stats = tally.stats.iter();
    for (index, part) in detail.chapters.iter().enumerate() {
        doc.chapter(
            &part.chapter.code,
            &part.chapter.title,
            &part.chapter.description,
            index == 0,
        );
        for q in &part.questions {
            doc.question(q);
            let (spool, stat) = (spools.next().flatten(), stats.next());
            match spool {
                Some(spool) => {
                    let (shown, left_out) = (spool.shown, spool.left_out);
                    if !emit(std::mem::take(&mut doc.out).into_bytes())
                        || !spool.drain(emit).map_err(anyhow::Error::from)?
                    {
                        return Ok(printed);
                    }
                    printed += shown;
                    if shown == 0 {
                        doc.note("Aucune contribution publiable.");
                    }
                    if left_out > 0 {
                        doc.note(&format!(
                            "{left_out} contribution{s} sans consentement à la publication non reproduite{s}.",
                            s = if left_out > 1 { "s" } else { "" }
                        ));
                    }
                }
                None => {
                    if let Some(stat) = stat {
                        doc.results(q, stat);
                    }
                }
            }
        }
    }
    doc.end(!detail.chapters.is_empty());
    emit(std::mem::take(&mut doc.out).into_bytes());
    Ok(printed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spools_spill_to_a_file_and_give_back_everything_in_order() {
        let mut spool = Spool::default();
        let piece = "é".repeat(1000) + "\n";
        for _ in 0..100 {
            spool.push(&piece).unwrap();
        }
        assert!(spool.file.is_some(), "200 KB went to the temporary file");
        let mut out = Vec::new();
        assert!(
            spool
                .drain(&mut |chunk| {
                    out.extend(chunk);
                    true
                })
                .unwrap()
        );
        assert_eq!(String::from_utf8(out).unwrap(), piece.repeat(100));
    }

    #[test]
    fn html_text_is_escaped_with_paragraphs() {
        let mut out = String::new();
        let text = "<script>x</script>\r\n& ligne\n\n\nsuite ";
        let contribution = html::Contribution {
            who: "A & B",
            what: "anonyme",
            text: paragraphs(text),
            proposals: Vec::new(),
        };
        html::render(&contribution, &mut out);
        assert_eq!(
            out,
            "<article class=\"contribution\">\n<h4>A &#38; B <span class=\"kind\">(anonyme)</span></h4>\n\
             <p>&#60;script&#62;x&#60;/script&#62;<br>\n&#38; ligne</p>\n<p>suite</p>\n</article>\n"
        );
    }
}
