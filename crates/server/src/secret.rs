//! Secrets and fingerprints: random bytes from the operating system, the submitter's secret (a random
//! capability compared in constant time), and SHA-256 in hex for what is kept as a fingerprint only.

use sha2::{Digest, Sha256};

/// `N` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|error| anyhow::anyhow!("no randomness from the operating system: {error}"))?;
    Ok(bytes)
}

/// 128 random bits as 32 lowercase hex characters: short enough for a URL, too long to guess.
pub fn generate() -> anyhow::Result<String> {
    Ok(hex(&random_bytes::<16>()?))
}

/// SHA-256 of `data` as 64 lowercase hex characters.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Equal strings, without leaking where they first differ through timing.
pub fn matches(expected: &str, given: &str) -> bool {
    let (expected, given) = (expected.as_bytes(), given.as_bytes());
    expected.len() == given.len()
        && expected
            .iter()
            .zip(given)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_32_hex_characters_and_differ() {
        let (a, b) = (generate().expect("random"), generate().expect("random"));
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn sha256_is_written_in_lowercase_hex() {
        // printf 'abc' | sha256sum
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn only_the_same_secret_matches() {
        assert!(matches("00ff", "00ff"));
        assert!(!matches("00ff", "00fe"));
        assert!(!matches("00ff", "00ff0"));
        assert!(!matches("00ff", ""));
    }
}
