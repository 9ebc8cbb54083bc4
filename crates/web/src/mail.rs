//! Account mail (address verification, password reset): over SMTP with lettre, or into the log
//! when no SMTP server is configured (the demo prints the links there).

use lettre::message::Mailbox;
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
        match self {
            Mailer::Log => {
                tracing::info!(
                    to,
                    subject,
                    "no smtp_url is set: the mail is printed, not sent"
                );
                println!("--- mail to {to}: {subject}\n{body}---");
                Ok(())
            }
            Mailer::Smtp { transport, from } => {
                let message = Message::builder()
                    .from(from.as_ref().clone())
                    .to(to.parse()?)
                    .subject(subject)
                    .body(body)?;
                transport.send(message).await?;
                Ok(())
            }
        }
    }
}
