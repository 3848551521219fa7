//! The rules a submission must meet, as parsers: each turns raw input into a value that is known to be
//! good, or into the Chinese message that tells the member what to fix.

use std::collections::HashSet;

use crate::{CreateSubmission, FieldErrors, SubmissionKind, UnitId};

/// Shortest and longest 案由, in characters.
pub const TITLE_CHARS: (usize, usize) = (5, 60);
/// Shortest and longest body, in characters.
pub const BODY_CHARS: (usize, usize) = (20, 20_000);
/// Longest name, in characters (long enough for names joined with ·).
pub const NAME_MAX_CHARS: usize = 20;
/// Most co-signers on one submission.
pub const COSIGNERS_MAX: usize = 20;

/// A 案由 of sensible length on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title(String);

/// A body of sensible length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body(String);

/// A person's name as they write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

/// A mainland China mobile number, stored as its 11 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MobilePhone(String);

macro_rules! text_value {
    ($($ty:ident),*) => {$(
        impl $ty {
            /// The checked text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    )*};
}
text_value!(Title, Body, PersonName, MobilePhone);

fn char_count(text: &str) -> usize {
    text.chars().count()
}

impl Title {
    /// Trims, then checks length and that it is one line.
    pub fn parse(input: &str) -> Result<Self, String> {
        let text = input.trim();
        let count = char_count(text);
        let (min, max) = TITLE_CHARS;
        if count == 0 {
            return Err("请填写案由（标题）".into());
        }
        if text.contains(['\n', '\r']) {
            return Err("案由请写成一行，不要换行".into());
        }
        if count < min {
            return Err(format!("案由至少 {min} 个字，请写得具体一些"));
        }
        if count > max {
            return Err(format!("案由最多 {max} 个字，现在是 {count} 个字"));
        }
        Ok(Self(text.to_owned()))
    }
}

impl Body {
    /// Trims, then checks length.
    pub fn parse(input: &str) -> Result<Self, String> {
        let text = input.trim();
        let count = char_count(text);
        let (min, max) = BODY_CHARS;
        if count == 0 {
            return Err("请填写内容：现状与问题、具体建议".into());
        }
        if count < min {
            return Err(format!(
                "内容至少 {min} 个字，现在是 {count} 个字，请写明现状、问题和建议"
            ));
        }
        if count > max {
            return Err(format!(
                "内容最多 {max} 个字，现在是 {count} 个字，请精简或分条提交"
            ));
        }
        Ok(Self(text.to_owned()))
    }
}

impl PersonName {
    /// Trims, then checks that it looks like a name: letters, spaces and the middle dot only.
    pub fn parse(input: &str) -> Result<Self, String> {
        Self::parse_as(input, "姓名")
    }

    /// Like `parse`, naming the field in the message (e.g. 联名人姓名).
    fn parse_as(input: &str, what: &str) -> Result<Self, String> {
        let text = input.trim();
        if text.is_empty() {
            return Err(format!("请填写{what}"));
        }
        if char_count(text) > NAME_MAX_CHARS {
            return Err(format!("{what}最多 {NAME_MAX_CHARS} 个字"));
        }
        let name_char = |c: char| c.is_alphabetic() || c == ' ' || c == '·' || c == '•';
        if !text.chars().all(name_char) {
            return Err(format!("{what}只能包含文字，不能有数字或符号"));
        }
        Ok(Self(text.to_owned()))
    }
}

impl MobilePhone {
    /// Accepts 11 digits starting 13–19, forgiving spaces, dashes and a +86 prefix.
    pub fn parse(input: &str) -> Result<Self, String> {
        let compact: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
            .collect();
        if compact.is_empty() {
            return Err("请填写手机号码，便于工作人员联系".into());
        }
        let digits = compact
            .strip_prefix("+86")
            .or_else(|| compact.strip_prefix("0086"))
            .unwrap_or(&compact);
        let bytes = digits.as_bytes();
        let looks_right = bytes.len() == 11
            && bytes.iter().all(u8::is_ascii_digit)
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1]);
        if !looks_right {
            return Err("手机号码应为 11 位数字，以 13–19 开头，如 13812345678".into());
        }
        Ok(Self(digits.to_owned()))
    }
}

/// Parses the co-signer list: blank entries are dropped, each name checked, repeats refused.
///
/// The count is checked before any name, and repeats through a set, so that a list of tens of thousands
/// of distinct names (all a 256 KiB request can carry) costs the server one pass, not a pass per name.
pub fn cosigners(names: &[String]) -> Result<Vec<PersonName>, String> {
    let given = names.iter().filter(|name| !name.trim().is_empty());
    if given.clone().nth(COSIGNERS_MAX).is_some() {
        return Err(format!("联名人最多 {COSIGNERS_MAX} 位"));
    }
    let mut parsed: Vec<PersonName> = Vec::new();
    let mut seen = HashSet::new();
    for raw in given {
        let name = PersonName::parse_as(raw, "联名人姓名")?;
        if !seen.insert(name.as_str().to_owned()) {
            return Err(format!("联名人「{}」重复了", name.as_str()));
        }
        parsed.push(name);
    }
    Ok(parsed)
}

/// Checks that a unit was chosen; whether it exists is the server's to say.
pub fn unit(unit_id: Option<UnitId>) -> Result<UnitId, String> {
    unit_id.ok_or_else(|| "请选择所在单位".into())
}

/// A submission that has passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubmission {
    kind: SubmissionKind,
    title: Title,
    body: Body,
    unit_id: UnitId,
    name: PersonName,
    phone: MobilePhone,
    cosigners: Vec<PersonName>,
    topic_id: Option<crate::topic::TopicId>,
    summary: Option<String>,
}

