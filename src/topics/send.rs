//! A submission with attachments, sent through the files outbox (`uploads::FileOutbox`): the research
//! result on a topic (`/topics/<id>/result`) and the ordinary form with files (`/topics/submit`).
//!
//! The page's flow is one `Flow` value changed only by `SendPage::handle` on named events; effects only
//! mirror it out (the words to the draft) or pass the outbox's news in as events. Where the words live:
//! - `Editing`: the form, saved to the draft (`jianyan.topics.draft.<which>`) as the member types.
//! - `Sending`: the outbox item (text in localStorage, files in IndexedDB), stored before the draft goes;
//!   it resumes by itself after a lost network or a reload.
//! - `Fixing`: the server refused the item; the form shows what to change and sends the same item again.
//! - `Done`: the server, and the receipt on this device.

use api::{
    topic::{self, TopicId},
    validation::{Body, Title, FIX_FIELDS_MESSAGE},
    CreateSubmission, FieldErrors, MemberMe, SubmissionKind,
};
use leptos::{ev::SubmitEvent, prelude::*};
use serde::{Deserialize, Serialize};

use super::{
    fields::{LineField, LongField},
    receipt::ReceiptPanel,
};
use crate::{
    storage::{self, Receipt},
    uploads::{AttachmentPicker, ChosenFiles, FileOutbox, OutboxState},
};

/// Where the page's flow stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Flow {
    Editing,
    Sending { key: String },
    Fixing { key: String },
    Done { receipt: Receipt },
}

/// What happens to the page.
pub enum Event {
    /// 提交 was pressed.
    Submit,
    /// The outbox delivered the item.
    Delivered(Receipt),
    /// The server refused the item: its message and the fields to fix.
    Refused {
        message: Option<String>,
        fields: FieldErrors,
    },
    /// The item left the outbox without a receipt here (another tab took it, or it was deleted).
    Removed,
    /// 删除这条，重新填写: the item goes, its words come back into the form.
    Discard,
    /// 再提交一条.
    StartAgain,
}

/// What the member types, as kept in the draft.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Draft {
    kind: Option<SubmissionKind>,
    title: String,
    summary: String,
    body: String,
}

/// The form's words.
#[derive(Clone, Copy)]
struct Words {
    kind: RwSignal<SubmissionKind>,
    title: RwSignal<String>,
    summary: RwSignal<String>,
    body: RwSignal<String>,
}

impl Words {
    fn set(&self, draft: Draft, default_kind: SubmissionKind) {
        self.kind.set(draft.kind.unwrap_or(default_kind));
        self.title.set(draft.title);
        self.summary.set(draft.summary);
        self.body.set(draft.body);
    }

    fn draft(&self) -> Draft {
        Draft {
            kind: Some(self.kind.get()),
            title: self.title.get(),
            summary: self.summary.get(),
            body: self.body.get(),
        }
    }
}

/// Everything the flow changes, `Copy` for the view's closures.
#[derive(Clone, Copy)]
struct SendPage {
    flow: RwSignal<Flow>,
    words: Words,
    files: ChosenFiles,
    outbox: FileOutbox,
    attempted: RwSignal<bool>,
    server_errors: RwSignal<FieldErrors>,
    failure: RwSignal<Option<String>>,
    me: StoredValue<MemberMe>,
    topic: Option<TopicId>,
    draft_key: StoredValue<String>,
}

impl SendPage {
    fn request(&self) -> CreateSubmission {
        let me = self.me.get_value();
        let summary = self.words.summary.get();
        CreateSubmission {
            kind: self.words.kind.get(),
            title: self.words.title.get(),
            body: self.words.body.get(),
            unit_id: Some(me.unit_id),
            name: me.name,
            phone: me.phone,
            topic_id: self.topic,
            summary: (self.topic.is_some() && !summary.trim().is_empty())
                .then(|| summary.trim().to_owned()),
            ..Default::default()
        }
    }

    /// The local rules' messages for what is in the form now.
    fn local_errors(&self) -> FieldErrors {
        // Only the rules for what is typed here (the same functions the server runs): who sends it comes
        // from the roster, and the full `NewSubmission::parse` would bring the name rules' Unicode tables.
        let request = self.request();
        let mut errors = FieldErrors::new();
        if let Err(message) = Title::parse(&request.title) {
            errors.insert("title".into(), message);
        }
        if let Err(message) = Body::parse(&request.body) {
            errors.insert("body".into(), message);
        }
        if self.topic.is_some() {
            if let Err(message) = topic::summary(request.summary.as_deref()) {
                errors.insert("summary".into(), message);
            }
        }
        errors
    }

