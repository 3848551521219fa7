use super::*;
use SubmissionStatus as S;

fn return_() -> Action {
    Action::Return {
        reason: "请补充数据".into(),
    }
}

#[test]
fn every_legal_transition_leads_where_the_diagram_says() {
    let cases = [
        (S::Submitted, Action::Accept, S::Accepted),
        (S::Submitted, return_(), S::Returned),
        (
            S::Submitted,
            Action::Decline {
                reason: DeclineReason::Duplicate,
                text: "与 JY-2026-000001 重复".into(),
            },
            S::Declined,
        ),
        (
            S::Submitted,
            Action::Merge {
                into: "JY-2026-000001".into(),
            },
            S::Merged,
        ),
        (
            S::Accepted,
            Action::Assign {
                handler: "区住建局".into(),
                due: None,
            },
            S::Assigned,
        ),
        (S::Accepted, return_(), S::Returned),
        (
            S::Accepted,
            Action::Decline {
                reason: DeclineReason::Vague,
                text: "内容空泛".into(),
            },
            S::Declined,
        ),
        (
            S::Accepted,
            Action::Merge {
                into: "JY-2026-000001".into(),
            },
            S::Merged,
        ),
        (S::Assigned, Action::StartHandling, S::InProgress),
        (
            S::Assigned,
            Action::ExtendDue {
                due: "2027-01-31".into(),
                reason: "需协调多部门".into(),
            },
            S::Assigned,
        ),
        (
            S::InProgress,
            Action::ExtendDue {
                due: "2027-01-31".into(),
                reason: "需协调多部门".into(),
            },
            S::InProgress,
        ),
        (
            S::InProgress,
            Action::Reply {
                text: "已安排专项资金".into(),
            },
            S::Replied,
        ),
        (S::Replied, Action::Close, S::Closed),
    ];
    for (from, action, to) in cases {
        assert_eq!(next(from, &action), Ok(to), "{from:?} --{action:?}-->");
    }
}

#[test]
fn actions_the_diagram_does_not_allow_are_illegal_with_a_chinese_message() {
    let cases = [
        (
            S::Submitted,
            Action::StartHandling,
            "cannot handle before assigning",
        ),
        (S::Submitted, Action::Close, "cannot close unhandled"),
        (
            S::Submitted,
            Action::Assign {
                handler: "区住建局".into(),
                due: None,
            },
            "must accept before assigning",
        ),
        (S::Accepted, Action::Accept, "accepted twice"),
        (S::Assigned, Action::Accept, "already assigned"),
        (S::Assigned, return_(), "too late to return"),
        (
            S::InProgress,
            Action::Merge {
                into: "JY-2026-000001".into(),
            },
            "too late to merge",
        ),
        (
            S::Replied,
            Action::StartHandling,
            "replied is not handled again by staff",
        ),
        (S::Closed, Action::Close, "closed twice"),
        (
            S::Closed,
            Action::Reply {
                text: "再答复".into(),
            },
            "closed is final",
        ),
        (S::Declined, Action::Accept, "declined is final"),
        (S::Merged, Action::Accept, "merged is final"),
        (S::Returned, Action::Accept, "returned waits for the member"),
        (
            S::Replied,
            Action::ExtendDue {
                due: "2027-01-31".into(),
                reason: "x".into(),
            },
            "no due date after the reply",
        ),
    ];
    for (from, action, why) in cases {
        let illegal = next(from, &action).expect_err(why);
        assert!(illegal.message().contains(from.label()), "{why}");
        assert!(illegal.message().contains(action.kind().label()), "{why}");
    }
}

#[test]
fn members_resubmit_returned_submissions_and_reopen_replied_ones() {
    assert_eq!(
        next_for_member(S::Returned, MemberEvent::Resubmit),
        Ok(S::Submitted)
    );
    assert_eq!(
        next_for_member(S::Replied, MemberEvent::Dissatisfied),
        Ok(S::InProgress)
    );
    for status in [S::Submitted, S::Accepted, S::Closed, S::Replied] {
        assert!(
            next_for_member(status, MemberEvent::Resubmit).is_err(),
            "{status:?}"
        );
    }
    for status in [S::InProgress, S::Closed, S::Returned] {
        assert!(
            next_for_member(status, MemberEvent::Dissatisfied).is_err(),
            "{status:?}"
        );
    }
}

