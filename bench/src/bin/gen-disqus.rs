//! A synthetic Disqus export for the import benchmark: `gen-disqus COMMENTS FILE` writes
//! COMMENTS posts over COMMENTS / 20 threads, a third of them replies, with bodies of a few
//! hundred bytes of HTML, guests with and without emails, some spam and deleted posts: the
//! shape of a real export, at any size (about 600 bytes a post).

use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let path = args.next().unwrap_or_else(|| "disqus-export.xml".into());
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
    let threads = (n / 20).max(1);
    writeln!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<disqus xmlns=\"http://disqus.com\" xmlns:dsq=\"http://disqus.com/disqus-internals\">"
    )?;
    for t in 0..threads {
        writeln!(
            out,
            "  <thread dsq:id=\"{}\">\n    <id/>\n    <forum>daily</forum>\n    <link>https://daily.example/{}/{}/story-{t}/</link>\n    <title>Story number {t} &amp; its follow-up</title>\n    <createdAt>2019-03-0{}T10:00:00Z</createdAt>\n    <isClosed>false</isClosed>\n    <isDeleted>false</isDeleted>\n  </thread>",
            1_000_000 + t,
            2015 + t % 10,
            1 + t % 12,
            1 + t % 9
        )?;
    }
    // A simple deterministic generator (no dependency): a 64-bit LCG.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 33
    };
    let words = [
        "council",
        "budget",
        "river",
        "flood",
        "warning",
        "minister",
        "school",
        "roads",
        "the",
        "of",
        "and",
        "a",
        "report",
        "water",
        "gauge",
        "reading",
        "city",
        "transport",
        "year",
        "people",
        "said",
        "would",
        "must",
        "before",
        "after",
        "vote",
    ];
    for p in 0..n {
        let thread = 1_000_000 + p % threads;
        let reply = p >= threads && next() % 3 == 0;
        let parent = if reply {
            Some(p - threads * (1 + next() % 3).min(p / threads))
        } else {
            None
        };
        let mut body = String::new();
        for s in 0..(2 + next() % 3) {
            body.push_str("<p>");
            for w in 0..(12 + next() % 20) {
                if w > 0 {
                    body.push(' ');
                }
                body.push_str(words[(next() % words.len() as u64) as usize]);
            }
            if s == 0 && next() % 5 == 0 {
                body.push_str(" <a href=\"https://daily.example/source\">source</a>");
            }
            body.push_str(".</p>");
        }
        let guest = next() % 4;
        let author = match guest {
            0 => format!(
                "<name>Reader {}</name>\n      <isAnonymous>true</isAnonymous>",
                next() % 5_000
            ),
            1 => format!(
                "<email>reader{0}@mail.example</email>\n      <name>Reader {0}</name>\n      <isAnonymous>false</isAnonymous>",
                next() % 5_000
            ),
            _ => format!(
                "<name>Member {0}</name>\n      <isAnonymous>false</isAnonymous>\n      <username>member{0}</username>",
                next() % 20_000
            ),
        };
        writeln!(
            out,
            "  <post dsq:id=\"{}\">\n    <id/>\n    <message><![CDATA[{body}]]></message>\n    <createdAt>20{:02}-{:02}-{:02}T{:02}:{:02}:{:02}Z</createdAt>\n    <isDeleted>{}</isDeleted>\n    <isSpam>{}</isSpam>\n    <author>\n      {author}\n    </author>\n    <thread dsq:id=\"{thread}\"/>{}\n  </post>",
            5_000_000 + p,
            15 + (p * 7 / n.max(1)) % 10,
            1 + next() % 12,
            1 + next() % 28,
            next() % 24,
            next() % 60,
            next() % 60,
            next() % 200 == 0,
            next() % 100 == 0,
            parent
                .map(|q| format!("\n    <parent dsq:id=\"{}\"/>", 5_000_000 + q))
                .unwrap_or_default()
        )?;
    }
    writeln!(out, "</disqus>")?;
    out.flush()?;
    eprintln!("{n} posts over {threads} threads written to {path}");
    Ok(())
}