    fn handle(&self, event: Event) {
        let flow = self.flow.get_untracked();
        match (event, flow) {
            (Event::Submit, Flow::Editing | Flow::Fixing { .. }) => {
                self.attempted.set(true);
                self.failure.set(None);
                if !self.local_errors().is_empty() {
                    self.failure.set(Some(FIX_FIELDS_MESSAGE.into()));
                    return;
                }
                let request = self.request();
                let key = match self.flow.get_untracked() {
                    Flow::Fixing { key } => {
                        self.outbox.resubmit(&key, request);
                        key
                    }
                    _ => self.outbox.submit(request, self.files.files()),
                };
                // The outbox holds the words now.
                self.draft_key.with_value(|key| storage::remove(key));
                self.server_errors.set(FieldErrors::new());
                self.flow.set(Flow::Sending { key });
            }
            (Event::Delivered(receipt), Flow::Sending { .. }) => {
                self.files.clear();
                self.flow.set(Flow::Done { receipt });
            }
            (Event::Refused { message, fields }, Flow::Sending { key }) => {
                self.failure.set(message);
                self.server_errors.set(fields);
                self.flow.set(Flow::Fixing { key });
            }
            (Event::Removed, Flow::Sending { .. } | Flow::Fixing { .. }) => {
                self.flow.set(Flow::Editing);
            }
            (Event::Discard, Flow::Fixing { key }) => {
                self.outbox.remove(&key);
                self.files.clear();
                self.server_errors.set(FieldErrors::new());
                self.failure.set(None);
                self.flow.set(Flow::Editing);
            }
            (Event::StartAgain, _) => {
                self.words
                    .set(Draft::default(), self.words.kind.get_untracked());
                self.files.clear();
                self.attempted.set(false);
                self.failure.set(None);
                self.flow.set(Flow::Editing);
            }
            _ => {}
        }
    }

    /// The message a field shows now: the server's on what was sent, else the local rule's after a try.
    fn message(&self, field: &str) -> Option<String> {
        if let Some(message) = self.server_errors.with(|errors| errors.get(field).cloned()) {
            return Some(message);
        }
        if !self.attempted.get() {
            return None;
        }
        self.local_errors().get(field).cloned()
    }
}

