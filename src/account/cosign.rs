//! `/me/cosign`: 发起联名建言. The joined member writes a submission, picks co-signers from the roster
//! (any unit, by name) and may name others who are not on it; the chosen members are asked to confirm
//! on their own devices. What is typed stays on this device (`DRAFT_KEY`) until the request is made.

use api::{
    check_cosigner_ids, cosign_field_errors,
    validation::{self, Body, Title, BODY_CHARS, FIX_FIELDS_MESSAGE, TITLE_CHARS},
    CosignDraft, CreateCosignDraft, FieldErrors, MemberId, MemberMe, RosterEntry, SubmissionKind,
};
use leptos::{prelude::*, task::spawn_local};
use serde::{Deserialize, Serialize};

use super::ME_PAGE;
use crate::{
    client::{self, ClientError},
    load::load,
    storage,
};

/// Where the text typed on this page waits until the request is made.
const DRAFT_KEY: &str = "jianyan.draft.cosign";

/// What the member typed and chose, as kept on the device.
#[derive(Clone, Default, Serialize, Deserialize)]
struct SavedCosign {
    kind: SubmissionKind,
    title: String,
    body: String,
    cosigners: Vec<RosterEntry>,
    /// Names not on the roster, as typed (separated by 、 or commas).
    other_names: String,
}

impl SavedCosign {
    fn is_empty(&self) -> bool {
        self.title.trim().is_empty()
            && self.body.trim().is_empty()
            && self.cosigners.is_empty()
            && self.other_names.trim().is_empty()
    }

    fn request(&self) -> CreateCosignDraft {
        CreateCosignDraft {
            kind: self.kind,
            title: self.title.clone(),
            body: self.body.clone(),
            cosigner_ids: self.cosigners.iter().map(|entry| entry.id).collect(),
            other_names: split_names(&self.other_names),
        }
    }

    /// The same rules the server applies, for messages before anything is sent.
    fn check(&self, lead: MemberId) -> FieldErrors {
        let request = self.request();
        let mut errors = FieldErrors::new();
        if let Err(message) = Title::parse(&request.title) {
            errors.insert("title".into(), message);
        }
        if let Err(message) = Body::parse(&request.body) {
            errors.insert("body".into(), message);
        }
        if request.cosigner_ids.is_empty() {
            errors.insert("cosigner_ids".into(), "请从名册中至少选一位联名人".into());
        } else if let Err(message) =
            check_cosigner_ids(&request.cosigner_ids, lead, &request.other_names)
        {
            errors.insert("cosigner_ids".into(), message);
        }
        let all_names: Vec<String> = self
            .cosigners
            .iter()
            .map(|entry| entry.name.clone())
            .chain(request.other_names)
            .collect();
        if let Err(message) = validation::cosigners(&all_names) {
            errors.insert("cosigners".into(), message);
        }
        cosign_field_errors(errors)
    }
}

