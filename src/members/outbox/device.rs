//! The outbox's entries on the device: one localStorage entry per item, and the one-array form an
//! earlier release kept.

use super::{OutboxItem, OutboxState};
use crate::storage;

/// Each item is stored under `jianyan.outbox.<key>`.
pub(super) const ITEM_PREFIX: &str = "jianyan.outbox.";
/// Where releases before per-item entries kept the whole outbox, as one array.
const LEGACY_OUTBOX_KEY: &str = "jianyan.outbox";

impl OutboxItem {
    pub(super) fn storage_key(&self) -> String {
        item_storage_key(&self.key)
    }
}

pub(super) fn item_storage_key(key: &str) -> String {
    format!("{ITEM_PREFIX}{key}")
}

/// The items on the device, oldest first. `Sending` is never stored, but an earlier release stored it:
/// such an item is waiting.
pub(super) fn stored_items() -> Vec<OutboxItem> {
    let mut items: Vec<OutboxItem> = storage::keys_with_prefix(ITEM_PREFIX)
        .iter()
        .filter_map(|key| storage::load(key))
        .collect();
    for item in &mut items {
        if item.state == OutboxState::Sending {
            item.state = OutboxState::Waiting;
        }
    }
    oldest_first(&mut items);
    items
}

pub(super) fn oldest_first(items: &mut [OutboxItem]) {
    storage::sort_small(items, |a, b| a.queued_at < b.queued_at);
}

/// Moves an outbox kept by an earlier release as one array into an entry per item; the array goes only
/// once every item in it is stored again.
pub(super) fn split_legacy_outbox() {
    let Some(legacy) = storage::load::<Vec<OutboxItem>>(LEGACY_OUTBOX_KEY) else {
        return;
    };
    let all_kept = legacy.iter().enumerate().all(|(order, item)| {
        let mut item = item.clone();
        item.queued_at = order as f64;
        storage::contains(&item.storage_key()) || storage::save(&item.storage_key(), &item)
    });
    if all_kept {
        storage::remove(LEGACY_OUTBOX_KEY);
    }
}
