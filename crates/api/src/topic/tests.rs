use super::*;

fn good_topic() -> SaveTopic {
    SaveTopic {
        title: "老旧小区改造中的居民参与机制".into(),
        background: "我区仍有一百多个老旧小区待改造。".into(),
        questions: "一、居民如何参与？二、资金如何分担？".into(),
        issuer: Issuer::DistrictGovernment,
        category: "城市建设".into(),
        deadline: "2026-12-31".into(),
        year: None,
        all_units: true,
        unit_ids: vec![],
        version: None,
    }
}

#[test]
fn a_complete_topic_parses_and_takes_its_year_from_the_deadline() {
    let details = TopicDetails::parse(&good_topic()).expect("good topic");
    assert_eq!(details.year, 2026);
    assert_eq!(details.title, "老旧小区改造中的居民参与机制");
    assert!(details.all_units);
    assert!(details.unit_ids.is_empty());
}

#[test]
fn bad_topic_fields_are_each_named_with_what_to_fix() {
    // (why, change, field, words of the message)
    type Case = (&'static str, fn(&mut SaveTopic), &'static str, &'static str);
    let cases: [Case; 9] = [
        (
            "no title",
            |t| t.title = " ".into(),
            "title",
            "请填写课题名称",
        ),
        ("short title", |t| t.title = "改造".into(), "title", "5–60"),
        (
            "two-line title",
            |t| t.title = "老旧小区\n改造问题".into(),
            "title",
            "一行",
        ),
        (
            "no background",
            |t| t.background.clear(),
            "background",
            "课题背景",
        ),
        (
            "no questions",
            |t| t.questions.clear(),
            "questions",
            "回答的问题",
        ),
        ("no category", |t| t.category.clear(), "category", "类别"),
        (
            "bad deadline",
            |t| t.deadline = "2026-02-30".into(),
            "deadline",
            "截止日期",
        ),
        (
            "no units chosen",
            |t| t.all_units = false,
            "unit_ids",
            "选择面向的单位",
        ),
        (
            "a unit twice",
            |t| {
                t.all_units = false;
                t.unit_ids = vec![UnitId(1), UnitId(1)];
            },
            "unit_ids",
            "两次",
        ),
    ];
    for (why, change, field, words) in cases {
        let mut topic = good_topic();
        change(&mut topic);
        let errors = TopicDetails::parse(&topic).expect_err(why);
        let message = errors
            .get(field)
            .unwrap_or_else(|| panic!("{why}: {errors:?}"));
        assert!(message.contains(words), "{why}: {message}");
        assert_eq!(errors.len(), 1, "{why}: {errors:?}");
    }
}

#[test]
fn chosen_units_are_kept_and_a_given_year_wins() {
    let mut topic = good_topic();
    topic.all_units = false;
    topic.unit_ids = vec![UnitId(3), UnitId(1)];
    topic.year = Some(2027);
    let details = TopicDetails::parse(&topic).expect("chosen units");
    assert_eq!(details.unit_ids, vec![UnitId(3), UnitId(1)]);
    assert_eq!(details.year, 2027);
    topic.year = Some(27);
    assert!(TopicDetails::parse(&topic)
        .expect_err("two-digit year")
        .contains_key("year"));
}

#[test]
fn a_proposal_needs_title_background_and_plan() {
    let empty = ProposalDetails::parse(&CreateProposal::default()).expect_err("empty");
    assert_eq!(
        empty.keys().map(String::as_str).collect::<Vec<_>>(),
        ["background", "plan", "title"]
    );
    let good = CreateProposal {
        title: "民营企业用工难问题调研".into(),
        background: "近年我区民营企业招工难。".into(),
        plan: "走访 20 家企业，九月底前完成。".into(),
    };
    assert!(ProposalDetails::parse(&good).is_ok());
}

#[test]
fn approving_needs_a_deadline_and_declining_a_reason() {
    let approve = DecideProposal {
        approve: true,
        ..Default::default()
    };
    assert!(Decision::parse(&approve)
        .expect_err("no deadline")
        .contains_key("deadline"));
    let approve = DecideProposal {
        deadline: Some("2026-10-31".into()),
        ..approve
    };
    assert_eq!(
        Decision::parse(&approve),
        Ok(Decision::Approve {
            deadline: "2026-10-31".into(),
            category: PROPOSAL_CATEGORY.into()
        })
    );
    let decline = DecideProposal {
        reason: Some("  ".into()),
        ..Default::default()
    };
    let errors = Decision::parse(&decline).expect_err("no reason");
    assert!(errors["reason"].contains("理由"), "{errors:?}");
}

#[test]
fn deadlines_read_as_days_left_today_or_overdue() {
    assert_eq!(deadline_words(12), "还剩 12 天");
    assert_eq!(deadline_words(0), "今天截止");
    assert_eq!(deadline_words(-3), "已逾期 3 天");
}

#[test]
fn every_word_reads_back_as_itself_and_has_a_chinese_label() {
    for grade in Grade::ALL {
        assert_eq!(Grade::parse(grade.as_str()), Some(*grade));
    }
    for state in UnitTopicState::ALL {
        assert_eq!(UnitTopicState::parse(state.as_str()), Some(*state));
    }
    assert_eq!(Grade::Excellent.label(), "优秀");
    assert_eq!(TopicState::Closed.label(), "已结束");
    assert_eq!(Issuer::DistrictCommittee.label(), "区委");
    assert_eq!(UnitTopicState::Submitted.label(), "已提交成果");
    assert!(UnitTopicState::Adopted > UnitTopicState::Reviewed);
}

#[test]
fn summaries_and_comments_are_optional_but_bounded() {
    assert_eq!(summary(Some("  ")), Ok(None));
    assert_eq!(summary(Some(" 要点 ")), Ok(Some("要点".into())));
    assert!(summary(Some(&"字".repeat(SUMMARY_MAX_CHARS + 1)))
        .expect_err("too long")
        .contains("摘要最多"));
    assert!(optional_comment(Some(&"字".repeat(REASON_MAX_CHARS + 1))).is_err());
}
