//! The rules of surveys: what a definition must hold, what a response must hold, what publish settings
//! must hold, and what may change once answers exist. Each error message names the question
//! (第 n 题「题目」) and says what to fix; field keys are `q{id}` for a question (`q7`), else the field's
//! JSON name (`title`, `opens_at`, …).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{
    Answer, AnswerValue, Audience, PublishSettings, Question, QuestionId, QuestionKind,
    SurveyDefinition,
};
use crate::FieldErrors;

/// Longest survey title, in characters.
pub const SURVEY_TITLE_MAX_CHARS: usize = 60;
/// Longest introduction, in characters.
pub const SURVEY_INTRO_MAX_CHARS: usize = 2_000;
/// Most questions in one survey.
pub const SURVEY_QUESTIONS_MAX: usize = 100;
/// Longest question title, in characters.
pub const SURVEY_QUESTION_TITLE_MAX_CHARS: usize = 200;
/// Most options of one choice question.
pub const SURVEY_OPTIONS_MAX: usize = 30;
/// Longest option label, in characters.
pub const SURVEY_OPTION_MAX_CHARS: usize = 100;
/// Longest text typed after 其他.
pub const SURVEY_OTHER_TEXT_MAX_CHARS: usize = 200;
/// Longest short-text answer.
pub const SURVEY_SHORT_TEXT_MAX_CHARS: usize = 200;
/// Longest long-text answer.
pub const SURVEY_LONG_TEXT_MAX_CHARS: usize = 5_000;

/// The key of a question's messages in `FieldErrors`: `q{id}`.
pub(crate) fn key(id: QuestionId) -> String {
    format!("q{}", id.0)
}

