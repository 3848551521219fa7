//! The contract between the 同心建言 browser app and its server.
//!
//! Both sides compile this crate: the DTOs that cross the wire, the ids and enums, and the validation
//! rules with their Chinese messages. The browser runs the rules for instant feedback, the server runs the
//! same rules for the final say, so a member never sees two different messages for one mistake.
//! No I/O lives here; it builds for wasm32 and native.

pub mod attachment;
mod cosign;
pub mod desk;
mod error;
mod member;
pub mod roster;
pub mod spreadsheet;
mod staff;
mod submission;
pub mod topic;
mod tracking_code;
pub mod upload;
pub mod validation;
pub mod workflow;

pub use cosign::{
    check_cosigner_ids, cosign_field_errors, AnswerCosign, CosignAnswer, CosignDraft,
    CosignDraftId, CosignRequest, CosignSent, CosignerAnswer, CreateCosignDraft, RosterEntry,
    ROSTER_SEARCH_MAX,
};
pub use error::{ErrorBody, FieldErrors};
pub use member::{
    ClaimSubmission, DeviceLink, InvitationState, InvitationSummary, IssuedInvitation, JoinPreview,
    JoinRequest, MemberAccess, MemberConfig, MemberDevice, MemberMe, MemberSubmission, Settings,
    UnitInvitations, JOIN_PATH, MEMBER_SESSION_COOKIE,
};
pub use roster::MemberId;
pub use staff::{
    AuditEntryView, AuditPage, ListAudit, LoginRequest, Role, StaffSession, StaffView,
    STAFF_SESSION_COOKIE,
};
pub use submission::{
    CreateSubmission, SubmissionCreated, SubmissionKind, SubmissionStatus, SubmissionView,
    TimelineEntry, Unit, UnitId,
};
pub use topic::{ProposalId, TopicId};
pub use tracking_code::TrackingCode;
pub use validation::NewSubmission;

/// Request header carrying the client-chosen key that makes a submission POST safe to retry.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
