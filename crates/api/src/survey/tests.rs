use super::*;

fn options(labels: &[&str]) -> Vec<ChoiceOption> {
    labels
        .iter()
        .enumerate()
        .map(|(i, label)| ChoiceOption {
            id: OptionId(u32::try_from(i).expect("small") + 1),
            label: (*label).into(),
        })
        .collect()
}

fn question(id: u32, title: &str, required: bool, kind: QuestionKind) -> Question {
    Question {
        id: QuestionId(id),
        title: title.into(),
        help: String::new(),
        required,
        kind,
        show_if: None,
    }
}

/// Six questions, one of each kind; q3 is shown only when q1 has 是 (option 1).
fn survey() -> SurveyDefinition {
    let mut follow_up = question(3, "参加的原因", false, QuestionKind::LongText);
    follow_up.show_if = Some(ShowIf {
        question: QuestionId(1),
        any_of: vec![OptionId(1)],
    });
    SurveyDefinition {
        title: "2026年度工作评价".into(),
        intro: "请如实填写".into(),
        questions: vec![
            question(
                1,
                "是否参加过调研",
                true,
                QuestionKind::SingleChoice {
                    options: options(&["是", "否"]),
                    other: false,
                },
            ),
            question(
                2,
                "关注的领域",
                true,
                QuestionKind::MultipleChoice {
                    options: options(&["教育", "医疗", "交通", "养老"]),
                    other: true,
                    min: Some(2),
                    max: Some(3),
                },
            ),
            follow_up,
            question(4, "总体评价", true, QuestionKind::Rating),
            question(
                5,
                "参加活动次数",
                false,
                QuestionKind::Number {
                    min: Some(0.0),
                    max: Some(100.0),
                    integer: true,
                },
            ),
            question(6, "所在街道", false, QuestionKind::ShortText),
        ],
    }
}

fn choice(q: u32, picked: &[u32], other: Option<&str>) -> Answer {
    Answer {
        question: QuestionId(q),
        value: AnswerValue::Choice {
            options: picked.iter().map(|id| OptionId(*id)).collect(),
            other: other.map(Into::into),
        },
    }
}

fn rating(q: u32, value: u8) -> Answer {
    Answer {
        question: QuestionId(q),
        value: AnswerValue::Rating { value },
    }
}

fn number(q: u32, value: f64) -> Answer {
    Answer {
        question: QuestionId(q),
        value: AnswerValue::Number { value },
    }
}

fn text(q: u32, value: &str) -> Answer {
    Answer {
        question: QuestionId(q),
        value: AnswerValue::Text {
            value: value.into(),
        },
    }
}

fn good_answers() -> Vec<Answer> {
    vec![
        choice(1, &[1], None),
        choice(2, &[3, 1], Some("  环保 ")),
        text(3, "  了解情况 "),
        rating(4, 5),
        number(5, 3.0),
    ]
}

#[test]
fn the_example_survey_is_a_valid_definition() {
    assert_eq!(check_definition(&survey()), Ok(()));
}

#[test]
fn a_good_response_comes_back_cleaned_in_question_and_option_order() {
    let cleaned = validate_response(&survey(), &good_answers()).expect("valid");
    assert_eq!(cleaned[1], choice(2, &[1, 3], Some("环保")));
    assert_eq!(cleaned[2], text(3, "了解情况"));
    assert_eq!(cleaned.len(), 5);
}

