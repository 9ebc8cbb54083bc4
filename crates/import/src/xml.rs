//! XML exports read one element at a time, so that a file of any size takes the memory of its
//! largest element and one malformed element costs only itself.
//!
//! `Chunks` scans the raw bytes for top-level elements with the given local names (`post`,
//! `thread`, `item`), skipping CDATA sections and comments, and hands each over as bytes with
//! its offset; whatever lies between them (a stray character before `<?xml`, the root
//! element, namespace declarations that real exports forget) is ignored. `parse` reads one
//! such element into a small tree with quick-xml, by local name (prefixes and namespace URIs
//! are ignored).

use crate::{Position, Record, SkipReason};
use std::io::{self, BufRead};

/// A top-level element's bytes and where it starts in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub offset: u64,
    pub name: String,
    pub bytes: Vec<u8>,
}

pub struct Chunks<R> {
    input: R,
    names: &'static [&'static str],
    /// Offset of the next unread byte.
    offset: u64,
    failed: bool,
}

impl<R: BufRead> Chunks<R> {
    pub fn new(input: R, names: &'static [&'static str]) -> Self {
        Self {
            input,
            names,
            offset: 0,
            failed: false,
        }
    }

    fn byte(&mut self) -> io::Result<Option<u8>> {
        let buf = self.input.fill_buf()?;
        let Some(&b) = buf.first() else {
            return Ok(None);
        };
        self.input.consume(1);
        self.offset += 1;
        Ok(Some(b))
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(self.input.fill_buf()?.first().copied())
    }

    /// Copies bytes into `out` (when given) up to and including `end`.
    fn until(&mut self, end: &[u8], mut out: Option<&mut Vec<u8>>) -> io::Result<bool> {
        let mut matched = 0;
        while let Some(b) = self.byte()? {
            if let Some(out) = out.as_deref_mut() {
                out.push(b);
            }
            if b == end[matched] {
                matched += 1;
                if matched == end.len() {
                    return Ok(true);
                }
            } else {
                matched = usize::from(b == end[0]);
            }
        }
        Ok(false)
    }

    /// After a `<` followed by `!`: skips a comment or CDATA section whole (copying it into
    /// `out` when given), so that nothing inside either is taken for a tag.
    fn markup(&mut self, mut out: Option<&mut Vec<u8>>) -> io::Result<()> {
        let mut head = Vec::new();
        for _ in 0..3 {
            if let Some(b) = self.byte()? {
                head.push(b);
                if let Some(out) = out.as_deref_mut() {
                    out.push(b);
                }
            }
        }
        if head == b"!--" {
            self.until(b"-->", out)?;
        } else if head == b"![C" {
            self.until(b"]]>", out)?;
        }
        Ok(())
    }

    /// After a `<`: the tag's text up to its `>` (quotes respected), without the `<`.
    fn tag(&mut self) -> io::Result<Vec<u8>> {
        let mut tag = Vec::new();
        let mut quote = None;
        while let Some(b) = self.byte()? {
            tag.push(b);
            match (quote, b) {
                (None, b'"' | b'\'') => quote = Some(b),
                (Some(q), _) if q == b => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            if tag.len() > 64 * 1024 {
                break; // not a tag anyone meant; the element's parse will say so
            }
        }
        Ok(tag)
    }

    fn next_chunk(&mut self) -> io::Result<Option<Chunk>> {
        loop {
            let Some(b) = self.byte()? else {
                return Ok(None);
            };
            if b != b'<' {
                continue;
            }
            let start = self.offset - 1;
            match self.peek()? {
                Some(b'!') => {
                    self.markup(None)?;
                    continue;
                }
                Some(b'?' | b'/') | None => continue,
                _ => {}
            }
            let tag = self.tag()?;
            let name = local_name(&tag);
            if !self.names.contains(&name.as_str()) {
                continue;
            }
            let mut bytes = Vec::with_capacity(tag.len() + 1);
            bytes.push(b'<');
            bytes.extend_from_slice(&tag);
            if !tag.ends_with(b"/>") {
                self.element_body(&name, &mut bytes)?;
            }
            return Ok(Some(Chunk {
                offset: start,
                name,
                bytes,
            }));
        }
    }

    /// Copies the rest of an element (after its start tag) up to its matching end tag.
    fn element_body(&mut self, name: &str, out: &mut Vec<u8>) -> io::Result<()> {
        let mut depth = 1usize;
        while let Some(b) = self.byte()? {
            out.push(b);
            if b != b'<' {
                continue;
            }
            match self.peek()? {
                Some(b'!') => self.markup(Some(out))?,
                Some(_) => {
                    let tag = self.tag()?;
                    out.extend_from_slice(&tag);
                    let closing = tag.first() == Some(&b'/');
                    let inner = if closing { &tag[1..] } else { &tag[..] };
                    if local_name(inner) != name {
                        continue;
                    }
                    if closing {
                        depth -= 1;
                        if depth == 0 {
                            return Ok(());
                        }
                    } else if !tag.ends_with(b"/>") {
                        depth += 1;
                    }
                }
                None => {}
            }
        }
        Ok(()) // end of file inside the element: its parse reports it
    }
}

