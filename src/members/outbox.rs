//! The outbox: every submission leaves the device through here, exactly once.
//!
//! A request is stored on the device with a client-generated idempotency key before the first attempt,
//! and stays until the server confirms it (201) or the member removes it: nothing else takes an item out.
//! Failures a retry can fix wait for the network to come back (the `online` event, a backoff timer, or
//! the app's next start); any other refusal (422, a reused key, a 403/404 from a captive portal) marks the
//! item 需要修改, with its full text and the server's message. Retries reuse the key, so the server stores
//! each submission once however often the phone tries.
//!
//! Each item is its own localStorage entry (`jianyan.outbox.<key>`), written alone, so two tabs never
//! write over each other's items; the `storage` event tells each tab what the others changed. Two tabs may
//! both send one item: its idempotency key makes that one submission.

mod device;

use std::time::Duration;

use api::{CreateSubmission, FieldErrors};
use leptos::{ev, prelude::*, task::spawn_local};
use serde::{Deserialize, Serialize};

use crate::{
    client::{self, ClientError},
    membership,
    storage::{self, Receipt},
};
use device::{item_storage_key, oldest_first, split_legacy_outbox, stored_items, ITEM_PREFIX};

/// Seconds between automatic retries after consecutive failures; the last one repeats.
const BACKOFF_SECONDS: [u64; 6] = [3, 10, 30, 60, 120, 300];

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutboxState {
    /// 待发送: waiting for a connection.
    Waiting,
    /// 发送中: this tab is sending it now (never stored: a tab that closes mid-send leaves it waiting).
    Sending,
    /// 需要修改: the server refused the content; the member must change it.
    NeedsFix,
}

impl OutboxState {
    /// The word shown to the member.
    pub fn label(self) -> &'static str {
        match self {
            OutboxState::Waiting => "待发送",
            OutboxState::Sending => "发送中",
            OutboxState::NeedsFix => "需要修改",
        }
    }
}

/// One submission on its way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub key: String,
    /// Only the plain form's fields: this outbox sends nothing else (the topics' forms have their own).
    #[serde(deserialize_with = "CreateSubmission::read_form")]
    pub request: CreateSubmission,
    pub state: OutboxState,
    /// Why the last attempt did not deliver it.
    #[serde(default)]
    pub message: Option<String>,
    /// The server's per-field messages, for `NeedsFix`.
    #[serde(default)]
    pub fields: FieldErrors,
    /// When it was put in the outbox (ms since 1970): items go, and are listed, oldest first.
    /// Written as a whole number: writing a float would bring float formatting into the form's bundle
    /// (kilobytes of wasm); read as a float, which takes the older items written `1764…000.0` too.
    #[serde(default, serialize_with = "whole_milliseconds")]
    pub queued_at: f64,
    /// The device would not store it: it lives only in this page, and survives other tabs' changes.
    #[serde(skip)]
    pub only_here: bool,
    /// A revision of a submission staff returned: sent again under its code and secret, not as new.
    #[serde(default)]
    pub revises: Option<Revises>,
}

/// The submission a revision replaces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revises {
    pub code: String,
    pub secret: String,
}

/// The outcome of putting a request in the outbox.
pub struct Queued {
    /// The item's key, to follow it.
    pub key: String,
    /// False when the device would not store it (storage full or off): it then lives only in this page.
    pub kept_on_device: bool,
}

/// The app-wide outbox, shared through context.
#[derive(Clone, Copy)]
pub struct Outbox {
    /// Every item on the device, oldest first, as last read from or written to storage.
    items: RwSignal<Vec<OutboxItem>>,
    /// The item this tab is sending now.
    sending: RwSignal<Option<String>>,
    /// Items delivered since the app started, by key: what a waiting page shows once its item is through.
    delivered: RwSignal<Vec<(String, Receipt)>>,
    /// Bumped when another tab changes the receipts, so lists of them read storage again.
    receipts_changed: Trigger,
    flushing: StoredValue<bool>,
    failures: StoredValue<usize>,
    timer: StoredValue<Option<TimeoutHandle>>,
}

