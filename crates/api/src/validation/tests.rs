use super::*;

fn good_submission() -> CreateSubmission {
    CreateSubmission {
        kind: SubmissionKind::Suggestion,
        title: "关于加强老旧小区加装电梯的建议".into(),
        body: "我区老旧小区多建于上世纪九十年代，没有电梯，老年居民上下楼困难。建议统筹财政补贴。"
            .into(),
        unit_id: Some(UnitId(1)),
        name: "王建国".into(),
        phone: "13812345678".into(),
        cosigners: vec!["李红".into(), "".into()],
        ..Default::default()
    }
}

#[test]
fn a_complete_submission_parses_and_keeps_its_values_trimmed() {
    let mut input = good_submission();
    input.title = format!("  {}  ", input.title);
    let parsed = NewSubmission::parse(&input).expect("valid");
    assert_eq!(parsed.title().as_str(), "关于加强老旧小区加装电梯的建议");
    assert_eq!(parsed.unit_id(), UnitId(1));
    assert_eq!(
        parsed.cosigners().len(),
        1,
        "blank co-signer rows are dropped"
    );
}

#[test]
fn every_failing_field_is_named_at_once() {
    let input = CreateSubmission::default();
    let errors = NewSubmission::parse(&input).expect_err("empty form must fail");
    let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
    assert_eq!(fields, ["body", "name", "phone", "title", "unit_id"]);
}

#[test]
fn titles() {
    let ok = [
        ("关于停车难的建议", "8 chars"),
        ("五个字标题", "exactly 5"),
        (&*"字".repeat(60), "exactly 60"),
    ];
    for (input, why) in ok {
        assert!(Title::parse(input).is_ok(), "{why}: {input:?}");
    }
    let bad = [
        ("", "请填写", "empty"),
        ("   ", "请填写", "blank"),
        ("四个字啊", "至少 5 个字", "too short"),
        (
            &*"字".repeat(61),
            "最多 60 个字，现在是 61 个字",
            "too long",
        ),
        ("关于停车难\n的建议", "不要换行", "two lines"),
    ];
    for (input, message, why) in bad {
        let error = Title::parse(input).expect_err(why);
        assert!(error.contains(message), "{why}: got {error:?}");
    }
}

#[test]
fn bodies() {
    assert!(Body::parse(&"字".repeat(20)).is_ok(), "exactly 20");
    assert!(Body::parse(&"字".repeat(20_000)).is_ok(), "exactly 20000");
    assert!(
        Body::parse(&format!("第一段{}\n\n第二段", "字".repeat(20))).is_ok(),
        "paragraphs"
    );
    let bad = [
        (String::new(), "请填写内容", "empty"),
        ("字".repeat(19), "至少 20 个字，现在是 19 个字", "too short"),
        (
            format!("  {}  ", "字".repeat(19)),
            "现在是 19 个字",
            "padding does not count",
        ),
        ("字".repeat(20_001), "最多 20000 个字", "too long"),
    ];
    for (input, message, why) in bad {
        let error = Body::parse(&input).expect_err(why);
        assert!(error.contains(message), "{why}: got {error:?}");
    }
}

#[test]
fn names() {
    for ok in ["王芳", "欧阳建国", "阿依古丽·买买提", "Li Hong", " 张三 "] {
        assert!(PersonName::parse(ok).is_ok(), "{ok:?}");
    }
    let bad = [
        ("", "请填写姓名", "empty"),
        ("王芳1", "不能有数字或符号", "digit"),
        ("<script>", "不能有数字或符号", "markup"),
        (&*"王".repeat(21), "最多 20 个字", "too long"),
    ];
    for (input, message, why) in bad {
        let error = PersonName::parse(input).expect_err(why);
        assert!(error.contains(message), "{why}: got {error:?}");
    }
}

#[test]
fn phone_numbers() {
    let ok = [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 199 1234 5678", "19912345678"),
        ("008615012345678", "15012345678"),
    ];
    for (input, stored) in ok {
        assert_eq!(
            MobilePhone::parse(input).map(|p| p.as_str().to_owned()),
            Ok(stored.into()),
            "{input:?}"
        );
    }
    let bad = [
        ("", "请填写手机号码", "empty"),
        ("1381234567", "11 位数字", "ten digits"),
        ("138123456789", "11 位数字", "twelve digits"),
        ("12812345678", "11 位数字", "second digit 2"),
        ("23812345678", "11 位数字", "not starting with 1"),
        ("1381234567a", "11 位数字", "letter"),
        ("０１３８１２３４５６７", "11 位数字", "full-width digits"),
        ("010-12345678", "11 位数字", "landline"),
    ];
    for (input, message, why) in bad {
        let error = MobilePhone::parse(input).expect_err(why);
        assert!(error.contains(message), "{why}: got {error:?}");
    }
}

#[test]
fn cosigner_lists() {
    assert_eq!(cosigners(&[]).map(|c| c.len()), Ok(0));
    assert_eq!(
        cosigners(&["李红".into(), " ".into(), "赵强".into()]).map(|c| c.len()),
        Ok(2)
    );
    let too_many: Vec<String> = (0..21)
        .map(|i| {
            format!(
                "联名人{}",
                "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌"
                    .chars()
                    .nth(i)
                    .unwrap_or('甲')
            )
        })
        .collect();
    let bad = [
        (vec!["李红".to_string(), "李红".into()], "重复", "repeat"),
        (vec!["李红2".to_string()], "联名人姓名只能包含文字", "digit"),
        (too_many, "最多 20 位", "too many"),
        (
            (0..21).map(|_| "李红".to_string()).collect(),
            "最多 20 位",
            "too many, counted before repeats are looked for",
        ),
        (
            (0..21).map(|_| "李红2".to_string()).collect(),
            "最多 20 位",
            "too many, counted before any name is checked",
        ),
    ];
    for (input, message, why) in bad {
        let error = cosigners(&input).expect_err(why);
        assert!(error.contains(message), "{why}: got {error:?}");
    }
}

#[test]
fn a_missing_unit_asks_the_member_to_choose_one() {
    assert_eq!(unit(None), Err("请选择所在单位".to_string()));
    assert_eq!(unit(Some(UnitId(3))), Ok(UnitId(3)));
}

#[test]
fn the_wire_format_uses_snake_case_names_and_defaults_missing_text() {
    let json = r#"{"kind":"research_report","title":"t"}"#;
    let parsed: CreateSubmission = serde_json::from_str(json).expect("parses");
    assert_eq!(parsed.kind, SubmissionKind::ResearchReport);
    assert_eq!(parsed.unit_id, None);
    assert!(parsed.cosigners.is_empty());
    let status = serde_json::to_string(&crate::SubmissionStatus::InProgress).expect("serializes");
    assert_eq!(status, "\"in_progress\"");
}
