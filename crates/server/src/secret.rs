//! Secrets and fingerprints: random bytes from the operating system, the server's key and the
//! submitter's secret derived from it, and SHA-256 in hex for what is kept as a fingerprint only.

use std::{
    fmt,
    io::Write,
    os::unix::fs::OpenOptionsExt,
    path::{Path, PathBuf},
};

use anyhow::Context;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The server's own key: each submission's secret is derived from it and the submission's number, so
/// the database keeps only the secret's hash, yet a retried request gets the same receipt. Kept beside
/// the database as `secret.key` (64 hex characters, readable by the owner alone) and copied by
/// `jianyan backup`; a database restored without its key keeps working, but its old receipts cannot be
/// issued again to a retry.
pub struct ServerKey([u8; 32]);

impl fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServerKey(..)")
    }
}

impl ServerKey {
    /// Where the key of the database at `db` lives: `secret.key` in the same folder.
    pub fn path_beside(db: &Path) -> PathBuf {
        db.with_file_name("secret.key")
    }

    /// Reads the key at `path`, or makes a new one there (mode 0600) if there is none yet.
    pub fn load_or_create(path: &Path) -> anyhow::Result<ServerKey> {
        let bytes: [u8; 32] = random_bytes()?;
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path);
        match created {
            Ok(mut file) => {
                file.write_all(hex(&bytes).as_bytes())
                    .and_then(|()| file.sync_all())
                    .with_context(|| format!("cannot write the server key {}", path.display()))?;
                // The key must outlive a power cut as surely as the rows whose secrets it derives.
                if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::File::open(folder)
                        .and_then(|folder| folder.sync_all())
                        .with_context(|| format!("cannot sync folder {}", folder.display()))?;
                }
                tracing::info!(path = %path.display(), "made a new server key");
                Ok(ServerKey(bytes))
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Self::load(path),
            Err(error) => Err(anyhow::Error::from(error)
                .context(format!("cannot create the server key {}", path.display()))),
        }
    }

    /// Reads the key at `path`.
    pub fn load(path: &Path) -> anyhow::Result<ServerKey> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the server key {}", path.display()))?;
        let text = text.trim();
        let mut bytes = [0u8; 32];
        let valid = text.len() == 64
            && text.is_char_boundary(64)
            && bytes.iter_mut().enumerate().all(|(i, byte)| {
                text.get(2 * i..2 * i + 2)
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                    .map(|value| *byte = value)
                    .is_some()
            });
        anyhow::ensure!(
            valid,
            "the server key {} is not 64 hex characters; restore it from the backup",
            path.display()
        );
        Ok(ServerKey(bytes))
    }

    /// A key from its bytes (for tests).
    pub fn from_bytes(bytes: [u8; 32]) -> ServerKey {
        ServerKey(bytes)
    }

    /// The secret of submission number `id`: the first 128 bits of HMAC-SHA256(key, "submission/<id>"),
    /// as 32 lowercase hex characters.
    pub fn submission_secret(&self, id: i64) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(format!("submission/{id}").as_bytes());
        hex(&mac.finalize().into_bytes()[..16])
    }
}

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

/// What the database keeps of a submitter's secret: its SHA-256 in hex.
pub fn secret_hash(secret: &str) -> String {
    sha256_hex(secret.as_bytes())
}

/// SHA-256 of `data` as 64 lowercase hex characters.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// Bytes as lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
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
    fn a_submission_secret_is_hmac_sha256_of_its_number_cut_to_128_bits() {
        let key = ServerKey::from_bytes([7; 32]);
        // python3 -c "import hmac,hashlib; print(hmac.new(bytes([7]*32), b'submission/42',
        //   hashlib.sha256).hexdigest()[:32])"
        assert_eq!(
            key.submission_secret(42),
            "6bc9cd21622c2148e19f51763eff8815"
        );
        assert_ne!(key.submission_secret(43), key.submission_secret(42));
        let other = ServerKey::from_bytes([8; 32]);
        assert_ne!(other.submission_secret(42), key.submission_secret(42));
    }

    #[test]
    fn a_key_is_made_once_for_the_owner_alone_and_read_back_the_same() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("a folder");
        let path = ServerKey::path_beside(&dir.path().join("jianyan.db"));
        let made = ServerKey::load_or_create(&path).expect("a new key");
        let mode = std::fs::metadata(&path)
            .expect("the file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let again = ServerKey::load_or_create(&path).expect("the same key");
        assert_eq!(again.submission_secret(1), made.submission_secret(1));
        std::fs::write(&path, "not a key").expect("a damaged key");
        assert!(ServerKey::load(&path).is_err(), "a damaged key is refused");
    }

    #[test]
    fn only_the_same_secret_matches() {
        assert!(matches("00ff", "00ff"));
        assert!(!matches("00ff", "00fe"));
        assert!(!matches("00ff", "00ff0"));
        assert!(!matches("00ff", ""));
    }
}