/// The form with attachments. With a `topic`, it is that topic's research result (kind 调研成果, with a
/// 摘要); without, the ordinary form with the three kinds.
#[component]
pub fn SendForm(
    me: MemberMe,
    #[prop(optional)] topic: Option<(TopicId, String)>,
    draft_key: String,
    /// Where 返回 leads after sending.
    back: (&'static str, String),
) -> impl IntoView {
    let outbox = FileOutbox::from_context().expect("TopicsApp provides the files outbox");
    let default_kind = if topic.is_some() {
        SubmissionKind::ResearchReport
    } else {
        SubmissionKind::Suggestion
    };
    let words = Words {
        kind: RwSignal::new(default_kind),
        title: RwSignal::new(String::new()),
        summary: RwSignal::new(String::new()),
        body: RwSignal::new(String::new()),
    };
    let restored = storage::load::<Draft>(&draft_key);
    let had_draft = restored.is_some();
    words.set(restored.unwrap_or_default(), default_kind);
    if topic.is_some() {
        words.kind.set(SubmissionKind::ResearchReport);
    }
    let page = SendPage {
        flow: RwSignal::new(Flow::Editing),
        words,
        files: ChosenFiles::new(),
        outbox,
        attempted: RwSignal::new(false),
        server_errors: RwSignal::new(FieldErrors::new()),
        failure: RwSignal::new(None),
        me: StoredValue::new(me.clone()),
        topic: topic.as_ref().map(|(id, _)| *id),
        draft_key: StoredValue::new(draft_key),
    };
    let flow = page.flow;
    let draft_saved = RwSignal::new(had_draft);

    // Mirrors the words into the draft while editing.
    Effect::new(move |_| {
        let draft = words.draft();
        if flow.get() == Flow::Editing {
            let empty = draft.title.is_empty() && draft.summary.is_empty() && draft.body.is_empty();
            draft_saved.set(!empty && page.draft_key.with_value(|key| storage::save(key, &draft)));
        }
    });
    // The server's field messages speak about what was sent; after an edit the local rules take over.
    Effect::new(move |previous: Option<Draft>| {
        let draft = words.draft();
        if previous.is_some_and(|previous| previous != draft) {
            page.server_errors.set(FieldErrors::new());
        }
        draft
    });
    // Passes the outbox's news of the item being sent in as events.
    Effect::new(move |_| {
        let Flow::Sending { key } = flow.get() else {
            return;
        };
        if let Some(receipt) = outbox.delivered(&key) {
            page.handle(Event::Delivered(receipt));
        } else if let Some(item) = outbox.item(&key) {
            if item.state == OutboxState::NeedsFix {
                page.handle(Event::Refused {
                    message: item.message,
                    fields: item.fields,
                });
            }
        } else {
            page.handle(Event::Removed);
        }
    });

    let key = move || match flow.get() {
        Flow::Sending { key } | Flow::Fixing { key } => Some(key),
        _ => None,
    };
    let progress = Signal::derive(move || key().and_then(|key| outbox.progress(&key)));
    let sending = move || matches!(flow.get(), Flow::Sending { .. });
    let fixing = move || matches!(flow.get(), Flow::Fixing { .. });
    // Why the item waits (网络连接失败…), while it is being sent.
    let waiting_note = move || {
        let Flow::Sending { key } = flow.get() else {
            return None;
        };
        let item = outbox.item(&key)?;
        let why = item.message?;
        (item.state != OutboxState::NeedsFix).then(|| {
            format!(
                "{}。已保存在本机，联网后会自动从中断的地方继续上传，不会重新开始，也不会重复提交。",
                why.trim_end_matches('。')
            )
        })
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        page.handle(Event::Submit);
    };
    let errors = Memo::new(move |_| {
        let mut all = FieldErrors::new();
        for field in [
            "title",
            "summary",
            "body",
            "kind",
            "topic_id",
            "attachments",
        ] {
            if let Some(text) = page.message(field) {
                all.insert(field.into(), text);
            }
        }
        all
    });
    let is_result = topic.is_some();
    let topic_title = topic.map(|(_, title)| title);
    let back = StoredValue::new(back);

    let form_view = move || {
        view! {
            {topic_title.clone().map(|title| view! { <p class="intro">"课题：" {title}</p> })}
            <form class="submission" novalidate on:submit=on_submit>
                <fieldset class="plain" disabled=sending>
                    {(!is_result).then(|| view! { <KindChoice kind=words.kind /> })}
                    <LineField field="title" label="标题" hint="一句话说明成果或建议，5 至 60 字" value=words.title messages=errors />
                    {is_result.then(|| view! {
                        <LongField field="summary" label="摘要（选填）" hint="成果的主要结论和建议，不超过 1000 字" value=words.summary messages=errors />
                    })}
                    <LongField field="body" label="内容" hint="现状与问题、调研发现、具体建议，20 至 20000 字" value=words.body messages=errors />
                </fieldset>
                <div class="field">
                    <p class="label">"附件（选填）"</p>
                    <AttachmentPicker files=page.files progress=progress />
                    {move || errors.with(|all| all.get("attachments").cloned()).map(|text| view! { <p class="error">{text}</p> })}
                </div>
                <p class="hint">
                    "提交后，文字和附件先保存在本机，再逐个上传；网络中断时会在联网后从中断处继续。"
                </p>
                {move || page.failure.get().map(|text| view! {
                    <div class="alert" role="alert"><p>{text}</p></div>
                })}
                {move || waiting_note().map(|text| view! {
                    <div class="notice" role="status"><p>{text}</p></div>
                })}
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=sending>
                        {move || if sending() { "正在提交…" } else if fixing() { "修改后重新提交" } else { "提交" }}
                    </button>
                    {move || fixing().then(|| view! {
                        <button type="button" class="link" on:click=move |_| page.handle(Event::Discard)>
                            "删除这条，重新选择附件"
                        </button>
                    })}
                    <p class="draft-status" aria-live="polite">
                        {move || (draft_saved.get() && flow.get() == Flow::Editing).then_some("草稿已保存在本机")}
                    </p>
                </div>
            </form>
        }
    };
    move || {
        match flow.get() {
        Flow::Done { receipt } => view! {
            <ReceiptPanel receipt back=back.get_value() on_again=move || page.handle(Event::StartAgain) />
        }
        .into_any(),
        _ => form_view().into_any(),
    }
    }
}

/// 类别: 意见建议 / 调研成果 / 社情民意.
#[component]
fn KindChoice(kind: RwSignal<SubmissionKind>) -> impl IntoView {
    view! {
        <fieldset class="kinds">
            <legend>"类别"</legend>
            {SubmissionKind::ALL
                .iter()
                .map(|&choice| view! {
                    <label class="chip">
                        <input type="radio" name="kind" value=choice.as_str()
                            prop:checked=move || kind.get() == choice
                            on:change=move |_| kind.set(choice) />
                        {choice.label()}
                    </label>
                })
                .collect_view()}
        </fieldset>
    }
}
