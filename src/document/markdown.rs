//! Markdown front-end: pulldown-cmark's offset iterator into blocks.
//!
//! Paragraphs, headings, list items, table cells, emphasis and link text are
//! prose. Code (inline and blocks), raw HTML, images and link URLs are not:
//! inline code keeps a word's place as an opaque piece, the rest is skipped.
//! Block quotes are an earlier message. HTML comments are kept for
//! suppression directives. Every piece keeps the byte span it came from.

use super::headers::trim_span;
use super::{Block, BlockKind, Comment, Line, Piece, PieceKind};
use crate::source::lines_from;
use crate::span::Span;
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;

struct Builder<'s> {
    source: &'s str,
    blocks: Vec<Block>,
    current: Option<Block>,
    /// A new line starts at the next piece.
    new_line: bool,
    item_start: bool,
    /// Inside a list or table: paragraphs are lines of one block.
    containers: usize,
    /// Inside an autolink: its text is a URL, not prose.
    in_autolink: bool,
}

impl<'s> Builder<'s> {
    fn flush(&mut self) {
        if let Some(b) = self.current.take()
            && !b.lines.is_empty()
        {
            self.blocks.push(b);
        }
    }

    fn begin(&mut self, span: Span) {
        self.flush();
        self.current = Some(Block {
            kind: BlockKind::Prose,
            span,
            lines: Vec::new(),
        });
        self.new_line = true;
    }

    fn push(&mut self, span: Span, kind: PieceKind) {
        if span.is_empty() {
            return;
        }
        let block = self.current.get_or_insert_with(|| Block {
            kind: BlockKind::Prose,
            span,
            lines: Vec::new(),
        });
        if self.new_line || block.lines.is_empty() {
            block.lines.push(Line {
                span,
                pieces: Vec::new(),
                item_start: self.item_start,
            });
            self.new_line = false;
            self.item_start = false;
        }
        block.span = block.span.cover(span);
        if let Some(line) = block.lines.last_mut() {
            line.span = line.span.cover(span);
            line.pieces.push(Piece { span, kind });
        }
    }

    fn text(&mut self, text: &str, span: Span) {
        if self.in_autolink {
            return self.push(span, PieceKind::Opaque);
        }
        if self.source.get(span.range()) == Some(text) {
            self.push(span, PieceKind::Source);
        } else {
            self.push(span, PieceKind::Replaced(text.to_string()));
        }
    }
}

/// HTML element names. An angle-bracket token whose name is not one of these
/// (`<Company>`, `<Hiring Manager>`, `<first name>`) is a template slot.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "big",
    "blink",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "marquee",
    "math",
    "menu",
    "meta",
    "meter",
    "nav",
    "nobr",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// Elements that never have a closing tag.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Is the raw HTML at `span` real markup? Comments, declarations and
/// processing instructions are; a tag is if it names an HTML element and
/// also looks like markup: a closing tag, a void element, attributes with
/// values, `/>`, or a matching closing tag later in the draft. `<time>` with
/// no `</time>` anywhere is a slot the writer meant to fill.
fn is_html(source: &str, span: Span, closers: &HashSet<String>) -> bool {
    let Some(raw) = source.get(span.range()) else {
        return true;
    };
    let raw = raw.trim_start();
    let Some(rest) = raw.strip_prefix('<') else {
        return true;
    };
    if rest.starts_with(['!', '?']) {
        return true;
    }
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(rest.len());
    let name = rest[..name_len].to_ascii_lowercase();
    if !HTML_ELEMENTS.contains(&name.as_str()) {
        return false;
    }
    let tag = rest.split('>').next().unwrap_or("");
    closing
        || VOID_ELEMENTS.contains(&name.as_str())
        || tag.contains('=')
        || tag.ends_with('/')
        || closers.contains(&name)
}