impl Outbox {
    /// Loads what an earlier visit left waiting, provides the outbox as context, and starts delivering.
    pub fn provide() -> Self {
        split_legacy_outbox();
        let outbox = Self {
            items: RwSignal::new(stored_items()),
            sending: RwSignal::new(None),
            delivered: RwSignal::new(Vec::new()),
            receipts_changed: Trigger::new(),
            flushing: StoredValue::new(false),
            failures: StoredValue::new(0),
            timer: StoredValue::new(None),
        };
        provide_context(outbox);
        // Both listeners live as long as the app.
        std::mem::forget(window_event_listener(ev::online, move |_| {
            outbox.failures.set_value(0);
            outbox.flush();
        }));
        std::mem::forget(window_event_listener(ev::storage, move |event| {
            let key = event.key();
            // `None`: storage was cleared.
            if key
                .as_deref()
                .is_none_or(|key| key.starts_with(ITEM_PREFIX))
            {
                outbox.items.update(|items| {
                    let only_here = items.drain(..).filter(|item| item.only_here);
                    let mut merged: Vec<_> = only_here.collect();
                    merged.extend(stored_items());
                    oldest_first(&mut merged);
                    *items = merged;
                });
            }
            if key.as_deref().is_none_or(storage::is_receipt_key) {
                outbox.receipts_changed.notify();
            }
        }));
        outbox.flush();
        outbox
    }

    /// Every item, oldest first, with `Sending` for the one this tab is sending (reactive).
    pub fn items(&self) -> Vec<OutboxItem> {
        let sending = self.sending.get();
        let mut items = self.items.get();
        for item in &mut items {
            if Some(&item.key) == sending.as_ref() {
                item.state = OutboxState::Sending;
            }
        }
        items
    }

    /// The item with `key`, if it is still in the outbox (reactive).
    pub fn item(&self, key: &str) -> Option<OutboxItem> {
        let mut item = self
            .items
            .with(|items| items.iter().find(|item| item.key == key).cloned())?;
        if self.sending.with(|sending| sending.as_deref() == Some(key)) {
            item.state = OutboxState::Sending;
        }
        Some(item)
    }

    /// True when `key` waits behind a failed attempt or behind another item (reactive): the member
    /// should be told it is kept and will go later, rather than shown 正在提交.
    pub fn is_held_up(&self, key: &str) -> bool {
        let Some(item) = self.item(key) else {
            return false;
        };
        let other_sending = self
            .sending
            .with(|sending| sending.as_deref().is_some_and(|sending| sending != key));
        item.state == OutboxState::Waiting && (item.message.is_some() || other_sending)
    }

    /// The receipt of the item with `key`, once delivered during this visit (reactive).
    pub fn delivered(&self, key: &str) -> Option<Receipt> {
        self.delivered.with(|done| {
            done.iter()
                .find(|(done_key, _)| done_key == key)
                .map(|(_, receipt)| receipt.clone())
        })
    }

    /// Reads when receipts change, in this tab or another (reactive): a change means new receipts.
    pub fn track_receipts(&self) {
        self.delivered.track();
        self.receipts_changed.track();
    }

    /// Stores `request` on the device with a fresh idempotency key and starts sending it.
    pub fn submit(&self, request: CreateSubmission) -> Queued {
        self.queue(request, None)
    }

    /// Opens a returned submission for the member to revise: an item marked 需要修改 with staff's reason,
    /// which the form then fixes like any refused item. A revision already open is opened again.
    pub fn open_revision(
        &self,
        request: CreateSubmission,
        revises: Revises,
        reason: String,
    ) -> String {
        let open = self.items.with_untracked(|items| {
            items
                .iter()
                .find(|item| {
                    item.revises
                        .as_ref()
                        .is_some_and(|r| r.code == revises.code)
                })
                .map(|item| item.key.clone())
        });
        if let Some(key) = open {
            return key;
        }
        self.store(request, Some(revises), Some(reason)).key
    }

    fn queue(&self, request: CreateSubmission, revises: Option<Revises>) -> Queued {
        let queued = self.store(request, revises, None);
        self.failures.set_value(0);
        self.flush();
        queued
    }

    /// Puts a new item in the outbox and on the device: waiting to be sent, or, with a `refusal`,
    /// needing the member's fix first.
    fn store(
        &self,
        request: CreateSubmission,
        revises: Option<Revises>,
        refusal: Option<String>,
    ) -> Queued {
        let mut item = OutboxItem {
            key: storage::random_key(),
            request,
            state: if refusal.is_some() {
                OutboxState::NeedsFix
            } else {
                OutboxState::Waiting
            },
            message: refusal,
            fields: FieldErrors::new(),
            queued_at: js_sys::Date::now(),
            only_here: false,
            revises,
        };
        let key = item.key.clone();
        let kept_on_device = storage::save(&item.storage_key(), &item);
        item.only_here = !kept_on_device;
        self.items.update(|items| items.push(item));
        Queued {
            key,
            kept_on_device,
        }
    }

