//! Everything a client names in a request, parsed as the server parses it: site ids, thread
//! keys, author names, emails, paging cursors and comment bodies. No input may panic, and
//! whatever parses must print back to a value that parses to the same thing.
#![no_main]

use jirga_domain::{AuthorName, Cursor, Email, SiteId, ThreadKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(id) = SiteId::parse(&text) {
        assert_eq!(SiteId::parse(id.as_str()).ok(), Some(id));
    }
    if let Ok(key) = ThreadKey::parse(&text) {
        assert_eq!(ThreadKey::parse(key.as_str()).ok(), Some(key));
    }
    if let Ok(name) = AuthorName::parse(&text) {
        assert!(!name.as_str().is_empty());
    }
    let _ = Email::parse(&text);
    if let Some(c) = Cursor::decode(&text) {
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
    }
});
