//! 提交建言: the member's form, checked as they type, kept as a draft, sent exactly once.

mod fields;
mod form;
mod receipt;

use api::{
    validation::FIX_FIELDS_MESSAGE, CreateSubmission, FieldErrors, NewSubmission, SubmissionCreated,
};
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};

use crate::{
    client::{self, ClientError},
    storage::{self, Receipt},
};
use fields::{BodyField, CosignersField, KindField, NameField, PhoneField, TitleField, UnitField};
use form::SubmissionForm;
use receipt::ReceiptPanel;

/// Which message, if any, each field shows now.
#[derive(Clone, Copy)]
pub struct FieldMessages {
    client: Memo<FieldErrors>,
    server: RwSignal<FieldErrors>,
    touched: RwSignal<Vec<&'static str>>,
    attempted: RwSignal<bool>,
}

impl FieldMessages {
    /// The server's word on what was sent, else the local rule's once the field was left or a send tried.
    pub fn get(&self, field: &'static str) -> Option<String> {
        if let Some(message) = self.server.with(|errors| errors.get(field).cloned()) {
            return Some(message);
        }
        let shown = self.attempted.get() || self.touched.with(|t| t.contains(&field));
        shown
            .then(|| self.client.with(|errors| errors.get(field).cloned()))
            .flatten()
    }

    /// Marks a field as visited, so its message shows from now on.
    ///
    /// Leaving a field by tapping 提交 blurs it first: a message appearing at once would push the button
    /// down between press and release, and the tap would miss. So the message waits a moment.
    pub fn touch(&self, field: &'static str) {
        let touched = self.touched;
        set_timeout(
            move || {
                if !touched.with_untracked(|t| t.contains(&field)) {
                    touched.update(|t| t.push(field));
                }
            },
            std::time::Duration::from_millis(200),
        );
    }
}

/// The submission page: the form, or the receipt once the server has it.
#[component]
pub fn SubmitPage() -> impl IntoView {
    let (form, restored) = SubmissionForm::restore();
    let messages = FieldMessages {
        client: Memo::new(move |_| {
            NewSubmission::parse(&form.request())
                .err()
                .unwrap_or_default()
        }),
        server: RwSignal::new(FieldErrors::new()),
        touched: RwSignal::new(Vec::new()),
        attempted: RwSignal::new(false),
    };
    let failure = RwSignal::new(None::<ClientError>);
    let receipt = RwSignal::new(None::<Receipt>);
    let draft_saved = RwSignal::new(restored);
    // The key of the last send, reused while the request is unchanged so a retry cannot store it twice.
    let last_attempt = StoredValue::new(None::<(CreateSubmission, String)>);

    Effect::new(move |_| draft_saved.set(form.save_draft()));
    // The server's field messages speak about what was sent; after an edit the local rules take over.
    Effect::new(move |previous: Option<()>| {
        form.request();
        if previous.is_some() {
            messages.server.set(FieldErrors::new());
        }
    });

    let pending = RwSignal::new(false);
    let on_result = move |result: Result<SubmissionCreated, ClientError>| match result {
        Ok(created) => {
            let kept = Receipt {
                code: created.code,
                secret: created.secret,
                title: form.title.get_untracked().trim().to_owned(),
                submitted_at: created.submitted_at,
            };
            storage::remember(kept.clone());
            form.finish();
            messages.attempted.set(false);
            messages.touched.set(Vec::new());
            last_attempt.set_value(None);
            receipt.set(Some(kept));
        }
        Err(ClientError::Api { status: 422, body }) => {
            messages.server.set(body.fields.clone());
            failure.set(Some(ClientError::Api { status: 422, body }));
            focus_first_invalid();
        }
        Err(error) => failure.set(Some(error)),
    };

    let send = move || {
        let request = untrack(|| form.request());
        let key = last_attempt.with_value(|last| match last {
            Some((previous, key)) if *previous == request => key.clone(),
            _ => storage::random_key(),
        });
        last_attempt.set_value(Some((request.clone(), key.clone())));
        failure.set(None);
        pending.set(true);
        spawn_local(async move {
            let result = client::create_submission(&request, &key).await;
            pending.set(false);
            on_result(result);
        });
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        messages.attempted.set(true);
        if !messages.client.with_untracked(FieldErrors::is_empty) {
            failure.set(Some(ClientError::Api {
                status: 422,
                body: api::ErrorBody::new(FIX_FIELDS_MESSAGE),
            }));
            focus_first_invalid();
            return;
        }
        send();
    };
    let discard = move |_| {
        let confirmed = window()
            .confirm_with_message("确定清除草稿吗？已填写的案由、内容和联名人将被清空。")
            .unwrap_or(false);
        if confirmed {
            form.discard_draft();
            messages.attempted.set(false);
            messages.touched.set(Vec::new());
            failure.set(None);
        }
    };

    let form_view = move || {
        view! {
            <h1>"提交建言"</h1>
            <form class="submission" novalidate on:submit=on_submit>
                <KindField form />
                <TitleField form messages />
                <BodyField form messages />
                <UnitField form messages />
                <NameField form messages />
                <PhoneField form messages />
                <CosignersField form messages />
                <FailureBanner failure retry=move || send() />
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || pending.get()>
                        {move || if pending.get() { "正在提交…" } else { "提交" }}
                    </button>
                    <p class="draft-status" aria-live="polite">
                        {move || draft_saved.get().then(|| view! {
                            "草稿已保存在本机 "
                            <button type="button" class="link" on:click=discard>
                                "清除草稿"
                            </button>
                        })}
                    </p>
                </div>
            </form>
        }
    };
    move || match receipt.get() {
        None => form_view().into_any(),
        Some(kept) => {
            view! { <ReceiptPanel receipt=kept on_again=move || receipt.set(None) /> }.into_any()
        }
    }
}

/// Says why the last send failed; offers a retry when a retry can help.
#[component]
fn FailureBanner(
    failure: RwSignal<Option<ClientError>>,
    retry: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        failure.get().map(|error| {
            let retryable = error.is_retryable();
            let message = if retryable {
                format!(
                    "{}。您填写的内容已保存在本机，不会丢失。",
                    error.message().trim_end_matches('。')
                )
            } else {
                error.message()
            };
            view! {
                <div class="alert" role="alert">
                    <p>{message}</p>
                    {retryable.then(|| view! {
                        <button type="button" on:click=move |_| retry()>"重试"</button>
                    })}
                </div>
            }
        })
    }
}

/// Puts the cursor in the first field that needs fixing, once the page shows the messages.
fn focus_first_invalid() {
    request_animation_frame(|| {
        use wasm_bindgen::JsCast;
        let first = document()
            .query_selector("[aria-invalid='true']")
            .ok()
            .flatten()
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = first {
            let _ = element.focus();
        }
    });
}
