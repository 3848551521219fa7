//! 编辑问卷: title, introduction and questions on the left, the phone preview on the right, and under
//! them the publish settings. `/staff/surveys/new` starts an unsaved draft; its first 保存 creates it.

use api::survey::{check_definition, SaveSurvey, SurveyId, SurveyView};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_params_map},
};

use super::{
    draft::{Draft, KINDS},
    list::status_class,
    preview::PhonePreview,
    publish::PublishPanel,
    question::QuestionEditor,
};
use crate::{
    client::{self, ClientError},
    staff::Session,
};

/// The session-storage key that carries 已保存 across the move from `/new` to the survey's address.
const JUST_CREATED: &str = "jianyan-survey-created";

/// `/staff/surveys/new`.
#[component]
pub fn NewSurvey() -> impl IntoView {
    view! { <Builder survey=None /> }
}

/// `/staff/surveys/:id`.
#[component]
pub fn SurveyEditor() -> impl IntoView {
    let session = expect_context::<Session>();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse().ok()).map(SurveyId));
    let loaded = RwSignal::new(None::<Result<SurveyView, String>>);
    Effect::new(move |_| {
        let Some(id) = id() else {
            loaded.set(Some(Err("没有这份问卷".into())));
            return;
        };
        spawn_local(async move {
            match client::get_survey(id).await {
                Ok(view) => {
                    loaded.try_set(Some(Ok(view)));
                }
                Err(ClientError::Api { status: 401, body }) => session.expired(body.message),
                Err(error) => {
                    loaded.try_set(Some(Err(error.message())));
                }
            }
        });
    });
    move || match loaded.get() {
        None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
        Some(Err(text)) => {
            view! { <h1>"问卷"</h1><div class="alert" role="alert"><p>{text}</p></div> }.into_any()
        }
        Some(Ok(view)) => view! { <Builder survey=Some(view) /> }.into_any(),
    }
}

