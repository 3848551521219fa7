//! Staff passwords, hashed with Argon2id (OWASP's recommended parameters, the crate's defaults).

use std::sync::OnceLock;

use anyhow::Context;
use argon2::{
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};

use crate::secret;

/// Shortest password `jianyan staff` accepts.
pub const MIN_LENGTH: usize = 10;
/// Longest password accepted at login or set: anything longer is not a password someone types.
pub const MAX_LENGTH: usize = 256;

/// Why a new password is refused, in words for the person setting it.
pub fn check_new(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        Err(format!("密码至少要 {MIN_LENGTH} 个字符"))
    } else if length > MAX_LENGTH {
        Err(format!("密码不能超过 {MAX_LENGTH} 个字符"))
    } else if password.trim() != password {
        Err("密码的开头和结尾不能是空格".into())
    } else {
        Ok(())
    }
}

/// The PHC string to store for `password`, with a fresh random salt.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::encode_b64(&secret::random_bytes::<16>()?)
        .map_err(|error| anyhow::anyhow!("cannot encode a salt: {error}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| anyhow::anyhow!("cannot hash a password: {error}"))
}

/// Whether `password` is the one `stored` was made from. With no stored hash (no such login) the same
/// work is done against a stand-in, so the answer's timing does not tell which logins exist.
pub fn verify(password: &str, stored: Option<&str>) -> anyhow::Result<bool> {
    let stand_in = stand_in_hash()?;
    let parsed = PasswordHash::new(stored.unwrap_or(stand_in))
        .map_err(|error| anyhow::anyhow!("a stored password hash is malformed: {error}"))
        .context("checking a password")?;
    let matches = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    Ok(matches && stored.is_some())
}

/// A hash of a random password nobody knows, made once per process.
fn stand_in_hash() -> anyhow::Result<&'static str> {
    static STAND_IN: OnceLock<String> = OnceLock::new();
    if let Some(hash) = STAND_IN.get() {
        return Ok(hash);
    }
    let made = hash(&secret::generate()?)?;
    Ok(STAND_IN.get_or_init(|| made))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let stored = hash("正确的密码 correct horse").expect("hashing works");
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(verify("正确的密码 correct horse", Some(&stored)).expect("verifies"));
        assert!(!verify("正确的密码 correct hors", Some(&stored)).expect("verifies"));
        assert!(!verify("", Some(&stored)).expect("verifies"));
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        assert_ne!(
            hash("same password").expect("hashing works"),
            hash("same password").expect("hashing works")
        );
    }

    #[test]
    fn no_password_matches_a_missing_account() {
        assert!(!verify("anything at all", None).expect("verifies"));
    }

    #[test]
    fn new_passwords_are_checked_with_a_reason() {
        let cases = [
            ("short", Some("至少"), "under the minimum"),
            (
                &"长".repeat(MAX_LENGTH + 1),
                Some("不能超过"),
                "over the maximum",
            ),
            (" leading space 1", Some("空格"), "a leading space"),
            ("ten chars!", None, "exactly the minimum"),
            (
                "十个汉字的密码也可以用",
                None,
                "Chinese characters count as characters",
            ),
        ];
        for (password, problem, why) in cases {
            match (check_new(password), problem) {
                (Ok(()), None) => {}
                (Err(message), Some(expected)) => {
                    assert!(message.contains(expected), "{why}: {message}")
                }
                (outcome, _) => panic!("{why}: unexpected {outcome:?}"),
            }
        }
    }
}
