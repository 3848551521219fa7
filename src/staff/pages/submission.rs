//! One submission at the desk: its full text and people, the whole timeline, and what staff may do now.
//! Every change carries the version it was chosen on: if a colleague changed the submission first, the
//! server answers 409 with it as it is now, which the page then shows with the reason.

use std::future::Future;

use api::{
    desk::{
        AddAdoption, AddInstruction, AddNote, AdoptionLevel, ApplyAction, InstructionLevel,
        Outcome, SetFlags, SetOutcome, StaffSubmissionView,
    },
    workflow::{Action, ActionKind, DeclineReason},
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_params_map};

use super::record_file::{file_link, FileField, RecordFile};
use super::topics_grade::ResultGrading;
use crate::{
    client::{self, ChangeError},
    format::china_time,
    staff::Session,
};

/// The page's copy of the submission, and what the last change said.
#[derive(Clone, Copy)]
struct Desk {
    code: Memo<String>,
    view: RwSignal<Option<StaffSubmissionView>>,
    message: RwSignal<Option<(bool, String)>>,
    busy: RwSignal<bool>,
    session: Session,
}

impl Desk {
    /// The version changes are chosen on.
    fn version(&self) -> i64 {
        self.view
            .with_untracked(|view| view.as_ref().map_or(0, |v| v.version))
    }

    /// Sends a change; shows the submission as the server has it afterwards, with what happened.
    fn change<F>(&self, done: &'static str, send: F)
    where
        F: Future<Output = Result<StaffSubmissionView, ChangeError>> + 'static,
    {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        let desk = *self;
        spawn_local(async move {
            let answer = send.await;
            desk.busy.try_set(false);
            match answer {
                Ok(view) => {
                    desk.view.try_set(Some(view));
                    desk.message
                        .try_set(Some((true, format!("已完成：{done}"))));
                }
                Err(ChangeError::Conflict(conflict)) => {
                    desk.message
                        .try_set(Some((false, conflict.message.clone())));
                    desk.view.try_set(Some(conflict.current));
                }
                Err(ChangeError::Other(client::ClientError::Api { status: 401, body })) => {
                    desk.session.expired(body.message);
                }
                Err(error) => {
                    desk.message.try_set(Some((false, error.message())));
                }
            }
        });
    }
}

#[component]
pub fn SubmissionDetail() -> impl IntoView {
    let params = use_params_map();
    let desk = Desk {
        code: Memo::new(move |_| params.with(|p| p.get("code").unwrap_or_default())),
        view: RwSignal::new(None),
        message: RwSignal::new(None),
        busy: RwSignal::new(false),
        session: expect_context::<Session>(),
    };
    let failed = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let code = desk.code.get();
        desk.view.set(None);
        spawn_local(async move {
            match client::get_staff_submission(&code).await {
                Ok(view) => {
                    desk.view.try_set(Some(view));
                }
                Err(client::ClientError::Api { status: 401, body }) => {
                    desk.session.expired(body.message)
                }
                Err(error) => {
                    failed.try_set(Some(error.message()));
                }
            }
        });
    });
    move || match (desk.view.get(), failed.get()) {
        (Some(view), _) => view! { <Details view desk /> }.into_any(),
        (None, Some(message)) => view! {
            <div class="alert" role="alert"><p>{message}</p></div>
            <p><A href="/staff/">"返回建言列表"</A></p>
        }
        .into_any(),
        (None, None) => view! { <p class="loading">"正在加载…"</p> }.into_any(),
    }
}

