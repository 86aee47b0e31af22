//! Sending e-mail through the SMTP server the installation names (`--smtp-url`), for reminders. Without one,
//! reminders are a message to copy into a chat group.

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How long one message may take before it counts as failed (a dead server must not hold a request).
const SEND_TIMEOUT_SECONDS: u64 = 20;

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mailer(from {})", self.from)
    }
}

impl Mailer {
    /// `url`: `smtp://host:25` (plain, for a relay on the local network), `smtp://host:587?tls=required`
    /// (STARTTLS) or `smtps://user:password@host:465`; `from`: `Sở KH&CN <cnscd@skhcn.thanhhoa.gov.vn>`.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("địa chỉ máy chủ SMTP «{url}» không dùng được: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(SEND_TIMEOUT_SECONDS)))
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("địa chỉ người gửi «{from}» không đúng dạng: {e}"))?;
        Ok(Self { transport, from })
    }

    /// Sends one plain-text message.
    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|e| format!("địa chỉ «{to}»: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}
