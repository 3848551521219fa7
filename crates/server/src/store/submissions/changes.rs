//! Staff's changes to a submission: workflow actions, notes, outcome, flags, adoptions, instructions.
//! Each runs in one `BEGIN IMMEDIATE` transaction on the pool (staff writes are few; the group-commit
//! writer is for members' new submissions), checks the version the client saw, bumps it, and writes a
//! timeline entry and an audit row in the same transaction as the change.

use anyhow::Context;
use api::{
    attachment::AttachmentId,
    desk::{AddAdoption, AddInstruction, EntryKind, Outcome},
    workflow::{self, Action},
    FieldErrors, SubmissionStatus, TrackingCode,
};
use sqlx::{Sqlite, SqlitePool, Transaction};

use super::parse_status;
use crate::{
    clock,
    store::audit::{self, AuditEntry},
};

/// Who makes a change, for the timeline and the audit log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub staff_id: i64,
    pub login: String,
    pub client_addr: Option<String>,
}

/// Why a change was not made.
#[derive(Debug)]
pub enum ChangeError {
    /// No submission has this code.
    NotFound,
    /// The submission changed since the version the client saw.
    Stale,
    /// The workflow does not allow it now; the message says why.
    Illegal(String),
    /// Some field is wrong (422).
    Invalid(FieldErrors),
    Other(anyhow::Error),
}

impl From<sqlx::Error> for ChangeError {
    fn from(error: sqlx::Error) -> Self {
        ChangeError::Other(error.into())
    }
}

impl From<anyhow::Error> for ChangeError {
    fn from(error: anyhow::Error) -> Self {
        ChangeError::Other(error)
    }
}

fn invalid(field: &str, message: impl Into<String>) -> ChangeError {
    ChangeError::Invalid(FieldErrors::from([(field.to_owned(), message.into())]))
}

/// The submission as the transaction found it.
pub(crate) struct Locked {
    pub code: TrackingCode,
    pub id: i64,
    pub status: SubmissionStatus,
    pub due_on: Option<String>,
}

/// A timeline entry to write with a change.
pub(crate) struct Entry {
    pub kind: EntryKind,
    pub status: SubmissionStatus,
    pub note: Option<String>,
    pub public: bool,
    pub merged_into: Option<String>,
}

/// What the audit log keeps of a change.
pub(crate) struct Audit<'a> {
    pub action: &'a str,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// Starts the write transaction and reads the submission, refusing a stale `version` when one is given.
pub(crate) async fn lock(
    db: &SqlitePool,
    code: TrackingCode,
    version: Option<i64>,
) -> Result<(Transaction<'static, Sqlite>, Locked), ChangeError> {
    // IMMEDIATE takes the write lock now: the version read here cannot change before the UPDATE.
    let mut tx = db
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting a staff change")?;
    let row: Option<(i32, String, i64, Option<String>)> =
        sqlx::query_as("SELECT year, status, version, due_on FROM submissions WHERE id = ?")
            .bind(code.number())
            .fetch_optional(&mut *tx)
            .await
            .context("reading the submission to change")?;
    let Some((_, status, current, due_on)) = row.filter(|row| row.0 == code.year()) else {
        return Err(ChangeError::NotFound);
    };
    if version.is_some_and(|version| version != current) {
        return Err(ChangeError::Stale);
    }
    Ok((
        tx,
        Locked {
            code,
            id: code.number(),
            status: parse_status(&status)?,
            due_on,
        },
    ))
}

