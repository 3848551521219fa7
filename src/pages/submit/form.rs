//! The submission form's state: one signal per field, kept as a draft on the device as the member types.

use api::{CreateSubmission, FieldErrors, SubmissionKind, UnitId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::storage;

const DRAFT_KEY: &str = "jianyan.draft.submission";
const PROFILE_KEY: &str = "jianyan.profile";
/// The server's field messages for a draft taken back from the outbox to be fixed.
const SERVER_MESSAGES_KEY: &str = "jianyan.draft.messages";

/// What was typed, as stored between visits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct Draft {
    kind: SubmissionKind,
    title: String,
    body: String,
    unit_id: Option<UnitId>,
    name: String,
    phone: String,
    cosigners: String,
}

/// Who the member is, remembered after a successful submission so the next one is quicker.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
struct Profile {
    unit_id: Option<UnitId>,
    name: String,
    phone: String,
}

/// The form's fields, each a signal.
#[derive(Clone, Copy)]
pub struct SubmissionForm {
    pub kind: RwSignal<SubmissionKind>,
    pub title: RwSignal<String>,
    pub body: RwSignal<String>,
    pub unit_id: RwSignal<Option<UnitId>>,
    pub name: RwSignal<String>,
    pub phone: RwSignal<String>,
    /// Names as typed, separated by 、，, or spaces.
    pub cosigners: RwSignal<String>,
}

impl SubmissionForm {
    /// A form filled from the saved draft, or else from the remembered profile.
    pub fn restore() -> (Self, bool) {
        let draft: Option<Draft> = storage::load(DRAFT_KEY);
        let restored = draft.is_some();
        let draft = draft.unwrap_or_else(|| {
            let profile: Profile = storage::load(PROFILE_KEY).unwrap_or_default();
            Draft {
                unit_id: profile.unit_id,
                name: profile.name,
                phone: profile.phone,
                ..Draft::default()
            }
        });
        let form = Self {
            kind: RwSignal::new(draft.kind),
            title: RwSignal::new(draft.title),
            body: RwSignal::new(draft.body),
            unit_id: RwSignal::new(draft.unit_id),
            name: RwSignal::new(draft.name),
            phone: RwSignal::new(draft.phone),
            cosigners: RwSignal::new(draft.cosigners),
        };
        (form, restored)
    }

    fn draft(&self) -> Draft {
        Draft {
            kind: self.kind.get(),
            title: self.title.get(),
            body: self.body.get(),
            unit_id: self.unit_id.get(),
            name: self.name.get(),
            phone: self.phone.get(),
            cosigners: self.cosigners.get(),
        }
    }

    /// True when the member has written something of their own (not just the remembered profile).
    pub fn has_writing(&self) -> bool {
        self.title.with(|t| !t.trim().is_empty())
            || self.body.with(|b| !b.trim().is_empty())
            || self.cosigners.with(|c| !c.trim().is_empty())
    }

    /// Saves what is typed now; reactive, so calling it in an effect saves on every keystroke.
    pub fn save_draft(&self) -> bool {
        let draft = self.draft();
        if self.has_writing() {
            storage::save(DRAFT_KEY, &draft)
        } else {
            storage::remove(DRAFT_KEY);
            false
        }
    }

    /// Forgets the stored draft but leaves the form as it is.
    pub fn forget_draft(&self) {
        storage::remove(DRAFT_KEY);
    }

    /// Forgets the draft and empties what the member wrote, keeping who they are.
    pub fn discard_draft(&self) {
        self.forget_draft();
        self.title.set(String::new());
        self.body.set(String::new());
        self.cosigners.set(String::new());
        self.kind.set(SubmissionKind::default());
    }

    /// After the server has the submission: the draft goes, the member's details stay for next time.
    pub fn finish(&self) {
        storage::save(
            PROFILE_KEY,
            &Profile {
                unit_id: self.unit_id.get_untracked(),
                name: self.name.get_untracked(),
                phone: self.phone.get_untracked(),
            },
        );
        self.discard_draft();
    }

    /// The request the form stands for now.
    pub fn request(&self) -> CreateSubmission {
        CreateSubmission {
            kind: self.kind.get(),
            title: self.title.get(),
            body: self.body.get(),
            unit_id: self.unit_id.get(),
            name: self.name.get(),
            phone: self.phone.get(),
            cosigners: split_names(&self.cosigners.get()),
        }
    }
}

/// Puts a request the server refused back into the draft, with the server's messages, for the form to open.
pub fn reopen_for_fixing(request: &CreateSubmission, messages: &FieldErrors) {
    let draft = Draft {
        kind: request.kind,
        title: request.title.clone(),
        body: request.body.clone(),
        unit_id: request.unit_id,
        name: request.name.clone(),
        phone: request.phone.clone(),
        cosigners: request.cosigners.join("、"),
    };
    storage::save(DRAFT_KEY, &draft);
    storage::save(SERVER_MESSAGES_KEY, messages);
}

/// The server's messages left by `reopen_for_fixing`, once.
pub fn take_server_messages() -> FieldErrors {
    let messages = storage::load(SERVER_MESSAGES_KEY).unwrap_or_default();
    storage::remove(SERVER_MESSAGES_KEY);
    messages
}

/// Co-signers are typed in one box; members separate names with whatever their keyboard offers.
fn split_names(text: &str) -> Vec<String> {
    text.split(|c: char| matches!(c, ',' | '，' | '、' | ';' | '；') || c.is_whitespace())
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::split_names;

    #[test]
    fn co_signer_names_split_on_chinese_and_ascii_separators() {
        assert_eq!(
            split_names("李红、赵强，王芳 陈明;周亮"),
            ["李红", "赵强", "王芳", "陈明", "周亮"]
        );
        assert!(split_names(" 、 ").is_empty());
    }
}