#[test]
fn each_bad_answer_is_refused_with_a_message_naming_its_question() {
    let cases: Vec<(Answer, &str, &str)> = vec![
        (
            choice(1, &[9], None),
            "q1",
            "第 1 题「是否参加过调研」：选了本题没有的选项",
        ),
        (choice(1, &[1, 2], None), "q1", "只能选一项，现在选了 2 项"),
        (choice(1, &[1], Some("x")), "q1", "本题没有“其他”选项"),
        (
            choice(2, &[1], None),
            "q2",
            "第 2 题「关注的领域」：请至少选 2 项，现在选了 1 项",
        ),
        (
            choice(2, &[1, 2, 3, 4], None),
            "q2",
            "最多选 3 项，现在选了 4 项",
        ),
        (
            choice(2, &[1, 2, 3], Some("环保")),
            "q2",
            "最多选 3 项，现在选了 4 项",
        ),
        (
            choice(2, &[1], Some("  ")),
            "q2",
            "选了“其他”，请注明具体内容",
        ),
        (choice(2, &[1, 1], None), "q2", "同一个选项选了两次"),
        (
            rating(4, 6),
            "q4",
            "第 4 题「总体评价」：评分应为 1 到 5 分，收到的是 6 分",
        ),
        (rating(4, 0), "q4", "收到的是 0 分"),
        (number(5, 2.5), "q5", "请填写整数"),
        (number(5, -1.0), "q5", "不能小于 0"),
        (number(5, 101.0), "q5", "不能大于 100"),
        (text(6, "两\n行"), "q6", "本题请写成一行"),
        (
            text(6, &"字".repeat(201)),
            "q6",
            "最多 200 个字，现在是 201 个字",
        ),
        (rating(1, 3), "q1", "答案类型不对，本题是单选题"),
    ];
    for (bad, field, message) in cases {
        let mut answers = good_answers();
        // A bad answer to q1 no longer picks 是, so q3 (shown on 是) must go too.
        answers.retain(|a| {
            a.question != bad.question
                && !(bad.question == QuestionId(1) && a.question == QuestionId(3))
        });
        answers.push(bad.clone());
        let errors = validate_response(&survey(), &answers).expect_err(message);
        let got = errors
            .get(field)
            .unwrap_or_else(|| panic!("{field} in {errors:?}"));
        assert!(
            got.contains(message),
            "{bad:?}: {got} should contain {message}"
        );
        assert_eq!(errors.len(), 1, "{bad:?}: only {field} fails: {errors:?}");
    }
}

#[test]
fn a_missing_required_answer_names_the_question_and_blank_counts_as_missing() {
    for blank in [vec![], vec![choice(4, &[], None)]] {
        let mut answers = good_answers();
        answers.retain(|a| a.question != QuestionId(4));
        answers.extend(blank.into_iter().map(|mut a| {
            a.question = QuestionId(1);
            a
        }));
        let errors = validate_response(&survey(), &answers).expect_err("q4 missing");
        assert_eq!(errors["q4"], "第 4 题「总体评价」：本题必答，请作答");
    }
    let mut answers = good_answers();
    answers.retain(|a| a.question != QuestionId(6));
    answers.push(text(6, "   "));
    assert!(
        validate_response(&survey(), &answers).is_ok(),
        "an optional blank text is no answer"
    );
}

#[test]
fn an_answer_to_a_question_skipped_by_logic_is_refused() {
    let mut answers = good_answers();
    answers[0] = choice(1, &[2], None);
    let errors = validate_response(&survey(), &answers).expect_err("q3 is hidden");
    assert!(errors["q3"].contains("第 3 题「参加的原因」：按您前面的选择，本题不需作答"));
    answers.retain(|a| a.question != QuestionId(3));
    assert!(validate_response(&survey(), &answers).is_ok());
    assert_eq!(
        visible_questions(&survey(), &answers),
        [1, 2, 4, 5, 6].map(QuestionId)
    );
}

#[test]
fn answers_to_unknown_or_twice_answered_questions_are_refused() {
    let mut answers = good_answers();
    answers.push(rating(99, 3));
    let errors = validate_response(&survey(), &answers).expect_err("unknown");
    assert!(errors["answers"].contains("问卷里没有的题目"));
    let mut answers = good_answers();
    answers.push(rating(4, 3));
    let errors = validate_response(&survey(), &answers).expect_err("twice");
    assert!(errors["q4"].contains("两个答案"));
}

