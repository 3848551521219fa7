//! One survey (`/surveys/<id>`, or `/surveys/link/<key>` for a public-link survey): a first screen with
//! the introduction (and, for an anonymous survey, that nobody can link the answers to the member; for a
//! public-link survey, that one response per device is allowed); then one question per screen with a
//! progress bar and 上一题 / 下一题, or every question on one page when there are up to five. Skip logic
//! hides questions as answers are given; required questions and every other rule of the api crate are
//! checked in the browser and named under the question. Answers are kept on the device as a draft as
//! they are given; the response leaves through the outbox.

use std::collections::BTreeMap;

use api::{
    survey::{
        validate_response, visible_questions, Answer, AnswerValue, MemberSurvey, QuestionId,
        SurveyDefinition, SurveyStatus,
    },
    FieldErrors,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{outbox::SurveyOutbox, LIST_PAGE};
use crate::{
    client::{self, ClientError, SurveyRef},
    components::survey_question::{number_problem, SurveyQuestion},
    format::china_time,
    load::load,
    storage,
};

/// Up to this many questions, all are on one page.
const ONE_PAGE_MAX: usize = 5;
const DRAFT_PREFIX: &str = "jianyan.survey-draft.";

/// What the member has given so far, kept on the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
struct Draft {
    answers: Vec<Answer>,
    /// The screen they were on (0 is the first screen).
    #[serde(default)]
    screen: usize,
}

fn draft_key(survey: &SurveyRef) -> String {
    format!("{DRAFT_PREFIX}{}", survey.storage_name())
}

/// Where the member's response stands on this page.
#[derive(Clone, PartialEq)]
enum Phase {
    /// Not sent (or refused): the form.
    Form,
    /// In the outbox, waiting or being sent.
    Waiting {
        key: String,
        message: Option<String>,
    },
    /// Delivered during this visit, with the server's thanks.
    Thanks(String),
}

#[component]
pub fn SurveyPage(survey: SurveyRef) -> impl IntoView {
    let outbox = expect_context::<SurveyOutbox>();
    let (loaded, reload) = {
        let survey = survey.clone();
        load(move || client::open_survey(survey.clone()))
    };
    let phase = {
        let survey = survey.clone();
        Memo::new(move |_| {
            if let Some(thanks) = outbox.delivered(&survey) {
                return Phase::Thanks(thanks);
            }
            match outbox.pending(&survey) {
                Some(item) if !item.refused => Phase::Waiting {
                    key: item.key,
                    message: item.message,
                },
                _ => Phase::Form,
            }
        })
    };
    move || {
        let survey = survey.clone();
        match (phase.get(), loaded.get()) {
            (Phase::Thanks(message), _) => view! {
                <h1>"感谢参与"</h1>
                <p class="notice" role="status">{message}</p>
                <p><a href=LIST_PAGE>"返回问卷列表"</a></p>
            }
            .into_any(),
            (Phase::Waiting { key, message }, _) => {
                let sending = {
                    let key = key.clone();
                    move || outbox.is_sending(&key)
                };
                view! {
                    <h1>"答卷待发送"</h1>
                    <p class="notice" role="status">
                        {move || if sending() { "正在发送您的答卷…" } else { "您的答卷已保存在本机，联网后会自动发送，无需再次填写。" }}
                    </p>
                    {message.map(|m| view! { <p class="hint">"上次发送未成功：" {m}</p> })}
                    <p class="row-actions">
                        <button type="button" on:click=move |_| outbox.flush()>"立即重试"</button>
                        <a href=LIST_PAGE>"返回问卷列表"</a>
                    </p>
                }
                .into_any()
            }
            (Phase::Form, None) => {
                view! { <h1>"问卷"</h1><p class="loading">"正在加载…"</p> }.into_any()
            }
            (Phase::Form, Some(Err(error))) => view! {
                <h1>"问卷"</h1>
                <p class="error" role="alert">{not_loaded(&error)}</p>
                <p class="row-actions">
                    <button type="button" on:click=move |_| reload.notify()>"重试"</button>
                    <a href=LIST_PAGE>"返回问卷列表"</a>
                </p>
            }
            .into_any(),
            (Phase::Form, Some(Ok(loaded))) => view! { <Survey survey loaded /> }.into_any(),
        }
    }
}

/// Why the survey did not open, in words the member can act on.
fn not_loaded(error: &ClientError) -> String {
    match error {
        ClientError::Api { status: 401, .. } => {
            "本问卷面向已加入的成员。请先打开统战部或本单位联络员发给您的个人邀请链接，加入后再来填写。".into()
        }
        _ => error.message(),
    }
}

/// The survey: a notice instead of a form when it cannot be answered, else the form.
#[component]
fn Survey(survey: SurveyRef, loaded: MemberSurvey) -> impl IntoView {
    let title = loaded.definition.title.clone();
    let closes = china_time(&loaded.closes_at);
    let blocked = match loaded.status {
        SurveyStatus::Scheduled | SurveyStatus::Draft => Some("本问卷尚未开始"),
        SurveyStatus::Closed => Some("本问卷已结束"),
        SurveyStatus::Collecting if loaded.answered && !loaded.editable_until_close => {
            Some("您已填写过本问卷")
        }
        SurveyStatus::Collecting => None,
    };
    if let Some(heading) = blocked {
        // Nothing typed may be lost: a draft for a survey that can no longer take it stays on the device.
        return view! {
            <h1>{title}</h1>
            <div class="notice survey-closed" role="status">
                <p><strong>{heading}</strong></p>
                <p>{loaded.notice}</p>
            </div>
            <p><a href=LIST_PAGE>"返回问卷列表"</a></p>
        }
        .into_any();
    }
    view! {
        <h1>{title}</h1>
        <p class="hint">"截止时间：" {closes}</p>
        <Answering survey loaded />
    }
    .into_any()
}

/// The questions, their answers, the checks and the send.
#[component]
fn Answering(survey: SurveyRef, loaded: MemberSurvey) -> impl IntoView {
    let outbox = expect_context::<SurveyOutbox>();
    let definition = StoredValue::new(loaded.definition.clone());
    let refused = outbox.pending(&survey).filter(|item| item.refused);
    let draft: Option<Draft> = storage::load(&draft_key(&survey));
    // What the form starts from: a refused response, else the draft, else the member's earlier answers.
    let (start, mut screen_at) = match (&refused, &draft) {
        (Some(item), _) => (item.answers.clone(), 1),
        (None, Some(draft)) => (draft.answers.clone(), draft.screen),
        (None, None) => (loaded.my_answers.clone().unwrap_or_default(), 0),
    };
    let given: BTreeMap<QuestionId, AnswerValue> =
        start.into_iter().map(|a| (a.question, a.value)).collect();
    let questions: Vec<_> = loaded
        .definition
        .questions
        .iter()
        .map(|question| {
            let signal = RwSignal::new(given.get(&question.id).cloned());
            (question.clone(), signal)
        })
        .collect();
    let signals: Vec<(QuestionId, RwSignal<Option<AnswerValue>>)> =
        questions.iter().map(|(q, s)| (q.id, *s)).collect();
    let signals = StoredValue::new(signals);
    let answers = Memo::new(move |_| {
        signals.with_value(|signals| {
            signals
                .iter()
                .filter_map(|(id, signal)| {
                    signal.get().map(|value| Answer {
                        question: *id,
                        value,
                    })
                })
                .collect::<Vec<_>>()
        })
    });
    let visible = Memo::new(move |_| {
        definition.with_value(|definition| visible_questions(definition, &answers.get()))
    });
    let one_page = questions.len() <= ONE_PAGE_MAX;
    if one_page {
        screen_at = 0;
    }
    let screen = RwSignal::new(screen_at);
    let errors = RwSignal::new(
        refused
            .as_ref()
            .map(|i| i.fields.clone())
            .unwrap_or_default(),
    );
    let refusal = refused.as_ref().and_then(|item| item.message.clone());
    let draft_status = RwSignal::new(None::<&'static str>);

    // Every answer (and the screen) goes to the device as it is given.
    let draft_storage = draft_key(&survey);
    let started = StoredValue::new(false);
    Effect::new(move |_| {
        let draft = Draft {
            answers: answers.get(),
            screen: screen.get(),
        };
        if !started.get_value() {
            // The first run only reads what was there.
            started.set_value(true);
            return;
        }
        let kept = storage::save(&draft_storage, &draft);
        draft_status.set(Some(if kept {
            "已自动保存在本机"
        } else {
            "本机无法保存草稿（存储已满或被禁用），请勿关闭页面"
        }));
    });
    // An answer changed: its message (and those of questions it hides) is stale.
    let clear_error =
        move |id: QuestionId| errors.update(|e| drop(e.remove(&format!("q{}", id.0))));
    for (id, signal) in signals.get_value() {
        Effect::new(move |previous: Option<()>| {
            signal.track();
            if previous.is_some() {
                clear_error(id);
            }
        });
    }

    let error_of = move |id: QuestionId| {
        Signal::derive(move || errors.with(|e| e.get(&format!("q{}", id.0)).cloned()))
    };
    // The question on screen in step mode (screen 0 is the first screen).
    let current = Memo::new(move |_| {
        let at = screen.get();
        (at > 0)
            .then(|| visible.with(|v| v.get(at - 1).copied()))
            .flatten()
    });
    let total = move || visible.with(Vec::len);
    let last = move || one_page || screen.get() >= total();

    let survey_for_send = survey.clone();
    let title = loaded.definition.title.clone();
    let send = move || {
        let problems = definition.with_value(|d| problems(d, &answers.get_untracked()));
        match problems {
            Err(found) => {
                if !one_page {
                    // Go to the first question that needs a fix.
                    let first = visible
                        .get_untracked()
                        .iter()
                        .position(|id| found.contains_key(&format!("q{}", id.0)));
                    if let Some(at) = first {
                        screen.set(at + 1);
                    }
                }
                errors.set(found);
                focus_first_error();
            }
            Ok(cleaned) => {
                outbox.send(survey_for_send.clone(), title.clone(), cleaned);
                storage::remove(&draft_key(&survey_for_send));
            }
        }
    };
    // 下一题 checks the question on screen only; on the last screen (or the one page) the whole response.
    let forward = move |_| {
        if last() {
            send();
            return;
        }
        let Some(id) = current.get_untracked() else {
            screen.set(1);
            return;
        };
        let key = format!("q{}", id.0);
        let problem = definition
            .with_value(|d| problems(d, &answers.get_untracked()))
            .err()
            .and_then(|mut found| found.remove(&key));
        match problem {
            Some(message) => {
                errors.update(|e| drop(e.insert(key, message)));
                focus_first_error();
            }
            None => screen.update(|s| *s += 1),
        }
    };

    let first_screen = first_screen(&loaded, refusal);
    let resumed = draft.is_some() || refused.is_some();
    let submit_label = if loaded.answered {
        "提交修改"
    } else {
        "提交问卷"
    };
    let forward_label = move || match screen.get() {
        _ if last() => submit_label,
        0 if resumed => "继续填写",
        0 => "开始填写",
        _ => "下一题",
    };
    // Every question has its slot; it shows when skip logic shows it and, in step mode, on its screen.
    let slots = questions
        .into_iter()
        .map(|(question, signal)| {
            let id = question.id;
            let number = definition.with_value(|d| d.number_of(id)).unwrap_or(0);
            let shown = Memo::new(move |_| {
                visible.with(|v| v.contains(&id)) && (one_page || current.get() == Some(id))
            });
            move || {
                shown.get().then(|| {
                    view! { <SurveyQuestion question=question.clone() number answer=signal error=error_of(id) /> }
                })
            }
        })
        .collect_view();
    view! {
        {move || (one_page || screen.get() == 0).then(first_screen.clone())}
        {move || (!one_page && screen.get() > 0).then(|| {
            let at = move || screen.get().min(total());
            view! {
                <div class="progress" role="group" aria-label="答题进度">
                    <progress max=total value=at></progress>
                    <span>{move || format!("第 {} 题，共 {} 题", at(), total())}</span>
                </div>
            }
        })}
        {slots}
        <div class="form-actions step-actions" class:one-page=one_page>
            <button type="button" hidden=move || one_page || screen.get() == 0
                on:click=move |_| screen.update(|s| *s = s.saturating_sub(1))>"上一题"</button>
            <button type="button" class="primary" on:click=forward>{forward_label}</button>
            {move || draft_status.get().map(|text| view! { <p class="draft-status" role="status">{text}</p> })}
        </div>
    }
}

/// The introduction and what the member should know before answering.
fn first_screen(
    loaded: &MemberSurvey,
    refusal: Option<String>,
) -> impl Fn() -> AnyView + Clone + Send + Sync + 'static {
    let intro = loaded.definition.intro.clone();
    let count = loaded.definition.questions.len();
    let anonymous = loaded.anonymous;
    let per_device = loaded.per_device;
    let answered = loaded.answered;
    let notice = loaded.notice.clone();
    move || {
        view! {
        {refusal.clone().map(|message| view! {
            <div class="alert" role="alert">
                <p><strong>"答卷未被接收，请修改后重新提交："</strong></p>
                <p>{message}</p>
            </div>
        })}
        {(!intro.trim().is_empty()).then(|| view! { <p class="survey-intro">{intro.clone()}</p> })}
        <p class="hint">{format!("共 {count} 题，标有“必答”的题目须作答。")}</p>
        {anonymous.then(|| view! {
            <p class="notice anonymous-note">
                <strong>"本问卷为匿名问卷。"</strong>
                "系统只记录您是否已填写，与答卷内容分开保存，任何人（包括统战部工作人员）都无法把答卷与您本人对应起来。"
            </p>
        })}
        {per_device.then(|| view! {
            <p class="notice">"本问卷凭链接填写，每台设备只能提交一份答卷。"</p>
        })}
        {answered.then(|| view! { <p class="notice">{notice.clone()}</p> })}
    }
    .into_any()
    }
}

/// The response's problems under `q{id}` keys (the api crate's rules, plus text that is no number), or
/// the cleaned answers to send: only those of questions shown.
fn problems(definition: &SurveyDefinition, answers: &[Answer]) -> Result<Vec<Answer>, FieldErrors> {
    let shown = visible_questions(definition, answers);
    let sendable: Vec<Answer> = answers
        .iter()
        .filter(|a| shown.contains(&a.question))
        .cloned()
        .collect();
    let mut found = FieldErrors::new();
    for answer in &sendable {
        if let Some(question) = definition.question(answer.question) {
            if let Some(problem) = number_problem(&question.kind, Some(&answer.value)) {
                found.insert(format!("q{}", question.id.0), problem);
            }
        }
    }
    match validate_response(definition, &sendable) {
        Ok(cleaned) if found.is_empty() => Ok(cleaned),
        Ok(_) => Err(found),
        Err(mut errors) => {
            errors.extend(found);
            Err(errors)
        }
    }
}

/// Moves focus to the first answer box of the first question with a message, so a screen reader reads
/// it and the phone scrolls there.
fn focus_first_error() {
    request_animation_frame(|| {
        let target = document()
            .query_selector(".survey-question.invalid input, .survey-question.invalid textarea")
            .ok()
            .flatten();
        if let Some(element) =
            target.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = element.focus();
        }
    });
}

