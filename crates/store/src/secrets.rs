//! Secrets are never stored as given: passwords become Argon2id hashes, session and API tokens SHA-256 digests
//! (they are long and random, so a fast digest cannot be guessed back).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// 32 random bytes from the operating system, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A password for a new account or a reset: 16 random URL-safe characters, to be changed by its owner.
pub fn random_password() -> String {
    random_token().chars().take(16).collect()
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
    fn tokens_are_random_and_digests_stable() {
        assert_ne!(random_token(), random_token());
        assert_eq!(digest("a"), digest("a"));
        assert_eq!(digest("a").len(), 64);
    }
}
