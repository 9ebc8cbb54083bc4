//! Paging cursors: where the next page starts, for one sort order. Keyset paging, so a page
//! neither skips nor repeats comments when new ones arrive while a reader pages.

use crate::Sort;

/// The last row a page showed: its sort key (creation time in ms, or votes) and its id.
/// Opaque to clients, who pass back the string they were given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub sort: Sort,
    pub key: i64,
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let tag = match self.sort {
            Sort::Oldest => 'o',
            Sort::Newest => 'n',
            Sort::Top => 't',
        };
        format!("{tag}{}_{}", self.key, self.id)
    }

    /// `None` for anything this server did not produce.
    pub fn decode(raw: &str) -> Option<Self> {
        let mut chars = raw.chars();
        let sort = match chars.next()? {
            'o' => Sort::Oldest,
            'n' => Sort::Newest,
            't' => Sort::Top,
            _ => return None,
        };
        let (key, id) = chars.as_str().split_once('_')?;
        Some(Self {
            sort,
            key: key.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn round_trips(key in any::<i64>(), id in any::<i64>(), s in 0..3u8) {
            let sort = [Sort::Oldest, Sort::Newest, Sort::Top][s as usize];
            let c = Cursor { sort, key, id };
            prop_assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }

        #[test]
        fn garbage_is_refused_not_misread(raw in "\\PC*") {
            if let Some(c) = Cursor::decode(&raw) {
                prop_assert_eq!(c.encode(), raw);
            }
        }
    }
}