impl NewSubmission {
    /// Checks every field, collecting a message for each one that fails.
    pub fn parse(input: &CreateSubmission) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut check = |field: &str, result: Result<(), String>| {
            if let Err(message) = result {
                errors.insert(field.to_owned(), message);
            }
        };
        let title = Title::parse(&input.title);
        check("title", title.as_ref().map(drop).map_err(Clone::clone));
        let body = Body::parse(&input.body);
        check("body", body.as_ref().map(drop).map_err(Clone::clone));
        let unit_id = unit(input.unit_id);
        check("unit_id", unit_id.as_ref().map(drop).map_err(Clone::clone));
        let name = PersonName::parse(&input.name);
        check("name", name.as_ref().map(drop).map_err(Clone::clone));
        let phone = MobilePhone::parse(&input.phone);
        check("phone", phone.as_ref().map(drop).map_err(Clone::clone));
        let cosigners = cosigners(&input.cosigners);
        check(
            "cosigners",
            cosigners.as_ref().map(drop).map_err(Clone::clone),
        );
        let summary = crate::topic::summary(input.summary.as_deref());
        check("summary", summary.as_ref().map(drop).map_err(Clone::clone));
        if input.topic_id.is_some() && input.kind != SubmissionKind::ResearchReport {
            check(
                "kind",
                Err("针对课题提交的成果，类别请选择“调研成果”".into()),
            );
        }
        let summary = match summary {
            Ok(summary) if errors.is_empty() => summary,
            _ => return Err(errors),
        };
        match (title, body, unit_id, name, phone, cosigners) {
            (Ok(title), Ok(body), Ok(unit_id), Ok(name), Ok(phone), Ok(cosigners)) => Ok(Self {
                kind: input.kind,
                title,
                body,
                unit_id,
                name,
                phone,
                cosigners,
                topic_id: input.topic_id,
                summary,
            }),
            _ => Err(errors),
        }
    }

    /// 意见建议 / 调研成果 / 社情民意.
    pub fn kind(&self) -> SubmissionKind {
        self.kind
    }
    /// The checked 案由.
    pub fn title(&self) -> &Title {
        &self.title
    }
    /// The checked body.
    pub fn body(&self) -> &Body {
        &self.body
    }
    /// The chosen unit (not yet known to exist).
    pub fn unit_id(&self) -> UnitId {
        self.unit_id
    }
    /// The lead submitter's name.
    pub fn name(&self) -> &PersonName {
        &self.name
    }
    /// The lead submitter's mobile number.
    pub fn phone(&self) -> &MobilePhone {
        &self.phone
    }
    /// Co-signers' names, without blanks or repeats.
    pub fn cosigners(&self) -> &[PersonName] {
        &self.cosigners
    }
    /// The topic a research result answers, if any (whether the sender may is the server's to say).
    pub fn topic_id(&self) -> Option<crate::topic::TopicId> {
        self.topic_id
    }
    /// The result's 摘要, trimmed; `None` when blank.
    pub fn summary(&self) -> Option<&str> {
        self.summary.as_deref()
    }
}

/// The summary message that goes with field errors.
pub const FIX_FIELDS_MESSAGE: &str = "有几项需要修改，请按提示更正后再提交";

#[cfg(test)]
mod tests;
