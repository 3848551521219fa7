//! The outbox for submissions with files. An item is stored before anything is sent: its text in
//! localStorage (`jianyan.outbox-files.<key>`, like `members::outbox` keeps its items), its files in
//! IndexedDB (`file_store`, keyed `<key>/<position>`). Then each file is uploaded, resuming from the
//! server's offset after a lost network or a reload (the upload ids are kept in the item as soon as the
//! server gives them), and last the submission is posted with the upload ids under the item's key as
//! idempotency key, so it is stored once however often the phone tries. Progress is a signal the page
//! reads. The same states as the plain outbox: waiting, sending, 需要修改 (the server refused the text or
//! a file; the message says what to fix).

use std::time::Duration;

use api::{upload::UploadId, CreateSubmission, FieldErrors};
use leptos::{ev, prelude::*, task::spawn_local};
use serde::{Deserialize, Serialize};

use super::file_store;
use crate::{
    client::{self, ClientError},
    storage::{self, Receipt},
};

/// Each item is stored under `jianyan.outbox-files.<key>`.
const ITEM_PREFIX: &str = "jianyan.outbox-files.";
/// Seconds between automatic retries after consecutive failures; the last one repeats.
const BACKOFF_SECONDS: [u64; 5] = [2, 5, 15, 60, 300];

/// Where an item stands (the words the plain outbox uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutboxState {
    /// 待发送: waiting for a connection.
    Waiting,
    /// 发送中: this tab is sending it now (never stored).
    Sending,
    /// 需要修改: the server refused the text or a file; the member must change it.
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

/// One file of an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    pub name: String,
    pub size: u64,
    /// The server's upload, once announced: a later attempt resumes it.
    #[serde(default)]
    pub upload: Option<UploadId>,
    /// All of it is on the server.
    #[serde(default)]
    pub done: bool,
}

/// A submission with files on its way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileOutboxItem {
    /// Also the submission's idempotency key.
    pub key: String,
    /// The submission; its `attachments` are filled in from the uploads when it is posted.
    pub request: CreateSubmission,
    pub files: Vec<FileEntry>,
    pub state: OutboxState,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub fields: FieldErrors,
    /// When it was put in the outbox, ms since 1970 (a whole number: no float code in the bundle).
    #[serde(default)]
    pub queued_at: u64,
}

/// How far one file is.
#[derive(Debug, Clone, PartialEq)]
pub struct FileProgress {
    pub name: String,
    pub size: u64,
    /// Bytes the server holds.
    pub sent: u64,
}

/// How far an item's files are: per file and in all.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FilesProgress {
    pub files: Vec<FileProgress>,
}

impl FilesProgress {
    pub fn sent(&self) -> u64 {
        self.files.iter().map(|file| file.sent).sum()
    }

    pub fn size(&self) -> u64 {
        self.files.iter().map(|file| file.size).sum()
    }

    /// 0 to 100.
    pub fn percent(&self) -> u32 {
        percent(self.sent(), self.size())
    }
}

/// `sent` of `size` in whole percent, 0 to 100.
pub fn percent(sent: u64, size: u64) -> u32 {
    if size == 0 {
        return 100;
    }
    ((sent.min(size) * 100) / size) as u32
}

/// The outbox for submissions with files, shared through context (`FileOutbox::provide` once per app).
#[derive(Clone, Copy)]
pub struct FileOutbox {
    items: RwSignal<Vec<FileOutboxItem>>,
    sending: RwSignal<Option<String>>,
    progress: RwSignal<Vec<(String, FilesProgress)>>,
    delivered: RwSignal<Vec<(String, Receipt)>>,
    /// Files of items this page put in, by item key: used when IndexedDB could not keep them.
    in_page: StoredValue<Vec<(String, Vec<web_sys::File>)>, LocalStorage>,
    flushing: StoredValue<bool>,
    failures: StoredValue<usize>,
    timer: StoredValue<Option<TimeoutHandle>>,
}

