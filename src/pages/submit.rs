//! 提交建言: the member's form, checked as they type, kept as a draft, sent exactly once.

mod fields;
pub mod form;
mod receipt;

use api::{validation::FIX_FIELDS_MESSAGE, FieldErrors, NewSubmission};
use leptos::{ev::SubmitEvent, prelude::*};

use crate::outbox::{Outbox, OutboxState};
use fields::{BodyField, KindField, TextField, TitleField, UnitField};
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

/// The submission page: the form; then, once sent, the receipt, or the outbox's word while it waits.
#[component]
pub fn SubmitPage() -> impl IntoView {
    let outbox = expect_context::<Outbox>();
    let (form, restored) = SubmissionForm::restore();
    let messages = FieldMessages {
        client: Memo::new(move |_| {
            NewSubmission::parse(&form.request())
                .err()
                .unwrap_or_default()
        }),
        server: RwSignal::new(form::take_server_messages()),
        touched: RwSignal::new(Vec::new()),
        attempted: RwSignal::new(false),
    };
    let failure = RwSignal::new(None::<String>);
    let draft_saved = RwSignal::new(restored);
    // The outbox key of what this page sent, until the member starts a new one.
    let sent = RwSignal::new(None::<String>);
    // Set once the sent item had to wait: the page then follows it in the outbox instead of the form.
    let queued = RwSignal::new(false);

    Effect::new(move |_| draft_saved.set(form.save_draft()));
    // The server's field messages speak about what was sent; after an edit the local rules take over.
    Effect::new(move |previous: Option<()>| {
        form.request();
        if previous.is_some() {
            messages.server.set(FieldErrors::new());
        }
    });
    // Follows the sent item through the outbox.
    Effect::new(move |_| {
        let Some(key) = sent.get() else {
            return;
        };
        if outbox.delivered(&key).is_some() {
            form.finish();
            return;
        }
        let Some(item) = outbox.state(&key) else {
            return;
        };
        match item.state {
            OutboxState::NeedsFix => {
                // The words are still in the form: take the item back and show what to change.
                outbox.take(&key);
                sent.set(None);
                form.save_draft();
                messages.server.set(item.fields);
                failure.set(item.message);
                focus_first_invalid();
            }
            OutboxState::Waiting if !queued.get_untracked() => {
                // The outbox holds every word now; the form is free for the next one.
                queued.set(true);
                form.finish();
            }
            _ => {}
        }
    });
    let sending = move || {
        sent.with(|key| key.as_ref().and_then(|key| outbox.state(key)))
            .is_some_and(|item| item.state == OutboxState::Sending)
    };

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if sent.with_untracked(Option::is_some) {
            return;
        }
        messages.attempted.set(true);
        if !messages.client.with_untracked(FieldErrors::is_empty) {
            failure.set(Some(FIX_FIELDS_MESSAGE.into()));
            focus_first_invalid();
            return;
        }
        failure.set(None);
        queued.set(false);
        // The outbox now keeps the words; the draft would only invite a second copy.
        form.forget_draft();
        sent.set(Some(outbox.submit(untrack(|| form.request()))));
    };
    let start_again = move || {
        sent.set(None);
        queued.set(false);
        messages.attempted.set(false);
        messages.touched.set(Vec::new());
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
            // Also painted by index.html before the app starts: keep the two texts the same.
            <p class="intro">"请写明案由、现状与问题和具体建议。填写的内容随时保存在本机，网络不好也不会丢失；提交后会得到回执编号，可随时查询办理进度。"</p>
            <form class="submission" novalidate on:submit=on_submit>
                <KindField form />
                <TitleField form messages />
                <BodyField form messages />
                <UnitField form messages />
                <TextField field="name" label="姓名" value=form.name messages
                    hint=|| "领衔人的真实姓名，仅工作人员可见" autocomplete="name" />
                <TextField field="phone" label="手机号码" value=form.phone messages
                    hint=|| "便于工作人员联系您，仅工作人员可见"
                    input_type="tel" inputmode="numeric" autocomplete="tel" />
                <TextField field="cosigners" label="联名人（选填）" value=form.cosigners messages
                    hint=|| "多人请用顿号、逗号或空格分开" />
                {move || failure.get().map(|message| view! {
                    <div class="alert" role="alert"><p>{message}</p></div>
                })}
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=sending>
                        {move || if sending() { "正在提交…" } else { "提交" }}
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
    move || {
        let key = sent.get();
        match key.as_ref().and_then(|key| outbox.delivered(key)) {
            Some(receipt) => view! { <ReceiptPanel receipt on_again=start_again /> }.into_any(),
            None if queued.get() => {
                let key = key.unwrap_or_default();
                view! { <QueuedPanel key on_again=start_again /> }.into_any()
            }
            None => form_view().into_any(),
        }
    }
}

/// The sent item is waiting in the outbox: say so, and that nothing is lost.
#[component]
fn QueuedPanel(key: String, on_again: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let outbox = expect_context::<Outbox>();
    let key = StoredValue::new(key);
    let item = move || key.with_value(|key| outbox.state(key));
    view! {
        <section class="receipt" aria-labelledby="queued-title">
            <h1 id="queued-title">"已存入待发送"</h1>
            <div class="alert" role="alert">
                <p>
                    // Why it waits (e.g. 网络连接失败), then what happens next.
                    {move || {
                        item()
                            .and_then(|item| item.message)
                            .map(|why| format!("{}。", why.trim_end_matches('。')))
                    }}
                    "这条建言已保存在本机的待发送箱，联网后会自动发送，不会丢失，也不会重复提交。"
                </p>
            </div>
            <p>"状态：" <span class="badge active">{move || item().map(|item| item.state.label())}</span></p>
            <div class="form-actions">
                <button type="button" class="primary" on:click=move |_| outbox.flush()>"立即重试"</button>
                <button type="button" on:click=move |_| on_again()>"填写下一条"</button>
            </div>
            <p><a href="/track">"在“查询进度”中查看全部待发送和已提交的建言"</a></p>
        </section>
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