/// Bumps the version, writes the timeline entry and the audit row, and commits.
pub(crate) async fn finish(
    mut tx: Transaction<'static, Sqlite>,
    locked: &Locked,
    actor: Option<&Actor>,
    entry: Entry,
    audit: Audit<'_>,
) -> Result<(), ChangeError> {
    let now = clock::rfc3339(clock::now());
    sqlx::query("UPDATE submissions SET version = version + 1, updated_at = ? WHERE id = ?")
        .bind(&now)
        .bind(locked.id)
        .execute(&mut *tx)
        .await
        .context("bumping the version")?;
    sqlx::query(
        "INSERT INTO submission_events (submission_id, status, at, note, public, actor, kind, merged_into)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(locked.id)
    .bind(entry.status.as_str())
    .bind(&now)
    .bind(&entry.note)
    .bind(entry.public)
    .bind(actor.map(|actor| actor.login.as_str()))
    .bind(entry.kind.as_str())
    .bind(&entry.merged_into)
    .execute(&mut *tx)
    .await
    .context("writing the timeline entry")?;
    record_audit(&mut tx, locked, actor, &audit).await?;
    tx.commit().await.context("committing a staff change")?;
    Ok(())
}

/// The audit row for a change, in its transaction: `submission.<action>` on the tracking code, by the
/// staff member, or by `member` (the submitter, who has no account) when `actor` is `None`.
async fn record_audit(
    tx: &mut Transaction<'static, Sqlite>,
    locked: &Locked,
    actor: Option<&Actor>,
    audit: &Audit<'_>,
) -> anyhow::Result<()> {
    let action = format!("submission.{}", audit.action);
    let target = locked.code.to_string();
    let entry = AuditEntry {
        staff_id: actor.map(|actor| actor.staff_id),
        actor: actor.map_or(MEMBER, |actor| actor.login.as_str()),
        action: &action,
        target: Some(&target),
        from: audit.from,
        to: audit.to,
        note: audit.note,
        client_addr: actor.and_then(|actor| actor.client_addr.as_deref()),
    };
    audit::record(&mut **tx, &entry).await
}

/// The audit log's actor for what the submitter does with the receipt's secret.
pub const MEMBER: &str = "member";

/// Applies a workflow `action` (already parsed) to the submission behind `code`.
#[tracing::instrument(skip(db, action), fields(action = action.kind().as_str()))]
pub async fn apply(
    db: &SqlitePool,
    code: TrackingCode,
    version: Option<i64>,
    action: &Action,
    actor: &Actor,
    due_months: u32,
) -> Result<SubmissionStatus, ChangeError> {
    let (mut tx, locked) = lock(db, code, version).await?;
    let to = workflow::next(locked.status, action)
        .map_err(|illegal| ChangeError::Illegal(illegal.message()))?;
    let today = clock::today();
    let mut entry = Entry {
        kind: EntryKind::Status,
        status: to,
        note: None,
        public: true,
        merged_into: None,
    };
    match action {
        Action::Accept | Action::StartHandling | Action::Close => {}
        Action::Return { reason } => entry.note = Some(reason.clone()),
        Action::Decline { reason, text } => {
            entry.note = Some(format!("{}：{text}", reason.label()));
        }
        Action::Reply { text } => {
            entry.kind = EntryKind::Reply;
            entry.note = Some(text.clone());
        }
        Action::Merge { into } => {
            let target = TrackingCode::parse(into)
                .ok_or_else(|| invalid("action.into", "请填写要并入的建言编号"))?;
            if target == code {
                return Err(invalid(
                    "action.into",
                    "不能并入自己，请填写另一条建言的编号",
                ));
            }
            let found: Option<(i32, String)> =
                sqlx::query_as("SELECT year, status FROM submissions WHERE id = ?")
                    .bind(target.number())
                    .fetch_optional(&mut *tx)
                    .await
                    .context("reading the merge target")?;
            match found {
                Some((year, status)) if year == target.year() => {
                    if matches!(
                        parse_status(&status)?,
                        SubmissionStatus::Merged | SubmissionStatus::Declined
                    ) {
                        return Err(invalid(
                            "action.into",
                            "这条建言已并案或不予受理，请并入它所并入的那一条",
                        ));
                    }
                }
                _ => return Err(invalid("action.into", "没有这个编号的建言，请核对")),
            }
            sqlx::query("UPDATE submissions SET merged_into = ? WHERE id = ?")
                .bind(target.number())
                .bind(locked.id)
                .execute(&mut *tx)
                .await
                .context("recording the merge")?;
            entry.note = Some(format!("并入 {target}"));
            entry.merged_into = Some(target.to_string());
        }
        Action::Assign { handler, due } => {
            let due = match due {
                Some(due) => due.clone(),
                None => clock::date_text(clock::months_after(clock::now().date(), due_months)),
            };
            if due < today {
                return Err(invalid("action.due", "办理时限不能早于今天"));
            }
            sqlx::query("UPDATE submissions SET handler = ?, due_on = ? WHERE id = ?")
                .bind(handler)
                .bind(&due)
                .bind(locked.id)
                .execute(&mut *tx)
                .await
                .context("recording the assignment")?;
            entry.note = Some(format!("交由{handler}办理，办理时限 {due}"));
        }
        Action::ExtendDue { due, reason } => {
            if due.as_str() < today.as_str() {
                return Err(invalid("action.due", "新的办理时限不能早于今天"));
            }
            if locked
                .due_on
                .as_deref()
                .is_some_and(|old| due.as_str() <= old)
            {
                return Err(invalid("action.due", "新的办理时限须晚于原来的时限"));
            }
            sqlx::query(
                "INSERT INTO due_extensions (submission_id, from_due, to_due, reason, at, actor)
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(locked.id)
            .bind(&locked.due_on)
            .bind(due)
            .bind(reason)
            .bind(clock::rfc3339(clock::now()))
            .bind(&actor.login)
            .execute(&mut *tx)
            .await
            .context("recording the extension")?;
            sqlx::query("UPDATE submissions SET due_on = ? WHERE id = ?")
                .bind(due)
                .bind(locked.id)
                .execute(&mut *tx)
                .await
                .context("moving the due date")?;
            entry.kind = EntryKind::DueExtended;
            entry.public = false;
            entry.note = Some(format!(
                "办理时限由 {} 延至 {due}：{reason}",
                locked.due_on.as_deref().unwrap_or("（无）")
            ));
        }
    }
    if to != locked.status {
        sqlx::query("UPDATE submissions SET status = ? WHERE id = ?")
            .bind(to.as_str())
            .bind(locked.id)
            .execute(&mut *tx)
            .await
            .context("changing the status")?;
    }
    let note = entry.note.clone();
    finish(
        tx,
        &locked,
        Some(actor),
        entry,
        Audit {
            action: action.kind().as_str(),
            from: Some(locked.status.as_str()),
            to: Some(to.as_str()),
            note: note.as_deref(),
        },
    )
    .await?;
    Ok(to)
}

/// An internal note on the timeline.
#[tracing::instrument(skip(db, text))]
pub async fn add_note(
    db: &SqlitePool,
    code: TrackingCode,
    version: Option<i64>,
    text: &str,
    actor: &Actor,
) -> Result<(), ChangeError> {
    let text = workflow::required_text(text, "请填写备注内容").map_err(|m| invalid("text", m))?;
    let (tx, locked) = lock(db, code, version).await?;
    let entry = Entry {
        kind: EntryKind::Note,
        status: locked.status,
        note: Some(text.clone()),
        public: false,
        merged_into: None,
    };
    let audit = Audit {
        action: "note",
        from: None,
        to: None,
        note: Some(&text),
    };
    finish(tx, &locked, Some(actor), entry, audit).await
}

/// Sets (or clears) the outcome.
#[tracing::instrument(skip(db))]
pub async fn set_outcome(
    db: &SqlitePool,
    code: TrackingCode,
    version: Option<i64>,
    outcome: Option<Outcome>,
    actor: &Actor,
) -> Result<(), ChangeError> {
    let (mut tx, locked) = lock(db, code, version).await?;
    let before: Option<String> = sqlx::query_scalar("SELECT outcome FROM submissions WHERE id = ?")
        .bind(locked.id)
        .fetch_one(&mut *tx)
        .await
        .context("reading the outcome")?;
    let after = outcome.map(Outcome::as_str);
    sqlx::query("UPDATE submissions SET outcome = ? WHERE id = ?")
        .bind(after)
        .bind(locked.id)
        .execute(&mut *tx)
        .await
        .context("setting the outcome")?;
    let note = match outcome {
        Some(outcome) => format!("办理结果：{}", outcome.label()),
        None => "清除了办理结果".to_owned(),
    };
    let entry = Entry {
        kind: EntryKind::Outcome,
        status: locked.status,
        note: Some(note),
        public: false,
        merged_into: None,
    };
    let audit = Audit {
        action: "outcome",
        from: before.as_deref(),
        to: after,
        note: None,
    };
    finish(tx, &locked, Some(actor), entry, audit).await
}

/// Sets the 重点 and 优秀 flags.
#[tracing::instrument(skip(db))]
pub async fn set_flags(
    db: &SqlitePool,
    code: TrackingCode,
    version: Option<i64>,
    key: bool,
    excellent: bool,
    actor: &Actor,
) -> Result<(), ChangeError> {
    let (mut tx, locked) = lock(db, code, version).await?;
    sqlx::query("UPDATE submissions SET flag_key = ?, flag_excellent = ? WHERE id = ?")
        .bind(key)
        .bind(excellent)
        .bind(locked.id)
        .execute(&mut *tx)
        .await
        .context("setting the flags")?;
    let words = |on: bool| if on { "是" } else { "否" };
    let note = format!("重点：{}；优秀：{}", words(key), words(excellent));
    let entry = Entry {
        kind: EntryKind::Flags,
        status: locked.status,
        note: Some(note.clone()),
        public: false,
        merged_into: None,
    };
    let audit = Audit {
        action: "flags",
        from: None,
        to: None,
        note: Some(&note),
    };
    finish(tx, &locked, Some(actor), entry, audit).await
}

fn optional_text(field: &str, text: Option<&str>) -> Result<Option<String>, ChangeError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => workflow::required_text(text, "")
            .map(Some)
            .map_err(|m| invalid(field, m)),
    }
}