#[cfg(test)]
mod tests {
    use api::survey::{ChoiceOption, OptionId, Question, QuestionKind, ShowIf};

    use super::*;

    fn survey() -> SurveyDefinition {
        let question = |id, required, kind, show_if| Question {
            id: QuestionId(id),
            title: format!("题目{id}"),
            help: String::new(),
            required,
            kind,
            show_if,
        };
        let options = vec![
            ChoiceOption {
                id: OptionId(1),
                label: "是".into(),
            },
            ChoiceOption {
                id: OptionId(2),
                label: "否".into(),
            },
        ];
        SurveyDefinition {
            title: "问卷".into(),
            intro: String::new(),
            questions: vec![
                question(
                    1,
                    true,
                    QuestionKind::SingleChoice {
                        options,
                        other: false,
                    },
                    None,
                ),
                question(
                    2,
                    true,
                    QuestionKind::LongText,
                    Some(ShowIf {
                        question: QuestionId(1),
                        any_of: vec![OptionId(1)],
                    }),
                ),
                question(
                    3,
                    false,
                    QuestionKind::Number {
                        min: None,
                        max: None,
                        integer: false,
                    },
                    None,
                ),
            ],
        }
    }

    fn answer(id: u32, value: AnswerValue) -> Answer {
        Answer {
            question: QuestionId(id),
            value,
        }
    }

