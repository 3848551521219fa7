//! What a joined member sees of the topics for their unit.

use serde::{Deserialize, Serialize};

use super::{ClaimInfo, Issuer, ResultLine, TopicId, TopicOrigin, TopicState, UnitTopicState};

/// `GET /api/member/topics`: an open topic for the member's unit (published, not withdrawn or closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberTopic {
    pub id: TopicId,
    pub title: String,
    pub issuer: Issuer,
    pub category: String,
    /// YYYY-MM-DD.
    pub deadline: String,
    /// See `deadline_words`.
    pub days_left: i64,
    pub overdue: bool,
    pub origin: TopicOrigin,
    /// The member's own unit's state on it.
    pub own_state: UnitTopicState,
}

/// `GET /api/member/topics/{id}`: one topic in full, for a member of a target unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberTopicView {
    pub id: TopicId,
    pub year: i32,
    pub title: String,
    pub background: String,
    pub questions: String,
    pub issuer: Issuer,
    pub category: String,
    /// YYYY-MM-DD.
    pub deadline: String,
    pub days_left: i64,
    pub overdue: bool,
    pub origin: TopicOrigin,
    /// `published` or `closed` (a closed topic still shows its results but takes no claims or results).
    pub state: TopicState,
    /// The member's own unit's state.
    pub own_state: UnitTopicState,
    /// The own unit's claim, if any.
    pub own_claim: Option<ClaimInfo>,
    /// Names of the other units that claimed it.
    pub claimed_by: Vec<String>,
    /// The own unit's results on it, oldest first.
    pub own_results: Vec<ResultLine>,
    /// The member is the unit's 联络员 and the unit has not claimed it (and it is open).
    pub can_claim: bool,
    /// The member is the 联络员, the unit claimed it and no result has been submitted.
    pub can_give_back: bool,
    /// The member may send a result on it (`POST /api/submissions` with `topic_id`, kind research_report).
    pub can_submit: bool,
}
