//! What the app keeps on this device, in localStorage: receipts of past submissions, the outbox and drafts.
//!
//! Lists that several tabs write (receipts, outbox items) are kept one entry per key, never as one array:
//! each tab writes only the entries it changes, so two tabs cannot write their whole list over the
//! other's. Storage can be missing or full (private mode): writes then say so, and nothing breaks.

use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// One key per receipt: `jianyan.receipt.<CODE>`.
const RECEIPT_PREFIX: &str = "jianyan.receipt.";
/// Where releases before per-key receipts kept them all, as one array.
const LEGACY_RECEIPTS_KEY: &str = "jianyan.receipts";

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

/// Stores `value` under `key`; false if the device would not keep it (no storage, quota full).
#[must_use = "a failed write must be shown to the member"]
pub fn save<T: Serialize>(key: &str, value: &T) -> bool {
    let Some(storage) = local_storage() else {
        return false;
    };
    serde_json::to_string(value)
        .ok()
        .is_some_and(|text| storage.set_item(key, &text).is_ok())
}

/// True when something is stored under `key`.
pub fn contains(key: &str) -> bool {
    local_storage().is_some_and(|storage| storage.get_item(key).ok().flatten().is_some())
}

/// Forgets what is stored under `key`.
pub fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// Every stored key that starts with `prefix`.
pub fn keys_with_prefix(prefix: &str) -> Vec<String> {
    let Some(storage) = local_storage() else {
        return Vec::new();
    };
    let count = storage.length().unwrap_or(0);
    (0..count)
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(prefix))
        .collect()
}

fn receipt_key(code: &str) -> String {
    format!("{RECEIPT_PREFIX}{}", code.to_ascii_uppercase())
}

/// True for a storage key that holds receipts (for the `storage` event from other tabs).
pub fn is_receipt_key(key: &str) -> bool {
    key.starts_with(RECEIPT_PREFIX) || key == LEGACY_RECEIPTS_KEY
}

/// Receipts on this device, newest first.
pub fn receipts() -> Vec<Receipt> {
    split_legacy_receipts();
    let mut all: Vec<Receipt> = keys_with_prefix(RECEIPT_PREFIX)
        .iter()
        .filter_map(|key| load(key))
        .collect();
    // Times are RFC 3339 in China time, so their text sorts as the times do.
    sort_small(&mut all, |a, b| a.submitted_at > b.submitted_at);
    all
}

/// The receipt for `code`, if this device has it.
pub fn receipt(code: &str) -> Option<Receipt> {
    split_legacy_receipts();
    load(&receipt_key(code))
}

/// Keeps `receipt`, replacing one with the same code; false if the device would not keep it.
pub fn remember(receipt: &Receipt) -> bool {
    save(&receipt_key(&receipt.code), receipt)
}

/// Moves receipts kept by an earlier release as one array into a key each; the array goes only once
/// every receipt in it is stored again.
fn split_legacy_receipts() {
    let Some(legacy) = load::<Vec<Receipt>>(LEGACY_RECEIPTS_KEY) else {
        return;
    };
    let all_kept = legacy
        .iter()
        .all(|receipt| contains(&receipt_key(&receipt.code)) || remember(receipt));
    if all_kept {
        remove(LEGACY_RECEIPTS_KEY);
    }
}

/// Sorts a short list (a device's receipts or outbox: tens of items) so that `before(a, b)` holds for
/// each neighbour pair, keeping equal items in order. An insertion sort, because std's `sort_by` puts a
/// copy of its quicksort in the wasm for every type and closure: the three the members' app had (receipts,
/// outbox twice) cost 2.9 KB of brotli on every phone (wasm 138.4 → 135.5 KB measured with each). For
/// tens of items this is as fast.
pub fn sort_small<T>(items: &mut [T], before: impl Fn(&T, &T) -> bool) {
    for unsorted in 1..items.len() {
        let mut at = unsorted;
        while at > 0 && before(&items[at], &items[at - 1]) {
            items.swap(at, at - 1);
            at -= 1;
        }
    }
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

#[cfg(test)]
mod tests {
    use super::sort_small;

    #[test]
    fn a_short_list_sorts_and_equal_items_keep_their_order() {
        type Items = &'static [(u8, char)];
        let cases: [(Items, Items); 4] = [
            (&[], &[]),
            (&[(1, 'a')], &[(1, 'a')]),
            (
                &[(3, 'a'), (1, 'b'), (2, 'c')],
                &[(1, 'b'), (2, 'c'), (3, 'a')],
            ),
            (
                &[(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd')],
                &[(1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')],
            ),
        ];
        for (input, expected) in cases {
            let mut items = input.to_vec();
            sort_small(&mut items, |a, b| a.0 < b.0);
            assert_eq!(items, expected, "{input:?}");
        }
    }
}
