//! Co-signing (联名): a joined member (the lead, 领衔人) picks co-signers from the roster and asks them;
//! each confirms or declines on their own device. The request reaches staff as a submission once
//! everyone has answered, or when the lead sends it anyway; co-signers who confirmed are marked so.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::{validation::COSIGNERS_MAX, CreateSubmission, FieldErrors, MemberId, SubmissionKind};

/// Most members one roster search answers with.
pub const ROSTER_SEARCH_MAX: usize = 20;

/// Database id of a co-signing request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct CosignDraftId(pub i64);

/// `GET /api/member/roster?q=`: a member who can be asked to co-sign. Name and unit only: members never
/// read each other's contact details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterEntry {
    pub id: MemberId,
    pub name: String,
    /// The unit's name.
    pub unit: String,
}

/// `POST /api/member/cosign-drafts`: what the lead writes, and whom they ask. Name, unit and phone are
/// the lead's from the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateCosignDraft {
    /// 意见建议 / 调研成果 / 社情民意.
    #[serde(default)]
    pub kind: SubmissionKind,
    /// 案由 / 标题.
    #[serde(default)]
    pub title: String,
    /// 现状与问题、建议.
    #[serde(default)]
    pub body: String,
    /// Members on the roster asked to co-sign, in the order chosen.
    #[serde(default)]
    pub cosigner_ids: Vec<MemberId>,
    /// Co-signers not on the roster, by name: they go to staff unconfirmed.
    #[serde(default)]
    pub other_names: Vec<String>,
}

impl CreateCosignDraft {
    /// The submission it becomes, with the lead's details and `roster_names` (the chosen members' names)
    /// before the typed ones: what `NewSubmission::parse` checks.
    pub fn as_submission(
        &self,
        lead: &CreateSubmission,
        roster_names: impl IntoIterator<Item = String>,
    ) -> CreateSubmission {
        CreateSubmission {
            kind: self.kind,
            title: self.title.clone(),
            body: self.body.clone(),
            cosigners: roster_names
                .into_iter()
                .chain(self.other_names.iter().cloned())
                .collect(),
            ..lead.clone()
        }
    }
}

/// Checks the chosen co-signers as far as the browser can: not the lead, no one twice, and no more than
/// `COSIGNERS_MAX` with the typed names (`others`, blanks not counted). Whether each is an active member
/// is the server's to say. Messages go under `cosigner_ids`.
pub fn check_cosigner_ids(
    ids: &[MemberId],
    lead: MemberId,
    others: &[String],
) -> Result<(), String> {
    let typed = others.iter().filter(|name| !name.trim().is_empty()).count();
    if ids.len() + typed > COSIGNERS_MAX {
        return Err(format!(
            "联名人最多 {COSIGNERS_MAX} 位，现在从名册中选了 {} 位、另填了 {typed} 位，请减少一些",
            ids.len()
        ));
    }
    if ids.contains(&lead) {
        return Err("您是领衔人，不必把自己选为联名人".into());
    }
    let mut seen = HashSet::new();
    if ids.iter().any(|id| !seen.insert(*id)) {
        return Err("同一位联名人选了两次，请去掉重复的".into());
    }
    Ok(())
}

/// Moves the co-signer messages of `NewSubmission::parse` to the field the lead typed them in.
pub fn cosign_field_errors(mut errors: FieldErrors) -> FieldErrors {
    if let Some(message) = errors.remove("cosigners") {
        errors.insert("other_names".into(), message);
    }
    errors
}

/// How a co-signer answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CosignAnswer {
    /// Not yet answered.
    Pending,
    /// 同意联名.
    Confirmed,
    /// 不同意.
    Declined,
}

impl CosignAnswer {
    /// The Chinese words shown to the lead.
    pub fn label(self) -> &'static str {
        match self {
            CosignAnswer::Pending => "尚未回复",
            CosignAnswer::Confirmed => "已同意",
            CosignAnswer::Declined => "不同意",
        }
    }

    /// The stored word (`NULL` is `Pending`).
    pub fn as_stored(self) -> Option<&'static str> {
        match self {
            CosignAnswer::Pending => None,
            CosignAnswer::Confirmed => Some("confirmed"),
            CosignAnswer::Declined => Some("declined"),
        }
    }

    /// The answer behind a stored word; anything but the two words is `Pending`.
    pub fn from_stored(stored: Option<&str>) -> Self {
        match stored {
            Some("confirmed") => CosignAnswer::Confirmed,
            Some("declined") => CosignAnswer::Declined,
            _ => CosignAnswer::Pending,
        }
    }
}