/// How messages name a question: 第 3 题「您对本次会议的总体评价」 (a long title cut to 20 characters).
pub fn question_label(definition: &SurveyDefinition, question: &Question) -> String {
    let number = definition.number_of(question.id).unwrap_or(0);
    let title = question.title.trim();
    let short: String = title.chars().take(20).collect();
    if title.is_empty() {
        format!("第 {number} 题")
    } else if short.len() < title.len() {
        format!("第 {number} 题「{short}…」")
    } else {
        format!("第 {number} 题「{short}」")
    }
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// Checks what staff wrote before it is saved: a title, questions with titles, choice questions with at
/// least two distinct options, sensible bounds, unique ids, skip logic that points back to an earlier
/// choice question and its options.
pub fn check_definition(definition: &SurveyDefinition) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    let title = definition.title.trim();
    if title.is_empty() {
        errors.insert("title".into(), "请填写问卷标题".into());
    } else if title.contains(['\n', '\r']) {
        errors.insert("title".into(), "问卷标题请写成一行".into());
    } else if chars(title) > SURVEY_TITLE_MAX_CHARS {
        errors.insert(
            "title".into(),
            format!(
                "问卷标题最多 {SURVEY_TITLE_MAX_CHARS} 个字，现在是 {} 个字",
                chars(title)
            ),
        );
    }
    if chars(&definition.intro) > SURVEY_INTRO_MAX_CHARS {
        errors.insert(
            "intro".into(),
            format!(
                "说明最多 {SURVEY_INTRO_MAX_CHARS} 个字，现在是 {} 个字",
                chars(&definition.intro)
            ),
        );
    }
    if definition.questions.is_empty() {
        errors.insert("questions".into(), "请至少添加一道题".into());
    } else if definition.questions.len() > SURVEY_QUESTIONS_MAX {
        errors.insert(
            "questions".into(),
            format!(
                "一份问卷最多 {SURVEY_QUESTIONS_MAX} 道题，现在是 {} 道",
                definition.questions.len()
            ),
        );
    }
    let mut seen = HashSet::new();
    for question in &definition.questions {
        if !seen.insert(question.id) {
            errors.insert(
                "questions".into(),
                format!("题目编号 {} 重复了，请刷新页面后再改", question.id.0),
            );
            continue;
        }
        if let Err(problem) = check_question(definition, question) {
            errors.insert(
                key(question.id),
                format!("{}：{problem}", question_label(definition, question)),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn check_question(definition: &SurveyDefinition, question: &Question) -> Result<(), String> {
    let title = question.title.trim();
    if title.is_empty() {
        return Err("请填写题目".into());
    }
    if chars(title) > SURVEY_QUESTION_TITLE_MAX_CHARS {
        return Err(format!(
            "题目最多 {SURVEY_QUESTION_TITLE_MAX_CHARS} 个字，现在是 {} 个字",
            chars(title)
        ));
    }
    if chars(&question.help) > SURVEY_QUESTION_TITLE_MAX_CHARS {
        return Err(format!(
            "补充说明最多 {SURVEY_QUESTION_TITLE_MAX_CHARS} 个字"
        ));
    }
    match &question.kind {
        QuestionKind::SingleChoice { options, other }
        | QuestionKind::MultipleChoice { options, other, .. } => {
            let offered = options.len() + usize::from(*other);
            if offered < 2 {
                return Err("选择题至少要有两个选项".into());
            }
            if options.len() > SURVEY_OPTIONS_MAX {
                return Err(format!("选项最多 {SURVEY_OPTIONS_MAX} 个"));
            }
            let mut ids = HashSet::new();
            let mut labels = HashSet::new();
            for (index, option) in options.iter().enumerate() {
                let label = option.label.trim();
                if label.is_empty() {
                    return Err(format!("第 {} 个选项还没有文字", index + 1));
                }
                if chars(label) > SURVEY_OPTION_MAX_CHARS {
                    return Err(format!(
                        "第 {} 个选项最多 {SURVEY_OPTION_MAX_CHARS} 个字",
                        index + 1
                    ));
                }
                if !ids.insert(option.id) {
                    return Err("选项编号重复了，请刷新页面后再改".into());
                }
                if !labels.insert(label) {
                    return Err(format!("选项「{label}」出现了两次"));
                }
                if *other && label == "其他" {
                    return Err("已勾选“其他（请注明）”，不必再单独添加“其他”选项".into());
                }
            }
        }
        QuestionKind::Number { min, max, .. } => {
            if min.is_some_and(|v| !v.is_finite()) || max.is_some_and(|v| !v.is_finite()) {
                return Err("数字范围请填写有效的数".into());
            }
            if let (Some(min), Some(max)) = (min, max) {
                if min > max {
                    return Err(format!("最小值 {min} 大于最大值 {max}"));
                }
            }
        }
        QuestionKind::Rating | QuestionKind::ShortText | QuestionKind::LongText => {}
    }
    if let QuestionKind::MultipleChoice {
        options,
        other,
        min,
        max,
    } = &question.kind
    {
        let offered = options.len() + usize::from(*other);
        let offered = u32::try_from(offered).unwrap_or(u32::MAX);
        if let Some(min) = min {
            if *min > offered {
                return Err(format!("至少选 {min} 项，但只有 {offered} 个选项"));
            }
        }
        if let Some(max) = max {
            if *max == 0 {
                return Err("最多选几项应至少为 1".into());
            }
        }
        if let (Some(min), Some(max)) = (min, max) {
            if min > max {
                return Err(format!("至少选 {min} 项，大于最多选 {max} 项"));
            }
        }
    }
    if let Some(rule) = &question.show_if {
        let position = definition
            .questions
            .iter()
            .position(|q| q.id == question.id)
            .unwrap_or(0);
        let Some(source) = definition.questions[..position]
            .iter()
            .find(|q| q.id == rule.question)
        else {
            return Err("显示条件只能引用排在本题之前的题目".into());
        };
        if !source.kind.is_choice() {
            return Err("显示条件只能引用单选题或多选题".into());
        }
        if rule.any_of.is_empty() {
            return Err("显示条件请至少选一个选项".into());
        }
        let options = source.kind.options();
        if rule
            .any_of
            .iter()
            .any(|id| !options.iter().any(|o| o.id == *id))
        {
            return Err("显示条件引用的选项已不存在，请重新选择".into());
        }
    }
    Ok(())
}

/// The questions shown for these answers, in order: a question with `show_if` is shown when the question
/// it depends on is shown and has one of the named options picked. The members' form uses this to skip
/// questions; the server, to refuse answers to skipped ones.
pub fn visible_questions(definition: &SurveyDefinition, answers: &[Answer]) -> Vec<QuestionId> {
    let mut shown: Vec<QuestionId> = Vec::new();
    for question in &definition.questions {
        let visible = match &question.show_if {
            None => true,
            Some(rule) => {
                shown.contains(&rule.question)
                    && answers.iter().any(|answer| {
                        answer.question == rule.question
                            && matches!(&answer.value, AnswerValue::Choice { options, .. }
                                if options.iter().any(|o| rule.any_of.contains(o)))
                    })
            }
        };
        if visible {
            shown.push(question.id);
        }
    }
    shown
}

/// Whether an answer says nothing (blank text, no option and no 其他): it counts as unanswered.
fn is_blank(value: &AnswerValue) -> bool {
    match value {
        AnswerValue::Choice { options, other } => options.is_empty() && other.is_none(),
        AnswerValue::Text { value } => value.trim().is_empty(),
        AnswerValue::Rating { .. } | AnswerValue::Number { .. } => false,
    }
}

/// Checks a response against the survey and returns it cleaned: blank answers dropped, texts trimmed,
/// options in the survey's order, answers in question order. Every failing question is named at once,
/// under its `q{id}` key; answers to unknown questions go under `answers`.
pub fn validate_response(
    definition: &SurveyDefinition,
    answers: &[Answer],
) -> Result<Vec<Answer>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut given: HashMap<QuestionId, &AnswerValue> = HashMap::new();
    for answer in answers {
        if definition.question(answer.question).is_none() {
            errors.insert(
                "answers".into(),
                "答卷中有问卷里没有的题目，问卷可能已更新，请刷新后再答".into(),
            );
            continue;
        }
        if given.insert(answer.question, &answer.value).is_some() {
            errors.insert(key(answer.question), "同一道题收到了两个答案".into());
        }
    }
    let shown = visible_questions(definition, answers);
    let mut cleaned = Vec::new();
    for question in &definition.questions {
        let label = || question_label(definition, question);
        let value = given.get(&question.id).copied().filter(|v| !is_blank(v));
        if !shown.contains(&question.id) {
            if value.is_some() {
                errors.insert(
                    key(question.id),
                    format!(
                        "{}：按您前面的选择，本题不需作答，请去掉本题的答案",
                        label()
                    ),
                );
            }
            continue;
        }
        let Some(value) = value else {
            if question.required {
                errors.insert(key(question.id), format!("{}：本题必答，请作答", label()));
            }
            continue;
        };
        match check_answer(question, value) {
            Ok(value) => cleaned.push(Answer {
                question: question.id,
                value,
            }),
            Err(problem) => {
                errors
                    .entry(key(question.id))
                    .or_insert_with(|| format!("{}：{problem}", label()));
            }
        }
    }
    if errors.is_empty() {
        Ok(cleaned)
    } else {
        Err(errors)
    }
}

fn check_answer(question: &Question, value: &AnswerValue) -> Result<AnswerValue, String> {
    let wrong_type = || format!("答案类型不对，本题是{}题", question.kind.label());
    match (&question.kind, value) {
        (
            QuestionKind::SingleChoice {
                options,
                other: has_other,
            }
            | QuestionKind::MultipleChoice {
                options,
                other: has_other,
                ..
            },
            AnswerValue::Choice {
                options: picked,
                other,
            },
        ) => {
            let mut unique = HashSet::new();
            if picked.iter().any(|id| !unique.insert(*id)) {
                return Err("同一个选项选了两次".into());
            }
            if picked.iter().any(|id| !options.iter().any(|o| o.id == *id)) {
                return Err("选了本题没有的选项，问卷可能已更新，请刷新后重选".into());
            }
            let other = match other {
                None => None,
                Some(_) if !has_other => return Err("本题没有“其他”选项".into()),
                Some(text) => {
                    let text = text.trim();
                    if text.is_empty() {
                        return Err("选了“其他”，请注明具体内容".into());
                    }
                    if chars(text) > SURVEY_OTHER_TEXT_MAX_CHARS {
                        return Err(format!(
                            "“其他”的内容最多 {SURVEY_OTHER_TEXT_MAX_CHARS} 个字，现在是 {} 个字",
                            chars(text)
                        ));
                    }
                    Some(text.to_owned())
                }
            };
            let count =
                u32::try_from(picked.len() + usize::from(other.is_some())).unwrap_or(u32::MAX);
            match &question.kind {
                QuestionKind::SingleChoice { .. } if count > 1 => {
                    return Err(format!("本题是单选题，只能选一项，现在选了 {count} 项"));
                }
                QuestionKind::MultipleChoice { min, max, .. } => {
                    if let Some(min) = min.filter(|min| count < *min) {
                        return Err(format!("请至少选 {min} 项，现在选了 {count} 项"));
                    }
                    if let Some(max) = max.filter(|max| count > *max) {
                        return Err(format!("最多选 {max} 项，现在选了 {count} 项"));
                    }
                }
                _ => {}
            }
            let ordered = options
                .iter()
                .map(|o| o.id)
                .filter(|id| picked.contains(id))
                .collect();
            Ok(AnswerValue::Choice {
                options: ordered,
                other,
            })
        }
        (QuestionKind::Rating, AnswerValue::Rating { value }) => {
            if (1..=5).contains(value) {
                Ok(AnswerValue::Rating { value: *value })
            } else {
                Err(format!("评分应为 1 到 5 分，收到的是 {value} 分"))
            }
        }
        (QuestionKind::Number { min, max, integer }, AnswerValue::Number { value }) => {
            if !value.is_finite() {
                return Err("请填写一个数".into());
            }
            if *integer && value.fract() != 0.0 {
                return Err(format!("请填写整数，收到的是 {value}"));
            }
            if let Some(min) = min.filter(|min| value < min) {
                return Err(format!("不能小于 {min}，收到的是 {value}"));
            }
            if let Some(max) = max.filter(|max| value > max) {
                return Err(format!("不能大于 {max}，收到的是 {value}"));
            }
            Ok(AnswerValue::Number { value: *value })
        }
        (QuestionKind::ShortText, AnswerValue::Text { value }) => {
            let text = value.trim();
            if text.contains(['\n', '\r']) {
                return Err("本题请写成一行".into());
            }
            if chars(text) > SURVEY_SHORT_TEXT_MAX_CHARS {
                return Err(format!(
                    "最多 {SURVEY_SHORT_TEXT_MAX_CHARS} 个字，现在是 {} 个字",
                    chars(text)
                ));
            }
            Ok(AnswerValue::Text {
                value: text.to_owned(),
            })
        }
        (QuestionKind::LongText, AnswerValue::Text { value }) => {
            let text = value.trim();
            if chars(text) > SURVEY_LONG_TEXT_MAX_CHARS {
                return Err(format!(
                    "最多 {SURVEY_LONG_TEXT_MAX_CHARS} 个字，现在是 {} 个字",
                    chars(text)
                ));
            }
            Ok(AnswerValue::Text {
                value: text.to_owned(),
            })
        }
        _ => Err(wrong_type()),
    }
}

/// Reads a China-time moment as staff type it, `YYYY-MM-DDTHH:MM` (or with a space, or with seconds,
/// or RFC 3339 ending `+08:00`), and returns it as stored: `YYYY-MM-DDTHH:MM:SS+08:00`, which sorts
/// by time.
pub fn datetime_from_input(input: &str) -> Result<String, String> {
    let text = input.trim();
    let text = text.strip_suffix("+08:00").unwrap_or(text);
    let bad = || {
        format!(
            "时间格式应为 2026-12-01 09:00（北京时间），收到的是「{}」",
            input.trim()
        )
    };
    let bytes = text.as_bytes();
    if !(bytes.len() == 16 || bytes.len() == 19) {
        return Err(bad());
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        if part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let separators_ok = bytes[4] == b'-'
        && bytes[7] == b'-'
        && (bytes[10] == b'T' || bytes[10] == b' ')
        && bytes[13] == b':'
        && (bytes.len() == 16 || bytes[16] == b':');
    if !separators_ok {
        return Err(bad());
    }
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute)) = (
        digits(0..4),
        digits(5..7),
        digits(8..10),
        digits(11..13),
        digits(14..16),
    ) else {
        return Err(bad());
    };
    let second = if bytes.len() == 19 {
        digits(17..19).ok_or_else(bad)?
    } else {
        0
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(format!("没有 {month} 月，请检查日期")),
    };
    if !(2000..=2200).contains(&year) {
        return Err(format!("年份 {year} 不对，请检查日期"));
    }
    if day == 0 || day > days {
        return Err(format!("{month} 月没有 {day} 日，请检查日期"));
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(format!("{hour:02}:{minute:02} 不是有效的时刻"));
    }
    Ok(format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}+08:00"
    ))
}

