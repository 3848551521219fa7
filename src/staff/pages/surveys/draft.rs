//! The builder's working copy of a survey's text, shared by the editor and the preview.

use api::{
    survey::{
        ChoiceOption, OptionId, Question, QuestionId, QuestionKind, ShowIf, SurveyDefinition,
    },
    FieldErrors,
};
use leptos::prelude::*;

/// The definition being edited, and the messages about it (the browser's check or the server's answer).
#[derive(Clone, Copy)]
pub struct Draft {
    pub definition: RwSignal<SurveyDefinition>,
    pub errors: RwSignal<FieldErrors>,
}

impl Draft {
    /// Reads one question (reactive); `None` once it is removed.
    pub fn read<T>(self, id: QuestionId, f: impl FnOnce(&Question) -> T) -> Option<T> {
        self.definition.with(|d| d.question(id).map(f))
    }

    /// Changes one question.
    pub fn edit(self, id: QuestionId, f: impl FnOnce(&mut Question)) {
        self.definition.update(|d| {
            if let Some(question) = d.questions.iter_mut().find(|q| q.id == id) {
                f(question);
            }
        });
    }

    /// 第 n 题 (reactive), 0 once removed.
    pub fn number(self, id: QuestionId) -> usize {
        self.definition.with(|d| d.number_of(id).unwrap_or(0))
    }

    /// The message about one question, if any (reactive).
    pub fn error(self, id: QuestionId) -> Option<String> {
        self.errors.with(|e| e.get(&format!("q{}", id.0)).cloned())
    }

    /// Adds a question of `kind` at the end.
    pub fn add(self, kind: &str) -> QuestionId {
        let mut added = QuestionId(0);
        self.definition.update(|d| {
            added = d.next_question_id();
            d.questions.push(Question {
                id: added,
                title: String::new(),
                help: String::new(),
                required: true,
                kind: kind_named(kind, &QuestionKind::ShortText),
                show_if: None,
            });
        });
        added
    }

    /// Moves a question up (`-1`) or down (`1`); false when it is already at that end.
    pub fn shift(self, id: QuestionId, step: isize) -> bool {
        let mut moved = false;
        self.definition.update(|d| {
            let Some(index) = d.questions.iter().position(|q| q.id == id) else {
                return;
            };
            let Some(target) = index
                .checked_add_signed(step)
                .filter(|t| *t < d.questions.len())
            else {
                return;
            };
            d.questions.swap(index, target);
            moved = true;
        });
        moved
    }

    /// Removes a question, and the skip rules that pointed at it.
    pub fn remove(self, id: QuestionId) {
        self.definition.update(|d| {
            d.questions.retain(|q| q.id != id);
            for question in &mut d.questions {
                if question.show_if.as_ref().is_some_and(|s| s.question == id) {
                    question.show_if = None;
                }
            }
        });
    }

    /// The choice questions before `id`, which its skip rule may point at (reactive): (id, 第 n 题「…」).
    pub fn earlier_choices(self, id: QuestionId) -> Vec<(QuestionId, String)> {
        self.definition.with(|d| {
            d.questions
                .iter()
                .take_while(|q| q.id != id)
                .filter(|q| q.kind.is_choice())
                .map(|q| (q.id, api::survey::question_label(d, q)))
                .collect()
        })
    }

    /// Turns a question's skip rule on (pointing at the nearest earlier choice question) or off.
    pub fn set_conditional(self, id: QuestionId, on: bool) {
        let first = self.earlier_choices(id).last().map(|(q, _)| *q);
        self.edit(id, |q| {
            q.show_if = match (on, first) {
                (true, Some(question)) => Some(ShowIf {
                    question,
                    any_of: Vec::new(),
                }),
                _ => None,
            };
        });
    }
}

/// A new, empty option.
fn blank_option(id: u32) -> ChoiceOption {
    ChoiceOption {
        id: OptionId(id),
        label: String::new(),
    }
}

/// The kind named `name` (`single_choice`, …), keeping what fits from `old`: a choice question turned into
/// the other choice kind keeps its options and 其他.
pub fn kind_named(name: &str, old: &QuestionKind) -> QuestionKind {
    let options = if old.options().is_empty() {
        vec![blank_option(1), blank_option(2)]
    } else {
        old.options().to_vec()
    };
    let other = old.has_other();
    match name {
        "single_choice" => QuestionKind::SingleChoice { options, other },
        "multiple_choice" => QuestionKind::MultipleChoice {
            options,
            other,
            min: None,
            max: None,
        },
        "rating" => QuestionKind::Rating,
        "number" => QuestionKind::Number {
            min: None,
            max: None,
            integer: false,
        },
        "long_text" => QuestionKind::LongText,
        _ => QuestionKind::ShortText,
    }
}

/// The kinds the builder offers: (wire name, 中文).
pub const KINDS: [(&str, &str); 6] = [
    ("single_choice", "单选"),
    ("multiple_choice", "多选"),
    ("rating", "评分（1–5）"),
    ("number", "数字"),
    ("short_text", "简答"),
    ("long_text", "详答"),
];

/// The options of a choice question, to change in place.
pub fn options_mut(kind: &mut QuestionKind) -> Option<&mut Vec<ChoiceOption>> {
    match kind {
        QuestionKind::SingleChoice { options, .. }
        | QuestionKind::MultipleChoice { options, .. } => Some(options),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_question_keeps_its_options_when_it_becomes_the_other_choice_kind() {
        let single = QuestionKind::SingleChoice {
            options: vec![ChoiceOption {
                id: OptionId(3),
                label: "满意".into(),
            }],
            other: true,
        };
        let multiple = kind_named("multiple_choice", &single);
        assert_eq!(multiple.options(), single.options());
        assert!(multiple.has_other());
    }

    #[test]
    fn a_new_choice_question_starts_with_two_blank_options() {
        let kind = kind_named("single_choice", &QuestionKind::Rating);
        assert_eq!(kind.options().len(), 2);
        assert_eq!(kind.options()[1].id, OptionId(2));
    }
}
