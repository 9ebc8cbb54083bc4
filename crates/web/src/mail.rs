//! Mail (account verification and password reset, sent at once; readers' and moderators'
//! notices, through the outbox in `notify`): over SMTP with lettre, or into the log when no
//! SMTP server is configured (the demo prints the links there).

use lettre::message::Mailbox;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub enum Mailer {
    Smtp {
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Box<Mailbox>,
    },
    Log,
}

impl Mailer {
    pub fn new(settings: &crate::config::Settings) -> anyhow::Result<Self> {
        match &settings.smtp_url {
            None => Ok(Mailer::Log),
            Some(url) => Ok(Mailer::Smtp {
                transport: Box::new(
                    AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                        .map_err(|e| anyhow::anyhow!("smtp_url {url:?}: {e}"))?
                        .timeout(Some(std::time::Duration::from_secs(10)))
                        .build(),
                ),
                from: Box::new(
                    settings
                        .mail_from
                        .parse()
                        .map_err(|e| anyhow::anyhow!("mail_from {:?}: {e}", settings.mail_from))?,
                ),
            }),
        }
    }

    /// Sends a plain-text mail. An address that cannot be parsed or a server that refuses is
    /// an error for the caller to report.
    pub async fn send(&self, to: &str, subject: &str, body: String) -> anyhow::Result<()> {
        self.send_with(to, subject, body, None).await
    }

    /// Sends a plain-text mail that the reader can stop with one click: `List-Unsubscribe`
    /// (the URL) and `List-Unsubscribe-Post` (RFC 8058: the mail client POSTs to it).
    pub async fn send_with(
        &self,
        to: &str,
        subject: &str,
        body: String,
        unsubscribe: Option<&str>,
    ) -> anyhow::Result<()> {
        match self {
            Mailer::Log => {
                tracing::info!(
                    to,
                    subject,
                    "no smtp_url is set: the mail is printed, not sent"
                );
                match unsubscribe {
                    Some(url) => {
                        println!("--- mail to {to}: {subject} (unsubscribe: {url})\n{body}---")
                    }
                    None => println!("--- mail to {to}: {subject}\n{body}---"),
                }
                Ok(())
            }
            Mailer::Smtp { transport, from } => {
                let mut message = Message::builder()
                    .from(from.as_ref().clone())
                    .to(to.parse()?)
                    .subject(subject);
                if let Some(url) = unsubscribe {
                    message = message
                        .raw_header(HeaderValue::new(
                            HeaderName::new_from_ascii_str("List-Unsubscribe"),
                            format!("<{url}>"),
                        ))
                        .raw_header(HeaderValue::new(
                            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                            "List-Unsubscribe=One-Click".to_owned(),
                        ));
                }
                let message = message.body(body)?;
                transport.send(message).await?;
                Ok(())
            }
        }
    }
}
