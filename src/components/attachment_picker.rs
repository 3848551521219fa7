//! `AttachmentPicker`: the member chooses files for a submission. Each file is checked in the browser
//! before anything is sent (kind by extension, size, count: `api::upload::UploadLimits::check_file`, the
//! server's own words), listed with its size, and can be removed. While the outbox sends, the list shows
//! each file's progress and the total (`progress`, from `FileOutbox::progress`).
//!
//! The page owns the chosen files (`ChosenFiles`) and hands them to `FileOutbox::submit` on sending:
//! ```ignore
//! let chosen = ChosenFiles::new();
//! view! { <AttachmentPicker files=chosen progress=Signal::derive(move || key.get().and_then(|k| outbox.progress(&k))) /> }
//! // on submit:
//! let key = outbox.submit(request, chosen.files());
//! ```

use api::{
    attachment::{self, size_label},
    upload::UploadLimits,
};
use leptos::{prelude::*, task::spawn_local};
use wasm_bindgen::JsCast;

use crate::{
    client,
    uploads::{percent, FilesProgress},
};

/// One chosen file.
#[derive(Clone)]
pub struct ChosenFile {
    /// Stays the same while the file is listed (for the list's keys).
    pub id: u32,
    pub file: web_sys::File,
}

/// The files a page's picker holds, and the server's limits they are checked against.
#[derive(Clone, Copy)]
pub struct ChosenFiles {
    list: RwSignal<Vec<ChosenFile>, LocalStorage>,
    limits: RwSignal<UploadLimits>,
    next_id: StoredValue<u32>,
}

impl Default for ChosenFiles {
    fn default() -> Self {
        Self::new()
    }
}

impl ChosenFiles {
    /// No files yet; the server's limits are asked once (the defaults hold until it answers).
    pub fn new() -> Self {
        let limits = RwSignal::new(UploadLimits::default());
        spawn_local(async move {
            if let Ok(server) = client::upload_limits().await {
                limits.set(server);
            }
        });
        Self {
            list: RwSignal::new_local(Vec::new()),
            limits,
            next_id: StoredValue::new(0),
        }
    }

    /// The files in the order chosen, for `FileOutbox::submit`.
    pub fn files(&self) -> Vec<web_sys::File> {
        self.list
            .with_untracked(|list| list.iter().map(|chosen| chosen.file.clone()).collect())
    }

    /// How many are chosen (reactive).
    pub fn len(&self) -> usize {
        self.list.with(Vec::len)
    }

    /// True when none is chosen (reactive).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Empties the list (after the submission went into the outbox).
    pub fn clear(&self) {
        self.list.set(Vec::new());
    }

    /// Adds `file` if the checks pass; the message to show otherwise.
    pub fn add(&self, file: web_sys::File) -> Result<(), String> {
        let already = self.list.with_untracked(Vec::len);
        let size = file.size() as u64;
        self.limits
            .get_untracked()
            .check_file(&file.name(), size, already)?;
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.list.update(|list| list.push(ChosenFile { id, file }));
        Ok(())
    }

    /// Takes the file with `id` off the list.
    pub fn remove(&self, id: u32) {
        self.list
            .update(|list| list.retain(|chosen| chosen.id != id));
    }
}

/// The file chooser with the list of chosen files. `progress` (optional) shows how far sending is;
/// while it is set, files can no longer be added or removed.
#[component]
pub fn AttachmentPicker(
    files: ChosenFiles,
    #[prop(optional, into)] progress: Option<Signal<Option<FilesProgress>>>,
    /// The input's id, for a `<label for=…>` elsewhere; `attachments` by default.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let input_id = id.unwrap_or_else(|| "attachments".into());
    let message = RwSignal::new(None::<String>);
    let progress = move || progress.and_then(|progress| progress.get());
    let sending = move || progress().is_some();
    let on_change = move |event: leptos::ev::Event| {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let mut refused = Vec::new();
        if let Some(list) = input.files() {
            for index in 0..list.length() {
                if let Some(file) = list.get(index) {
                    let name = file.name();
                    if let Err(why) = files.add(file) {
                        refused.push(format!("{name}：{why}"));
                    }
                }
            }
        }
        // The same file can be chosen again after it was removed.
        input.set_value("");
        message.set((!refused.is_empty()).then(|| refused.join("\n")));
    };
    let limits = move || files.limits.get();
    view! {
        <div class="attachment-picker">
            <label class="attachment-choose" for=input_id.clone()>
                "添加附件"
            </label>
            <input
                id=input_id
                type="file"
                multiple
                accept=attachment::ACCEPT
                class="visually-hidden"
                disabled=sending
                on:change=on_change
            />
            <p class="hint">
                {move || {
                    let limits = limits();
                    format!(
                        "可附 PDF、Word、Excel、WPS 文档或 PNG、JPEG 图片，每个不超过 {} MB，最多 {} 个",
                        limits.max_bytes.div_ceil(1024 * 1024),
                        limits.max_files,
                    )
                }}
            </p>
            <p class="error" aria-live="polite">{move || message.get()}</p>
            <ul class="attachment-list">
                // A plain list, drawn again when files or progress change: ten items at most.
                {move || {
                    let progress = progress();
                    files
                        .list
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(position, ChosenFile { id, file })| {
                            let name = file.name();
                            let size = file.size() as u64;
                            let sent = progress
                                .as_ref()
                                .and_then(|progress| progress.files.get(position))
                                .map(|file| file.sent);
                            let state = match sent {
                                Some(sent) => {
                                    let percent = percent(sent, size);
                                    view! {
                                        <progress
                                            max="100"
                                            value=percent
                                            aria-label=format!("{name} 上传进度")
                                        ></progress>
                                        <span class="attachment-percent">{format!("{percent}%")}</span>
                                    }
                                        .into_any()
                                }
                                None => view! {
                                    <button
                                        type="button"
                                        class="link-button"
                                        aria-label=format!("删除附件 {name}")
                                        on:click=move |_| files.remove(id)
                                    >
                                        "删除"
                                    </button>
                                }
                                    .into_any(),
                            };
                            view! {
                                <li class="attachment">
                                    <span class="attachment-name">{name}</span>
                                    <span class="attachment-size">{size_label(size)}</span>
                                    {state}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            {move || {
                progress()
                    .filter(|progress| !progress.files.is_empty())
                    .map(|progress| {
                        view! {
                            <p class="attachment-total" aria-live="polite">
                                {format!(
                                    "附件上传 {}%（{} / {}）",
                                    progress.percent(),
                                    size_label(progress.sent()),
                                    size_label(progress.size()),
                                )}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
