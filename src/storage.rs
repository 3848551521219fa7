//! What the app keeps on this device, in localStorage: receipts of past submissions and form drafts.
//! Storage can be missing or full (private mode); then nothing is kept, and nothing breaks.

use serde::{de::DeserializeOwned, Deserialize, Serialize};

const RECEIPTS_KEY: &str = "jianyan.receipts";

/// A submission this device sent or opened with its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub code: String,
    pub secret: String,
    pub title: String,
    pub submitted_at: String,
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The value stored under `key`, if present and readable.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = local_storage()?.get_item(key).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Stores `value` under `key`; false if the device would not keep it.
pub fn save<T: Serialize>(key: &str, value: &T) -> bool {
    let Some(storage) = local_storage() else {
        return false;
    };
    serde_json::to_string(value)
        .ok()
        .is_some_and(|text| storage.set_item(key, &text).is_ok())
}

/// Forgets what is stored under `key`.
pub fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// Receipts on this device, newest first.
pub fn receipts() -> Vec<Receipt> {
    load(RECEIPTS_KEY).unwrap_or_default()
}

/// The receipt for `code`, if this device has it.
pub fn receipt(code: &str) -> Option<Receipt> {
    receipts()
        .into_iter()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}

/// Keeps `receipt` (replacing one with the same code) at the top of the list.
pub fn remember(receipt: Receipt) {
    let mut all = receipts();
    all.retain(|r| !r.code.eq_ignore_ascii_case(&receipt.code));
    all.insert(0, receipt);
    save(RECEIPTS_KEY, &all);
}

/// 32 random hex digits from the browser's CSPRNG (works on plain http too, unlike randomUUID).
pub fn random_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    if bytes == [0u8; 16] {
        // No Web Crypto: fall back to Math.random, still fine for a retry key.
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