/// The element names of all closing tags (`</b>`) in `text`, lowercase.
fn closing_tags(text: &str) -> HashSet<String> {
    text.match_indices("</")
        .map(|(i, _)| {
            let rest = &text[i + 2..];
            let len = rest
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            rest[..len].to_ascii_lowercase()
        })
        .filter(|n| !n.is_empty())
        .collect()
}

/// Find `<!-- ... -->` comments in raw HTML.
fn comments_in(source: &str, span: Span, out: &mut Vec<Comment>) {
    let html = &source[span.range()];
    let mut from = 0;
    while let Some(open) = html[from..].find("<!--") {
        let start = from + open;
        let Some(close) = html[start + 4..].find("-->") else {
            break;
        };
        let end = start + 4 + close + 3;
        out.push(Comment {
            span: Span::new(span.start + start, span.start + end),
            text: html[start + 4..end - 3].trim().to_string(),
        });
        from = end;
    }
}

pub(crate) fn blocks(source: &str, start: usize) -> (Vec<Block>, Vec<Comment>) {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut b = Builder {
        source,
        blocks: Vec::new(),
        current: None,
        new_line: true,
        item_start: false,
        containers: 0,
        in_autolink: false,
    };
    let mut comments = Vec::new();
    let mut skip_until = 0;
    let text = &source[start..];
    let closers = closing_tags(text);
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let span = Span::new(range.start + start, range.end + start);
        if span.start < skip_until {
            continue;
        }
        match event {
            Event::Start(Tag::BlockQuote(_)) => {
                b.flush();
                b.blocks.push(Block {
                    kind: BlockKind::Quote,
                    span,
                    lines: Vec::new(),
                });
                skip_until = span.end;
            }
            Event::Start(Tag::HtmlBlock) if !is_html(source, span, &closers) => {
                // `<Your Name>` alone on a line: a template slot, not HTML.
                b.begin(span);
                for (line, _) in lines_from(source, span.start) {
                    if line.start >= span.end {
                        break;
                    }
                    let line = trim_span(source, Span::new(line.start, line.end.min(span.end)));
                    b.new_line = true;
                    b.push(line, PieceKind::Source);
                }
                b.flush();
                skip_until = span.end;
            }
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => {
                b.flush();
                comments_in(source, span, &mut comments);
                b.blocks.push(Block {
                    kind: BlockKind::Verbatim,
                    span,
                    lines: Vec::new(),
                });
                skip_until = span.end;
            }
            Event::Start(Tag::Image { .. }) => skip_until = span.end,
            Event::Start(Tag::Paragraph | Tag::Heading { .. }) => {
                if b.containers == 0 {
                    b.begin(span);
                } else {
                    b.new_line = true;
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) if b.containers == 0 => b.flush(),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => {}
            Event::Start(Tag::List(_) | Tag::Table(_)) => {
                if b.containers == 0 {
                    b.begin(span);
                }
                b.containers += 1;
            }
            Event::End(TagEnd::List(_) | TagEnd::Table) => {
                b.containers = b.containers.saturating_sub(1);
                if b.containers == 0 {
                    b.flush();
                }
            }
            Event::Start(Tag::Item) => {
                b.new_line = true;
                b.item_start = true;
            }
            Event::Start(Tag::TableCell) => {
                b.new_line = true;
                b.item_start = true;
            }
            Event::Start(Tag::Link { link_type, .. }) => {
                b.in_autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
            }
            Event::End(TagEnd::Link) => b.in_autolink = false,
            Event::Text(t) => b.text(&t, span),
            Event::Code(_) | Event::InlineMath(_) => b.push(span, PieceKind::Opaque),
            Event::InlineHtml(_) | Event::Html(_) => {
                let before = comments.len();
                comments_in(source, span, &mut comments);
                if comments.len() > before {
                } else if is_html(source, span, &closers) {
                    b.push(span, PieceKind::Replaced(" ".into()));
                } else {
                    // `<Company>`, `<first name>`: a slot the writer left.
                    b.push(span, PieceKind::Source);
                }
            }
            Event::SoftBreak | Event::HardBreak => b.new_line = true,
            Event::Rule => b.flush(),
            _ => {}
        }
    }
    b.flush();
    (b.blocks, comments)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose_lines(src: &str) -> Vec<Vec<String>> {
        blocks(src, 0)
            .0
            .iter()
            .filter(|b| b.kind == BlockKind::Prose)
            .map(|b| {
                b.lines
                    .iter()
                    .map(|l| {
                        l.pieces
                            .iter()
                            .map(|p| match &p.kind {
                                PieceKind::Source => src[p.span.range()].to_string(),
                                PieceKind::Replaced(t) => t.clone(),
                                PieceKind::Opaque => "\u{FFFC}".into(),
                            })
                            .collect::<Vec<_>>()
                            .join("|")
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn emphasis_links_and_code() {
        let src = "I'm **very excited** about [the role](https://x.y) and `Vec<T>`.\n";
        assert_eq!(
            prose_lines(src),
            vec![vec![
                "I'm |very excited| about |the role| and |\u{FFFC}|.".to_string()
            ]]
        );
    }

    #[test]
    fn lists_are_one_block_of_item_lines() {
        let src = "Intro:\n\n- **one**: a\n- two\n\n1. three\n";
        let lines = prose_lines(src);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1], vec!["one|: a", "two"]);
        // A numbered marker is list structure, not prose.
        assert_eq!(lines[2], vec!["three"]);
    }

    #[test]
    fn quotes_code_and_comments_are_not_prose() {
        let src =
            "Hi,\n\n> quoted\n\n```\ncode\n```\n\n<!-- emaillint-disable fit -->\n\nBest,\nSam\n";
        let (b, comments) = blocks(src, 0);
        assert_eq!(b.iter().filter(|b| b.kind == BlockKind::Quote).count(), 1);
        assert_eq!(
            b.iter().filter(|b| b.kind == BlockKind::Verbatim).count(),
            2
        );
        assert_eq!(comments.len(), 1);
        assert_eq!(comments[0].text, "emaillint-disable fit");
        assert_eq!(
            prose_lines(src),
            vec![vec!["Hi,".to_string()], vec!["Best,".into(), "Sam".into()]]
        );
    }

    #[test]
    fn angle_bracket_slots_are_prose_and_html_is_not() {
        let src = "Dear <Hiring Manager>,\n\nI applied to <Company> and <b>loved</b> it,<br> at <time>.\n\n<Your Name>\n<Your Phone>\n\n<div>\nhidden\n</div>\n";
        assert_eq!(
            prose_lines(src),
            vec![
                vec!["Dear |<Hiring Manager>|,".to_string()],
                vec!["I applied to |<Company>| and | |loved| | it,| | at |<time>|.".into()],
                vec!["<Your Name>".into(), "<Your Phone>".into()],
            ]
        );
        // Every slot piece is exactly its source bytes.
        let (b, _) = blocks(src, 0);
        let pieces: Vec<&str> = b
            .iter()
            .flat_map(|b| &b.lines)
            .flat_map(|l| &l.pieces)
            .filter(|p| matches!(p.kind, PieceKind::Source))
            .map(|p| &src[p.span.range()])
            .filter(|t| t.starts_with('<'))
            .collect();
        assert_eq!(
            pieces,
            vec![
                "<Hiring Manager>",
                "<Company>",
                "<time>",
                "<Your Name>",
                "<Your Phone>"
            ]
        );
    }

    #[test]
    fn escapes_keep_their_source_span() {
        let src = "Price \\*not\\* final &amp; more\n";
        let (b, _) = blocks(src, 0);
        for p in &b[0].lines[0].pieces {
            if let PieceKind::Replaced(t) = &p.kind {
                assert!(src[p.span.range()].len() >= t.len());
            }
        }
    }
}