impl FileOutbox {
    /// Loads the items an earlier visit left, provides the outbox as context, and starts sending.
    pub fn provide() -> Self {
        let outbox = Self {
            items: RwSignal::new(stored_items()),
            sending: RwSignal::new(None),
            progress: RwSignal::new(Vec::new()),
            delivered: RwSignal::new(Vec::new()),
            in_page: StoredValue::new_local(Vec::new()),
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
            if event
                .key()
                .as_deref()
                .is_none_or(|key| key.starts_with(ITEM_PREFIX))
            {
                outbox.items.set(stored_items());
            }
        }));
        outbox.flush();
        outbox
    }

    /// The outbox provided by `provide`, if any.
    pub fn from_context() -> Option<Self> {
        use_context()
    }

    /// Stores `request` with `files` (text first, then the files) and starts sending; the item's key,
    /// to follow it with `item`, `progress` and `delivered`. The item shows at once.
    pub fn submit(&self, request: CreateSubmission, files: Vec<web_sys::File>) -> String {
        let key = storage::random_key();
        let item = FileOutboxItem {
            key: key.clone(),
            request,
            files: files
                .iter()
                .map(|file| FileEntry {
                    name: file.name(),
                    size: file.size() as u64,
                    upload: None,
                    done: false,
                })
                .collect(),
            state: OutboxState::Waiting,
            message: None,
            fields: FieldErrors::new(),
            queued_at: js_sys::Date::now() as u64,
        };
        let _ = storage::save(&item_storage_key(&key), &item);
        self.in_page
            .update_value(|kept| kept.push((key.clone(), files.clone())));
        self.items.update(|items| items.push(item));
        let outbox = *self;
        let item_key = key.clone();
        spawn_local(async move {
            for (position, file) in files.iter().enumerate() {
                // A file IndexedDB would not keep is still sent from this page while it stays open.
                let _ = file_store::keep(&file_store::file_key(&item_key, position), file).await;
            }
            outbox.failures.set_value(0);
            outbox.flush();
        });
        key
    }

    /// Every item, oldest first, with `Sending` for the one this tab is sending (reactive).
    pub fn items(&self) -> Vec<FileOutboxItem> {
        let sending = self.sending.get();
        let mut items = self.items.get();
        for item in &mut items {
            if Some(&item.key) == sending.as_ref() {
                item.state = OutboxState::Sending;
            }
        }
        items
    }

    /// The item with `key`, while it is in the outbox (reactive).
    pub fn item(&self, key: &str) -> Option<FileOutboxItem> {
        self.items().into_iter().find(|item| item.key == key)
    }

    /// How far the files of the item with `key` are (reactive): `None` before its first attempt.
    pub fn progress(&self, key: &str) -> Option<FilesProgress> {
        self.progress.with(|all| {
            all.iter()
                .find(|(done_key, _)| done_key == key)
                .map(|(_, progress)| progress.clone())
        })
    }

    /// The receipt of the item with `key`, once delivered during this visit (reactive).
    pub fn delivered(&self, key: &str) -> Option<Receipt> {
        self.delivered.with(|done| {
            done.iter()
                .find(|(done_key, _)| done_key == key)
                .map(|(_, receipt)| receipt.clone())
        })
    }

    /// Takes an item out (the member deleted it), with its files and the server's unfinished uploads.
    pub fn remove(&self, key: &str) {
        let item = self
            .items
            .with_untracked(|items| items.iter().find(|item| item.key == key).cloned());
        self.forget(key);
        if let Some(item) = item {
            spawn_local(async move {
                for upload in item.files.iter().filter_map(|file| file.upload.as_ref()) {
                    let _ = client::delete_upload(upload).await;
                }
            });
        }
    }

    /// Sends a fixed version of a refused item again, under its key, with the same files.
    pub fn resubmit(&self, key: &str, request: CreateSubmission) {
        self.items.update(|items| {
            if let Some(item) = items.iter_mut().find(|item| item.key == key) {
                item.request = request;
                item.state = OutboxState::Waiting;
                item.message = None;
                item.fields = FieldErrors::new();
                let _ = storage::save(&item_storage_key(key), item);
            }
        });
        self.failures.set_value(0);
        self.flush();
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
            match self.deliver(&item).await {
                Ok(receipt) => {
                    let _ = storage::remember(&receipt);
                    self.delivered
                        .update(|done| done.push((item.key.clone(), receipt)));
                    self.forget(&item.key);
                    self.failures.set_value(0);
                }
                Err(error) if !error.is_retryable() => {
                    let (message, fields) = match error {
                        ClientError::Api { body, .. } => (body.message, body.fields),
                        ClientError::Network => (error.message(), FieldErrors::new()),
                    };
                    self.record(&item.key, |item| {
                        item.state = OutboxState::NeedsFix;
                        item.message = Some(message);
                        item.fields = fields;
                    });
                }
                Err(error) => {
                    let message = error.message();
                    self.record(&item.key, |item| item.message = Some(message));
                    self.retry_later();
                    return;
                }
            }
        }
    }

    /// Uploads the item's files that are not on the server yet, then posts the submission.
    async fn deliver(&self, item: &FileOutboxItem) -> Result<Receipt, ClientError> {
        let key = item.key.clone();
        self.set_progress(
            &key,
            FilesProgress {
                files: item
                    .files
                    .iter()
                    .map(|file| FileProgress {
                        name: file.name.clone(),
                        size: file.size,
                        sent: if file.done { file.size } else { 0 },
                    })
                    .collect(),
            },
        );
        let mut ids = Vec::with_capacity(item.files.len());
        for (position, entry) in item.files.iter().enumerate() {
            if let (true, Some(id)) = (entry.done, &entry.upload) {
                ids.push(id.0.clone());
                continue;
            }
            let Some(file) = self.file(&key, position).await else {
                return Err(missing_file(&entry.name));
            };
            let outbox = *self;
            let created_key = key.clone();
            let progress_key = key.clone();
            let state = client::send_file(
                &file,
                &entry.name,
                entry.upload.clone(),
                move |id| {
                    let id = id.clone();
                    outbox.record(&created_key, |item| {
                        item.files[position].upload = Some(id);
                        item.files[position].done = false;
                    });
                },
                move |sent, _| {
                    outbox.progress.update(|all| {
                        if let Some((_, progress)) = all
                            .iter_mut()
                            .find(|(done_key, _)| *done_key == progress_key)
                        {
                            if let Some(file) = progress.files.get_mut(position) {
                                file.sent = sent;
                            }
                        }
                    });
                },
            )
            .await?;
            self.record(&key, |item| {
                item.files[position].upload = Some(state.id.clone());
                item.files[position].done = true;
            });
            ids.push(state.id.0);
        }
        let mut request = item.request.clone();
        request.attachments = ids;
        let created = client::create_submission(&request, &key).await?;
        Ok(Receipt {
            code: created.code,
            secret: created.secret,
            title: request.title.trim().to_owned(),
            submitted_at: created.submitted_at,
        })
    }

    /// The file at `position` of item `key`: from this page if it put the item in, else from IndexedDB.
    async fn file(&self, key: &str, position: usize) -> Option<web_sys::Blob> {
        let in_page = self.in_page.with_value(|kept| {
            kept.iter()
                .find(|(kept_key, _)| kept_key == key)
                .and_then(|(_, files)| files.get(position).cloned())
        });
        match in_page {
            Some(file) => Some(file.into()),
            None => file_store::load(&file_store::file_key(key, position)).await,
        }
    }

    fn set_progress(&self, key: &str, progress: FilesProgress) {
        self.progress.update(|all| {
            all.retain(|(done_key, _)| done_key != key);
            all.push((key.to_owned(), progress));
        });
    }

    fn next_waiting(&self) -> Option<FileOutboxItem> {
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

    /// Changes the item with `key` in this tab and on the device (unless another tab took it out).
    fn record(&self, key: &str, change: impl FnOnce(&mut FileOutboxItem)) {
        self.items.update(|items| {
            let Some(item) = items.iter_mut().find(|item| item.key == key) else {
                return;
            };
            change(item);
            let storage_key = item_storage_key(key);
            if storage::contains(&storage_key) {
                let _ = storage::save(&storage_key, item);
            }
        });
    }

    fn forget(&self, key: &str) {
        let count = self.items.with_untracked(|items| {
            items
                .iter()
                .find(|item| item.key == key)
                .map_or(0, |item| item.files.len())
        });
        storage::remove(&item_storage_key(key));
        self.items
            .update(|items| items.retain(|item| item.key != key));
        self.in_page
            .update_value(|kept| kept.retain(|(kept_key, _)| kept_key != key));
        let key = key.to_owned();
        spawn_local(async move { file_store::forget(&key, count).await });
    }
}

fn missing_file(name: &str) -> ClientError {
    ClientError::Api {
        status: 410,
        body: api::ErrorBody::new(format!(
            "文件“{name}”已不在本机（浏览器清除了保存的文件），请删除这条记录后重新选择文件提交"
        )),
    }
}

fn item_storage_key(key: &str) -> String {
    format!("{ITEM_PREFIX}{key}")
}

fn stored_items() -> Vec<FileOutboxItem> {
    let mut items: Vec<FileOutboxItem> = storage::keys_with_prefix(ITEM_PREFIX)
        .iter()
        .filter_map(|key| storage::load(key))
        .collect();
    for item in &mut items {
        if item.state == OutboxState::Sending {
            item.state = OutboxState::Waiting;
        }
    }
    storage::sort_small(&mut items, |a, b| a.queued_at < b.queued_at);
    items
}
