//! A submission's life as one state machine (DOMAIN.md, "A submission's life"): which actions staff may
//! take in each status, where each leads, and what each must carry, with the Chinese messages the desk
//! shows. Both the staff app (to offer only legal buttons) and the server (the final say) use it.

use serde::{Deserialize, Serialize};

use crate::{FieldErrors, SubmissionStatus, TrackingCode};

/// Longest reason, reply or note, in characters.
pub const TEXT_MAX_CHARS: usize = 5_000;
/// Longest 承办单位 name, in characters.
pub const HANDLER_MAX_CHARS: usize = 60;

/// Why a submission is not accepted (不予受理).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeclineReason {
    /// 涉密.
    Classified,
    /// 个人诉求.
    PersonalClaim,
    /// 内容空泛.
    Vague,
    /// 重复.
    Duplicate,
    /// 其他.
    Other,
}

impl DeclineReason {
    /// Every reason, in the order the desk offers them.
    pub const ALL: [DeclineReason; 5] = [
        DeclineReason::Classified,
        DeclineReason::PersonalClaim,
        DeclineReason::Vague,
        DeclineReason::Duplicate,
        DeclineReason::Other,
    ];

    /// The Chinese words shown to people.
    pub fn label(self) -> &'static str {
        match self {
            DeclineReason::Classified => "涉密",
            DeclineReason::PersonalClaim => "个人诉求",
            DeclineReason::Vague => "内容空泛",
            DeclineReason::Duplicate => "重复",
            DeclineReason::Other => "其他",
        }
    }
}

/// What staff do to a submission. On the wire: `{"kind": "return", "reason": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// 受理.
    Accept,
    /// 退回修改, telling the member what to change.
    Return {
        #[serde(default)]
        reason: String,
    },
    /// 不予受理, with a reason and words for the member.
    Decline {
        reason: DeclineReason,
        #[serde(default)]
        text: String,
    },
    /// 并案 into another submission, by its tracking code.
    Merge {
        #[serde(default)]
        into: String,
    },
    /// 交办 to a 承办单位; the due date (YYYY-MM-DD) defaults to three months on.
    Assign {
        #[serde(default)]
        handler: String,
        #[serde(default)]
        due: Option<String>,
    },
    /// 开始办理.
    StartHandling,
    /// 答复 the member.
    Reply {
        #[serde(default)]
        text: String,
    },
    /// 办结.
    Close,
    /// 延期: a later due date, and why.
    ExtendDue {
        #[serde(default)]
        due: String,
        #[serde(default)]
        reason: String,
    },
}

/// An action without its data: what the desk offers as a button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// 受理.
    Accept,
    /// 退回修改.
    Return,
    /// 不予受理.
    Decline,
    /// 并案.
    Merge,
    /// 交办.
    Assign,
    /// 开始办理.
    StartHandling,
    /// 答复.
    Reply,
    /// 办结.
    Close,
    /// 延期.
    ExtendDue,
}

impl ActionKind {
    /// Every kind, in the order of a submission's life.
    pub const ALL: [ActionKind; 9] = [
        ActionKind::Accept,
        ActionKind::Return,
        ActionKind::Decline,
        ActionKind::Merge,
        ActionKind::Assign,
        ActionKind::StartHandling,
        ActionKind::Reply,
        ActionKind::Close,
        ActionKind::ExtendDue,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Accept => "accept",
            ActionKind::Return => "return",
            ActionKind::Decline => "decline",
            ActionKind::Merge => "merge",
            ActionKind::Assign => "assign",
            ActionKind::StartHandling => "start_handling",
            ActionKind::Reply => "reply",
            ActionKind::Close => "close",
            ActionKind::ExtendDue => "extend_due",
        }
    }

    /// The Chinese word on the button.
    pub fn label(self) -> &'static str {
        match self {
            ActionKind::Accept => "受理",
            ActionKind::Return => "退回修改",
            ActionKind::Decline => "不予受理",
            ActionKind::Merge => "并案",
            ActionKind::Assign => "交办",
            ActionKind::StartHandling => "开始办理",
            ActionKind::Reply => "答复",
            ActionKind::Close => "办结",
            ActionKind::ExtendDue => "延期",
        }
    }
}