/// The name of the uploaded file `id`, read inside the change's transaction; a 422 on `attachment_id`
/// when there is none (a typed or stale id).
async fn attachment_name(
    tx: &mut Transaction<'static, Sqlite>,
    id: Option<AttachmentId>,
) -> Result<Option<String>, ChangeError> {
    let Some(AttachmentId(id)) = id else {
        return Ok(None);
    };
    let name: Option<String> =
        sqlx::query_scalar("SELECT original_name FROM attachments WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await
            .context("reading the attached file")?;
    name.map(Some).ok_or_else(|| {
        invalid(
            "attachment_id",
            "找不到这个附件，请重新选择文件上传后再保存",
        )
    })
}

/// " 附件：name" for a timeline note, or nothing.
fn with_file(text: String, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("{text}，附件：{name}"),
        None => text,
    }
}

/// Records an adoption (one more dated record; earlier ones stay). Public: the member sees it.
#[tracing::instrument(skip(db, request))]
pub async fn add_adoption(
    db: &SqlitePool,
    code: TrackingCode,
    request: &AddAdoption,
    actor: &Actor,
) -> Result<(), ChangeError> {
    let mut errors = FieldErrors::new();
    let body = workflow::required_text(&request.body, "请填写采用单位，如 区政府办公室")
        .map_err(|m| errors.insert("body".into(), m))
        .ok();
    let on_date = workflow::parse_date(&request.on_date)
        .map_err(|m| errors.insert("on_date".into(), m))
        .ok();
    let note = optional_text("note", request.note.as_deref());
    let file = optional_text("file", request.file.as_deref());
    let (Some(body), Some(on_date), Ok(note), Ok(file), true) =
        (body, on_date, note, file, errors.is_empty())
    else {
        return Err(ChangeError::Invalid(if errors.is_empty() {
            FieldErrors::from([("note".into(), "备注或附件说明太长，请精简".into())])
        } else {
            errors
        }));
    };
    let (mut tx, locked) = lock(db, code, request.version).await?;
    let file_name = attachment_name(&mut tx, request.attachment_id).await?;
    sqlx::query(
        "INSERT INTO adoptions
             (submission_id, level, body, note, on_date, file, attachment_id, created_at, actor)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(locked.id)
    .bind(request.level.as_str())
    .bind(&body)
    .bind(&note)
    .bind(&on_date)
    .bind(&file)
    .bind(request.attachment_id.map(|AttachmentId(id)| id))
    .bind(clock::rfc3339(clock::now()))
    .bind(&actor.login)
    .execute(&mut *tx)
    .await
    .context("recording an adoption")?;
    let text = format!("{on_date} 被{}采用（{body}）", request.level.label());
    let entry = Entry {
        kind: EntryKind::Adoption,
        status: locked.status,
        note: Some(text.clone()),
        public: true,
        merged_into: None,
    };
    // The member sees the timeline entry; the file's name is for the staff's audit log.
    let audited = with_file(text, file_name.as_deref());
    let audit = Audit {
        action: "adoption",
        from: None,
        to: Some(request.level.as_str()),
        note: Some(&audited),
    };
    finish(tx, &locked, Some(actor), entry, audit).await
}

/// Records a leader's instruction (one more dated record). Internal.
#[tracing::instrument(skip(db, request))]
pub async fn add_instruction(
    db: &SqlitePool,
    code: TrackingCode,
    request: &AddInstruction,
    actor: &Actor,
) -> Result<(), ChangeError> {
    let mut errors = FieldErrors::new();
    let leader = workflow::required_text(&request.leader, "请填写批示领导，如 区长 张某")
        .map_err(|m| errors.insert("leader".into(), m))
        .ok();
    let on_date = workflow::parse_date(&request.on_date)
        .map_err(|m| errors.insert("on_date".into(), m))
        .ok();
    let note = optional_text("note", request.note.as_deref());
    let (Some(leader), Some(on_date), Ok(note), true) = (leader, on_date, note, errors.is_empty())
    else {
        return Err(ChangeError::Invalid(if errors.is_empty() {
            FieldErrors::from([("note".into(), "批示内容太长，请精简".into())])
        } else {
            errors
        }));
    };
    let (mut tx, locked) = lock(db, code, request.version).await?;
    let file_name = attachment_name(&mut tx, request.attachment_id).await?;
    sqlx::query(
        "INSERT INTO instructions
             (submission_id, level, leader, note, on_date, attachment_id, created_at, actor)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(locked.id)
    .bind(request.level.as_str())
    .bind(&leader)
    .bind(&note)
    .bind(&on_date)
    .bind(request.attachment_id.map(|AttachmentId(id)| id))
    .bind(clock::rfc3339(clock::now()))
    .bind(&actor.login)
    .execute(&mut *tx)
    .await
    .context("recording an instruction")?;
    let text = with_file(
        format!("{on_date} {}领导批示（{leader}）", request.level.label()),
        file_name.as_deref(),
    );
    let entry = Entry {
        kind: EntryKind::Instruction,
        status: locked.status,
        note: Some(text.clone()),
        public: false,
        merged_into: None,
    };
    let audit = Audit {
        action: "instruction",
        from: None,
        to: Some(request.level.as_str()),
        note: Some(&text),
    };
    finish(tx, &locked, Some(actor), entry, audit).await
}
