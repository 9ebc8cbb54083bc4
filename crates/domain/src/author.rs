//! Who wrote a comment, as a guest gives it: a display name and an optional email that is
//! never shown to anyone. Affiliation lines are granted by an administrator, not typed.

use crate::{ParseError, clean_text};

/// A display name: 1 to 80 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorName(String);

impl AuthorName {
    pub const MAX: usize = 80;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        clean_text("name", raw, Self::MAX, false).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An email address, checked only for shape: delivery proves the rest (accounts come later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let text = clean_text("email", raw, 254, false)?;
        let invalid = |why| ParseError::Invalid {
            field: "email",
            why,
        };
        let (local, domain) = text
            .rsplit_once('@')
            .ok_or_else(|| invalid("it has no '@'"))?;
        if local.is_empty() || domain.is_empty() || !domain.contains('.') {
            return Err(invalid("it needs a name before '@' and a domain after it"));
        }
        if text.chars().any(char::is_whitespace) {
            return Err(invalid("it contains spaces"));
        }
        // Domains compare case-insensitively; the local part is kept as written.
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The line under a name that says whom the author speaks for ("Digital Engagement Team").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affiliation(String);

impl Affiliation {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        clean_text("affiliation", raw, 120, false).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            AuthorName::parse("  Amina  ").expect("valid").as_str(),
            "Amina"
        );
        let long = "x".repeat(81);
        assert_eq!(
            AuthorName::parse(&long).map_err(|e| e.code()),
            Err("name_too_long".into())
        );
        assert_eq!(
            AuthorName::parse("").map_err(|e| e.code()),
            Err("name_empty".into())
        );
    }

    #[test]
    fn emails_need_a_domain() {
        assert_eq!(
            Email::parse("A@Example.ORG").expect("valid").as_str(),
            "A@example.org"
        );
        assert!(Email::parse("nobody").is_err());
        assert!(Email::parse("a@b").is_err());
        assert!(Email::parse("a b@c.org").is_err());
    }
}
