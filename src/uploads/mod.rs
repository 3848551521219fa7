//! Sending submissions with files, for the member bundles that offer attachments (/topics/): the files'
//! IndexedDB keeping (`file_store`) and the outbox that uploads them and then posts the submission
//! (`FileOutbox`). Kept apart from `members::outbox` so the members' main bundle carries none of it.

pub mod file_store;
mod outbox;

pub use outbox::{
    percent, FileEntry, FileOutbox, FileOutboxItem, FileProgress, FilesProgress, OutboxState,
};

pub use crate::components::attachment_picker::{AttachmentPicker, ChosenFile, ChosenFiles};
