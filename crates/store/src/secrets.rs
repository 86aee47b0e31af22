//! Secrets are never stored as given: passwords become Argon2id hashes, session and API tokens SHA-256 digests
//! (they are long and random, so a fast digest cannot be guessed back).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Argon2 takes ~19 MiB and tens of milliseconds of CPU per check. At most this many run at once (twice the
/// cores), on blocking threads; others wait their turn up to [`HASHING_QUEUE_WAIT`], then are refused, so a
/// burst of sign-ins cannot take the server's memory (200 at once took 6.6 GB before this bound).
static HASHING: LazyLock<Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    Semaphore::new(2 * cores)
});
const HASHING_QUEUE_WAIT: Duration = Duration::from_secs(10);

/// Too many password checks at once: the caller should ask again shortly (HTTP 429).
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("máy chủ đang bận kiểm tra mật khẩu; hãy thử lại sau ít giây")]
pub struct HashingBusy;

/// Runs a password hash or check on a blocking thread, within the bound on concurrent hashing.
async fn bounded<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, HashingBusy> {
    let permit = tokio::time::timeout(HASHING_QUEUE_WAIT, HASHING.acquire())
        .await
        .map_err(|_| HashingBusy)?
        .map_err(|_| HashingBusy)?;
    let result = tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| HashingBusy)?;
    drop(permit);
    Ok(result)
}

/// [`hash_password`] off the async workers, bounded.
pub async fn hash_password_bounded(password: &str) -> Result<String, HashingBusy> {
    let password = password.to_string();
    bounded(move || hash_password(&password)).await
}

/// [`verify_password`] off the async workers, bounded.
pub async fn verify_password_bounded(
    password: &str,
    stored: Option<String>,
) -> Result<bool, HashingBusy> {
    let password = password.to_string();
    bounded(move || verify_password(&password, stored.as_deref())).await
}

/// 32 random bytes from the operating system, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Letters and digits that cannot be misread on a printed slip or typed wrongly on a phone (no i, l, o, 0, 1).
const SLIP_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A first password for a new account or a reset, to be copied from a slip or a screen and then changed by its
/// owner: three groups of four unambiguous characters (`k7mq-4txp-9hdz`, about 59 bits).
pub fn random_password() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..3)
        .map(|_| {
            (0..4)
                .map(|_| {
                    let index = (rng.next_u32() as usize) % SLIP_ALPHABET.len();
                    char::from(SLIP_ALPHABET[index])
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

pub fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Argon2id with the crate's defaults (19 MiB, 2 passes), a fresh salt each time.
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2 with default parameters hashes any password")
        .to_string()
}

/// A hash to check against when the account does not exist, so that the answer takes as long either way.
static UNKNOWN_ACCOUNT_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("no account has this password"));

/// Checks a password against a stored hash, or against a decoy when there is no account.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    let decoy = stored.is_none();
    let stored = stored.unwrap_or(UNKNOWN_ACCOUNT_HASH.as_str());
    let Ok(hash) = PasswordHash::new(stored) else {
        return false;
    };
    let matches = Argon2::default()
        .verify_password(password.as_bytes(), &hash)
        .is_ok();
    matches && !decoy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_hash() {
        let hash = hash_password("mây trắng bay 2025");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("mây trắng bay 2025", Some(&hash)));
        assert!(!verify_password("mây trắng bay 2024", Some(&hash)));
        assert!(!verify_password("no account has this password", None));
    }

    #[test]
    fn first_passwords_are_readable_and_strong_enough() {
        for _ in 0..200 {
            let password = random_password();
            assert_eq!(password.len(), 14, "{password}");
            assert!(!password.contains(['i', 'l', 'o', '0', '1']), "{password}");
            cnscd_domain::account::check_password("password", &password, "xa-xuan-binh")
                .unwrap_or_else(|e| panic!("{password}: {}", e.message));
        }
    }

    #[test]
    fn tokens_are_random_and_digests_stable() {
        assert_ne!(random_token(), random_token());
        assert_eq!(digest("a"), digest("a"));
        assert_eq!(digest("a").len(), 64);
    }
}
