//! 手机预览: the survey as a member's phone shows it (the members' own question component), live while
//! staff type. It can be answered, so staff see a skip rule hide and show its question; nothing here is
//! sent anywhere.

use std::collections::HashMap;

use api::survey::{visible_questions, Answer, AnswerValue, QuestionId};
use leptos::prelude::*;

use super::draft::Draft;
use crate::components::survey_question::SurveyQuestion;

/// The preview's answers, one signal per question, kept while the questions around them are edited
/// (reference-counted: the preview is rebuilt on every keystroke, the answers are not).
#[derive(Clone, Default)]
struct PreviewAnswers(StoredValue<HashMap<QuestionId, ArcRwSignal<Option<AnswerValue>>>>);

impl PreviewAnswers {
    fn signal(&self, id: QuestionId) -> ArcRwSignal<Option<AnswerValue>> {
        self.0
            .try_update_value(|map| map.entry(id).or_default().clone())
            .unwrap_or_default()
    }
}

#[component]
pub fn PhonePreview(draft: Draft) -> impl IntoView {
    let answers = PreviewAnswers(StoredValue::new(HashMap::new()));
    let shown = Memo::new({
        let answers = answers.clone();
        move |_| {
            draft.definition.with(|d| {
                let given: Vec<Answer> = d
                    .questions
                    .iter()
                    .filter_map(|q| {
                        answers.signal(q.id).get().map(|value| Answer {
                            question: q.id,
                            value,
                        })
                    })
                    .collect();
                visible_questions(d, &given)
            })
        }
    });
    view! {
        <section class="phone-preview" aria-label="手机预览">
            <h2>"手机预览"</h2>
            <div class="phone-frame">
                <div class="phone-screen">
                    <h3>{move || draft.definition.with(|d| if d.title.trim().is_empty() { "（问卷标题）".to_owned() } else { d.title.clone() })}</h3>
                    <p class="preview-intro">{move || draft.definition.with(|d| d.intro.clone())}</p>
                    {move || {
                        let answers = answers.clone();
                        draft.definition.with(|d| {
                            d.questions
                                .iter()
                                .filter(|q| shown.with(|s| s.contains(&q.id)))
                                .enumerate()
                                .map(|(index, q)| {
                                    let answer = RwSignal::from(answers.signal(q.id));
                                    view! {
                                        <SurveyQuestion question=q.clone() number=index + 1 answer
                                            error=Signal::derive(|| None::<String>) />
                                    }
                                })
                                .collect_view()
                        })
                    }}
                    <button type="button" class="primary" disabled=true>"提交"</button>
                </div>
            </div>
        </section>
    }
}