/// Checks publish settings and returns them with both times in the stored form. The window must be
/// at least a minute long; chosen units must not be empty; anonymous and public-link surveys cannot be
/// edited after sending (the server could not find the response to replace). Keys: `opens_at`, `closes_at`,
/// `audience`, `editable_until_close`.
pub fn check_settings(settings: &PublishSettings) -> Result<PublishSettings, FieldErrors> {
    let mut errors = FieldErrors::new();
    let opens = datetime_from_input(&settings.opens_at)
        .map_err(|e| errors.insert("opens_at".into(), format!("开始时间：{e}")))
        .ok();
    let closes = datetime_from_input(&settings.closes_at)
        .map_err(|e| errors.insert("closes_at".into(), format!("截止时间：{e}")))
        .ok();
    if let (Some(opens), Some(closes)) = (&opens, &closes) {
        if closes <= opens {
            errors.insert("closes_at".into(), "截止时间应晚于开始时间".into());
        }
    }
    let mut audience = settings.audience.clone();
    if let Audience::Units { unit_ids } = &mut audience {
        let mut seen = HashSet::new();
        unit_ids.retain(|id| seen.insert(*id));
        if unit_ids.is_empty() {
            errors.insert("audience".into(), "请至少选择一个单位".into());
        }
    }
    if settings.editable_until_close && audience == Audience::Link {
        errors.insert(
            "editable_until_close".into(),
            "持链接填写的问卷不能设为“截止前可修改”：答卷按设备计，不记名，系统无法找回要修改的答卷".into(),
        );
    } else if settings.anonymous && settings.editable_until_close {
        errors.insert(
            "editable_until_close".into(),
            "匿名问卷不能设为“截止前可修改”：匿名答卷与答题人分开保存，系统无法找到要修改的答卷"
                .into(),
        );
    }
    match (opens, closes) {
        (Some(opens_at), Some(closes_at)) if errors.is_empty() => Ok(PublishSettings {
            opens_at,
            closes_at,
            audience,
            anonymous: settings.anonymous,
            editable_until_close: settings.editable_until_close,
        }),
        _ => Err(errors),
    }
}