/// One co-signer on the roster and their answer, as the lead sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CosignerAnswer {
    pub member_id: MemberId,
    pub name: String,
    /// The unit's name.
    pub unit: String,
    pub answer: CosignAnswer,
    /// When they answered, RFC 3339.
    pub answered_at: Option<String>,
}

/// A co-signing request once it reached staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CosignSent {
    /// Tracking code of the submission it became.
    pub code: String,
    /// Its 查询密码, so the lead opens it at `/track/<code>#<secret>`.
    pub secret: String,
    /// RFC 3339.
    pub sent_at: String,
}

/// `GET /api/member/cosign-drafts`: a request the member leads, with every co-signer's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CosignDraft {
    pub id: CosignDraftId,
    pub kind: SubmissionKind,
    pub title: String,
    /// RFC 3339.
    pub created_at: String,
    /// The members asked, in the order chosen.
    pub cosigners: Vec<CosignerAnswer>,
    /// Names typed for co-signers not on the roster (sent unconfirmed).
    pub other_names: Vec<String>,
    /// Once it reached staff; absent while it waits for answers.
    pub sent: Option<CosignSent>,
}

/// `GET /api/member/cosign-requests`: a request that asks the member to co-sign, not yet sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CosignRequest {
    pub id: CosignDraftId,
    /// 领衔人's name.
    pub lead_name: String,
    /// 领衔人's unit.
    pub lead_unit: String,
    pub kind: SubmissionKind,
    pub title: String,
    pub body: String,
    /// RFC 3339.
    pub created_at: String,
    /// This member's answer so far.
    pub answer: CosignAnswer,
}

/// `POST /api/member/cosign-requests/{id}`: the co-signer's answer, given once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerCosign {
    /// `true`: 同意联名; `false`: 不同意.
    pub confirm: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chosen_cosigners_are_refused_when_they_include_the_lead_repeat_or_are_too_many() {
        let lead = MemberId(1);
        let many: Vec<MemberId> = (10..10 + COSIGNERS_MAX as i64).map(MemberId).collect();
        // (why, chosen, typed, words of the refusal or None when accepted)
        type Case = (
            &'static str,
            Vec<MemberId>,
            Vec<String>,
            Option<&'static str>,
        );
        let cases: [Case; 5] = [
            (
                "two others and a typed name",
                vec![MemberId(2), MemberId(3)],
                vec!["李红".into()],
                None,
            ),
            ("the lead", vec![MemberId(2), lead], vec![], Some("领衔人")),
            (
                "a repeat",
                vec![MemberId(2), MemberId(2)],
                vec![],
                Some("两次"),
            ),
            (
                "the most there may be",
                many.clone(),
                vec![" ".into()],
                None,
            ),
            (
                "one typed name too many",
                many,
                vec!["李红".into()],
                Some("最多 20 位"),
            ),
        ];
        for (why, ids, others, refused) in cases {
            let outcome = check_cosigner_ids(&ids, lead, &others);
            match refused {
                None => assert_eq!(outcome, Ok(()), "{why}"),
                Some(words) => {
                    let message = outcome.expect_err(why);
                    assert!(message.contains(words), "{why}: {message}");
                }
            }
        }
    }

    #[test]
    fn a_stored_answer_reads_back_as_itself() {
        for answer in [
            CosignAnswer::Pending,
            CosignAnswer::Confirmed,
            CosignAnswer::Declined,
        ] {
            assert_eq!(CosignAnswer::from_stored(answer.as_stored()), answer);
        }
    }

    #[test]
    fn typed_name_errors_are_reported_under_other_names() {
        let errors = FieldErrors::from([
            ("cosigners".to_owned(), "联名人「李红」重复了".to_owned()),
            ("title".to_owned(), "请填写案由（标题）".to_owned()),
        ]);
        let moved = cosign_field_errors(errors);
        assert_eq!(
            moved.keys().map(String::as_str).collect::<Vec<_>>(),
            ["other_names", "title"]
        );
    }
}
