//! Opening an export: gzip is recognised by its first bytes and read as it is, and the bytes
//! read from the file are counted for the progress bar.

use crate::Format;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Counts the bytes read through it (of the file on disk, before any decompression).
pub struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// An opened export.
pub struct Opened {
    pub reader: Box<dyn BufRead + Send>,
    /// Bytes of the file read so far.
    pub read: Arc<AtomicU64>,
    /// The file's size on disk.
    pub size: u64,
    pub gzip: bool,
    /// The format its first bytes suggest.
    pub sniffed: Option<Format>,
}

pub fn open(path: &std::path::Path) -> io::Result<Opened> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    from_reader(file, size)
}

pub fn from_reader<R: Read + Send + 'static>(input: R, size: u64) -> io::Result<Opened> {
    let read = Arc::new(AtomicU64::new(0));
    let mut raw = BufReader::with_capacity(
        256 * 1024,
        Counting {
            inner: input,
            read: read.clone(),
        },
    );
    let gzip = raw.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let mut reader: Box<dyn BufRead + Send> = if gzip {
        Box::new(BufReader::with_capacity(
            256 * 1024,
            flate2::bufread::MultiGzDecoder::new(raw),
        ))
    } else {
        Box::new(raw)
    };
    let sniffed = Format::sniff(reader.fill_buf()?);
    Ok(Opened {
        reader,
        read,
        size,
        gzip,
        sniffed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn gzip_is_read_as_it_is() {
        let text = b"<?xml version=\"1.0\"?><disqus><post dsq:id=\"1\"/></disqus>";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(text).expect("gzip");
        let bytes = gz.finish().expect("gzip");
        let len = bytes.len() as u64;
        let mut opened = from_reader(std::io::Cursor::new(bytes), len).expect("open");
        assert!(opened.gzip);
        assert_eq!(opened.sniffed, Some(Format::Disqus));
        let mut out = Vec::new();
        opened.reader.read_to_end(&mut out).expect("read");
        assert_eq!(out, text);
        assert_eq!(opened.read.load(Ordering::Relaxed), len);
    }
}