/// Once a survey has answers, what may change and what may not, so that stored answers keep their
/// meaning: titles, help, intro, option wording, required, limits of choices and numbers, new options at
/// the end of a question, 其他 turned on, and new questions at the end are fine; removing, reordering or
/// retyping questions, removing or reordering options, turning 其他 off and changing skip logic are
/// refused with the reason, under the question's `q{id}` key (or `questions`).
pub fn check_change(old: &SurveyDefinition, new: &SurveyDefinition) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    const WHY: &str = "问卷已有答卷，";
    let new_ids: Vec<QuestionId> = new.questions.iter().map(|q| q.id).collect();
    for question in &old.questions {
        if !new_ids.contains(&question.id) {
            errors.insert(
                key(question.id),
                format!(
                    "{}：{WHY}不能删除题目（已收到的答案会失去对应的题目）",
                    question_label(old, question)
                ),
            );
        }
    }
    let kept_old: Vec<QuestionId> = old
        .questions
        .iter()
        .map(|q| q.id)
        .filter(|id| new_ids.contains(id))
        .collect();
    let kept_new: Vec<QuestionId> = new_ids
        .iter()
        .copied()
        .filter(|id| old.question(*id).is_some())
        .collect();
    if kept_old != kept_new {
        errors.insert(
            "questions".into(),
            format!("{WHY}不能调整题目顺序（导出和统计按原顺序对应答案）"),
        );
    }
    if let Some(last_old) = new_ids.iter().rposition(|id| old.question(*id).is_some()) {
        if new_ids[..last_old]
            .iter()
            .any(|id| old.question(*id).is_none())
        {
            errors
                .entry("questions".into())
                .or_insert_with(|| format!("{WHY}新题目只能加在最后"));
        }
    }
    for after in &new.questions {
        let Some(before) = old.question(after.id) else {
            continue;
        };
        if let Err(reason) = check_question_change(before, after) {
            errors.insert(
                key(after.id),
                format!("{}：{WHY}{reason}", question_label(new, after)),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn check_question_change(before: &Question, after: &Question) -> Result<(), String> {
    if before.kind.as_str() != after.kind.as_str() {
        return Err(format!(
            "不能把{}题改成{}题",
            before.kind.label(),
            after.kind.label()
        ));
    }
    let old_options: Vec<_> = before.kind.options().iter().map(|o| o.id).collect();
    let new_options: Vec<_> = after.kind.options().iter().map(|o| o.id).collect();
    let labels: BTreeMap<_, _> = before
        .kind
        .options()
        .iter()
        .map(|o| (o.id, o.label.trim()))
        .collect();
    if let Some(gone) = old_options.iter().find(|id| !new_options.contains(id)) {
        return Err(format!(
            "不能删除选项「{}」（已有人选过它）",
            labels.get(gone).copied().unwrap_or_default()
        ));
    }
    if new_options[..old_options.len()] != old_options[..] {
        return Err("不能调整选项顺序，新选项只能加在最后".into());
    }
    if before.kind.has_other() && !after.kind.has_other() {
        return Err("不能去掉“其他”选项".into());
    }
    if before.show_if != after.show_if {
        return Err("不能修改显示条件（会改变哪些人需要回答本题）".into());
    }
    Ok(())
}