/// The local name of a tag's text (`wp:comment attr="…">` → `comment`).
fn local_name(tag: &[u8]) -> String {
    let end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
        .unwrap_or(tag.len());
    let name = &tag[..end];
    let local = name.rsplit(|b| *b == b':').next().unwrap_or(name);
    String::from_utf8_lossy(local).into_owned()
}

impl<R: BufRead> Chunks<R> {
    /// The next top-level element, read into a tree, with its offset and name; a failure to
    /// read the file or to parse the element as the record that reports it.
    pub fn next_element(&mut self) -> Option<Result<(Element, Position, String), Record>> {
        let chunk = match self.next()? {
            Ok(chunk) => chunk,
            Err(e) => {
                return Some(Err(Record::Skipped {
                    at: Position::Byte(self.offset),
                    reason: SkipReason::Malformed,
                    detail: format!("the file could not be read: {e}"),
                }));
            }
        };
        let at = Position::Byte(chunk.offset);
        Some(match parse(&chunk.bytes) {
            Ok(el) => Ok((el, at, chunk.name)),
            Err(e) => Err(Record::Skipped {
                at,
                reason: SkipReason::Malformed,
                detail: format!("<{}>: {e}", chunk.name),
            }),
        })
    }
}

impl<R: BufRead> Iterator for Chunks<R> {
    type Item = io::Result<Chunk>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.next_chunk() {
            Ok(chunk) => chunk.map(Ok),
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// An element read from a chunk: local names, attribute values and text unescaped once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    /// Whether any of the text came from a CDATA section (which XML does not unescape).
    pub cdata: bool,
    pub children: Vec<Element>,
}

impl Element {
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// A child's text, trimmed; `None` when absent or empty.
    pub fn text_of(&self, name: &str) -> Option<String> {
        let text = self.child(name)?.text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads one element. The error says what is wrong and where, counted from the element's
/// start.
pub fn parse(bytes: &[u8]) -> Result<Element, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Element> = Vec::new();
    let at = |reader: &quick_xml::Reader<&[u8]>| reader.buffer_position();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("{e} (at byte {} of the element)", at(&reader)))?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(start) | Event::Empty(start) => {
                let mut el = Element {
                    name: String::from_utf8_lossy(start.local_name().as_ref()).into_owned(),
                    ..Element::default()
                };
                for attr in start.attributes() {
                    let attr =
                        attr.map_err(|e| format!("{e} (at byte {} of the element)", at(&reader)))?;
                    let value = attr
                        .unescape_value()
                        .map(|v| v.into_owned())
                        .unwrap_or_else(|_| String::from_utf8_lossy(&attr.value).into_owned());
                    el.attrs.push((
                        String::from_utf8_lossy(attr.key.local_name().as_ref()).into_owned(),
                        value,
                    ));
                }
                stack.push(el);
                if empty && let Some(done) = close(&mut stack) {
                    return Ok(done);
                }
            }
            Event::End(_) => {
                if let Some(done) = close(&mut stack) {
                    return Ok(done);
                }
            }
            Event::Text(text) => {
                if let Some(el) = stack.last_mut() {
                    let raw = String::from_utf8_lossy(text.as_ref()).into_owned();
                    el.text.push_str(&unescape(&raw));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(el) = stack.last_mut() {
                    let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                    el.text.push_str(&unescape(&format!("&{name};")));
                }
            }
            Event::CData(data) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&String::from_utf8_lossy(data.as_ref()));
                    el.cdata = true;
                }
            }
            Event::Eof => {
                return Err(match stack.first() {
                    Some(el) => format!("the file ends inside <{}>", el.name),
                    None => "no element".into(),
                });
            }
            _ => {}
        }
    }
}

