//! 提交建言: the member's form, checked as they type, kept as a draft, sent exactly once.
//!
//! The page's flow is one `Flow` value changed only by `SubmitPage::handle` on named events; effects
//! only mirror it out (the words to the draft or the outbox item being fixed) or pass the outbox's news
//! in as events. Where the words live at each step:
//! - `Editing`: the form, saved to the draft as the member types.
//! - `Fixing`: the form, saved into the refused outbox item itself, which stays in the outbox.
//! - `Sending`, `Queued`: the outbox item, stored before the draft is let go.
//! - `Done`: the server.
//!
//! Nothing but a 201 or the member's own choice takes an item out of the outbox.

mod fields;
mod flow;
pub mod form;
mod receipt;

use api::{CreateSubmission, FieldErrors, NewSubmission};
use leptos::{ev::SubmitEvent, prelude::*};

use crate::members::{
    outbox::{Outbox, OutboxState},
    route::SUBMIT_INTRO,
    Route,
};
use fields::{BodyField, KindField, TextField, TitleField, UnitField};
pub use flow::{Event, Flow};
use form::SubmissionForm;
use receipt::ReceiptPanel;

use crate::{membership, storage::Receipt};

/// Which message, if any, each field shows now.
#[derive(Clone, Copy)]
pub struct FieldMessages {
    client: Memo<FieldErrors>,
    server: RwSignal<FieldErrors>,
    /// The request the server's messages are about: they show until the form says something else.
    server_about: StoredValue<Option<CreateSubmission>>,
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
                // `try_`: the member may have left the page (e.g. tapped a link) before the timer fires.
                touched.try_update(|t| {
                    if !t.contains(&field) {
                        t.push(field);
                    }
                });
            },
            std::time::Duration::from_millis(200),
        );
    }

    fn reset(&self) {
        self.attempted.set(false);
        self.touched.set(Vec::new());
        self.server.set(FieldErrors::new());
        self.server_about.set_value(None);
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
        server: RwSignal::new(FieldErrors::new()),
        server_about: StoredValue::new(None),
        touched: RwSignal::new(Vec::new()),
        attempted: RwSignal::new(false),
    };
    let page = flow::Page {
        flow: RwSignal::new(Flow::Editing),
        form,
        messages,
        failure: RwSignal::new(None),
        outbox,
    };
    page.handle(Event::Opened);
    let flow = page.flow;
    let draft_saved = RwSignal::new(restored);

    // Mirrors the words out to where this step keeps them.
    Effect::new(move |_| match flow.get() {
        Flow::Editing => draft_saved.set(form.save_draft()),
        Flow::Fixing { key } => {
            let kept = outbox.revise(&key, form.request());
            draft_saved.set(kept);
        }
        _ => {}
    });
    // The server's field messages speak about what was sent; after an edit the local rules take over.
    Effect::new(move |_| {
        let request = form.request();
        if messages
            .server_about
            .with_value(|about| about.as_ref() != Some(&request))
        {
            messages.server.set(FieldErrors::new());
        }
    });
    // Passes the outbox's news of the item being sent in as events.
    Effect::new(move |_| {
        let key = match flow.get() {
            Flow::Sending { key, .. } | Flow::Queued { key } => key,
            _ => return,
        };
        if let Some(receipt) = outbox.delivered(&key) {
            page.handle(Event::Delivered(receipt));
        } else if let Some(item) = outbox.item(&key) {
            if item.state == OutboxState::NeedsFix {
                page.handle(Event::Refused(item));
            } else if outbox.is_held_up(&key) {
                page.handle(Event::HeldUp);
            }
        } else {
            page.handle(Event::Removed);
        }
    });

    let sending = move || matches!(flow.get(), Flow::Sending { .. });
    let fixing = move || matches!(flow.get(), Flow::Fixing { .. });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        page.handle(Event::Submit);
    };
    let start_again = move || page.handle(Event::StartAgain);
    let discard = move |_| {
        let confirmed = window()
            .confirm_with_message("确定清除草稿吗？已填写的案由、内容和联名人将被清空。")
            .unwrap_or(false);
        if confirmed {
            page.handle(Event::DiscardDraft);
        }
    };

    let form_view = move || {
        view! {
            <h1>"提交建言"</h1>
            // Also painted by index.html before the app starts (see `Route::painted_by_index_html`).
            <p class="intro">{SUBMIT_INTRO}</p>
            {move || fixing().then(|| view! {
                <p class="notice">
                    "您在修改一条需要修改的建言（原因见“提交”按钮上方）。改好后点“提交”；也可以 "
                    <button type="button" class="link" on:click=move |_| page.handle(Event::StartAgain)>
                        "先填写新的建言"
                    </button>
                    "，这条会留在“查询进度”的待发送中。"
                </p>
            })}
            <form class="submission" novalidate on:submit=on_submit>
                <fieldset class="plain" disabled=sending>
                    <KindField form />
                    <TitleField form messages />
                    <BodyField form messages />
                    {match membership::joined() {
                        // A joined member's details come from the roster: shown, not typed.
                        Some(member) => view! {
                            <p class="notice">
                                "领衔人：" {member} "。姓名、单位和手机号由统战部维护，如有变化请联系工作人员。"
                            </p>
                        }.into_any(),
                        None => view! {
                            <UnitField form messages />
                            <TextField field="name" label="姓名" value=form.name messages
                                hint=|| "领衔人的真实姓名，仅工作人员可见" autocomplete="name" />
                            <TextField field="phone" label="手机号码" value=form.phone messages
                                hint=|| "便于工作人员联系您，仅工作人员可见"
                                input_type="tel" inputmode="numeric" autocomplete="tel" />
                        }.into_any(),
                    }}
                    <TextField field="cosigners" label="联名人（选填）" value=form.cosigners messages
                        hint=|| "多人请用顿号、逗号或空格分开" />
                </fieldset>
                <p class="hint"><a href="/topics/submit">"需要附上文件？"</a></p>
                {move || page.failure.get().map(|message| view! {
                    <div class="alert" role="alert"><p>{message}</p></div>
                })}
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=sending>
                        {move || if sending() { "正在提交…" } else { "提交" }}
                    </button>
                    <p class="draft-status" aria-live="polite">
                        {move || match (draft_saved.get(), fixing()) {
                            (true, true) => Some(view! { "修改已保存在本机" }.into_any()),
                            (true, false) => Some(view! {
                                "草稿已保存在本机 "
                                <button type="button" class="link" on:click=discard>
                                    "清除草稿"
                                </button>
                            }.into_any()),
                            _ => None,
                        }}
                    </p>
                </div>
            </form>
        }
    };
    // What is on screen changes with the flow only where the panel does: the form stays the same form
    // (focus, the unit list) from editing to sending to fixing.
    let panel = Memo::new(move |_| match flow.get() {
        Flow::Done { receipt } => Panel::Receipt(receipt),
        Flow::Queued { key } => Panel::Queued(key),
        Flow::Editing | Flow::Fixing { .. } | Flow::Sending { .. } => Panel::Form,
    });
    move || match panel.get() {
        Panel::Receipt(receipt) => {
            view! { <ReceiptPanel receipt on_again=start_again /> }.into_any()
        }
        Panel::Queued(key) => view! { <QueuedPanel key on_again=start_again /> }.into_any(),
        Panel::Form => form_view().into_any(),
    }
}

/// What the page shows.
#[derive(Clone, PartialEq)]
enum Panel {
    Form,
    Queued(String),
    Receipt(Receipt),
}

/// The sent item is waiting in the outbox: say so, and that nothing is lost.
#[component]
fn QueuedPanel(key: String, on_again: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let outbox = expect_context::<Outbox>();
    let key = StoredValue::new(key);
    let item = move || key.with_value(|key| outbox.item(key));
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
            <p><a href=Route::Track.href()>"在“查询进度”中查看全部待发送和已提交的建言"</a></p>
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

/// The message when the device would not store the outbox item.
const NOT_KEPT_MESSAGE: &str = "这台设备没能保存这条建言（存储空间已满或处于无痕模式）。正在直接提交：提交成功前请不要关闭页面，草稿也会保留。";