#[component]
fn Builder(survey: Option<SurveyView>) -> impl IntoView {
    let session = expect_context::<Session>();
    let saved = StoredValue::new(
        survey
            .as_ref()
            .map(|s| s.definition.clone())
            .unwrap_or_default(),
    );
    let definition = RwSignal::new(saved.get_value());
    let survey = RwSignal::new(survey);
    let answered =
        Signal::derive(move || survey.with(|s| s.as_ref().is_some_and(|s| s.responses > 0)));
    let draft = Draft {
        definition,
        errors: RwSignal::new(Default::default()),
    };
    // Bumped at each save, so `dirty` compares with the newest saved text.
    let saves = RwSignal::new(0u32);
    let dirty = Signal::derive(move || {
        saves.track();
        definition.with(|d| saved.with_value(|s| d != s))
    });
    let message = RwSignal::new(None::<(bool, String, Vec<String>)>);
    if let (Some(id), Ok(Some(storage))) = (
        survey.with_untracked(|s| s.as_ref().map(|s| s.id.0.to_string())),
        window().session_storage(),
    ) {
        if storage.get_item(JUST_CREATED).ok().flatten() == Some(id) {
            let _ = storage.remove_item(JUST_CREATED);
            message.set(Some((true, "已保存".into(), Vec::new())));
        }
    }
    let busy = RwSignal::new(false);
    let navigate = StoredValue::new(use_navigate());

    // Once a save was refused, the messages follow the typing: a fixed mistake's message goes away.
    Effect::new(move |_| {
        let errors = definition.with(|d| check_definition(d).err().unwrap_or_default());
        if draft.errors.with_untracked(|e| e.is_empty()) {
            return;
        }
        let details: Vec<String> = errors.values().cloned().collect();
        draft.errors.set(errors);
        message.update(|m| {
            if let Some((false, _, old)) = m {
                if details.is_empty() {
                    *m = None;
                } else {
                    *old = details;
                }
            }
        });
    });
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = definition.get_untracked();
        if let Err(fields) = check_definition(&text) {
            let details = fields.values().cloned().collect();
            draft.errors.set(fields);
            message.set(Some((false, "问卷还有需要修改的地方：".into(), details)));
            return;
        }
        draft.errors.set(Default::default());
        let id = survey.with_untracked(|s| s.as_ref().map(|s| s.id));
        busy.set(true);
        spawn_local(async move {
            let body = SaveSurvey {
                definition: text.clone(),
            };
            let result = match id {
                Some(id) => client::save_survey(id, &body).await,
                None => client::create_survey(&body).await,
            };
            busy.try_set(false);
            match result {
                Ok(view) => {
                    saved.set_value(view.definition.clone());
                    saves.try_update(|n| *n += 1);
                    message.try_set(Some((true, "已保存".into(), Vec::new())));
                    if id.is_none() {
                        // The new address mounts the page afresh: it says 已保存 from there.
                        if let Ok(Some(storage)) = window().session_storage() {
                            let _ = storage.set_item(JUST_CREATED, &view.id.0.to_string());
                        }
                        navigate.with_value(|go| {
                            go(&format!("/surveys/{}", view.id.0), Default::default())
                        });
                    } else {
                        survey.try_set(Some(view));
                    }
                }
                Err(ClientError::Api { status: 401, body }) => session.expired(body.message),
                Err(ClientError::Api { body, .. }) => {
                    // Every message is listed here too: one may be about a question no longer on the page.
                    let details = body.fields.values().cloned().collect();
                    draft.errors.try_set(body.fields);
                    message.try_set(Some((false, body.message, details)));
                }
                Err(error) => {
                    message.try_set(Some((
                        false,
                        format!("{}（修改仍在本页，可以再点保存）", error.message()),
                        Vec::new(),
                    )));
                }
            }
        });
    };
    let field_error = move |key: &'static str| draft.errors.with(|e| e.get(key).cloned());
    let question_ids =
        move || definition.with(|d| d.questions.iter().map(|q| q.id).collect::<Vec<_>>());
    let add = move |kind: &'static str| {
        let id = draft.add(kind);
        request_animation_frame(move || {
            if let Some(input) = document().get_element_by_id(&format!("q{}-title", id.0)) {
                use wasm_bindgen::JsCast;
                if let Ok(input) = input.dyn_into::<web_sys::HtmlElement>() {
                    let _ = input.focus();
                }
            }
        });
    };
    let has_survey = Memo::new(move |_| survey.with(|s| s.is_some()));
    let heading = move || {
        survey.with(|s| {
            if s.is_some() {
                "编辑问卷"
            } else {
                "新建问卷"
            }
        })
    };
    view! {
        <p class="no-print"><A href="/staff/surveys">"← 问卷列表"</A></p>
        <h1>{heading}</h1>
        {move || survey.get().map(|s| view! {
            <p class="survey-meta">
                <span class=format!("survey-status {}", status_class(s.status))>{s.status.label()}</span>
                {format!(" · 已收到 {} 份答卷", s.responses)}
                {(s.status != api::survey::SurveyStatus::Draft).then(|| view! {
                    " · " <A href=format!("/staff/surveys/{}/results", s.id.0)>"查看结果"</A>
                })}
            </p>
        })}
        {move || answered.get().then(|| view! {
            <div class="notice" role="note"><p>"这份问卷已有答卷：可以修改文字、补充说明和在末尾添加选项或题目；删除、改题型或调整题目、选项的顺序会被拒绝，以免已收到的答案错位。"</p></div>
        })}
        <div class="survey-builder">
            <form class="survey-form" on:submit=save aria-label="问卷内容" novalidate>
                <div class="field">
                    <label for="s-title">"问卷标题"</label>
                    <input id="s-title" type="text" required aria-describedby="s-title-error"
                        prop:value=move || definition.with(|d| d.title.clone())
                        on:input=move |e| { let text = event_target_value(&e); definition.update(|d| d.title = text) } />
                    <p class="field-error" id="s-title-error">{move || field_error("title")}</p>
                </div>
                <div class="field">
                    <label for="s-intro">"说明（显示在第一屏，可不填）"</label>
                    <textarea id="s-intro" rows="3" aria-describedby="s-intro-error"
                        prop:value=move || definition.with(|d| d.intro.clone())
                        on:input=move |e| { let text = event_target_value(&e); definition.update(|d| d.intro = text) }></textarea>
                    <p class="field-error" id="s-intro-error">{move || field_error("intro")}</p>
                </div>
                <For each=question_ids key=|id| *id let:id>
                    <QuestionEditor draft id />
                </For>
                <p class="field-error">{move || field_error("questions")}</p>
                <div class="add-question" role="group" aria-label="添加题目">
                    {KINDS.iter().map(|(kind, label)| {
                        let short = label.split('（').next().unwrap_or(label);
                        view! { <button type="button" on:click=move |_| add(kind)>{format!("添加{short}题")}</button> }
                    }).collect_view()}
                </div>
                <div class="save-row">
                    <button type="submit" class="primary" disabled=move || busy.get()>"保存问卷"</button>
                    {move || dirty.get().then(|| view! { <span class="meta">"有未保存的修改"</span> })}
                </div>
                <div aria-live="polite">
                    {move || message.get().map(|(ok, text, details)| if ok {
                        view! { <p class="done">{text}</p> }.into_any()
                    } else {
                        view! {
                            <div class="alert" role="alert">
                                <p>{text}</p>
                                <ul>{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                            </div>
                        }
                        .into_any()
                    })}
                </div>
            </form>
            <PhonePreview draft />
        </div>
        {move || (has_survey.get() && session.is_admin()).then(|| view! { <PublishPanel survey dirty /> })}
    }
}