#[test]
fn bad_definitions_are_refused_naming_the_question() {
    type Edit = fn(&mut SurveyDefinition);
    let cases: Vec<(Edit, &str, &str)> = vec![
        (|d| d.title = " ".into(), "title", "请填写问卷标题"),
        (|d| d.questions.clear(), "questions", "请至少添加一道题"),
        (
            |d| d.questions[3].title.clear(),
            "q4",
            "第 4 题：请填写题目",
        ),
        (
            |d| {
                d.questions[0].kind = QuestionKind::SingleChoice {
                    options: options(&["是"]),
                    other: false,
                }
            },
            "q1",
            "至少要有两个选项",
        ),
        (
            |d| {
                d.questions[0].kind = QuestionKind::SingleChoice {
                    options: options(&["是", "是"]),
                    other: false,
                }
            },
            "q1",
            "选项「是」出现了两次",
        ),
        (
            |d| {
                d.questions[0].kind = QuestionKind::SingleChoice {
                    options: options(&["是", " "]),
                    other: false,
                }
            },
            "q1",
            "第 2 个选项还没有文字",
        ),
        (
            |d| {
                if let QuestionKind::MultipleChoice { min, max, .. } = &mut d.questions[1].kind {
                    *min = Some(3);
                    *max = Some(2);
                }
            },
            "q2",
            "至少选 3 项，大于最多选 2 项",
        ),
        (
            |d| {
                d.questions[4].kind = QuestionKind::Number {
                    min: Some(5.0),
                    max: Some(1.0),
                    integer: false,
                }
            },
            "q5",
            "最小值 5 大于最大值 1",
        ),
        (
            |d| d.questions.swap(0, 2),
            "q3",
            "显示条件只能引用排在本题之前的题目",
        ),
        (
            |d| {
                d.questions[2].show_if = Some(ShowIf {
                    question: QuestionId(1),
                    any_of: vec![OptionId(7)],
                })
            },
            "q3",
            "引用的选项已不存在",
        ),
        (
            |d| {
                d.questions[5].show_if = Some(ShowIf {
                    question: QuestionId(4),
                    any_of: vec![OptionId(1)],
                })
            },
            "q6",
            "只能引用单选题或多选题",
        ),
        (
            |d| d.questions[5].id = QuestionId(1),
            "questions",
            "题目编号 1 重复了",
        ),
    ];
    for (edit, field, message) in cases {
        let mut definition = survey();
        edit(&mut definition);
        let errors = check_definition(&definition).expect_err(message);
        let got = errors
            .get(field)
            .unwrap_or_else(|| panic!("{field} in {errors:?}"));
        assert!(got.contains(message), "{got} should contain {message}");
    }
}

#[test]
fn changes_that_keep_answers_meaningful_are_allowed_once_answers_exist() {
    type Edit = fn(&mut SurveyDefinition);
    let fine: Vec<(Edit, &str)> = vec![
        (|d| d.title = "2026年度工作评价（修订）".into(), "title"),
        (
            |d| d.questions[0].title = "是否参加过本年度调研".into(),
            "question wording",
        ),
        (
            |d| {
                if let QuestionKind::SingleChoice { options, .. } = &mut d.questions[0].kind {
                    options[1].label = "没有".into();
                }
            },
            "option wording",
        ),
        (
            |d| {
                if let QuestionKind::MultipleChoice { options, .. } = &mut d.questions[1].kind {
                    options.push(ChoiceOption {
                        id: OptionId(5),
                        label: "就业".into(),
                    });
                }
            },
            "an option added at the end",
        ),
        (|d| d.questions[5].required = true, "required"),
        (
            |d| {
                let id = d.next_question_id();
                d.questions
                    .push(question(id.0, "其他意见", false, QuestionKind::LongText));
            },
            "a question added at the end",
        ),
    ];
    for (edit, why) in fine {
        let mut definition = survey();
        edit(&mut definition);
        assert_eq!(check_change(&survey(), &definition), Ok(()), "{why}");
    }
}

#[test]
fn changes_that_would_corrupt_answers_are_refused_with_the_reason() {
    type Edit = fn(&mut SurveyDefinition);
    let refused: Vec<(Edit, &str, &str)> = vec![
        (
            |d| {
                d.questions.remove(5);
            },
            "q6",
            "第 6 题「所在街道」：问卷已有答卷，不能删除题目",
        ),
        (|d| d.questions.swap(3, 4), "questions", "不能调整题目顺序"),
        (
            |d| d.questions[3].kind = QuestionKind::ShortText,
            "q4",
            "不能把评分题改成简答题",
        ),
        (
            |d| {
                d.questions[0].kind = QuestionKind::MultipleChoice {
                    options: options(&["是", "否"]),
                    other: false,
                    min: None,
                    max: None,
                }
            },
            "q1",
            "不能把单选题改成多选题",
        ),
        (
            |d| {
                if let QuestionKind::MultipleChoice { options, .. } = &mut d.questions[1].kind {
                    options.remove(2);
                }
            },
            "q2",
            "不能删除选项「交通」",
        ),
        (
            |d| {
                if let QuestionKind::MultipleChoice { options, .. } = &mut d.questions[1].kind {
                    options.swap(0, 1);
                }
            },
            "q2",
            "不能调整选项顺序",
        ),
        (
            |d| {
                if let QuestionKind::MultipleChoice { other, .. } = &mut d.questions[1].kind {
                    *other = false;
                }
            },
            "q2",
            "不能去掉“其他”选项",
        ),
        (|d| d.questions[2].show_if = None, "q3", "不能修改显示条件"),
        (
            |d| {
                d.questions
                    .insert(0, question(7, "新题", false, QuestionKind::Rating))
            },
            "questions",
            "新题目只能加在最后",
        ),
    ];
    for (edit, field, message) in refused {
        let mut definition = survey();
        edit(&mut definition);
        let errors = check_change(&survey(), &definition).expect_err(message);
        let got = errors
            .get(field)
            .unwrap_or_else(|| panic!("{field} in {errors:?}"));
        assert!(got.contains(message), "{got} should contain {message}");
    }
}

