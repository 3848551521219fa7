//! One survey question, for answering: every kind (single and multiple choice with an optional 其他 and
//! its text, rating 1–5, number, short and long text), the required mark, the kind's hint and an inline
//! error, bound to an answer signal. The members' 问卷 app shows it to answer; the staff's builder shows
//! it in its phone-sized preview (pass any signal; nothing is sent from here).
//!
//! An answer that says nothing (no option, no text) is `None`, so a required question reads as
//! unanswered. Text typed in a number box that is not a number is kept as `AnswerValue::Text`, for the
//! page's check to name (`number_problem`).

use api::survey::{AnswerValue, ChoiceOption, OptionId, Question, QuestionKind};
use leptos::prelude::*;

/// Renders `question`, numbered `number` (from 1), with its answer in `answer` and `error` under it.
///
/// One shape for every kind (a group named by the title), so the phone downloads one copy of it: each
/// distinct view costs wasm.
#[component]
pub fn SurveyQuestion(
    question: Question,
    /// The question's number as the member sees it (第 n 题).
    number: usize,
    answer: RwSignal<Option<AnswerValue>>,
    /// What to fix, shown under the question; `None` when nothing is wrong.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("q-{}", question.id.0);
    let title_id = format!("{id}-title");
    let error_id = format!("{id}-error");
    let no_hint_needed = question.help.trim().is_empty() && kind_hint(&question.kind).is_empty();
    let hint = [question.help.trim().to_owned(), kind_hint(&question.kind)]
        .into_iter()
        .filter(|text| !text.is_empty())
        .collect::<Vec<_>>()
        .join("；");
    let control = match question.kind {
        QuestionKind::SingleChoice { options, other } => {
            choices(&id, options, other, false, answer).into_any()
        }
        QuestionKind::MultipleChoice { options, other, .. } => {
            choices(&id, options, other, true, answer).into_any()
        }
        QuestionKind::Rating => rating(&id, answer).into_any(),
        QuestionKind::LongText => view! {
            <textarea aria-labelledby=title_id.clone() aria-describedby=error_id.clone()
                prop:value=text_of(answer.get_untracked())
                on:input=move |ev| answer.set(text_answer(event_target_value(&ev), false))></textarea>
        }
        .into_any(),
        // Number and short text: one line. The member's own text stays in the box ("3." on the way to
        // "3.5"); the answer follows it.
        kind => {
            let numeric = matches!(kind, QuestionKind::Number { .. });
            view! {
                <input type="text" inputmode=if numeric { "decimal" } else { "text" }
                    aria-labelledby=title_id.clone() aria-describedby=error_id.clone()
                    value=text_of(answer.get_untracked())
                    on:input=move |ev| answer.set(text_answer(event_target_value(&ev), numeric)) />
            }
            .into_any()
        }
    };
    view! {
        <div class="survey-question" class:invalid=move || error.with(Option::is_some)
            role="group" aria-labelledby=title_id.clone()>
            <p class="q-title" id=title_id.clone()>
                {format!("{number}. {}", question.title)}
                <span class="required" hidden=!question.required>"（必答）"</span>
            </p>
            <p class="hint" hidden=no_hint_needed>{hint}</p>
            {control}
            <p class="error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}

/// What the member needs to know to answer a kind well, beside its title.
pub fn kind_hint(kind: &QuestionKind) -> String {
    match kind {
        QuestionKind::MultipleChoice { min, max, .. } => match (min, max) {
            (Some(min), Some(max)) if min == max => format!("多选，请选 {min} 项"),
            (Some(min), Some(max)) => format!("多选，请选 {min} 至 {max} 项"),
            (Some(min), None) => format!("多选，至少选 {min} 项"),
            (None, Some(max)) => format!("多选，最多选 {max} 项"),
            (None, None) => "可多选".to_owned(),
        },
        QuestionKind::Rating => "1 分最低，5 分最高".to_owned(),
        QuestionKind::Number { min, max, integer } => {
            let what = if *integer { "整数" } else { "数字" };
            match (min, max) {
                (Some(min), Some(max)) => format!("请填写 {min} 至 {max} 之间的{what}"),
                (Some(min), None) => format!("请填写不小于 {min} 的{what}"),
                (None, Some(max)) => format!("请填写不大于 {max} 的{what}"),
                (None, None) => format!("请填写{what}"),
            }
        }
        _ => String::new(),
    }
}

/// What is wrong with a number question's answer that the api crate's check would only call the wrong
/// type: text that is not a number.
pub fn number_problem(kind: &QuestionKind, answer: Option<&AnswerValue>) -> Option<String> {
    match (kind, answer) {
        (QuestionKind::Number { .. }, Some(AnswerValue::Text { value })) => Some(format!(
            "请填写一个数字（例如 12 或 3.5），“{value}”不是数字"
        )),
        _ => None,
    }
}

/// Radio buttons (or checkboxes when `multiple`) for the options, and 其他 with its text when offered.
fn choices(
    id: &str,
    options: Vec<ChoiceOption>,
    other: bool,
    multiple: bool,
    answer: RwSignal<Option<AnswerValue>>,
) -> impl IntoView {
    let kind = if multiple { "checkbox" } else { "radio" };
    let items = options
        .into_iter()
        .map(|option| {
            let option_id = option.id;
            view! {
                <label class="choice">
                    <input type=kind name=id.to_owned()
                        prop:checked=move || answer.with(|a| picked(a).contains(&option_id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            answer.update(|a| toggle(a, option_id, on, multiple));
                        } />
                    <span>{option.label}</span>
                </label>
            }
        })
        .collect_view();
    let other = other.then(|| {
        view! {
            <label class="choice">
                <input type=kind name=id.to_owned()
                    prop:checked=move || answer.with(|a| other_text(a).is_some())
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        answer.update(|a| set_other(a, on.then(String::new), multiple));
                    } />
                <span>"其他"</span>
            </label>
            <input type="text" class="other-text" aria-label="其他（请注明）" placeholder="其他，请注明"
                prop:value=move || answer.with(|a| other_text(a).unwrap_or_default())
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    answer.update(|a| set_other(a, Some(text), multiple));
                } />
        }
    });
    view! { <div class="choices">{items}{other}</div> }
}

/// Five large radios, 1 to 5.
fn rating(id: &str, answer: RwSignal<Option<AnswerValue>>) -> impl IntoView {
    let items = (1u8..=5)
        .map(|score| {
            view! {
                <label class="score">
                    <input type="radio" name=id.to_owned() aria-label=format!("{score} 分")
                        prop:checked=move || matches!(answer.get(), Some(AnswerValue::Rating { value }) if value == score)
                        on:change=move |_| answer.set(Some(AnswerValue::Rating { value: score })) />
                    <span>{score}</span>
                </label>
            }
        })
        .collect_view();
    view! { <div class="rating">{items}</div> }
}

/// The options picked in a choice answer.
fn picked(answer: &Option<AnswerValue>) -> Vec<OptionId> {
    match answer {
        Some(AnswerValue::Choice { options, .. }) => options.clone(),
        _ => Vec::new(),
    }
}

/// The 其他 text of a choice answer, when 其他 is picked.
fn other_text(answer: &Option<AnswerValue>) -> Option<String> {
    match answer {
        Some(AnswerValue::Choice { other, .. }) => other.clone(),
        _ => None,
    }
}

/// Picks (`on`) or drops an option; a single choice keeps only the newest pick.
fn toggle(answer: &mut Option<AnswerValue>, option: OptionId, on: bool, multiple: bool) {
    let (mut options, mut other) = match answer.take() {
        Some(AnswerValue::Choice { options, other }) => (options, other),
        _ => (Vec::new(), None),
    };
    options.retain(|o| *o != option);
    if on {
        if !multiple {
            options.clear();
            other = None;
        }
        options.push(option);
    }
    *answer = tidy(options, other);
}

/// Picks 其他 with `text`, or drops it with `None`; a single choice then keeps only 其他.
fn set_other(answer: &mut Option<AnswerValue>, text: Option<String>, multiple: bool) {
    let mut options = match answer.take() {
        Some(AnswerValue::Choice { options, .. }) => options,
        _ => Vec::new(),
    };
    if text.is_some() && !multiple {
        options.clear();
    }
    *answer = tidy(options, text);
}

/// No answer rather than an empty one.
fn tidy(options: Vec<OptionId>, other: Option<String>) -> Option<AnswerValue> {
    (!options.is_empty() || other.is_some()).then_some(AnswerValue::Choice { options, other })
}

/// What the box shows for an answer: its text, or its number.
fn text_of(answer: Option<AnswerValue>) -> String {
    match answer {
        Some(AnswerValue::Text { value }) => value,
        Some(AnswerValue::Number { value }) => value.to_string(),
        _ => String::new(),
    }
}

/// The answer for what is in a box: nothing when empty; for a number box a number when the text is one,
/// else the text itself (which `number_problem` names).
fn text_answer(value: String, numeric: bool) -> Option<AnswerValue> {
    if value.trim().is_empty() {
        return None;
    }
    if numeric {
        if let Some(number) = parse_number(value.trim()) {
            return Some(AnswerValue::Number { value: number });
        }
    }
    Some(AnswerValue::Text { value })
}

/// A number as JavaScript's `Number()` reads it: the browser's parser rather than a second copy of one
/// in the wasm.
#[cfg(target_arch = "wasm32")]
#[allow(deprecated)] // `Number::from` takes numbers; `Number(text)` is this constructor.
fn parse_number(text: &str) -> Option<f64> {
    let number = js_sys::Number::new(&wasm_bindgen::JsValue::from_str(text)).value_of();
    number.is_finite().then_some(number)
}

#[cfg(not(target_arch = "wasm32"))]
fn parse_number(text: &str) -> Option<f64> {
    text.parse().ok().filter(|n: &f64| n.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_choice_keeps_only_the_newest_pick_and_other_replaces_it() {
        let mut answer = None;
        toggle(&mut answer, OptionId(1), true, false);
        toggle(&mut answer, OptionId(2), true, false);
        assert_eq!(
            answer,
            Some(AnswerValue::Choice {
                options: vec![OptionId(2)],
                other: None
            })
        );
        set_other(&mut answer, Some("自己写的".into()), false);
        assert_eq!(
            answer,
            Some(AnswerValue::Choice {
                options: vec![],
                other: Some("自己写的".into())
            })
        );
        toggle(&mut answer, OptionId(1), true, false);
        assert_eq!(
            answer,
            Some(AnswerValue::Choice {
                options: vec![OptionId(1)],
                other: None
            })
        );
    }

    #[test]
    fn a_multiple_choice_adds_and_drops_and_nothing_picked_is_no_answer() {
        let mut answer = None;
        toggle(&mut answer, OptionId(1), true, true);
        set_other(&mut answer, Some(String::new()), true);
        toggle(&mut answer, OptionId(3), true, true);
        assert_eq!(
            answer,
            Some(AnswerValue::Choice {
                options: vec![OptionId(1), OptionId(3)],
                other: Some(String::new())
            })
        );
        toggle(&mut answer, OptionId(1), false, true);
        toggle(&mut answer, OptionId(3), false, true);
        set_other(&mut answer, None, true);
        assert_eq!(answer, None);
    }

    #[test]
    fn a_number_box_gives_a_number_or_keeps_the_text_for_the_check_to_name() {
        assert_eq!(
            text_answer(" 3.5 ".into(), true),
            Some(AnswerValue::Number { value: 3.5 })
        );
        assert_eq!(text_answer(" ".into(), true), None);
        assert_eq!(
            text_answer("3.5".into(), false),
            Some(AnswerValue::Text {
                value: "3.5".into()
            })
        );
        let kind = QuestionKind::Number {
            min: None,
            max: None,
            integer: false,
        };
        let text = text_answer("三".into(), true);
        assert!(number_problem(&kind, text.as_ref()).is_some_and(|m| m.contains("“三”不是数字")));
        assert_eq!(
            number_problem(&kind, Some(&AnswerValue::Number { value: 3.0 })),
            None
        );
    }
}