/// Names typed in one box, split at 、 , ， ; ；.
fn split_names(text: &str) -> Vec<String> {
    text.split(['、', ',', '，', ';', '；', '\n'])
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Where the page stands.
#[derive(Clone)]
enum Flow {
    Editing,
    Sending,
    /// Fields to fix, by field.
    NeedsFix(FieldErrors),
    /// Why the request was not made, and that it can be tried again.
    Failed(String),
    Done(CosignDraft),
}

/// What moves the page on.
enum Event {
    /// The member pressed 发出联名邀请; the local check's findings.
    Send(FieldErrors),
    /// The server's answer.
    Answered(Result<CosignDraft, ClientError>),
}

impl Flow {
    fn on(self, event: Event) -> Flow {
        match event {
            Event::Send(errors) if errors.is_empty() => Flow::Sending,
            Event::Send(errors) => Flow::NeedsFix(errors),
            Event::Answered(Ok(draft)) => Flow::Done(draft),
            Event::Answered(Err(ClientError::Api { status: 422, body }))
                if !body.fields.is_empty() =>
            {
                Flow::NeedsFix(body.fields)
            }
            Event::Answered(Err(error)) => Flow::Failed(error.message()),
        }
    }

    fn field_error(&self, field: &str) -> Option<String> {
        match self {
            Flow::NeedsFix(errors) => errors.get(field).cloned(),
            _ => None,
        }
    }
}

#[component]
pub fn CosignPage() -> impl IntoView {
    let (me, reload) = load(client::current_member);
    move || match me.get() {
        None => view! { <h1>"发起联名建言"</h1><p class="loading">"正在加载…"</p> }.into_any(),
        Some(Ok(me)) => view! { <CosignForm me /> }.into_any(),
        Some(Err(ClientError::Api { status: 401, body })) => view! {
            <h1>"发起联名建言"</h1>
            <p class="intro">{body.message}</p>
            <p><a href=ME_PAGE>"返回“我的”"</a></p>
        }
        .into_any(),
        Some(Err(error)) => view! {
            <h1>"发起联名建言"</h1>
            <p class="error" role="alert">{error.message()}</p>
            <button type="button" on:click=move |_| reload.notify()>"重试"</button>
        }
        .into_any(),
    }
}

#[component]
fn CosignForm(me: MemberMe) -> impl IntoView {
    let saved: SavedCosign = storage::load(DRAFT_KEY).unwrap_or_default();
    let kind = RwSignal::new(saved.kind);
    let title = RwSignal::new(saved.title);
    let body = RwSignal::new(saved.body);
    let chosen = RwSignal::new(saved.cosigners);
    let other_names = RwSignal::new(saved.other_names);
    let flow = RwSignal::new(Flow::Editing);
    let snapshot = move || SavedCosign {
        kind: kind.get(),
        title: title.get(),
        body: body.get(),
        cosigners: chosen.get(),
        other_names: other_names.get(),
    };
    // Mirrors what is typed to the device, so a reload or a closed tab loses nothing; once the request
    // is made, the copy goes.
    Effect::new(move |_| {
        let current = snapshot();
        if matches!(flow.get(), Flow::Done(_)) {
            storage::remove(DRAFT_KEY);
        } else if !current.is_empty() {
            let _ = storage::save(DRAFT_KEY, &current);
        }
    });
    let lead = me.id;
    let send = move |_| {
        let current = snapshot();
        let next = flow.get_untracked().on(Event::Send(current.check(lead)));
        let sending = matches!(next, Flow::Sending);
        flow.set(next);
        if sending {
            let request = current.request();
            spawn_local(async move {
                let answer = client::create_cosign_draft(&request).await;
                let _ = flow.try_update(|state| {
                    *state = state.clone().on(Event::Answered(answer));
                });
            });
        }
    };
    let field_error = move |field: &'static str| {
        move || {
            flow.with(|state| state.field_error(field))
                .map(|message| view! { <p class="error" id=format!("{field}-error")>{message}</p> })
        }
    };
    let (title_min, title_max) = TITLE_CHARS;
    let (body_min, body_max) = BODY_CHARS;
    // Only the step to Done swaps the page: the form itself stays mounted through every other state, so
    // the search box and its results are not rebuilt when a message appears.
    let done = Memo::new(move |_| match flow.get() {
        Flow::Done(draft) => Some(draft),
        _ => None,
    });
    move || {
        if let Some(draft) = done.get() {
            return view! { <Sent draft /> }.into_any();
        }
        view! {
            <h1>"发起联名建言"</h1>
            <p class="intro">
                {format!("领衔人：{}（{}）。", me.name, me.unit)}
                "从名册中选出的联名人会在各自的“我的”中看到邀请，同意或不同意；大家都回复后自动提交给统战部，"
                "您也可以在“我的”中随时直接提交。"
            </p>
            <div class="field">
                <label for="cosign-kind">"类别"</label>
                <select id="cosign-kind" on:change=move |ev| {
                    let value = event_target_value(&ev);
                    if let Some(chosen_kind) = SubmissionKind::ALL.into_iter().find(|k| k.as_str() == value) {
                        kind.set(chosen_kind);
                    }
                }>
                    {SubmissionKind::ALL.into_iter().map(|option| view! {
                        <option value=option.as_str() selected=move || kind.get() == option>{option.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field" class:invalid=move || flow.with(|s| s.field_error("title").is_some())>
                <label for="cosign-title">"案由（标题）"</label>
                <input type="text" id="cosign-title" bind:value=title />
                <p class="hint">{format!("{title_min}–{title_max} 个字，写成一行")}</p>
                {field_error("title")}
            </div>
            <div class="field" class:invalid=move || flow.with(|s| s.field_error("body").is_some())>
                <label for="cosign-body">"现状与问题、建议"</label>
                <textarea id="cosign-body" bind:value=body></textarea>
                <p class="hint">
                    {move || format!("{body_min}–{body_max} 个字，现在 {} 个字", body.with(|text| text.trim().chars().count()))}
                </p>
                {field_error("body")}
            </div>
            <CosignerPicker chosen />
            {field_error("cosigner_ids")}
            <div class="field" class:invalid=move || flow.with(|s| s.field_error("other_names").is_some())>
                <label for="cosign-others">"其他联名人（选填）"</label>
                <input type="text" id="cosign-others" bind:value=other_names />
                <p class="hint">"未在名册中，将标为未确认。多位请用顿号（、）分开。"</p>
                {field_error("other_names")}
            </div>
            {move || match flow.get() {
                Flow::NeedsFix(_) => Some(view! { <p class="error" role="alert">{FIX_FIELDS_MESSAGE}</p> }.into_any()),
                Flow::Failed(message) => Some(view! {
                    <p class="error" role="alert">{message}" 填写的内容仍保存在本机，可以稍后再试。"</p>
                }.into_any()),
                _ => None,
            }}
            <div class="form-actions">
                <button type="button" class="primary" on:click=send disabled=move || matches!(flow.get(), Flow::Sending)>
                    {move || if matches!(flow.get(), Flow::Sending) { "正在发出…" } else { "发出联名邀请" }}
                </button>
                <a href=ME_PAGE class="button">"返回“我的”"</a>
            </div>
        }
        .into_any()
    }
}

/// Search the roster by name, add from the results, remove from the chosen.
#[component]
fn CosignerPicker(chosen: RwSignal<Vec<RosterEntry>>) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let results = RwSignal::new(None::<Result<Vec<RosterEntry>, String>>);
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = query.get_untracked().trim().to_owned();
        if name.is_empty() {
            results.set(Some(Err("请输入要查找的姓名".into())));
            return;
        }
        spawn_local(async move {
            let answer = client::search_roster(&name)
                .await
                .map_err(|error| error.message());
            results.try_set(Some(answer));
        });
    };
    let add = move |entry: RosterEntry| {
        chosen.update(|list| {
            if !list.iter().any(|item| item.id == entry.id) {
                list.push(entry);
            }
        });
    };
    view! {
        <fieldset class="field cosigner-picker">
            <legend>"从名册中选择联名人"</legend>
            <ul class="chosen" aria-label="已选的联名人">
                {move || chosen.get().into_iter().map(|entry| {
                    let id = entry.id;
                    let remove = move |_| chosen.update(|list| list.retain(|item| item.id != id));
                    view! {
                        <li class="chip">
                            {format!("{}（{}）", entry.name, entry.unit)}
                            <button type="button" class="link" aria-label=format!("移除联名人 {}", entry.name) on:click=remove>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <label for="cosign-search">"按姓名查找联名人"</label>
            <form role="search" on:submit=search>
                <input type="search" id="cosign-search" placeholder="输入姓名查找" bind:value=query />
                <button type="submit">"查找"</button>
            </form>
            {move || match results.get() {
                None => ().into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <p class="empty">"名册中没有找到。不在名册中的联名人，可以写在下面的“其他联名人”里。"</p>
                }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="roster-results" aria-label="查找结果">
                        {list.into_iter().map(|entry| {
                            let label = format!("{}（{}）", entry.name, entry.unit);
                            let added = entry.id;
                            let name = entry.name.clone();
                            view! {
                                <li>
                                    <span>{label}</span>
                                    <button type="button" aria-label=format!("添加联名人 {name}")
                                        disabled=move || chosen.with(|list| list.iter().any(|item| item.id == added))
                                        on:click=move |_| add(entry.clone())>"添加"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </fieldset>
    }
}

/// The request is made: whom it asks, and what happens next.
#[component]
fn Sent(draft: CosignDraft) -> impl IntoView {
    let names = draft
        .cosigners
        .iter()
        .map(|cosigner| cosigner.name.clone())
        .collect::<Vec<_>>()
        .join("、");
    view! {
        <h1>"已发出联名邀请"</h1>
        <p class="intro">
            {format!("《{}》已邀请 {names} 联名。", draft.title)}
            "他们回复后会自动提交给统战部；您可以在“我的”中查看每个人的回复，或直接提交。"
        </p>
        <p><a href=ME_PAGE class="button">"返回“我的”"</a></p>
    }
}