    /// Sends a fixed version of an item the server refused, under a new key (the server may have seen
    /// the old key with the old text). The new item is stored before the old one goes.
    pub fn resubmit(&self, old_key: &str, request: CreateSubmission) -> Queued {
        let revises = self.items.with_untracked(|items| {
            items
                .iter()
                .find(|item| item.key == old_key)?
                .revises
                .clone()
        });
        let queued = self.queue(request, revises);
        if queued.kept_on_device {
            self.remove(old_key);
        }
        queued
    }

    /// Keeps the member's edits to an item being fixed, as they type; false if the device would not.
    pub fn revise(&self, key: &str, request: CreateSubmission) -> bool {
        let mut kept = false;
        self.items.update(|items| {
            if let Some(item) = items.iter_mut().find(|item| item.key == key) {
                item.request = request;
                kept = storage::save(&item.storage_key(), item);
            }
        });
        kept
    }

    /// Removes an item: the member deleted it.
    pub fn remove(&self, key: &str) {
        storage::remove(&item_storage_key(key));
        self.items
            .update(|items| items.retain(|item| item.key != key));
    }

    /// Tries every waiting item now.
    pub fn flush(&self) {
        if self.flushing.get_value() {
            return;
        }
        if let Some(timer) = self.timer.get_value() {
            timer.clear();
            self.timer.set_value(None);
        }
        self.flushing.set_value(true);
        let outbox = *self;
        spawn_local(async move {
            outbox.deliver_waiting().await;
            outbox.sending.set(None);
            outbox.flushing.set_value(false);
        });
    }

    async fn deliver_waiting(self) {
        while let Some(item) = self.next_waiting() {
            self.sending.set(Some(item.key.clone()));
            let sent = match &item.revises {
                None => client::create_submission(&item.request, &item.key)
                    .await
                    .map(|created| (created.code, created.secret, created.submitted_at)),
                Some(revises) => {
                    client::resubmit_submission(&revises.code, &revises.secret, &item.request)
                        .await
                        .map(|view| (view.code, revises.secret.clone(), view.submitted_at))
                }
            };
            match sent {
                Ok((code, secret, submitted_at)) => {
                    let receipt = Receipt {
                        code,
                        secret,
                        title: item.request.title.trim().to_owned(),
                        submitted_at,
                    };
                    // A receipt the device cannot keep is still shown on the page that waits for it.
                    let _ = storage::remember(&receipt);
                    self.delivered
                        .update(|done| done.push((item.key.clone(), receipt)));
                    self.remove(&item.key);
                    self.failures.set_value(0);
                }
                Err(error) if !error.is_retryable() => {
                    if matches!(error, ClientError::Api { status: 401, .. }) {
                        // This device's session was ended: send again as a guest, with the details
                        // the form now shows for editing.
                        membership::forget_member();
                    }
                    let (message, fields) = match error {
                        ClientError::Api { body, .. } => (body.message, body.fields),
                        ClientError::Network => (error.message(), FieldErrors::new()),
                    };
                    self.record(&item.key, OutboxState::NeedsFix, Some(message), fields);
                }
                Err(error) => {
                    self.record(
                        &item.key,
                        OutboxState::Waiting,
                        Some(error.message()),
                        FieldErrors::new(),
                    );
                    self.retry_later();
                    return;
                }
            }
        }
    }

    fn next_waiting(&self) -> Option<OutboxItem> {
        self.items.with_untracked(|items| {
            items
                .iter()
                .find(|item| item.state == OutboxState::Waiting)
                .cloned()
        })
    }

    fn retry_later(&self) {
        let failures = self.failures.get_value();
        self.failures.set_value(failures + 1);
        let seconds = BACKOFF_SECONDS[failures.min(BACKOFF_SECONDS.len() - 1)];
        let outbox = *self;
        let timer =
            set_timeout_with_handle(move || outbox.flush(), Duration::from_secs(seconds)).ok();
        self.timer.set_value(timer);
    }

    /// Records how an attempt went, in this tab and on the device. An item another tab has meanwhile
    /// delivered or deleted is not written back.
    fn record(&self, key: &str, state: OutboxState, message: Option<String>, fields: FieldErrors) {
        self.items.update(|items| {
            let Some(item) = items.iter_mut().find(|item| item.key == key) else {
                return;
            };
            item.state = state;
            item.message = message;
            item.fields = fields;
            let storage_key = item.storage_key();
            if storage::contains(&storage_key) {
                let _ = storage::save(&storage_key, item);
            }
        });
    }
}

/// Writes `queued_at` as the whole number of milliseconds it always is (see `OutboxItem::queued_at`).
fn whole_milliseconds<S: serde::Serializer>(at: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(*at as u64)
}
