//! 自主选题: a unit's contact proposes a topic of its own; staff approve it (it becomes a topic for that
//! unit) or decline it with a reason.

use serde::{Deserialize, Serialize};

use super::{
    long_text, one_line, reason, topic_title, ProposalId, ProposalState, TopicId, UnitRef,
};
use super::{CATEGORY_MAX_CHARS, PROPOSAL_CATEGORY};
use crate::{workflow::parse_date, FieldErrors};

/// `POST /api/member/proposals`: a unit's own topic, sent by its 联络员.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateProposal {
    /// 课题名称.
    #[serde(default)]
    pub title: String,
    /// 背景.
    #[serde(default)]
    pub background: String,
    /// 调研计划: how and by when the unit will research it.
    #[serde(default)]
    pub plan: String,
}

/// A `CreateProposal` that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalDetails {
    pub title: String,
    pub background: String,
    pub plan: String,
}

impl ProposalDetails {
    /// Checks every field, collecting a message for each one that fails.
    pub fn parse(input: &CreateProposal) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut take = |field: &str, result: Result<String, String>| match result {
            Ok(value) => value,
            Err(message) => {
                errors.insert(field.to_owned(), message);
                String::new()
            }
        };
        let title = take("title", topic_title(&input.title));
        let background = take(
            "background",
            long_text(&input.background, "请填写课题背景", "背景"),
        );
        let plan = take(
            "plan",
            long_text(
                &input.plan,
                "请填写调研计划：怎么调研、何时完成",
                "调研计划",
            ),
        );
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            title,
            background,
            plan,
        })
    }
}

/// A proposal, as staff and the proposing unit see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalView {
    pub id: ProposalId,
    pub unit: UnitRef,
    /// The 联络员 who sent it.
    pub contact: String,
    pub title: String,
    pub background: String,
    pub plan: String,
    pub state: ProposalState,
    /// Why it was declined.
    pub reason: Option<String>,
    /// The topic it became, once approved.
    pub topic_id: Option<TopicId>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339, once decided.
    pub decided_at: Option<String>,
}

/// `GET /api/staff/proposals` query.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ListProposals {
    /// Only this state; all when absent.
    #[serde(default)]
    pub state: Option<ProposalState>,
}

/// `POST /api/staff/proposals/{id}/decision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecideProposal {
    /// `true`: approve (it becomes a published topic for the unit, claimed by it).
    #[serde(default)]
    pub approve: bool,
    /// Required to decline: shown to the unit.
    #[serde(default)]
    pub reason: Option<String>,
    /// Required to approve: the topic's 截止日期 YYYY-MM-DD.
    #[serde(default)]
    pub deadline: Option<String>,
    /// The topic's 类别 on approval; `自主选题` when absent.
    #[serde(default)]
    pub category: Option<String>,
}

/// A `DecideProposal` that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve { deadline: String, category: String },
    Decline { reason: String },
}

impl Decision {
    /// Approval needs a deadline, a decline a reason.
    pub fn parse(input: &DecideProposal) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        if input.approve {
            let deadline = parse_date(input.deadline.as_deref().unwrap_or(""))
                .map_err(|_| "同意立项请填写截止日期，格式如 2026-12-31".to_owned());
            let category = match input.category.as_deref().map(str::trim) {
                None | Some("") => Ok(PROPOSAL_CATEGORY.to_owned()),
                Some(text) => one_line(text, "", "类别", CATEGORY_MAX_CHARS),
            };
            match (deadline, category) {
                (Ok(deadline), Ok(category)) => {
                    return Ok(Decision::Approve { deadline, category })
                }
                (deadline, category) => {
                    if let Err(message) = deadline {
                        errors.insert("deadline".into(), message);
                    }
                    if let Err(message) = category {
                        errors.insert("category".into(), message);
                    }
                }
            }
        } else {
            match reason(
                input.reason.as_deref().unwrap_or(""),
                "请填写不同意的理由，联络员会看到",
            ) {
                Ok(reason) => return Ok(Decision::Decline { reason }),
                Err(message) => {
                    errors.insert("reason".into(), message);
                }
            }
        }
        Err(errors)
    }
}