impl Action {
    /// Which kind of action this is.
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Accept => ActionKind::Accept,
            Action::Return { .. } => ActionKind::Return,
            Action::Decline { .. } => ActionKind::Decline,
            Action::Merge { .. } => ActionKind::Merge,
            Action::Assign { .. } => ActionKind::Assign,
            Action::StartHandling => ActionKind::StartHandling,
            Action::Reply { .. } => ActionKind::Reply,
            Action::Close => ActionKind::Close,
            Action::ExtendDue { .. } => ActionKind::ExtendDue,
        }
    }

    /// Trims the action's text and checks that it carries what it must; messages are keyed
    /// `action.<field>`. Whether the action is legal now is `next`'s to say; whether a merge target or a
    /// due date makes sense against the database and today is the server's.
    pub fn parse(self) -> Result<Action, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut take = |field: &str, result: Result<String, String>| -> String {
            result.unwrap_or_else(|message| {
                errors.insert(format!("action.{field}"), message);
                String::new()
            })
        };
        let action = match self {
            Action::Return { reason } => Action::Return {
                reason: take(
                    "reason",
                    required_text(&reason, "请写明退回的原因和需要修改的地方"),
                ),
            },
            Action::Decline { reason, text } => Action::Decline {
                reason,
                text: take(
                    "text",
                    required_text(&text, "请写明不予受理的具体说明，提交人会看到"),
                ),
            },
            Action::Reply { text } => Action::Reply {
                text: take("text", required_text(&text, "请填写答复内容")),
            },
            Action::ExtendDue { due, reason } => Action::ExtendDue {
                due: take("due", parse_date(&due)),
                reason: take("reason", required_text(&reason, "请写明延期的原因")),
            },
            Action::Merge { into } => Action::Merge {
                into: take(
                    "into",
                    TrackingCode::parse(&into)
                        .map(|code| code.to_string())
                        .ok_or_else(|| "请填写要并入的建言编号，如 JY-2026-000123".to_owned()),
                ),
            },
            Action::Assign { handler, due } => {
                let handler = take("handler", handler_name(&handler));
                let due = due
                    .as_deref()
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(|due| take("due", parse_date(due)));
                Action::Assign { handler, due }
            }
            other @ (Action::Accept | Action::StartHandling | Action::Close) => other,
        };
        if errors.is_empty() {
            Ok(action)
        } else {
            Err(errors)
        }
    }
}

/// A member's part in the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberEvent {
    /// The member sends a returned submission again, revised.
    Resubmit,
    /// The member rates the reply 不满意: it is handled again.
    Dissatisfied,
}

/// An action that the submission's status does not allow, with the message the desk shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Illegal {
    /// Where the submission stands.
    pub status: SubmissionStatus,
    /// What was tried.
    pub action: &'static str,
}

impl Illegal {
    /// What went wrong and what to do, in Chinese.
    pub fn message(&self) -> String {
        format!(
            "这条建言当前状态为「{}」，不能「{}」；请刷新后按页面上提供的操作进行",
            self.status.label(),
            self.action
        )
    }
}

/// Where `action` takes a submission in `status`, or why it cannot.
pub fn next(status: SubmissionStatus, action: &Action) -> Result<SubmissionStatus, Illegal> {
    use SubmissionStatus as S;
    let kind = action.kind();
    let to = match (status, kind) {
        (S::Submitted | S::Accepted, ActionKind::Return) => S::Returned,
        (S::Submitted | S::Accepted, ActionKind::Decline) => S::Declined,
        (S::Submitted | S::Accepted, ActionKind::Merge) => S::Merged,
        (S::Submitted, ActionKind::Accept) => S::Accepted,
        (S::Accepted, ActionKind::Assign) => S::Assigned,
        (S::Assigned, ActionKind::StartHandling) => S::InProgress,
        (S::Assigned | S::InProgress, ActionKind::ExtendDue) => status,
        (S::InProgress, ActionKind::Reply) => S::Replied,
        (S::Replied, ActionKind::Close) => S::Closed,
        _ => {
            return Err(Illegal {
                status,
                action: kind.label(),
            })
        }
    };
    Ok(to)
}

