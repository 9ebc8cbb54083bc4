//! Any text through the comment renderer: it must not panic, and what it lets through must
//! carry no script: no script, image or frame elements, no event-handler or style attributes,
//! no link to a javascript:, vbscript: or data: address. (Such words as plain text are fine:
//! they reach the page escaped.)
#![no_main]

use jirga_domain::{BodyLimits, CommentBody};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(body) = CommentBody::parse(&text, BodyLimits::default()) {
        let html = body.html().to_ascii_lowercase();
        for banned in ["<script", "<img", "<iframe", "<svg", "<style", "<object", "<embed"] {
            assert!(!html.contains(banned), "{banned} in {html}");
        }
        for tag in html.split('<').skip(1) {
            let inside = tag.split('>').next().unwrap_or_default();
            for attr in inside.split_whitespace().skip(1) {
                assert!(!attr.starts_with("on"), "handler in {html}");
                assert!(!attr.starts_with("style"), "style in {html}");
                if let Some(value) = attr.strip_prefix("href=") {
                    let url = value.trim_matches(['"', '\'']).trim_start();
                    for scheme in ["javascript:", "vbscript:", "data:"] {
                        assert!(!url.starts_with(scheme), "{scheme} link in {html}");
                    }
                }
            }
        }
    }
});
