use serde::{Deserialize, Serialize};

/// Database id of a unit (a party branch, 工商联, 无党派, 新阶层 group).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct UnitId(pub i64);

/// A unit members belong to and submit on behalf of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unit {
    /// Its id, used in `CreateSubmission::unit_id`.
    pub id: UnitId,
    /// Full name, e.g. 民革中原区支部.
    pub name: String,
    /// The group it belongs to, e.g. 民主党派, 无党派人士, 工商联, 新的社会阶层人士.
    pub group: String,
}

/// What a member is sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubmissionKind {
    /// 意见建议 / 金点子.
    #[default]
    Suggestion,
    /// 调研成果 / 调研报告.
    ResearchReport,
    /// 社情民意.
    PublicOpinion,
}

impl SubmissionKind {
    /// Every kind, in the order the form offers them.
    pub const ALL: [SubmissionKind; 3] = [
        SubmissionKind::Suggestion,
        SubmissionKind::ResearchReport,
        SubmissionKind::PublicOpinion,
    ];

    /// The wire and storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionKind::Suggestion => "suggestion",
            SubmissionKind::ResearchReport => "research_report",
            SubmissionKind::PublicOpinion => "public_opinion",
        }
    }

    /// The Chinese word shown to people.
    pub fn label(self) -> &'static str {
        match self {
            SubmissionKind::Suggestion => "意见建议",
            SubmissionKind::ResearchReport => "调研成果",
            SubmissionKind::PublicOpinion => "社情民意",
        }
    }

    /// The kind with the given wire name, if any.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// Where a submission stands in its life (see DOMAIN.md, "A submission's life").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubmissionStatus {
    /// 已提交.
    Submitted,
    /// 已受理.
    Accepted,
    /// 退回修改.
    Returned,
    /// 不予受理.
    Declined,
    /// 已并案.
    Merged,
    /// 已交办.
    Assigned,
    /// 办理中.
    InProgress,
    /// 已答复.
    Replied,
    /// 已办结.
    Closed,
}

impl SubmissionStatus {
    /// Every status, in the order of a submission's life.
    pub const ALL: [SubmissionStatus; 9] = [
        SubmissionStatus::Submitted,
        SubmissionStatus::Accepted,
        SubmissionStatus::Returned,
        SubmissionStatus::Declined,
        SubmissionStatus::Merged,
        SubmissionStatus::Assigned,
        SubmissionStatus::InProgress,
        SubmissionStatus::Replied,
        SubmissionStatus::Closed,
    ];

    /// The wire and storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionStatus::Submitted => "submitted",
            SubmissionStatus::Accepted => "accepted",
            SubmissionStatus::Returned => "returned",
            SubmissionStatus::Declined => "declined",
            SubmissionStatus::Merged => "merged",
            SubmissionStatus::Assigned => "assigned",
            SubmissionStatus::InProgress => "in_progress",
            SubmissionStatus::Replied => "replied",
            SubmissionStatus::Closed => "closed",
        }
    }

    /// The Chinese word shown to people.
    pub fn label(self) -> &'static str {
        match self {
            SubmissionStatus::Submitted => "已提交",
            SubmissionStatus::Accepted => "已受理",
            SubmissionStatus::Returned => "退回修改",
            SubmissionStatus::Declined => "不予受理",
            SubmissionStatus::Merged => "已并案",
            SubmissionStatus::Assigned => "已交办",
            SubmissionStatus::InProgress => "办理中",
            SubmissionStatus::Replied => "已答复",
            SubmissionStatus::Closed => "已办结",
        }
    }

    /// The status with the given wire name, if any.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == name)
    }
}

