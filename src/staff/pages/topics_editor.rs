//! 课题编辑 (administrators): write a topic, save it as a draft, publish it, and later close or withdraw
//! it. A draft changes in place; every save after publishing makes a new version, listed below the form
//! with what changed. The same rules as the server's check every field first, and a refused save keeps
//! everything typed.

use api::{
    roster::StaffUnit,
    topic::{Issuer, SaveTopic, TopicDetails, TopicState, TopicView, WithdrawTopic},
    FieldErrors, TopicId, UnitId,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_params_map, use_query_map},
};

use super::topics_versions::TopicVersions;
use crate::{
    client::{self, ClientError},
    load::load,
    staff::Session,
};

/// What the form holds, one signal per field.
#[derive(Clone, Copy)]
struct TopicForm {
    title: RwSignal<String>,
    background: RwSignal<String>,
    questions: RwSignal<String>,
    issuer: RwSignal<Issuer>,
    category: RwSignal<String>,
    deadline: RwSignal<String>,
    all_units: RwSignal<bool>,
    unit_ids: RwSignal<Vec<UnitId>>,
}

impl TopicForm {
    fn new() -> Self {
        TopicForm {
            title: RwSignal::new(String::new()),
            background: RwSignal::new(String::new()),
            questions: RwSignal::new(String::new()),
            issuer: RwSignal::new(Issuer::UnitedFront),
            category: RwSignal::new(String::new()),
            deadline: RwSignal::new(String::new()),
            all_units: RwSignal::new(true),
            unit_ids: RwSignal::new(Vec::new()),
        }
    }

    fn fill(&self, topic: &TopicView) {
        self.title.set(topic.title.clone());
        self.background.set(topic.background.clone());
        self.questions.set(topic.questions.clone());
        self.issuer.set(topic.issuer);
        self.category.set(topic.category.clone());
        self.deadline.set(topic.deadline.clone());
        self.all_units.set(topic.all_units);
        self.unit_ids.set(if topic.all_units {
            Vec::new()
        } else {
            topic.units.iter().map(|u| u.id).collect()
        });
    }

    fn read(&self, version: Option<i64>) -> SaveTopic {
        let all_units = self.all_units.get_untracked();
        SaveTopic {
            title: self.title.get_untracked(),
            background: self.background.get_untracked(),
            questions: self.questions.get_untracked(),
            issuer: self.issuer.get_untracked(),
            category: self.category.get_untracked(),
            deadline: self.deadline.get_untracked(),
            year: None,
            all_units,
            unit_ids: if all_units {
                Vec::new()
            } else {
                self.unit_ids.get_untracked()
            },
            version,
        }
    }
}

const PUBLISHED: &str = "已发布：面向的单位现在可以看到并认领这个课题";

/// What the staff member asked for.
#[derive(Clone, Copy, PartialEq)]
enum Step {
    Save,
    Publish,
    Close,
    Withdraw,
}

/// The page's state beside the form.
#[derive(Clone, Copy)]
struct Editor {
    form: TopicForm,
    current: RwSignal<Option<TopicView>>,
    errors: RwSignal<FieldErrors>,
    /// (whether it worked, the sentence).
    message: RwSignal<Option<(bool, String)>>,
    busy: RwSignal<bool>,
    /// Which confirmation is open: close or withdraw.
    confirming: RwSignal<Option<Step>>,
    withdraw_reason: RwSignal<String>,
    /// Bumped after each change, so the versions panel reads again.
    changed: RwSignal<u32>,
    session: Session,
}

impl Editor {
    fn error(&self, field: &'static str) -> impl Fn() -> Option<String> + Copy + use<> {
        let errors = self.errors;
        move || errors.with(|e| e.get(field).cloned())
    }

    /// Saves (and publishes, closes or withdraws); `created` is told the id of a topic saved the first time.
    fn run(self, step: Step, created: impl Fn(TopicId, TopicState) + 'static) {
        if self.busy.get_untracked() {
            return;
        }
        let current = self.current.get_untracked();
        let first = current.is_none();
        let state = current.as_ref().map(|t| t.state);
        let editable = matches!(
            state,
            None | Some(TopicState::Draft | TopicState::Published)
        );
        let save = if matches!(step, Step::Save | Step::Publish) && editable {
            let topic = self.form.read(current.as_ref().map(|t| t.version));
            if let Err(errors) = TopicDetails::parse(&topic) {
                self.errors.set(errors);
                self.message
                    .set(Some((false, "有几处需要修改，请看标红的说明".into())));
                return;
            }
            Some(topic)
        } else {
            None
        };
        let reason = WithdrawTopic {
            reason: self.withdraw_reason.get_untracked(),
        };
        if step == Step::Withdraw && reason.reason.trim().is_empty() {
            self.errors.set(FieldErrors::from([(
                "reason".to_owned(),
                "请填写撤回原因".to_owned(),
            )]));
            return;
        }
        self.busy.set(true);
        self.errors.set(FieldErrors::new());
        let editor = self;
        spawn_local(async move {
            let answer = editor.send(step, current, save, reason).await;
            editor.busy.try_set(false);
            match answer {
                Ok((topic, done)) => {
                    editor.confirming.try_set(None);
                    editor.message.try_set(Some((true, done)));
                    editor.changed.try_update(|n| *n += 1);
                    let (id, state) = (topic.id, topic.state);
                    editor.current.try_set(Some(topic));
                    if first {
                        created(id, state);
                    }
                }
                Err(ClientError::Api { status: 401, body }) => editor.session.expired(body.message),
                Err(ClientError::Api { body, .. }) => {
                    editor.errors.try_set(body.fields);
                    editor.message.try_set(Some((false, body.message)));
                }
                Err(error) => {
                    editor.message.try_set(Some((false, error.message())));
                }
            }
        });
    }