    #[test]
    fn a_question_hidden_by_skip_logic_is_neither_required_nor_sent() {
        // 否 hides question 2, whose answer stays in the draft but does not leave.
        let answers = vec![
            answer(
                1,
                AnswerValue::Choice {
                    options: vec![OptionId(2)],
                    other: None,
                },
            ),
            answer(
                2,
                AnswerValue::Text {
                    value: "先写的".into(),
                },
            ),
        ];
        let sent = problems(&survey(), &answers).expect("nothing to fix");
        assert_eq!(sent, vec![answers[0].clone()]);
    }

    #[test]
    fn a_shown_required_question_left_empty_is_named_under_its_key() {
        let answers = vec![answer(
            1,
            AnswerValue::Choice {
                options: vec![OptionId(1)],
                other: None,
            },
        )];
        let found = problems(&survey(), &answers).expect_err("question 2 is required once shown");
        assert!(
            found.get("q2").is_some_and(|m| m.contains("必答")),
            "{found:?}"
        );
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn text_in_a_number_box_is_named_as_not_a_number() {
        let answers = vec![
            answer(
                1,
                AnswerValue::Choice {
                    options: vec![OptionId(2)],
                    other: None,
                },
            ),
            answer(
                3,
                AnswerValue::Text {
                    value: "十二".into(),
                },
            ),
        ];
        let found = problems(&survey(), &answers).expect_err("not a number");
        assert!(
            found
                .get("q3")
                .is_some_and(|m| m.contains("“十二”不是数字")),
            "{found:?}"
        );
    }
}