#[test]
fn the_legal_actions_of_each_status_are_listed_in_order() {
    use ActionKind as K;
    let cases: [(S, &[K]); 9] = [
        (S::Submitted, &[K::Accept, K::Return, K::Decline, K::Merge]),
        (S::Accepted, &[K::Return, K::Decline, K::Merge, K::Assign]),
        (S::Returned, &[]),
        (S::Declined, &[]),
        (S::Merged, &[]),
        (S::Assigned, &[K::StartHandling, K::ExtendDue]),
        (S::InProgress, &[K::Reply, K::ExtendDue]),
        (S::Replied, &[K::Close]),
        (S::Closed, &[]),
    ];
    for (status, expected) in cases {
        assert_eq!(legal_actions(status), expected, "{status:?}");
    }
}

#[test]
fn actions_missing_their_text_name_the_field_in_chinese() {
    let cases = [
        (
            Action::Return {
                reason: "  ".into(),
            },
            "action.reason",
            "退回",
        ),
        (
            Action::Decline {
                reason: DeclineReason::Other,
                text: String::new(),
            },
            "action.text",
            "不予受理",
        ),
        (
            Action::Reply {
                text: String::new(),
            },
            "action.text",
            "答复",
        ),
        (
            Action::Assign {
                handler: String::new(),
                due: None,
            },
            "action.handler",
            "承办单位",
        ),
        (
            Action::Assign {
                handler: "区住建局".into(),
                due: Some("2026-02-30".into()),
            },
            "action.due",
            "日期",
        ),
        (
            Action::Merge {
                into: "12345".into(),
            },
            "action.into",
            "编号",
        ),
        (
            Action::ExtendDue {
                due: "2027-01-31".into(),
                reason: String::new(),
            },
            "action.reason",
            "延期",
        ),
        (
            Action::ExtendDue {
                due: "明年".into(),
                reason: "协调".into(),
            },
            "action.due",
            "日期",
        ),
    ];
    for (action, field, word) in cases {
        let why = format!("{action:?}");
        let errors = action.parse().expect_err(&why);
        let message = errors
            .get(field)
            .unwrap_or_else(|| panic!("{why}: {errors:?}"));
        assert!(message.contains(word), "{why}: {message}");
    }
}

#[test]
fn parsed_actions_are_trimmed_and_codes_written_out() {
    let merged = Action::Merge {
        into: " jy-2026-000007 ".into(),
    }
    .parse();
    assert_eq!(
        merged,
        Ok(Action::Merge {
            into: "JY-2026-000007".into()
        })
    );
    let assigned = Action::Assign {
        handler: " 区住建局 ".into(),
        due: Some(" ".into()),
    }
    .parse();
    assert_eq!(
        assigned,
        Ok(Action::Assign {
            handler: "区住建局".into(),
            due: None
        })
    );
    let long = Action::Reply {
        text: "字".repeat(TEXT_MAX_CHARS + 1),
    };
    assert!(long.parse().is_err(), "a reply over the limit");
}

#[test]
fn dates_are_checked_as_calendar_dates() {
    for good in ["2026-12-31", "2028-02-29", " 2027-01-01 "] {
        assert!(parse_date(good).is_ok(), "{good}");
    }
    for bad in [
        "",
        "2026-13-01",
        "2027-02-29",
        "2026-1-1",
        "2026/01/01",
        "１９９９-01-01",
        "1999-01-01",
    ] {
        assert!(parse_date(bad).is_err(), "{bad}");
    }
}

#[test]
fn actions_are_sent_as_tagged_objects() {
    let action: Action =
        serde_json::from_str(r#"{"kind":"decline","reason":"personal_claim","text":"个人诉求"}"#)
            .expect("a decline");
    assert_eq!(
        action,
        Action::Decline {
            reason: DeclineReason::PersonalClaim,
            text: "个人诉求".into()
        }
    );
    let accept: Action = serde_json::from_str(r#"{"kind":"accept"}"#).expect("an accept");
    assert_eq!(accept, Action::Accept);
    assert!(needs_text(ActionKind::Reply) && !needs_text(ActionKind::Close));
}