    async fn send(
        self,
        step: Step,
        current: Option<TopicView>,
        save: Option<SaveTopic>,
        reason: WithdrawTopic,
    ) -> Result<(TopicView, String), ClientError> {
        let mut topic = current;
        let was_published = topic.as_ref().map(|t| t.state) == Some(TopicState::Published);
        if let Some(save) = save {
            let saved = match &topic {
                None => client::create_topic(&save).await?,
                Some(t) => client::save_topic(t.id, &save).await?,
            };
            // The saved copy is the page's now, even if publishing then fails.
            self.current.try_set(Some(saved.clone()));
            topic = Some(saved);
        }
        let Some(topic) = topic else {
            return Err(ClientError::Api {
                status: 400,
                body: api::ErrorBody::new("请先保存课题"),
            });
        };
        Ok(match step {
            Step::Save if was_published => {
                let done = format!("已保存修改，现为第 {} 版", topic.version);
                (topic, done)
            }
            Step::Save => (topic, "已保存草稿".to_owned()),
            Step::Publish => (client::publish_topic(topic.id).await?, PUBLISHED.to_owned()),
            Step::Close => (
                client::close_topic(topic.id).await?,
                "课题已结束：不再接受认领和成果".to_owned(),
            ),
            Step::Withdraw => (
                client::withdraw_topic(topic.id, &reason).await?,
                "课题已撤回：成员不再看到它".to_owned(),
            ),
        })
    }
}

#[component]
pub fn TopicEditor() -> impl IntoView {
    let session = expect_context::<Session>();
    let params = use_params_map();
    let query = use_query_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|id| id.parse().ok().map(TopicId)));
    let editor = Editor {
        form: TopicForm::new(),
        current: RwSignal::new(None),
        errors: RwSignal::new(FieldErrors::new()),
        // A topic saved for the first time comes back here under its own address, saying what was done.
        message: RwSignal::new(query.with_untracked(|q| q.get("done")).map(|done| {
            let text = if done == "published" {
                PUBLISHED
            } else {
                "已保存草稿"
            };
            (true, text.to_owned())
        })),
        busy: RwSignal::new(false),
        confirming: RwSignal::new(None),
        withdraw_reason: RwSignal::new(String::new()),
        changed: RwSignal::new(0),
        session,
    };
    let failed = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(id.is_none());
    if let Some(id) = id {
        spawn_local(async move {
            match client::get_topic(id).await {
                Ok(topic) => {
                    editor.form.fill(&topic);
                    editor.current.try_set(Some(topic));
                    loaded.try_set(true);
                }
                Err(ClientError::Api { status: 401, body }) => session.expired(body.message),
                Err(error) => {
                    failed.try_set(Some(error.message()));
                }
            }
        });
    }
    let (units, _) = load(client::staff_units);
    move || {
        if !session.is_admin() {
            return view! {
                <h1>"编辑课题"</h1>
                <div class="alert" role="alert"><p>"只有管理员可以新建和编辑课题。"</p></div>
                <p><A href="/staff/topics">"返回课题总览"</A></p>
            }
            .into_any();
        }
        if let Some(message) = failed.get() {
            return view! {
                <div class="alert" role="alert"><p>{message}</p></div>
                <p><A href="/staff/topics">"返回课题总览"</A></p>
            }
            .into_any();
        }
        if !loaded.get() {
            return view! { <p class="loading">"正在加载…"</p> }.into_any();
        }
        view! { <EditorPage editor units /> }.into_any()
    }
}