/// `POST /api/submissions`: what a member sends. Missing text fields count as empty, so the
/// member hears "请填写…" rather than a parser's complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateSubmission {
    /// 意见建议 / 调研成果 / 社情民意.
    pub kind: SubmissionKind,
    /// 案由 / 标题.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "关于老旧小区加装电梯的建议"))]
    pub title: String,
    /// 现状与问题、建议.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "我区老旧小区多建于上世纪九十年代，没有电梯，老年居民上下楼十分困难。建议设立专项补贴。"
        )
    )]
    pub body: String,
    /// The unit the member submits for.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = 1))]
    pub unit_id: Option<UnitId>,
    /// The lead submitter's real name (领衔人).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "王建国"))]
    pub name: String,
    /// The lead submitter's mobile number, for staff to call back.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "13812345678"))]
    pub phone: String,
    /// Co-signers' names (联名人), possibly none.
    #[serde(default)]
    pub cosigners: Vec<String>,
    /// The topic a research result answers (kind `research_report`); absent for any other submission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<crate::topic::TopicId>,
    /// 摘要 of a research result (optional, up to 1,000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Files on the submission, in order: the ids (`upload::UploadId`'s text) of completed uploads
    /// (`POST /api/uploads`) of the sending member, at most the server's file limit (default 10). Left
    /// out when empty, so a request without files is the same as before (and so is its idempotency
    /// digest). Plain strings, like `cosigners`, so the members' main bundle carries no new decoder.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<String>,
}

/// The fields of the members' plain form (no topic, 摘要 or files), as `CreateSubmission::read_form`
/// reads them.
#[derive(Deserialize)]
struct FormFields {
    kind: SubmissionKind,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    unit_id: Option<UnitId>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    cosigners: Vec<String>,
}

impl From<FormFields> for CreateSubmission {
    fn from(form: FormFields) -> Self {
        Self {
            kind: form.kind,
            title: form.title,
            body: form.body,
            unit_id: form.unit_id,
            name: form.name,
            phone: form.phone,
            cosigners: form.cosigners,
            ..Self::default()
        }
    }
}

impl CreateSubmission {
    /// Reads only the fields of the members' plain form, leaving a research result's topic, 摘要 and
    /// files empty: for what the members' form itself keeps (its outbox) and revises (a returned text,
    /// whose topic, 摘要 and files a revision never changes). The form's bundle, full to its 150 KB
    /// budget, then carries no decoder for those fields (about 1 KB).
    pub fn read_form<'de, D: serde::Deserializer<'de>>(reader: D) -> Result<Self, D::Error> {
        FormFields::deserialize(reader).map(Self::from)
    }

    /// `read_form` for an optional text (`SubmissionView::returned_text`).
    pub fn read_optional_form<'de, D: serde::Deserializer<'de>>(
        reader: D,
    ) -> Result<Option<Self>, D::Error> {
        Option::<FormFields>::deserialize(reader).map(|form| form.map(Self::from))
    }
}

/// `201` answer to `POST /api/submissions`: the receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionCreated {
    /// Tracking code shown to the member, e.g. `JY-2026-000123`.
    pub code: String,
    /// The secret that lets only the submitter look the submission up.
    pub secret: String,
    /// `submitted` for a new submission; for a retry of one already stored, the status it has now.
    pub status: SubmissionStatus,
    /// When it was stored, RFC 3339.
    pub submitted_at: String,
}

/// One dated, public entry on a submission's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    /// What the entry records: a status change (the default), the reply, a resubmission, a rating, an
    /// adoption.
    #[serde(default)]
    pub kind: crate::desk::EntryKind,
    /// The status the submission entered (or had, for entries that change no status).
    pub status: SubmissionStatus,
    /// When, RFC 3339.
    pub at: String,
    /// What staff said to the submitter with it, if anything.
    #[serde(default)]
    pub note: Option<String>,
    /// For a merge: the submission it was merged into.
    #[serde(default)]
    pub merged_into: Option<String>,
}

/// `GET /api/submissions/{code}`: what the submitter sees of their submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionView {
    /// Tracking code.
    pub code: String,
    /// What was sent.
    pub kind: SubmissionKind,
    /// 案由.
    pub title: String,
    /// Name of the unit it was sent for.
    pub unit: String,
    /// Current status.
    pub status: SubmissionStatus,
    /// When it was stored, RFC 3339.
    pub submitted_at: String,
    /// Public entries, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// The submission it was merged into, once merged.
    #[serde(default)]
    pub merged_into: Option<String>,
    /// The member may rate the latest reply now (`POST /api/submissions/{code}/rating`).
    #[serde(default)]
    pub can_rate: bool,
    /// Returned for revision: the member may send it again (`PUT /api/submissions/{code}`).
    #[serde(default)]
    pub can_resubmit: bool,
    /// While returned for revision: what was sent, for the member to revise and send again (the
    /// plain form's fields: a revision keeps the topic, 摘要 and files as they are).
    #[serde(default, deserialize_with = "CreateSubmission::read_optional_form")]
    pub returned_text: Option<CreateSubmission>,
}
