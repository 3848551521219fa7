//! The outbox: every submission leaves the device through here, exactly once.
//!
//! A request is stored on the device with a client-generated idempotency key before the first attempt,
//! and stays until the server confirms it (201) or the member removes it. Failures a retry can fix wait
//! for the network to come back (the `online` event, a backoff timer, or the app's next start); a 4xx
//! that needs the member's hand is marked for them to fix. Retries reuse the key, so the server stores
//! each submission once however often the phone tries.

use std::time::Duration;

use api::{CreateSubmission, FieldErrors};
use leptos::{ev, prelude::*, task::spawn_local};
use serde::{Deserialize, Serialize};

use crate::{
    client::{self, ClientError},
    storage::{self, Receipt},
};

const OUTBOX_KEY: &str = "jianyan.outbox";
/// Seconds between automatic retries after consecutive failures; the last one repeats.
const BACKOFF_SECONDS: [u64; 6] = [3, 10, 30, 60, 120, 300];

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutboxState {
    /// 待发送: waiting for a connection.
    Waiting,
    /// 发送中.
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
    pub request: CreateSubmission,
    pub state: OutboxState,
    /// Why the last attempt did not deliver it.
    #[serde(default)]
    pub message: Option<String>,
    /// The server's per-field messages, for `NeedsFix`.
    #[serde(default)]
    pub fields: FieldErrors,
}

/// The app-wide outbox, shared through context.
#[derive(Clone, Copy)]
pub struct Outbox {
    items: RwSignal<Vec<OutboxItem>>,
    /// Items delivered since the app started, by key: what a waiting page shows once its item is through.
    delivered: RwSignal<Vec<(String, Receipt)>>,
    flushing: StoredValue<bool>,
    failures: StoredValue<usize>,
    timer: StoredValue<Option<TimeoutHandle>>,
}

impl Outbox {
    /// Loads what an earlier visit left waiting, provides the outbox as context, and starts delivering.
    pub fn provide() -> Self {
        let mut items: Vec<OutboxItem> = storage::load(OUTBOX_KEY).unwrap_or_default();
        // A send cut short by a closed tab is simply waiting again.
        for item in &mut items {
            if item.state == OutboxState::Sending {
                item.state = OutboxState::Waiting;
            }
        }
        let outbox = Self {
            items: RwSignal::new(items),
            delivered: RwSignal::new(Vec::new()),
            flushing: StoredValue::new(false),
            failures: StoredValue::new(0),
            timer: StoredValue::new(None),
        };
        provide_context(outbox);
        let handle = window_event_listener(ev::online, move |_| {
            outbox.failures.set_value(0);
            outbox.flush();
        });
        // The listener lives as long as the app.
        std::mem::forget(handle);
        outbox.flush();
        outbox
    }

    /// Every item, oldest first (reactive).
    pub fn items(&self) -> Vec<OutboxItem> {
        self.items.get()
    }

    /// The state of the item with `key`, if it is still in the outbox (reactive).
    pub fn state(&self, key: &str) -> Option<OutboxItem> {
        self.items
            .with(|items| items.iter().find(|item| item.key == key).cloned())
    }

    /// The receipt of the item with `key`, once delivered during this visit (reactive).
    pub fn delivered(&self, key: &str) -> Option<Receipt> {
        self.delivered.with(|done| {
            done.iter()
                .find(|(done_key, _)| done_key == key)
                .map(|(_, receipt)| receipt.clone())
        })
    }

    /// How many items were delivered during this visit (reactive): a change means new receipts.
    pub fn delivered_count(&self) -> usize {
        self.delivered.with(Vec::len)
    }

    /// Stores `request` on the device with a fresh idempotency key and starts sending it.
    pub fn submit(&self, request: CreateSubmission) -> String {
        let key = storage::random_key();
        self.update(|items| {
            items.push(OutboxItem {
                key: key.clone(),
                request,
                state: OutboxState::Waiting,
                message: None,
                fields: FieldErrors::new(),
            })
        });
        self.failures.set_value(0);
        self.flush();
        key
    }

    /// Takes an item out (the member removes it, or takes it back into the form to fix).
    pub fn take(&self, key: &str) -> Option<OutboxItem> {
        let item = self.state(key);
        self.update(|items| items.retain(|item| item.key != key));
        item
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
            outbox.flushing.set_value(false);
        });
    }

    async fn deliver_waiting(self) {
        while let Some(item) = self.next_waiting() {
            self.set_state(&item.key, OutboxState::Sending, None, FieldErrors::new());
            match client::create_submission(&item.request, &item.key).await {
                Ok(created) => {
                    let receipt = Receipt {
                        code: created.code,
                        secret: created.secret,
                        title: item.request.title.trim().to_owned(),
                        submitted_at: created.submitted_at,
                    };
                    storage::remember(receipt.clone());
                    self.delivered
                        .update(|done| done.push((item.key.clone(), receipt)));
                    self.update(|items| items.retain(|i| i.key != item.key));
                    self.failures.set_value(0);
                }
                Err(ClientError::Api { status, body }) if !client::retryable_status(status) => {
                    self.set_state(
                        &item.key,
                        OutboxState::NeedsFix,
                        Some(body.message),
                        body.fields,
                    );
                }
                Err(error) => {
                    self.set_state(
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

    fn set_state(
        &self,
        key: &str,
        state: OutboxState,
        message: Option<String>,
        fields: FieldErrors,
    ) {
        self.update(|items| {
            if let Some(item) = items.iter_mut().find(|item| item.key == key) {
                item.state = state;
                item.message = message;
                item.fields = fields;
            }
        });
    }

    /// Changes the items and writes them to the device at once, so a closed tab loses nothing.
    fn update(&self, change: impl FnOnce(&mut Vec<OutboxItem>)) {
        self.items.update(|items| {
            change(items);
            if items.is_empty() {
                storage::remove(OUTBOX_KEY);
            } else {
                storage::save(OUTBOX_KEY, items);
            }
        });
    }
}