#[component]
fn EditorPage(
    editor: Editor,
    units: RwSignal<Option<Result<Vec<StaffUnit>, ClientError>>>,
) -> impl IntoView {
    let navigate = use_navigate();
    let created = move |id: TopicId, state: TopicState| {
        let done = if state == TopicState::Published {
            "published"
        } else {
            "saved"
        };
        navigate(
            &format!("/topics/{}/edit?done={done}", id.0),
            leptos_router::NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    };
    let created = StoredValue::new(created);
    let run = move |step: Step| {
        editor.run(step, move |id, state| {
            created.with_value(|go| go(id, state))
        });
    };
    let form = editor.form;
    let state = move || editor.current.with(|c| c.as_ref().map(|t| t.state));
    let editable = move || {
        matches!(
            state(),
            None | Some(TopicState::Draft | TopicState::Published)
        )
    };
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        run(Step::Save);
    };
    let heading = move || {
        editor.current.with(|c| match c {
            None => "新建课题".to_owned(),
            Some(t) => format!("编辑课题：{}", t.title),
        })
    };
    let text_input = move |signal: RwSignal<String>| move |e| signal.set(event_target_value(&e));
    view! {
        <p class="no-print">
            {move || match editor.current.get() {
                Some(t) => view! { <A href=format!("/staff/topics/{}", t.id.0)>"← 返回课题看板"</A> }.into_any(),
                None => view! { <A href="/staff/topics">"← 返回课题总览"</A> }.into_any(),
            }}
        </p>
        <h1>{heading}</h1>
        {move || editor.current.get().map(|t| view! {
            <p class="topic-state">
                <span class=format!("badge topic-{}", t.state.as_str())>{t.state.label()}</span>
                {(t.version > 0).then(|| format!(" 第 {} 版", t.version))}
                {(t.state == TopicState::Published).then_some(" · 发布后的每次修改都会保存为新的版本，并记录改动")}
                {t.withdrawn_reason.clone().map(|r| format!(" · 撤回原因：{r}"))}
            </p>
        })}
        <div aria-live="polite">
            {move || editor.message.get().map(|(ok, text)| if ok {
                view! { <p class="notice" role="status">{text}</p> }.into_any()
            } else {
                view! { <div class="alert" role="alert"><p>{text}</p></div> }.into_any()
            })}
        </div>
        <form class="topic-form panel" on:submit=on_submit aria-label="课题内容" novalidate>
            <fieldset disabled=move || !editable() class="plain">
                <TextField id="t-title" label="课题名称" hint="5–60 字，一行" error=editor.error("title")>
                    <input id="t-title" type="text" prop:value=form.title on:input=text_input(form.title)
                        aria-invalid=move || editor.error("title")().map(|_| "true") aria-describedby="t-title-error" />
                </TextField>
                <TextField id="t-background" label="背景" hint="为什么出这个题：现状、问题、党委政府关注的方面" error=editor.error("background")>
                    <textarea id="t-background" rows="6" prop:value=form.background on:input=text_input(form.background)
                        aria-invalid=move || editor.error("background")().map(|_| "true") aria-describedby="t-background-error"></textarea>
                </TextField>
                <TextField id="t-questions" label="需回答的问题" hint="调研成果要回答的问题，一行一个" error=editor.error("questions")>
                    <textarea id="t-questions" rows="6" prop:value=form.questions on:input=text_input(form.questions)
                        aria-invalid=move || editor.error("questions")().map(|_| "true") aria-describedby="t-questions-error"></textarea>
                </TextField>
                <div class="inline-form">
                    <div class="field">
                        <label for="t-issuer">"出题单位"</label>
                        <select id="t-issuer" on:change=move |e| if let Some(i) = Issuer::parse(&event_target_value(&e)) { form.issuer.set(i) }>
                            {Issuer::ALL.iter().map(|i| {
                                let i = *i;
                                view! { <option value=i.as_str() selected=move || form.issuer.get() == i>{i.label()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <TextField id="t-category" label="类别" hint="如 经济发展、社会民生" error=editor.error("category")>
                        <input id="t-category" type="text" list="t-categories" prop:value=form.category on:input=text_input(form.category)
                            aria-invalid=move || editor.error("category")().map(|_| "true") aria-describedby="t-category-error" />
                        <datalist id="t-categories">
                            {["经济发展", "社会民生", "城市治理", "生态环境", "文化教育", "基层治理"].map(|c| view! { <option value=c></option> }).collect_view()}
                        </datalist>
                    </TextField>
                    <TextField id="t-deadline" label="截止日期" hint="当天 24 时（北京时间）前提交成果" error=editor.error("deadline")>
                        <input id="t-deadline" type="date" prop:value=form.deadline on:input=text_input(form.deadline)
                            aria-invalid=move || editor.error("deadline")().map(|_| "true") aria-describedby="t-deadline-error" />
                    </TextField>
                </div>
                <UnitsField form units error=editor.error("unit_ids") />
            </fieldset>
            <div class="form-actions topic-actions">
                {move || match state() {
                    None | Some(TopicState::Draft) => view! {
                        <button type="submit" disabled=move || editor.busy.get()>"保存草稿"</button>
                        <button type="button" class="primary" disabled=move || editor.busy.get() on:click=move |_| run(Step::Publish)>"发布"</button>
                    }.into_any(),
                    Some(TopicState::Published) => view! {
                        <button type="submit" class="primary" disabled=move || editor.busy.get()>"保存修改"</button>
                        <button type="button" disabled=move || editor.busy.get() on:click=move |_| editor.confirming.set(Some(Step::Close))>"结束课题"</button>
                    }.into_any(),
                    Some(_) => view! { <p class="hint">"这个课题已结束或已撤回，不能再修改。"</p> }.into_any(),
                }}
                {move || matches!(state(), Some(TopicState::Draft | TopicState::Published)).then(|| view! {
                    <button type="button" disabled=move || editor.busy.get() on:click=move |_| editor.confirming.set(Some(Step::Withdraw))>"撤回课题"</button>
                })}
            </div>
        </form>
        {move || editor.confirming.get().map(|step| view! { <Confirm editor step run /> })}
        {move || editor.current.get().filter(|t| t.version > 0).map(|t| view! {
            <TopicVersions id=t.id changed=editor.changed />
        })}
    }
}

/// A labelled field with its hint and its message; the control is the child.
#[component]
fn TextField(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    error: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field" class:invalid=move || error().is_some()>
            <label for=id>{label}</label>
            {children()}
            <p class="hint">{hint}</p>
            <p class="error" id=format!("{id}-error") aria-live="polite">{error}</p>
        </div>
    }
}

/// 面向单位: all units (also ones added later), or the ticked ones.
#[component]
fn UnitsField(
    form: TopicForm,
    units: RwSignal<Option<Result<Vec<StaffUnit>, ClientError>>>,
    error: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let toggle = move |id: UnitId, on: bool| {
        form.unit_ids.update(|ids| {
            ids.retain(|i| *i != id);
            if on {
                ids.push(id);
            }
        })
    };
    view! {
        <fieldset class="field units-choice" class:invalid=move || error().is_some() aria-describedby="t-units-error">
            <legend>"面向单位"</legend>
            <label class="check"><input type="radio" name="t-audience" prop:checked=move || form.all_units.get()
                on:change=move |_| form.all_units.set(true) />"全部单位（含以后新增的单位）"</label>
            <label class="check"><input type="radio" name="t-audience" prop:checked=move || !form.all_units.get()
                on:change=move |_| form.all_units.set(false) />"指定单位"</label>
            {move || (!form.all_units.get()).then(|| match units.get() {
                None => view! { <p class="loading">"正在加载单位…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.message()}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <div class="unit-checks">
                        {list.into_iter()
                            .filter(|u| u.retired_at.is_none() || form.unit_ids.with_untracked(|ids| ids.contains(&u.id)))
                            .map(|u| {
                                let id = u.id;
                                view! {
                                    <label class="check"><input type="checkbox"
                                        prop:checked=move || form.unit_ids.with(|ids| ids.contains(&id))
                                        on:change=move |e| toggle(id, event_target_checked(&e)) />{u.name}</label>
                                }
                            }).collect_view()}
                    </div>
                }.into_any(),
            })}
            <p class="error" id="t-units-error" aria-live="polite">{error}</p>
        </fieldset>
    }
}

/// The second step of closing or withdrawing: says what happens, asks for a reason to withdraw.
#[component]
fn Confirm(
    editor: Editor,
    step: Step,
    run: impl Fn(Step) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (title, text, button) = if step == Step::Close {
        (
            "结束这个课题？",
            "结束后不再接受认领和成果，看板和已提交的成果都保留。",
            "确认结束",
        )
    } else {
        (
            "撤回这个课题？",
            "撤回后成员不再看到它，已有的认领作废。撤回原因会记录下来。",
            "确认撤回",
        )
    };
    let reason = editor.error("reason");
    view! {
        <section class="panel confirm" role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-text">
            <h2 id="confirm-title">{title}</h2>
            <p id="confirm-text">{text}</p>
            {(step == Step::Withdraw).then(|| view! {
                <div class="field" class:invalid=move || reason().is_some()>
                    <label for="t-reason">"撤回原因"</label>
                    <textarea id="t-reason" rows="3" prop:value=editor.withdraw_reason
                        on:input=move |e| editor.withdraw_reason.set(event_target_value(&e))
                        aria-describedby="t-reason-error"></textarea>
                    <p class="error" id="t-reason-error" aria-live="polite">{reason}</p>
                </div>
            })}
            <div class="form-actions">
                <button type="button" class="primary" disabled=move || editor.busy.get() on:click=move |_| run(step)>{button}</button>
                <button type="button" on:click=move |_| editor.confirming.set(None)>"取消"</button>
            </div>
        </section>
    }
}
