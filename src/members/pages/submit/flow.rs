//! The submit page's flow: its states, the events that move it, and the one function that does.

use api::{validation::FIX_FIELDS_MESSAGE, FieldErrors};
use leptos::prelude::*;

use super::{focus_first_invalid, form, FieldMessages, NOT_KEPT_MESSAGE};
use crate::{
    members::outbox::{Outbox, OutboxItem, OutboxState},
    storage::Receipt,
};

/// Where the page's submission stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Flow {
    /// The member fills in a new submission; the words are kept in the draft.
    Editing,
    /// The member fixes an outbox item the server refused; the words are kept in that item.
    Fixing { key: String },
    /// Handed to the outbox; the form stays on screen, locked, until the first attempt answers.
    /// `draft_is_copy`: the device would not store the outbox item, so the draft stays as the only copy
    /// that survives a closed tab, and the page stays here (locked) until the server has it.
    Sending { key: String, draft_is_copy: bool },
    /// The attempt did not get through (or waits its turn): the outbox keeps every word and retries,
    /// and the form is free for the next one.
    Queued { key: String },
    /// The server has it.
    Done { receipt: Receipt },
}

/// What can happen to the page.
// `Refused` is the large one; events are few and short-lived (and smaller on wasm32).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Event {
    /// The page opens: it resumes fixing an item if the member was, else edits the draft.
    Opened,
    /// The member taps 提交.
    Submit,
    /// The outbox delivered the item being sent.
    Delivered(Receipt),
    /// The item being sent waits: a retryable failure, or another item goes first.
    HeldUp,
    /// The server refused the item being sent; it is now 需要修改 in the outbox.
    Refused(OutboxItem),
    /// The item being sent left the outbox without a receipt here (deleted, or delivered by another tab).
    Removed,
    /// The member starts a new submission (再提交一条, 填写下一条, 先填写新的建言).
    StartAgain,
    /// The member clears the draft (清除草稿), after confirming.
    DiscardDraft,
}

/// The page's state and what the flow acts on.
#[derive(Clone, Copy)]
pub struct Page {
    pub flow: RwSignal<Flow>,
    pub form: form::SubmissionForm,
    pub messages: FieldMessages,
    /// The message above the 提交 button.
    pub failure: RwSignal<Option<String>>,
    pub outbox: Outbox,
}

impl Page {
    /// Moves the flow on `event`. The only place the flow changes.
    pub fn handle(&self, event: Event) {
        let current = self.flow.get_untracked();
        let next = match (current.clone(), event) {
            (_, Event::Opened) => self.open(),
            (Flow::Editing, Event::Submit) => self.submit(None),
            (Flow::Fixing { key }, Event::Submit) => self.submit(Some(key)),
            (Flow::Sending { draft_is_copy, .. }, Event::Delivered(receipt)) => {
                if draft_is_copy {
                    self.form.forget_draft();
                }
                self.form.remember_profile();
                self.form.clear_writing();
                Flow::Done { receipt }
            }
            (Flow::Queued { .. }, Event::Delivered(receipt)) => {
                self.form.remember_profile();
                self.form.clear_writing();
                Flow::Done { receipt }
            }
            (
                Flow::Sending {
                    key,
                    draft_is_copy: false,
                },
                Event::HeldUp,
            ) => {
                // The outbox holds every word now; the form is free for the next one.
                self.form.clear_writing();
                Flow::Queued { key }
            }
            (Flow::Sending { .. } | Flow::Queued { .. }, Event::Refused(item)) => {
                self.fix(item);
                return;
            }
            (Flow::Sending { .. } | Flow::Queued { .. }, Event::Removed)
            | (Flow::Done { .. } | Flow::Queued { .. } | Flow::Fixing { .. }, Event::StartAgain) => {
                form::set_fixing(None);
                self.edit_draft()
            }
            (Flow::Editing, Event::DiscardDraft) => {
                self.form.forget_draft();
                self.form.clear_writing();
                self.messages.reset();
                self.failure.set(None);
                Flow::Editing
            }
            // Anything else does not apply to where the page is (e.g. a second tap while sending).
            (current, _) => current,
        };
        // Setting an unchanged flow would wake the effects that feed events in, for nothing (or forever).
        if next != current {
            self.flow.set(next);
        }
    }

    /// Resumes fixing the item the member was fixing, if it still needs it; else the draft.
    fn open(&self) -> Flow {
        let fixing = form::fixing().and_then(|key| self.outbox.item(&key));
        match fixing {
            Some(item) if item.state == OutboxState::NeedsFix => {
                self.show_refusal(&item);
                Flow::Fixing { key: item.key }
            }
            _ => {
                form::set_fixing(None);
                Flow::Editing
            }
        }
    }

    fn edit_draft(&self) -> Flow {
        self.form.load_draft();
        self.messages.reset();
        self.failure.set(None);
        Flow::Editing
    }

    /// Hands the form to the outbox (a fixed item replaces the refused one), if the rules allow it.
    fn submit(&self, fixing: Option<String>) -> Flow {
        self.messages.attempted.set(true);
        let current = match &fixing {
            Some(key) => Flow::Fixing { key: key.clone() },
            None => Flow::Editing,
        };
        if !self.messages.client.with_untracked(FieldErrors::is_empty) {
            self.failure.set(Some(FIX_FIELDS_MESSAGE.into()));
            focus_first_invalid();
            return current;
        }
        let request = untrack(|| self.form.request());
        let queued = match &fixing {
            Some(old) => self.outbox.resubmit(old, request),
            None => self.outbox.submit(request),
        };
        if queued.kept_on_device {
            self.failure.set(None);
            // The outbox keeps the words now: the draft would only invite a second copy.
            match fixing {
                Some(_) => form::set_fixing(None),
                None => self.form.forget_draft(),
            }
        } else {
            self.failure.set(Some(NOT_KEPT_MESSAGE.into()));
        }
        Flow::Sending {
            key: queued.key,
            draft_is_copy: !queued.kept_on_device,
        }
    }

    /// Brings a refused item back into the form with the server's messages; it stays in the outbox,
    /// and every edit is kept in it, until it is sent again or the member deletes it.
    fn fix(&self, item: OutboxItem) {
        form::set_fixing(Some(&item.key));
        self.show_refusal(&item);
        self.flow.set(Flow::Fixing { key: item.key });
    }

    fn show_refusal(&self, item: &OutboxItem) {
        self.form.fill(&item.request);
        self.messages.attempted.set(true);
        self.messages.server.set(item.fields.clone());
        self.messages
            .server_about
            .set_value(Some(item.request.clone()));
        self.failure.set(item.message.clone());
        focus_first_invalid();
    }
}