/// Where a member's `event` takes a submission in `status`, or why it cannot.
pub fn next_for_member(
    status: SubmissionStatus,
    event: MemberEvent,
) -> Result<SubmissionStatus, Illegal> {
    match (status, event) {
        (SubmissionStatus::Returned, MemberEvent::Resubmit) => Ok(SubmissionStatus::Submitted),
        (SubmissionStatus::Replied, MemberEvent::Dissatisfied) => Ok(SubmissionStatus::InProgress),
        (_, MemberEvent::Resubmit) => Err(Illegal {
            status,
            action: "重新提交",
        }),
        (_, MemberEvent::Dissatisfied) => Err(Illegal {
            status,
            action: "评价答复",
        }),
    }
}

/// The actions staff may take on a submission in `status`, in the order of its life.
pub fn legal_actions(status: SubmissionStatus) -> Vec<ActionKind> {
    ActionKind::ALL
        .into_iter()
        .filter(|kind| next(status, &sample(*kind)).is_ok())
        .collect()
}

/// Whether the desk must ask for text before it sends `kind`.
pub fn needs_text(kind: ActionKind) -> bool {
    matches!(
        kind,
        ActionKind::Return
            | ActionKind::Decline
            | ActionKind::Merge
            | ActionKind::Assign
            | ActionKind::Reply
            | ActionKind::ExtendDue
    )
}

/// An action of `kind` with empty data, to ask `next` about the kind alone.
fn sample(kind: ActionKind) -> Action {
    match kind {
        ActionKind::Accept => Action::Accept,
        ActionKind::Return => Action::Return {
            reason: String::new(),
        },
        ActionKind::Decline => Action::Decline {
            reason: DeclineReason::Other,
            text: String::new(),
        },
        ActionKind::Merge => Action::Merge {
            into: String::new(),
        },
        ActionKind::Assign => Action::Assign {
            handler: String::new(),
            due: None,
        },
        ActionKind::StartHandling => Action::StartHandling,
        ActionKind::Reply => Action::Reply {
            text: String::new(),
        },
        ActionKind::Close => Action::Close,
        ActionKind::ExtendDue => Action::ExtendDue {
            due: String::new(),
            reason: String::new(),
        },
    }
}

/// Trimmed, non-empty text of at most `TEXT_MAX_CHARS`; `missing` is the message when there is none.
pub fn required_text(input: &str, missing: &str) -> Result<String, String> {
    let text = input.trim();
    if text.is_empty() {
        return Err(missing.to_owned());
    }
    let count = text.chars().count();
    if count > TEXT_MAX_CHARS {
        return Err(format!(
            "最多 {TEXT_MAX_CHARS} 个字，现在是 {count} 个字，请精简"
        ));
    }
    Ok(text.to_owned())
}

/// A 承办单位 name: trimmed, one line, not too long.
pub fn handler_name(input: &str) -> Result<String, String> {
    let text = input.trim();
    if text.is_empty() {
        return Err("请填写承办单位".into());
    }
    if text.contains(['\n', '\r']) {
        return Err("承办单位请写成一行".into());
    }
    if text.chars().count() > HANDLER_MAX_CHARS {
        return Err(format!("承办单位最多 {HANDLER_MAX_CHARS} 个字"));
    }
    Ok(text.to_owned())
}

/// A calendar date written `YYYY-MM-DD`, as the date picker sends it; returned as written.
pub fn parse_date(input: &str) -> Result<String, String> {
    let text = input.trim();
    let message = || "请填写日期，格式如 2026-12-31".to_owned();
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return Err(message());
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return Err(message());
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(message()),
    };
    if !(2000..=2999).contains(&year) || day == 0 || day > days {
        return Err(message());
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests;
