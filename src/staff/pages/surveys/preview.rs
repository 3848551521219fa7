//! 手机预览: the survey as a member's phone shows it, live while staff type. Choices can be clicked, so
//! staff can see a skip rule hide and show its question; nothing here is sent anywhere.

use api::survey::{
    visible_questions, Answer, AnswerValue, OptionId, Question, QuestionId, QuestionKind,
};
use leptos::prelude::*;

use super::draft::Draft;

/// The preview's own answers to choice questions (drive the skip rules).
#[derive(Clone, Copy)]
struct PreviewAnswers(RwSignal<Vec<Answer>>);

impl PreviewAnswers {
    fn picked(self, question: QuestionId, option: OptionId) -> bool {
        self.0.with(|answers| {
            answers.iter().any(|a| {
                a.question == question
                    && matches!(&a.value, AnswerValue::Choice { options, .. } if options.contains(&option))
            })
        })
    }

    fn pick(self, question: QuestionId, option: OptionId, on: bool, single: bool) {
        self.0.update(|answers| {
            let index = answers.iter().position(|a| a.question == question);
            let mut options = match index.map(|i| answers.remove(i)) {
                Some(Answer {
                    value: AnswerValue::Choice { options, .. },
                    ..
                }) if !single => options,
                _ => Vec::new(),
            };
            options.retain(|o| *o != option);
            if on {
                options.push(option);
            }
            if !options.is_empty() {
                answers.push(Answer {
                    question,
                    value: AnswerValue::Choice {
                        options,
                        other: None,
                    },
                });
            }
        });
    }
}

#[component]
pub fn PhonePreview(draft: Draft) -> impl IntoView {
    let answers = PreviewAnswers(RwSignal::new(Vec::new()));
    let shown = Memo::new(move |_| {
        draft
            .definition
            .with(|d| answers.0.with(|a| visible_questions(d, a)))
    });
    view! {
        <section class="phone-preview" aria-label="手机预览">
            <h2>"手机预览"</h2>
            <div class="phone-frame">
                <div class="phone-screen">
                    <h3>{move || draft.definition.with(|d| if d.title.trim().is_empty() { "（问卷标题）".to_owned() } else { d.title.clone() })}</h3>
                    <p class="preview-intro">{move || draft.definition.with(|d| d.intro.clone())}</p>
                    {move || draft.definition.with(|d| {
                        d.questions
                            .iter()
                            .filter(|q| shown.with(|s| s.contains(&q.id)))
                            .enumerate()
                            .map(|(index, q)| view! { <PreviewQuestion answers number=index + 1 question=q.clone() /> })
                            .collect_view()
                    })}
                    <button type="button" class="primary" disabled=true>"提交"</button>
                </div>
            </div>
        </section>
    }
}

#[component]
fn PreviewQuestion(answers: PreviewAnswers, number: usize, question: Question) -> impl IntoView {
    let id = question.id;
    let name = format!("preview-q{}", id.0);
    let title = if question.title.trim().is_empty() {
        "（题目）".to_owned()
    } else {
        question.title.clone()
    };
    let body = match &question.kind {
        QuestionKind::SingleChoice { options, other }
        | QuestionKind::MultipleChoice { options, other, .. } => {
            let single = matches!(question.kind, QuestionKind::SingleChoice { .. });
            let kind = if single { "radio" } else { "checkbox" };
            let mut rows = options
                .iter()
                .map(|option| {
                    let option_id = option.id;
                    let label = if option.label.trim().is_empty() { "（选项）".to_owned() } else { option.label.clone() };
                    view! {
                        <label class="check">
                            <input type=kind name=name.clone() prop:checked=move || answers.picked(id, option_id)
                                on:change=move |e| answers.pick(id, option_id, event_target_checked(&e), single) />
                            {label}
                        </label>
                    }
                    .into_any()
                })
                .collect::<Vec<_>>();
            if *other {
                rows.push(view! {
                    <label class="check"><input type=kind name=name.clone() disabled=true />"其他"</label>
                }.into_any());
            }
            rows.into_view().into_any()
        }
        QuestionKind::Rating => view! {
            <p class="preview-stars" aria-label="评分 1 到 5">"☆ ☆ ☆ ☆ ☆"</p>
        }
        .into_any(),
        QuestionKind::Number { .. } => {
            view! { <input type="number" aria-label=title.clone() disabled=true /> }.into_any()
        }
        QuestionKind::ShortText => {
            view! { <input type="text" aria-label=title.clone() disabled=true /> }.into_any()
        }
        QuestionKind::LongText => {
            view! { <textarea rows="3" aria-label=title.clone() disabled=true></textarea> }
                .into_any()
        }
    };
    view! {
        <div class="preview-question">
            <p class="preview-title">
                {format!("{number}. {title}")}
                {question.required.then(|| view! { <span class="required">" *"</span> })}
            </p>
            {(!question.help.trim().is_empty()).then(|| view! { <p class="meta">{question.help.clone()}</p> })}
            {body}
        </div>
    }
}