#[test]
fn times_are_read_in_china_time_and_stored_sortably() {
    let ok = [
        ("2026-12-01T09:00", "2026-12-01T09:00:00+08:00"),
        ("2026-12-01 09:00", "2026-12-01T09:00:00+08:00"),
        ("2026-12-01T09:00:30+08:00", "2026-12-01T09:00:30+08:00"),
        ("2028-02-29T23:59", "2028-02-29T23:59:00+08:00"),
    ];
    for (input, stored) in ok {
        assert_eq!(datetime_from_input(input).as_deref(), Ok(stored), "{input}");
    }
    let bad = [
        ("", "时间格式应为"),
        ("2026/12/01 09:00", "时间格式应为"),
        ("2026-13-01T09:00", "没有 13 月"),
        ("2027-02-29T09:00", "2 月没有 29 日"),
        ("2026-12-01T24:00", "不是有效的时刻"),
        ("2026-12-01T09:00Z", "时间格式应为"),
    ];
    for (input, message) in bad {
        let error = datetime_from_input(input).expect_err(input);
        assert!(error.contains(message), "{input}: {error}");
    }
}

#[test]
fn publish_settings_need_a_window_units_and_no_editable_anonymity() {
    let good = PublishSettings {
        opens_at: "2026-12-01T09:00".into(),
        closes_at: "2026-12-10T18:00".into(),
        audience: Audience::Units {
            unit_ids: vec![crate::UnitId(2), crate::UnitId(2)],
        },
        anonymous: false,
        editable_until_close: true,
    };
    let checked = check_settings(&good).expect("valid");
    assert_eq!(checked.opens_at, "2026-12-01T09:00:00+08:00");
    assert_eq!(
        checked.audience,
        Audience::Units {
            unit_ids: vec![crate::UnitId(2)]
        }
    );
    let cases: Vec<(PublishSettings, &str, &str)> = vec![
        (
            PublishSettings {
                closes_at: "2026-12-01T09:00".into(),
                ..good.clone()
            },
            "closes_at",
            "截止时间应晚于开始时间",
        ),
        (
            PublishSettings {
                audience: Audience::Units { unit_ids: vec![] },
                ..good.clone()
            },
            "audience",
            "请至少选择一个单位",
        ),
        (
            PublishSettings {
                anonymous: true,
                ..good.clone()
            },
            "editable_until_close",
            "匿名问卷不能设为",
        ),
        (
            PublishSettings {
                audience: Audience::Link,
                ..good.clone()
            },
            "editable_until_close",
            "持链接填写的问卷不能设为",
        ),
        (
            PublishSettings {
                opens_at: "明天".into(),
                ..good.clone()
            },
            "opens_at",
            "开始时间：时间格式应为",
        ),
    ];
    for (settings, field, message) in cases {
        let errors = check_settings(&settings).expect_err(message);
        assert!(errors[field].contains(message), "{errors:?}");
    }
}

#[test]
fn the_wire_form_of_a_question_and_an_answer_is_tagged_by_type() {
    let json = serde_json::to_value(&survey().questions[1]).expect("serialise");
    assert_eq!(json["kind"]["type"], "multiple_choice");
    assert_eq!(json["kind"]["min"], 2);
    let answer: Answer = serde_json::from_str(
        r#"{"question": 2, "value": {"type": "choice", "options": [1, 3], "other": "环保"}}"#,
    )
    .expect("parse");
    assert_eq!(answer, choice(2, &[1, 3], Some("环保")));
}