#[component]
fn Details(view: StaffSubmissionView, desk: Desk) -> impl IntoView {
    let cosigners = if view.cosigners.is_empty() {
        "无".to_owned()
    } else {
        // A co-signer on the roster who confirmed (联名) is marked; typed names stand unconfirmed.
        view.cosigners
            .iter()
            .map(|name| {
                if view.confirmed_cosigners.contains(name) {
                    format!("{name}（已确认）")
                } else {
                    name.clone()
                }
            })
            .collect::<Vec<_>>()
            .join("、")
    };
    let legal = view.legal_actions.clone();
    view! {
        <p class="no-print"><A href="/staff/">"← 返回建言列表"</A></p>
        <article class="desk-submission">
            <h1>{view.title.clone()}</h1>
            <dl>
                <dt>"回执编号"</dt><dd class="code">{view.code.clone()}</dd>
                <dt>"状态"</dt><dd><span class="badge">{view.status.label()}</span></dd>
                <dt>"类别"</dt><dd>{view.kind.label()}</dd>
                <dt>"单位"</dt><dd>{view.unit.clone()}</dd>
                <dt>"领衔人"</dt><dd>{format!("{}（{}）", view.name, view.phone)}</dd>
                <dt>"联名人"</dt><dd>{cosigners}</dd>
                <dt>"提交时间"</dt><dd>{china_time(&view.submitted_at)}</dd>
                <dt>"承办单位"</dt><dd>{view.handler.clone().unwrap_or_else(|| "未交办".into())}</dd>
                <dt>"办理时限"</dt><dd>{view.due_on.clone().map(|due| if view.overdue { format!("{due}（已逾期）") } else { due }).unwrap_or_else(|| "—".into())}</dd>
                <dt>"办理结果"</dt><dd>{view.outcome.map(|o| o.label()).unwrap_or("—")}</dd>
                {view.merged_into.clone().map(|into| view! { <dt>"已并入"</dt><dd>{into}</dd> })}
            </dl>
            <h2>"内容"</h2>
            <div class="body-text">{view.body.clone()}</div>
            {(!view.attachments.is_empty()).then(|| submission_files(&view.attachments))}
        </article>
        {view.result.clone().map(|result| view! { <ResultGrading result /> })}
        {move || desk.message.get().map(|(ok, text)| view! {
            <div class=if ok { "notice" } else { "alert" } role=if ok { "status" } else { "alert" }><p>{text}</p></div>
        })}
        <section class="no-print" aria-labelledby="actions">
            <h2 id="actions">"办理"</h2>
            {if legal.is_empty() { Some(view! { <p class="hint">"当前状态下没有可进行的办理操作。"</p> }) } else { None }}
            <div class="action-forms">
                {legal.into_iter().map(|kind| view! { <ActionForm kind desk /> }).collect_view()}
            </div>
            <button type="button" on:click=move |_| { let _ = window().print(); }>"打印"</button>
        </section>
        <Records view=view.clone() desk />
        <section aria-labelledby="timeline">
            <h2 id="timeline">"办理记录"</h2>
            <ol class="timeline" aria-labelledby="timeline">
                {view.timeline.iter().map(|entry| view! {
                    <li class:internal=!entry.public>
                        <time>{china_time(&entry.at)}</time>
                        <strong>{entry.status.label()}</strong>
                        " · " {entry.kind.label()}
                        {(!entry.public).then(|| view! { " " <span class="badge warn">"仅工作人员可见"</span> })}
                        {entry.actor.clone().map(|actor| view! { <span class="meta">{format!(" · {actor}")}</span> })}
                        {entry.merged_into.clone().map(|into| view! { <p class="note">{format!("并入 {into}")}</p> })}
                        {entry.note.clone().map(|note| view! { <p class="note">{note}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// One legal action: a button, and the fields it needs (a reason, a reply, a handling unit…).
#[component]
fn ActionForm(kind: ActionKind, desk: Desk) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let extra = RwSignal::new(String::new());
    let reason = RwSignal::new(DeclineReason::Other);
    let id = kind.as_str();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (t, e) = (text.get_untracked(), extra.get_untracked());
        let action = match kind {
            ActionKind::Accept => Action::Accept,
            ActionKind::Return => Action::Return { reason: t },
            ActionKind::Decline => Action::Decline {
                reason: reason.get_untracked(),
                text: t,
            },
            ActionKind::Merge => Action::Merge { into: t },
            ActionKind::Assign => Action::Assign {
                handler: t,
                due: Some(e).filter(|d| !d.is_empty()),
            },
            ActionKind::StartHandling => Action::StartHandling,
            ActionKind::Reply => Action::Reply { text: t },
            ActionKind::Close => Action::Close,
            ActionKind::ExtendDue => Action::ExtendDue { due: e, reason: t },
        };
        let change = ApplyAction {
            version: desk.version(),
            action,
        };
        let code = desk.code.get_untracked();
        desk.change(kind.label(), async move {
            client::apply_action(&code, &change).await
        });
    };
    let (text_label, extra_label) = match kind {
        ActionKind::Return => (Some("退回原因（提交人会看到）"), None),
        ActionKind::Decline => (Some("具体说明（提交人会看到）"), None),
        ActionKind::Merge => (Some("并入的建言编号"), None),
        ActionKind::Assign => (Some("承办单位"), Some("办理时限（不填为三个月）")),
        ActionKind::Reply => (Some("答复内容（提交人会看到）"), None),
        ActionKind::ExtendDue => (Some("延期原因"), Some("新的办理时限")),
        _ => (None, None),
    };
    let suggestions = RwSignal::new(Vec::<String>::new());
    if kind == ActionKind::Assign {
        spawn_local(async move {
            if let Ok(found) = client::handler_suggestions("").await {
                suggestions.try_set(found);
            }
        });
    }
    view! {
        <form class="action-form" on:submit=submit>
            {(kind == ActionKind::Decline).then(|| view! {
                <div class="field">
                    <label for=format!("{id}-reason")>"不予受理的理由"</label>
                    <select id=format!("{id}-reason") on:change=move |e| {
                        let v = event_target_value(&e);
                        if let Some(r) = DeclineReason::ALL.into_iter().find(|r| r.label() == v) { reason.set(r) }
                    }>
                        {DeclineReason::ALL.map(|r| view! { <option selected=r == DeclineReason::Other>{r.label()}</option> }).collect_view()}
                    </select>
                </div>
            })}
            {text_label.map(|label| {
                let long = matches!(kind, ActionKind::Reply | ActionKind::Return | ActionKind::Decline);
                view! {
                    <div class="field">
                        <label for=format!("{id}-text")>{label}</label>
                        {if long {
                            view! { <textarea id=format!("{id}-text") rows="4" prop:value=text on:input=move |e| text.set(event_target_value(&e))></textarea> }.into_any()
                        } else {
                            view! { <input id=format!("{id}-text") type="text" list=format!("{id}-list") prop:value=text on:input=move |e| text.set(event_target_value(&e)) /> }.into_any()
                        }}
                        <datalist id=format!("{id}-list")>
                            {move || suggestions.get().into_iter().map(|s| view! { <option value=s /> }).collect_view()}
                        </datalist>
                    </div>
                }
            })}
            {extra_label.map(|label| view! {
                <div class="field">
                    <label for=format!("{id}-date")>{label}</label>
                    <input id=format!("{id}-date") type="date" prop:value=extra on:input=move |e| extra.set(event_target_value(&e)) />
                </div>
            })}
            <button type="submit" class="primary" disabled=move || desk.busy.get()>{kind.label()}</button>
        </form>
    }
}

/// Outcome, flags, adoptions, leader instructions and internal notes: records beside the status.
#[component]
fn Records(view: StaffSubmissionView, desk: Desk) -> impl IntoView {
    let code = move || desk.code.get_untracked();
    let flags = view.flags;
    let set_flags = move |key: bool, excellent: bool| {
        let change = SetFlags {
            version: Some(desk.version()),
            key,
            excellent,
        };
        let code = code();
        desk.change("标记已更新", async move {
            client::set_flags(&code, &change).await
        });
    };
    let note = RwSignal::new(String::new());
    let add_note = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let change = AddNote {
            version: Some(desk.version()),
            text: note.get_untracked(),
        };
        let code = code();
        note.set(String::new());
        desk.change("已添加内部备注", async move {
            client::add_note(&code, &change).await
        });
    };
    let adoption = (
        RwSignal::new(AdoptionLevel::District),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let adoption_file = RecordFile::new();
    let add_adoption = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mut change = AddAdoption {
            version: Some(desk.version()),
            level: adoption.0.get_untracked(),
            body: adoption.1.get_untracked(),
            on_date: adoption.2.get_untracked(),
            note: Some(adoption.3.get_untracked()).filter(|n| !n.trim().is_empty()),
            file: None,
            attachment_id: None,
        };
        let code = code();
        let file = adoption_file.take();
        // The file first: the record is made only once its file is safely stored.
        desk.change("已记录采用情况", async move {
            change.attachment_id = adoption_file.upload(file).await?;
            client::add_adoption(&code, &change).await
        });
    };
    let instruction = (
        RwSignal::new(InstructionLevel::District),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let instruction_file = RecordFile::new();
    let add_instruction = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mut change = AddInstruction {
            version: Some(desk.version()),
            level: instruction.0.get_untracked(),
            leader: instruction.1.get_untracked(),
            on_date: instruction.2.get_untracked(),
            note: Some(instruction.3.get_untracked()).filter(|n| !n.trim().is_empty()),
            attachment_id: None,
        };
        let code = code();
        let file = instruction_file.take();
        desk.change("已记录领导批示", async move {
            change.attachment_id = instruction_file.upload(file).await?;
            client::add_instruction(&code, &change).await
        });
    };
    view! {
        <section aria-labelledby="records">
            <h2 id="records">"办理结果与采用"</h2>
            <div class="inline-form no-print">
                <div class="field">
                    <label for="outcome">"办理结果"</label>
                    <select id="outcome" on:change=move |e| {
                        let outcome = Outcome::parse(&event_target_value(&e));
                        let change = SetOutcome { version: Some(desk.version()), outcome };
                        let code = code();
                        desk.change("办理结果已更新", async move { client::set_outcome(&code, &change).await });
                    }>
                        <option value="" selected=view.outcome.is_none()>"未填写"</option>
                        {Outcome::ALL.map(|o| view! { <option value=o.as_str() selected=view.outcome == Some(o)>{o.label()}</option> }).collect_view()}
                    </select>
                </div>
                <label class="check"><input type="checkbox" prop:checked=flags.key
                    on:change=move |e| set_flags(event_target_checked(&e), flags.excellent) />"重点"</label>
                <label class="check"><input type="checkbox" prop:checked=flags.excellent
                    on:change=move |e| set_flags(flags.key, event_target_checked(&e)) />"优秀"</label>
            </div>
            <h3>"采用情况"</h3>
            {view.adoptions.is_empty().then(|| view! { <p class="hint">"尚无采用记录"</p> })}
            <ul>
                {view.adoptions.iter().map(|a| view! { <li>{format!("{} {} 采用 · {}{}", a.on_date, a.level.label(), a.body, a.note.clone().map(|n| format!("（{n}）")).unwrap_or_default())}{file_link(a.attachment.as_ref(), a.file.as_deref())}</li> }).collect_view()}
            </ul>
            <form class="inline-form no-print" on:submit=add_adoption aria-label="记录采用">
                <div class="field"><label for="ad-level">"采用层级"</label>
                    <select id="ad-level" on:change=move |e| if let Some(l) = AdoptionLevel::parse(&event_target_value(&e)) { adoption.0.set(l) }>
                        {AdoptionLevel::ALL.iter().map(|l| view! { <option value=l.as_str()>{l.label()}</option> }).collect_view()}
                    </select></div>
                <div class="field"><label for="ad-body">"采用单位"</label>
                    <input id="ad-body" type="text" prop:value=adoption.1 on:input=move |e| adoption.1.set(event_target_value(&e)) /></div>
                <div class="field"><label for="ad-date">"采用日期"</label>
                    <input id="ad-date" type="date" prop:value=adoption.2 on:input=move |e| adoption.2.set(event_target_value(&e)) /></div>
                <div class="field"><label for="ad-note">"备注"</label>
                    <input id="ad-note" type="text" prop:value=adoption.3 on:input=move |e| adoption.3.set(event_target_value(&e)) /></div>
                <FileField id="ad-file" label="采用文件" file=adoption_file />
                <button type="submit" disabled=move || desk.busy.get()>"记录采用"</button>
            </form>
            <h3>"领导批示"</h3>
            {view.instructions.is_empty().then(|| view! { <p class="hint">"尚无领导批示"</p> })}
            <ul>
                {view.instructions.iter().map(|i| view! { <li>{format!("{} {} · {}{}", i.on_date, i.level.label(), i.leader, i.note.clone().map(|n| format!("：{n}")).unwrap_or_default())}{file_link(i.attachment.as_ref(), None)}</li> }).collect_view()}
            </ul>
            <form class="inline-form no-print" on:submit=add_instruction aria-label="记录领导批示">
                <div class="field"><label for="in-level">"批示层级"</label>
                    <select id="in-level" on:change=move |e| if let Some(l) = InstructionLevel::parse(&event_target_value(&e)) { instruction.0.set(l) }>
                        {InstructionLevel::ALL.iter().map(|l| view! { <option value=l.as_str()>{l.label()}</option> }).collect_view()}
                    </select></div>
                <div class="field"><label for="in-leader">"批示领导"</label>
                    <input id="in-leader" type="text" prop:value=instruction.1 on:input=move |e| instruction.1.set(event_target_value(&e)) /></div>
                <div class="field"><label for="in-date">"批示日期"</label>
                    <input id="in-date" type="date" prop:value=instruction.2 on:input=move |e| instruction.2.set(event_target_value(&e)) /></div>
                <div class="field"><label for="in-note">"批示内容"</label>
                    <input id="in-note" type="text" prop:value=instruction.3 on:input=move |e| instruction.3.set(event_target_value(&e)) /></div>
                <FileField id="in-file" label="批示文件" file=instruction_file />
                <button type="submit" disabled=move || desk.busy.get()>"记录批示"</button>
            </form>
            {(!view.ratings.is_empty()).then(|| view! {
                <h3>"提交人评价"</h3>
                <ul>{view.ratings.iter().map(|r| view! { <li>{format!("{} {}{}", china_time(&r.at), r.rating.label(), r.comment.clone().map(|c| format!("：{c}")).unwrap_or_default())}</li> }).collect_view()}</ul>
            })}
            <form class="no-print" on:submit=add_note>
                <div class="field">
                    <label for="note">"内部备注（仅工作人员可见）"</label>
                    <textarea id="note" rows="3" prop:value=note on:input=move |e| note.set(event_target_value(&e))></textarea>
                </div>
                <button type="submit" disabled=move || desk.busy.get()>"添加备注"</button>
            </form>
        </section>
    }
}

/// The files the member put on the submission, in order, each a download link with its size.
fn submission_files(files: &[api::attachment::AttachmentView]) -> impl IntoView {
    view! {
        <h2 id="submission-files">{format!("附件（{} 个）", files.len())}</h2>
        <ul class="submission-files" aria-labelledby="submission-files">
            {files
                .iter()
                .map(|file| view! {
                    <li>
                        <a href=file.href() download=file.name.clone()>{file.name.clone()}</a>
                        <span class="meta">
                            {format!("（{}）", api::attachment::size_label(file.size))}
                        </span>
                    </li>
                })
                .collect_view()}
        </ul>
    }
}