/// Pops the innermost element into its parent; the root when it was the last.
fn close(stack: &mut Vec<Element>) -> Option<Element> {
    let el = stack.pop()?;
    match stack.last_mut() {
        Some(parent) => {
            parent.children.push(el);
            None
        }
        None => Some(el),
    }
}

/// XML's five entities and numeric references, and HTML's named ones (real exports use
/// `&nbsp;` and `&laquo;` without declaring them); anything unknown is kept as written.
pub fn unescape(raw: &str) -> String {
    quick_xml::escape::unescape_with(raw, quick_xml::escape::resolve_html5_entity)
        .map(|s| s.into_owned())
        .unwrap_or_else(|_| raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(input: &str, names: &'static [&'static str]) -> Vec<Chunk> {
        Chunks::new(input.as_bytes(), names)
            .collect::<io::Result<Vec<_>>>()
            .unwrap_or_default()
    }

    #[test]
    fn top_level_elements_are_cut_out_with_their_offsets() {
        let input = "`<?xml version=\"1.0\"?><disqus><thread dsq:id=\"1\"><link>a</link></thread>\
                     <!-- <post>not this</post> --><post dsq:id=\"2\"><message><![CDATA[x </post> y]]></message>\
                     <thread dsq:id=\"1\"/></post></disqus>";
        let got = chunks(input, &["thread", "post"]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].name, "thread");
        assert_eq!(got[0].offset, input.find("<thread").unwrap_or(0) as u64);
        assert_eq!(got[1].name, "post");
        let post = parse(&got[1].bytes).expect("post");
        assert_eq!(post.attr("id"), Some("2"));
        assert_eq!(post.text_of("message").as_deref(), Some("x </post> y"));
        assert_eq!(post.child("thread").and_then(|t| t.attr("id")), Some("1"));
    }

    #[test]
    fn a_malformed_element_is_an_error_and_the_next_one_still_reads() {
        let input = "<r><post><thread dsq:id=1/></post><post><message>ok &amp; fine &nbsp;</message></post></r>";
        let got = chunks(input, &["post"]);
        assert_eq!(got.len(), 2);
        assert!(parse(&got[0].bytes).is_err());
        let ok = parse(&got[1].bytes).expect("second post");
        assert_eq!(
            ok.child("message").map(|m| m.text.as_str()),
            Some("ok & fine \u{a0}")
        );
    }

    #[test]
    fn prefixes_are_ignored_and_cdata_is_marked() {
        let got = chunks(
            "<rss><channel><item><wp:comment><wp:comment_author><![CDATA[A &amp; B]]></wp:comment_author></wp:comment></item></channel></rss>",
            &["item"],
        );
        let item = parse(&got[0].bytes).expect("item");
        let author = item
            .child("comment")
            .and_then(|c| c.child("comment_author"));
        assert_eq!(
            author.map(|a| (a.text.as_str(), a.cdata)),
            Some(("A &amp; B", true))
        );
    }
}
