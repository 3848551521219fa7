//! The survey-response outbox: a response leaves the phone through here, exactly once.
//!
//! As in the members' outbox (src/members/outbox.rs): the response is stored on the device with a
//! client-generated idempotency key before the first attempt, and stays until the server confirms it or
//! the member gives it up. Failures a retry can fix wait for the network (the `online` event, a backoff
//! timer, or the app's next start) and reuse the key, so the server records one response however often
//! the phone tries; a refusal (422: what to fix, 409: answered already, closed) marks it 需要修改 with the
//! server's words. Each item is its own localStorage entry (`jianyan.survey-outbox.<key>`).

use std::time::Duration;

use api::{
    survey::{Answer, SubmitResponse},
    FieldErrors,
};
use leptos::{ev, prelude::*, task::spawn_local};
use serde::{Deserialize, Serialize};

use crate::{
    client::{self, ClientError, SurveyRef},
    storage,
};

const ITEM_PREFIX: &str = "jianyan.survey-outbox.";
/// Seconds between automatic retries after consecutive failures; the last one repeats.
const BACKOFF_SECONDS: [u64; 5] = [3, 10, 30, 60, 120];

/// One response on its way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingResponse {
    /// The idempotency key.
    pub key: String,
    pub survey: SurveyRef,
    /// The survey's title, for lists.
    pub title: String,
    pub answers: Vec<Answer>,
    /// True once the server refused it: the member must change it (or give it up).
    pub refused: bool,
    /// Why the last attempt did not deliver it.
    #[serde(default)]
    pub message: Option<String>,
    /// The server's per-question messages (`q{id}`), when refused.
    #[serde(default)]
    pub fields: FieldErrors,
    #[serde(default)]
    pub queued_at: f64,
}

/// The outbox, shared through context.
#[derive(Clone, Copy)]
pub struct SurveyOutbox {
    items: RwSignal<Vec<PendingResponse>>,
    sending: RwSignal<Option<String>>,
    /// The server's thanks for responses delivered during this visit, by survey.
    delivered: RwSignal<Vec<(SurveyRef, String)>>,
    flushing: StoredValue<bool>,
    failures: StoredValue<usize>,
    timer: StoredValue<Option<TimeoutHandle>>,
}

fn stored_items() -> Vec<PendingResponse> {
    let mut items: Vec<PendingResponse> = storage::keys_with_prefix(ITEM_PREFIX)
        .iter()
        .filter_map(|key| storage::load(key))
        .collect();
    storage::sort_small(&mut items, |a, b| a.queued_at < b.queued_at);
    items
}

impl SurveyOutbox {
    /// Loads what an earlier visit left, provides the outbox as context, and starts delivering.
    pub fn provide() -> Self {
        let outbox = Self {
            items: RwSignal::new(stored_items()),
            sending: RwSignal::new(None),
            delivered: RwSignal::new(Vec::new()),
            flushing: StoredValue::new(false),
            failures: StoredValue::new(0),
            timer: StoredValue::new(None),
        };
        provide_context(outbox);
        std::mem::forget(window_event_listener(ev::online, move |_| {
            outbox.failures.set_value(0);
            outbox.flush();
        }));
        std::mem::forget(window_event_listener(ev::storage, move |event| {
            if event.key().is_none_or(|key| key.starts_with(ITEM_PREFIX)) {
                outbox.items.set(stored_items());
            }
        }));
        outbox.flush();
        outbox
    }

    /// The response waiting (or refused) for `survey`, if any (reactive).
    pub fn pending(&self, survey: &SurveyRef) -> Option<PendingResponse> {
        self.items
            .with(|items| items.iter().find(|item| &item.survey == survey).cloned())
    }

    /// True while this tab is sending `key` (reactive).
    pub fn is_sending(&self, key: &str) -> bool {
        self.sending.with(|s| s.as_deref() == Some(key))
    }

    /// The server's thanks, when the response to `survey` went through during this visit (reactive).
    pub fn delivered(&self, survey: &SurveyRef) -> Option<String> {
        self.delivered.with(|done| {
            done.iter()
                .find(|(done, _)| done == survey)
                .map(|(_, message)| message.clone())
        })
    }

    /// Stores a response under a fresh key, replacing one waiting or refused for the same survey, and
    /// starts sending it. False when the device would not store it (it is still sent from this page).
    pub fn send(&self, survey: SurveyRef, title: String, answers: Vec<Answer>) -> bool {
        if let Some(old) = self.pending(&survey) {
            self.remove(&old.key);
        }
        let item = PendingResponse {
            key: storage::random_key(),
            survey,
            title,
            answers,
            refused: false,
            message: None,
            fields: FieldErrors::new(),
            queued_at: js_sys::Date::now(),
        };
        let kept = storage::save(&format!("{ITEM_PREFIX}{}", item.key), &item);
        self.items.update(|items| items.push(item));
        self.failures.set_value(0);
        self.flush();
        kept
    }

    /// Gives up a response (the member chose to).
    pub fn remove(&self, key: &str) {
        storage::remove(&format!("{ITEM_PREFIX}{key}"));
        self.items
            .update(|items| items.retain(|item| item.key != key));
    }

    /// Tries every waiting response now.
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
        while let Some(item) = self
            .items
            .with_untracked(|items| items.iter().find(|item| !item.refused).cloned())
        {
            self.sending.set(Some(item.key.clone()));
            let body = SubmitResponse {
                answers: item.answers.clone(),
            };
            match client::send_response(&item.survey, &body, &item.key).await {
                Ok(recorded) => {
                    self.remove(&item.key);
                    self.delivered
                        .update(|done| done.push((item.survey.clone(), recorded.message)));
                    self.failures.set_value(0);
                }
                Err(error) if !error.is_retryable() => {
                    let (message, fields) = match error {
                        ClientError::Api { body, .. } => (body.message, body.fields),
                        ClientError::Network => (error.message(), FieldErrors::new()),
                    };
                    self.record(&item.key, true, Some(message), fields);
                }
                Err(error) => {
                    self.record(&item.key, false, Some(error.message()), FieldErrors::new());
                    let failures = self.failures.get_value();
                    self.failures.set_value(failures + 1);
                    let seconds = BACKOFF_SECONDS[failures.min(BACKOFF_SECONDS.len() - 1)];
                    let outbox = self;
                    let timer = set_timeout_with_handle(
                        move || outbox.flush(),
                        Duration::from_secs(seconds),
                    )
                    .ok();
                    self.timer.set_value(timer);
                    return;
                }
            }
        }
    }

    fn record(&self, key: &str, refused: bool, message: Option<String>, fields: FieldErrors) {
        self.items.update(|items| {
            let Some(item) = items.iter_mut().find(|item| item.key == key) else {
                return;
            };
            item.refused = refused;
            item.message = message;
            item.fields = fields;
            let storage_key = format!("{ITEM_PREFIX}{key}");
            if storage::contains(&storage_key) {
                let _ = storage::save(&storage_key, item);
            }
        });
    }
}
