//! The submission form's state: one signal per field, and the drafts it is kept in on the device.

use api::{CreateSubmission, SubmissionKind, UnitId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    membership::{self, PROFILE_KEY},
    storage,
};

const DRAFT_KEY: &str = "jianyan.draft.submission";
/// The key of the outbox item the form is fixing (see `pages::submit`).
const FIXING_KEY: &str = "jianyan.draft.fixing";

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
    /// A form filled from the saved draft, or else from the remembered profile; true if from a draft.
    pub fn restore() -> (Self, bool) {
        let form = Self {
            kind: RwSignal::new(SubmissionKind::default()),
            title: RwSignal::new(String::new()),
            body: RwSignal::new(String::new()),
            unit_id: RwSignal::new(None),
            name: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            cosigners: RwSignal::new(String::new()),
        };
        let restored = form.load_draft();
        (form, restored)
    }

    /// Fills the form with the saved draft, or else with the remembered profile; true if from a draft.
    pub fn load_draft(&self) -> bool {
        let draft: Option<Draft> = storage::load(DRAFT_KEY);
        let restored = draft.is_some();
        let mut draft = draft.unwrap_or_else(|| {
            // Who the member is, remembered after a successful submission so the next one is quicker.
            // Kept in a `Draft` (only unit, name and phone filled), which reads an earlier release's
            // `{unit_id, name, phone}` as well: one shape to decode is less wasm on every phone.
            let profile: Draft = storage::load(PROFILE_KEY).unwrap_or_default();
            Draft {
                unit_id: profile.unit_id,
                name: profile.name,
                phone: profile.phone,
                ..Draft::default()
            }
        });
        if membership::joined().is_some() {
            // A joined device sends what the roster says, whatever a draft from before it joined held
            // (the server takes the roster's details in any case).
            if let Some(profile) = storage::load::<Draft>(PROFILE_KEY) {
                (draft.unit_id, draft.name, draft.phone) =
                    (profile.unit_id, profile.name, profile.phone);
            }
        }
        self.set(draft);
        restored
    }

    /// Fills the form with a request sent earlier (an outbox item being fixed).
    pub fn fill(&self, request: &CreateSubmission) {
        self.set(Draft {
            kind: request.kind,
            title: request.title.clone(),
            body: request.body.clone(),
            unit_id: request.unit_id,
            name: request.name.clone(),
            phone: request.phone.clone(),
            cosigners: request.cosigners.join("、"),
        });
    }

    fn set(&self, draft: Draft) {
        self.kind.set(draft.kind);
        self.title.set(draft.title);
        self.body.set(draft.body);
        self.unit_id.set(draft.unit_id);
        self.name.set(draft.name);
        self.phone.set(draft.phone);
        self.cosigners.set(draft.cosigners);
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

    /// Saves what is typed now as the draft; true when a draft is kept. Reactive, so calling it in an
    /// effect saves on every keystroke.
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

    /// Empties what the member wrote, keeping who they are; the stored draft is not touched.
    pub fn clear_writing(&self) {
        self.title.set(String::new());
        self.body.set(String::new());
        self.cosigners.set(String::new());
        self.kind.set(SubmissionKind::default());
    }

    /// Remembers who sent the last submission, so the next form starts with it.
    pub fn remember_profile(&self) {
        // Only a convenience: a device that will not keep it asks again next time.
        let _ = storage::save(
            PROFILE_KEY,
            &Draft {
                unit_id: self.unit_id.get_untracked(),
                name: self.name.get_untracked(),
                phone: self.phone.get_untracked(),
                ..Draft::default()
            },
        );
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
            ..Default::default()
        }
    }
}

/// The outbox item the form is fixing, if the member was fixing one (kept across reloads).
pub fn fixing() -> Option<String> {
    storage::load(FIXING_KEY)
}

/// Sets or clears the outbox item the form is fixing.
pub fn set_fixing(key: Option<&str>) {
    match key {
        Some(key) => {
            // Without it a reload opens the plain draft; the item itself stays in 我的提交 to fix.
            let _ = storage::save(FIXING_KEY, &key);
        }
        None => storage::remove(FIXING_KEY),
    }
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
