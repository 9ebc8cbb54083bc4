//! Settings that must not reach a log: passwords, client secrets, URLs with credentials.

use serde::Deserialize;

/// A secret setting. `Debug` and `Display` never show it: a URL is shown with its password
/// replaced by `***`, anything else as `***`. The value itself only through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", redact(&self.0))
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

/// A URL with its password replaced by `***` (`postgres://u:***@h/db`); a URL without one as
/// it is; any other text as `***`.
pub fn redact(value: &str) -> String {
    let Some(scheme_end) = value.find("://") else {
        return "***".into();
    };
    let authority_end = value[scheme_end + 3..]
        .find(['/', '?', '#'])
        .map_or(value.len(), |i| scheme_end + 3 + i);
    match value[..authority_end].rfind('@') {
        Some(at) if at > scheme_end => {
            let creds = &value[scheme_end + 3..at];
            let user = creds.split_once(':').map_or(creds, |(user, _)| user);
            format!("{}{user}:***{}", &value[..scheme_end + 3], &value[at..])
        }
        _ => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug_or_display() {
        let url = Secret::from("postgres://jirga:hunter2@db:5432/jirga");
        assert_eq!(format!("{url}"), "postgres://jirga:***@db:5432/jirga");
        assert!(!format!("{url:?}").contains("hunter2"));
        assert_eq!(url.expose(), "postgres://jirga:hunter2@db:5432/jirga");
        let smtp = Secret::from("smtp://mailer:p%40ss@mail.example:587?tls=required");
        assert!(!format!("{smtp:?}").contains("p%40ss"), "{smtp:?}");
        assert_eq!(format!("{:?}", Secret::from("s3cret")), "\"***\"");
        assert_eq!(
            Secret::from("sqlite:///var/lib/jirga.db").to_string(),
            "sqlite:///var/lib/jirga.db"
        );
        // An @ in the path is not a credential.
        assert_eq!(redact("https://example.org/a@b"), "https://example.org/a@b");
    }
}
