//! The optional file of an adoption or a leader's instruction: picked in the record's form, checked in
//! the browser (kind by extension, size), uploaded first when the form is sent, and shown on the record
//! as a download link.

use api::attachment::{self, AttachmentId, AttachmentView};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::client::{self, ChangeError};

/// Where a record's file is in its short life.
#[derive(Debug, Clone, PartialEq)]
pub enum FileStep {
    /// Nothing chosen, or a file chosen and waiting for the form to be sent.
    Ready,
    /// The browser turned the chosen file back (the message says why); nothing was sent.
    Refused(String),
    /// Being sent.
    Uploading,
}

/// A form's file: the chosen `File` (browser-only, hence local storage) and its step.
#[derive(Clone, Copy)]
pub struct RecordFile {
    chosen: RwSignal<Option<web_sys::File>, LocalStorage>,
    step: RwSignal<FileStep>,
}

impl RecordFile {
    pub fn new() -> Self {
        RecordFile {
            chosen: RwSignal::new_local(None),
            step: RwSignal::new(FileStep::Ready),
        }
    }

    /// The file to send with the form now, if one is chosen.
    pub fn take(&self) -> Option<web_sys::File> {
        self.chosen.get_untracked()
    }

    /// Uploads `file` (when given) and answers its id for the record. The page may be gone when the
    /// answer comes (another record changed it): the step is then set on nothing, quietly.
    pub async fn upload(
        self,
        file: Option<web_sys::File>,
    ) -> Result<Option<AttachmentId>, ChangeError> {
        let Some(file) = file else {
            return Ok(None);
        };
        self.step.try_set(FileStep::Uploading);
        let uploaded = client::upload_attachment(&file).await;
        self.step.try_set(FileStep::Ready);
        uploaded
            .map(|view| Some(view.id))
            .map_err(ChangeError::Other)
    }

    /// A file was picked (or the pick was cleared): kept if the browser's check passes it.
    fn choose(&self, file: Option<web_sys::File>) -> Result<(), String> {
        self.chosen.set(None);
        self.step.set(FileStep::Ready);
        let Some(file) = file else {
            return Ok(());
        };
        // `size()` is a float in the DOM; a file's size is a whole number of bytes.
        let size = file.size().max(0.0) as u64;
        match attachment::check_before_upload(&file.name(), size) {
            Ok(()) => {
                self.chosen.set(Some(file));
                Ok(())
            }
            Err(message) => {
                self.step.set(FileStep::Refused(message.clone()));
                Err(message)
            }
        }
    }
}

/// A file input with its label, a hint of what is accepted, and the step it is at.
#[component]
pub fn FileField(id: &'static str, label: &'static str, file: RecordFile) -> impl IntoView {
    let on_change = move |event: leptos::ev::Event| {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let picked = input.files().and_then(|files| files.get(0));
        if file.choose(picked).is_err() {
            // The refused file must not stay in the input, looking chosen.
            input.set_value("");
        }
    };
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="file" accept=attachment::ACCEPT aria-describedby=hint_id.clone() on:change=on_change />
            <p class="hint" id=hint_id>
                {format!("可选；PDF、Word、Excel、WPS 或 PNG、JPEG 图片，不超过 {} MB", attachment::DEFAULT_MAX_BYTES / (1024 * 1024))}
            </p>
            {move || match file.step.get() {
                FileStep::Ready => None,
                FileStep::Uploading => Some(view! { <p class="hint" role="status">"上传中…"</p> }.into_any()),
                FileStep::Refused(message) => Some(view! { <p class="error" role="alert">{message}</p> }.into_any()),
            }}
        </div>
    }
}

/// A record's file as a download link with its size, or the reference typed on an older record.
pub fn file_link(attachment: Option<&AttachmentView>, typed: Option<&str>) -> Option<AnyView> {
    match (attachment, typed) {
        (Some(file), _) => Some(
            view! {
                " · "
                <a href=file.href() download=file.name.clone()>{file.name.clone()}</a>
                <span class="meta">{format!("（{}）", attachment::size_label(file.size))}</span>
            }
            .into_any(),
        ),
        (None, Some(typed)) => {
            Some(view! { <span class="meta">{format!(" · 文件：{typed}")}</span> }.into_any())
        }
        (None, None) => None,
    }
}
