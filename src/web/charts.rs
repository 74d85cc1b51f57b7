//! Charts drawn as plain SVG on the server: no script, readable when printed. Each is a
//! picture of a table the page shows beside it, and carries a one-line summary for screen
//! readers. Labels are never cut: long ones wrap above their bar.

const INK: &str = "#161616";
const BAR: &str = "#000091";
const AXIS: &str = "#6a6a7a";

fn escape(text: &str) -> String {
    askama::filters::escape(text, askama::filters::Html)
        .map(|e| e.to_string())
        .unwrap_or_default()
}

/// `text` cut into lines of at most `width` characters, at spaces where it can be.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_owned();
        // A word longer than a line is cut.
        while word.chars().count() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            lines.push(head);
        }
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// One bar of a horizontal chart: its label, its count and the count as people read it
/// ("12 (40,0 %)").
pub struct Bar<'a> {
    pub label: &'a str,
    pub count: usize,
    pub value: String,
}

/// Horizontal bars, one per option or scale point: the whole label above each bar, the
/// value at its end, bars measured from a drawn axis.
pub fn horizontal(bars: &[Bar<'_>], summary: &str) -> String {
    const WIDTH: f64 = 640.0;
    const LINE: f64 = 18.0;
    const BAR_HEIGHT: f64 = 18.0;
    const GAP: f64 = 12.0;
    // Room after the longest bar for its value.
    let room = WIDTH - 130.0;
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let mut shapes = String::new();
    let mut y = 0.0;
    for bar in bars {
        for line in wrap(bar.label, 80) {
            y += LINE;
            shapes.push_str(&format!(
                r#"<text x="0" y="{:.1}" font-size="14" fill="{INK}">{}</text>"#,
                y - 4.0,
                escape(&line)
            ));
        }
        let w = (bar.count as f64 / max) * room;
        shapes.push_str(&format!(
            r#"<rect x="0" y="{y:.1}" width="{w:.1}" height="{BAR_HEIGHT:.1}" fill="{BAR}"/><text x="{:.1}" y="{:.1}" font-size="14" fill="{INK}">{}</text>"#,
            w + 6.0,
            y + BAR_HEIGHT - 4.0,
            escape(&bar.value)
        ));
        y += BAR_HEIGHT + GAP;
    }
    let height = y.max(LINE);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{}" viewBox="-2 0 {} {height:.1}" width="100%" style="max-width:{WIDTH}px">{shapes}<line x1="0" y1="0" x2="0" y2="{:.1}" stroke="{AXIS}" stroke-width="1"/></svg>"#,
        escape(summary),
        WIDTH + 2.0,
        height - GAP
    )
}

/// Columns over time (submissions per day): the count above each column, the day below
/// it (every few days when there are many), on a drawn baseline.
pub fn columns(per_day: &[(String, usize)], summary: &str) -> String {
    const WIDTH: f64 = 640.0;
    const PLOT: f64 = 140.0;
    const TOP: f64 = 20.0;
    const BOTTOM: f64 = 24.0;
    let max = per_day.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let slot = WIDTH / per_day.len().max(1) as f64;
    let column = (slot * 0.7).max(2.0);
    // Day labels need about 44 px each: one every `step` columns.
    let step = (44.0 / slot).ceil().max(1.0) as usize;
    let baseline = TOP + PLOT;
    let mut shapes = String::new();
    for (i, (day, n)) in per_day.iter().enumerate() {
        let h = (*n as f64 / max) * PLOT;
        let x = i as f64 * slot + (slot - column) / 2.0;
        let middle = x + column / 2.0;
        shapes.push_str(&format!(
            r#"<rect x="{x:.1}" y="{:.1}" width="{column:.1}" height="{h:.1}" fill="{BAR}"/>"#,
            baseline - h
        ));
        if slot >= 16.0 {
            shapes.push_str(&format!(
                r#"<text x="{middle:.1}" y="{:.1}" font-size="12" text-anchor="middle" fill="{INK}">{n}</text>"#,
                baseline - h - 4.0
            ));
        }
        if i % step == 0 {
            shapes.push_str(&format!(
                r#"<text x="{middle:.1}" y="{:.1}" font-size="12" text-anchor="middle" fill="{INK}">{}</text>"#,
                baseline + 16.0,
                escape(day)
            ));
        }
    }
    let height = baseline + BOTTOM;
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{}" viewBox="0 0 {WIDTH} {height}" width="100%" style="max-width:{WIDTH}px">{shapes}<line x1="0" y1="{baseline}" x2="{WIDTH}" y2="{baseline}" stroke="{AXIS}" stroke-width="1"/></svg>"#,
        escape(summary)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_wrap_whole_and_are_never_cut() {
        let long = "Prise de rendez-vous en ligne auprès des professionnels de santé et des établissements de la région";
        let lines = wrap(long, 40);
        assert!(lines.len() > 1 && lines.iter().all(|l| l.chars().count() <= 40));
        assert_eq!(lines.join(" "), long, "every word kept, in order");
        let svg = horizontal(
            &[
                Bar {
                    label: long,
                    count: 3,
                    value: "3 (75,0 %)".into(),
                },
                Bar {
                    label: "Aucun",
                    count: 1,
                    value: "1 (25,0 %)".into(),
                },
            ],
            "résumé",
        );
        for word in long.split_whitespace() {
            assert!(svg.contains(word), "{word}");
        }
        assert!(svg.contains("3 (75,0 %)") && !svg.contains('…'));
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap(&"x".repeat(25), 10).len(), 3);
    }

    #[test]
    fn columns_say_their_counts_and_days() {
        let days: Vec<(String, usize)> = vec![("02/12".into(), 4), ("03/12".into(), 9)];
        let svg = columns(&days, "Soumissions par jour");
        assert!(svg.contains(">02/12<") && svg.contains(">03/12<"));
        assert!(svg.contains(">9<") && svg.contains(">4<"));
        // Two months of days: a label every few days, none overlapping.
        let many: Vec<(String, usize)> = (0..60).map(|i| (format!("j{i}"), 1)).collect();
        let svg = columns(&many, "x");
        // Columns too narrow for their counts: only the days, one in five.
        assert_eq!(svg.matches("text-anchor=\"middle\"").count(), 12);
    }
}
