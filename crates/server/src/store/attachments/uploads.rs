//! Resumable uploads (`api::upload`): a file announced with its size and name arrives in chunks, each
//! appended at the offset the server holds, into `<attachments folder>/.part-<id>`. The bytes are
//! streamed to disk, never held whole in memory. Once the first `SNIFF_BYTES` are there the type is
//! checked from them (a program renamed .pdf is refused and the upload removed); at the last byte the
//! file is hashed and stored under its SHA-256 like every attachment, in the same transaction that makes
//! its `attachments` row and marks the upload complete.
//!
//! An upload is its owner's only (a member's device session or a staff account); anyone else is told
//! it does not exist. Abandoned uploads are swept by `cleanup`: an incomplete one idle for a day, a
//! complete one (or any attachment) that nothing points to after a week, and the stored files no row
//! names any more.

use std::{
    collections::HashSet,
    io::{Read, Seek, SeekFrom},
    path::{Path, PathBuf},
    sync::{Mutex, PoisonError},
};

use anyhow::Context;
use api::{
    attachment::{self, AttachmentId, AttachmentView},
    upload::{UploadId, UploadState},
};
use axum::body::Bytes;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use time::{Duration, OffsetDateTime};
use tokio::io::AsyncWriteExt;
use tokio_stream::{Stream, StreamExt};

use super::kind::{self, SNIFF_BYTES};
use crate::{
    clock,
    store::audit::{self, Actor},
};

/// Partial files start with this (a backup skips them: they are not stored files).
const PART_PREFIX: &str = ".part-";
/// An incomplete upload with no byte for this long is abandoned.
pub const INCOMPLETE_TTL: Duration = Duration::hours(24);
/// A stored file that nothing points to after this long is abandoned.
pub const UNLINKED_TTL: Duration = Duration::days(7);

/// Who an upload belongs to.
#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
    /// A joined member (device session).
    Member(i64),
    /// A logged-in staff account; its uploads are audited.
    Staff(Actor<'a>),
}

impl Owner<'_> {
    fn columns(&self) -> (Option<i64>, Option<i64>) {
        match self {
            Owner::Member(id) => (Some(*id), None),
            Owner::Staff(actor) => (None, actor.staff_id),
        }
    }
}

/// Why an upload call was refused. A refused upload keeps nothing of the refused bytes.
#[derive(Debug)]
pub enum UploadError {
    /// No upload of this owner has this id.
    NotFound,
    /// The declared size is over the limit.
    TooLarge {
        max_bytes: u64,
    },
    /// Declared as empty.
    Empty,
    /// Not an accepted kind: by the name on create, by the bytes later (the upload is then removed).
    Unsupported,
    /// The chunk does not start at the offset the server holds.
    WrongOffset {
        held: u64,
    },
    /// The chunk goes past the declared size.
    PastEnd,
    /// The client stopped sending mid-chunk; the bytes that arrived are kept.
    Interrupted,
    Other(anyhow::Error),
}

impl From<anyhow::Error> for UploadError {
    fn from(error: anyhow::Error) -> Self {
        UploadError::Other(error)
    }
}

impl From<sqlx::Error> for UploadError {
    fn from(error: sqlx::Error) -> Self {
        UploadError::Other(error.into())
    }
}

/// Uploads receiving a chunk now: a second chunk for the same upload at the same time is told the
/// offset instead of writing beside the first.
static BUSY: Mutex<Option<HashSet<String>>> = Mutex::new(None);

struct Busy(String);

impl Busy {
    fn take(id: &str) -> Option<Busy> {
        let mut busy = BUSY.lock().unwrap_or_else(PoisonError::into_inner);
        busy.get_or_insert_with(HashSet::new)
            .insert(id.to_owned())
            .then(|| Busy(id.to_owned()))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let mut busy = BUSY.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(set) = busy.as_mut() {
            set.remove(&self.0);
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    size: i64,
    received: i64,
    attachment_id: Option<i64>,
    a_name: Option<String>,
    a_size: Option<i64>,
    a_type: Option<String>,
}

impl Row {
    fn state(self) -> UploadState {
        let attachment =
            super::view_from_columns(self.attachment_id, self.a_name, self.a_size, self.a_type);
        UploadState {
            id: UploadId(self.id),
            name: self.name,
            size: u64::try_from(self.size).unwrap_or_default(),
            offset: u64::try_from(self.received).unwrap_or_default(),
            complete: attachment.is_some(),
            attachment,
        }
    }
}

fn part_path(folder: &Path, id: &str) -> PathBuf {
    folder.join(format!("{PART_PREFIX}{id}"))
}

/// Announces an upload of `size` bytes named `name` (cleaned here) for `owner`.
#[tracing::instrument(skip(db, owner))]
pub async fn create(
    db: &SqlitePool,
    owner: Owner<'_>,
    name: &str,
    size: u64,
    max_bytes: u64,
) -> Result<UploadState, UploadError> {
    if size == 0 {
        return Err(UploadError::Empty);
    }
    if size > max_bytes {
        return Err(UploadError::TooLarge { max_bytes });
    }
    let name = attachment::clean_name(name);
    // The extension only (a size that always passes): the bytes have the last word.
    if attachment::check_before_upload(&name, 1).is_err() {
        return Err(UploadError::Unsupported);
    }
    let id = crate::secret::generate()?;
    let size_i64 = i64::try_from(size).context("an upload larger than SQLite can count")?;
    let now = clock::rfc3339(clock::now());
    let (member_id, staff_id) = owner.columns();
    sqlx::query(
        "INSERT INTO uploads (id, member_id, staff_id, name, size, created_at, touched_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(member_id)
    .bind(staff_id)
    .bind(&name)
    .bind(size_i64)
    .bind(&now)
    .bind(&now)
    .execute(db)
    .await
    .context("recording a new upload")?;
    Ok(UploadState {
        id: UploadId(id),
        name,
        size,
        offset: 0,
        complete: false,
        attachment: None,
    })
}

/// The upload `id` of `owner`, if there is one.
#[tracing::instrument(skip(db, owner))]
pub async fn find(
    db: &SqlitePool,
    owner: Owner<'_>,
    id: &str,
) -> Result<Option<UploadState>, UploadError> {
    Ok(find_row(db, owner, id).await?.map(Row::state))
}

async fn find_row(db: &SqlitePool, owner: Owner<'_>, id: &str) -> anyhow::Result<Option<Row>> {
    if !UploadId::is_well_formed(id) {
        return Ok(None);
    }
    let (member_id, staff_id) = owner.columns();
    sqlx::query_as(
        "SELECT u.id, u.name, u.size, u.received, u.attachment_id,
                a.original_name AS a_name, a.size AS a_size, a.content_type AS a_type
         FROM uploads u LEFT JOIN attachments a ON a.id = u.attachment_id
         WHERE u.id = ? AND u.member_id IS ? AND u.staff_id IS ?",
    )
    .bind(id)
    .bind(member_id)
    .bind(staff_id)
    .fetch_optional(db)
    .await
    .context("reading an upload")
}

/// Appends `body` at `offset` to the upload `id` of `owner`; completes it at the last byte.
#[tracing::instrument(skip(db, owner, body))]
pub async fn append<S, E>(
    db: &SqlitePool,
    owner: Owner<'_>,
    id: &str,
    offset: u64,
    mut body: S,
) -> Result<UploadState, UploadError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let row = find_row(db, owner, id)
        .await?
        .ok_or(UploadError::NotFound)?;
    let Some(_busy) = Busy::take(id) else {
        return Err(UploadError::WrongOffset {
            held: u64::try_from(row.received).unwrap_or_default(),
        });
    };
    // Read again under the lock: another chunk may have just finished.
    let row = find_row(db, owner, id)
        .await?
        .ok_or(UploadError::NotFound)?;
    let size = u64::try_from(row.size).unwrap_or_default();
    let held = u64::try_from(row.received).unwrap_or_default();
    if row.attachment_id.is_some() {
        // Complete already: an empty chunk at the end is a harmless repeat.
        return if offset == size {
            Ok(row.state())
        } else {
            Err(UploadError::WrongOffset { held: size })
        };
    }
    if offset != held {
        return Err(UploadError::WrongOffset { held });
    }
    let folder = super::folder(db);
    let path = part_path(&folder, id);
    let file = {
        let folder = folder.clone();
        let path = path.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<std::fs::File> {
            std::fs::create_dir_all(&folder)
                .with_context(|| format!("cannot create folder {}", folder.display()))?;
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .read(true)
                .write(true)
                .open(&path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            // Bytes past the recorded offset (a write the database never heard of) are dropped.
            file.set_len(held)
                .with_context(|| format!("cannot cut {}", path.display()))?;
            file.seek(SeekFrom::Start(held))
                .with_context(|| format!("cannot seek in {}", path.display()))?;
            Ok(file)
        })
        .await
        .context("the task opening the partial file failed")??
    };
    let mut writer =
        tokio::io::BufWriter::with_capacity(256 * 1024, tokio::fs::File::from_std(file));
    let mut received = held;
    let mut interrupted = false;
    let mut past_end = false;
    while let Some(chunk) = body.next().await {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(error) => {
                tracing::info!(%error, received, "a chunk stopped before its end");
                interrupted = true;
                break;
            }
        };
        if received + chunk.len() as u64 > size {
            past_end = true;
            break;
        }
        writer
            .write_all(&chunk)
            .await
            .context("cannot write to the partial file")?;
        received += chunk.len() as u64;
    }
    writer
        .flush()
        .await
        .context("cannot write to the partial file")?;
    if past_end {
        // Nothing of a chunk that overflows is kept.
        writer
            .get_ref()
            .set_len(held)
            .await
            .context("cannot cut the partial file")?;
        return Err(UploadError::PastEnd);
    }
    writer
        .get_ref()
        .sync_data()
        .await
        .context("cannot sync the partial file")?;
    drop(writer);
    let received_i64 = i64::try_from(received).context("an upload larger than SQLite can count")?;
    sqlx::query("UPDATE uploads SET received = ?, touched_at = ? WHERE id = ?")
        .bind(received_i64)
        .bind(clock::rfc3339(clock::now()))
        .bind(id)
        .execute(db)
        .await
        .context("recording an upload's progress")?;
    // The kind is known once its first bytes are all there: a wrong one ends the upload at once.
    let sniff_at = (SNIFF_BYTES as u64).min(size);
    if held < sniff_at && received >= sniff_at && !head_is_accepted(&path).await? {
        remove(db, id, &path).await?;
        return Err(UploadError::Unsupported);
    }
    if interrupted {
        return Err(UploadError::Interrupted);
    }
    if received < size {
        let mut state = row.state();
        state.offset = received;
        return Ok(state);
    }
    complete(db, owner, id, &row.name, size, &path).await
}

async fn head_is_accepted(path: &Path) -> anyhow::Result<bool> {
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || -> anyhow::Result<bool> {
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        std::fs::File::open(&path)
            .and_then(|file| file.take(SNIFF_BYTES as u64).read_to_end(&mut head))
            .with_context(|| format!("cannot read {}", path.display()))?;
        Ok(kind::sniff(&head).is_some())
    })
    .await
    .context("the task reading a partial file failed")?
}

/// The last byte arrived: check, hash and store the file, and record it.
async fn complete(
    db: &SqlitePool,
    owner: Owner<'_>,
    id: &str,
    name: &str,
    size: u64,
    path: &Path,
) -> Result<UploadState, UploadError> {
    let folder = super::folder(db);
    let stored = {
        let path = path.to_owned();
        tokio::task::spawn_blocking(move || store_part(&path, &folder))
            .await
            .context("the task storing an upload failed")??
    };
    let Some((sha256, kind)) = stored else {
        remove(db, id, path).await?;
        return Err(UploadError::Unsupported);
    };
    let size_i64 = i64::try_from(size).context("an upload larger than SQLite can count")?;
    let (member_id, staff_id) = owner.columns();
    let mut tx = db
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting to record an upload")?;
    let attachment_id: i64 = sqlx::query_scalar(
        "INSERT INTO attachments
             (sha256, size, content_type, original_name, created_at, uploaded_by, uploaded_by_member)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&sha256)
    .bind(size_i64)
    .bind(kind.content_type())
    .bind(name)
    .bind(clock::rfc3339(clock::now()))
    .bind(staff_id)
    .bind(member_id)
    .fetch_one(&mut *tx)
    .await
    .context("recording an upload")?;
    sqlx::query("UPDATE uploads SET attachment_id = ? WHERE id = ?")
        .bind(attachment_id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .context("completing an upload")?;
    if let Owner::Staff(actor) = owner {
        let target = attachment_id.to_string();
        let note = format!("{name}（{size} 字节，{}）", kind.content_type());
        let entry = audit::AuditEntry {
            target: Some(&target),
            note: Some(&note),
            ..actor.entry(super::UPLOAD_ACTION)
        };
        audit::record(&mut *tx, &entry).await?;
    }
    tx.commit().await.context("committing an upload")?;
    tracing::info!(
        attachment_id,
        size,
        content_type = kind.content_type(),
        "completed an upload"
    );
    Ok(UploadState {
        id: UploadId(id.to_owned()),
        name: name.to_owned(),
        size,
        offset: size,
        complete: true,
        attachment: Some(AttachmentView {
            id: AttachmentId(attachment_id),
            name: name.to_owned(),
            size,
            content_type: kind.content_type().to_owned(),
        }),
    })
}

/// Hashes the partial file, confirms its kind, and moves it to `<folder>/<sha256>` (the partial file
/// goes either way). `None` when it is not an accepted kind after all.
fn store_part(path: &Path, folder: &Path) -> anyhow::Result<Option<(String, kind::FileKind)>> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let read = file
            .read(&mut buffer)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if read == 0 {
            break;
        }
        if head.len() < SNIFF_BYTES {
            let wanted = (SNIFF_BYTES - head.len()).min(read);
            head.extend_from_slice(&buffer[..wanted]);
        }
        hasher.update(&buffer[..read]);
    }
    drop(file);
    let Some(sniffed) = kind::sniff(&head) else {
        return Ok(None);
    };
    let sha256 = crate::secret::hex(&hasher.finalize());
    let temp = tempfile::TempPath::try_from_path(path)
        .with_context(|| format!("cannot take over {}", path.display()))?;
    let temp = tempfile::NamedTempFile::from_parts(
        std::fs::File::open(&temp).with_context(|| format!("cannot read {}", path.display()))?,
        temp,
    );
    let kind = super::keep(temp, sniffed, &folder.join(&sha256))?;
    Ok(kind.map(|kind| (sha256, kind)))
}

/// Removes the upload `id` and its partial file.
async fn remove(db: &SqlitePool, id: &str, path: &Path) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM uploads WHERE id = ?")
        .bind(id)
        .execute(db)
        .await
        .context("removing an upload")?;
    match tokio::fs::remove_file(path).await {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => {
            Err(anyhow::Error::from(error).context(format!("cannot remove {}", path.display())))
        }
    }
}

/// Takes back the upload `id` of `owner` (the file was removed before sending). An upload already on
/// a submission stays there. False when `owner` has no such upload.
#[tracing::instrument(skip(db, owner))]
pub async fn delete(db: &SqlitePool, owner: Owner<'_>, id: &str) -> Result<bool, UploadError> {
    let Some(row) = find_row(db, owner, id).await? else {
        return Ok(false);
    };
    remove(db, &row.id, &part_path(&super::folder(db), id)).await?;
    Ok(true)
}

/// Why a submission's files cannot go on it.
#[derive(Debug)]
pub enum LinkError {
    TooMany {
        max_files: usize,
    },
    /// Not a completed upload of the member (or named twice).
    NotReady,
    Other(anyhow::Error),
}

/// The attachments of the uploads `ids` of member `member_id`, in order; each must be complete and
/// named once.
#[tracing::instrument(skip(db, ids))]
pub async fn completed_of_member(
    db: &SqlitePool,
    member_id: i64,
    ids: &[String],
    max_files: usize,
) -> Result<Vec<i64>, LinkError> {
    if ids.len() > max_files {
        return Err(LinkError::TooMany { max_files });
    }
    let mut attachments = Vec::with_capacity(ids.len());
    for id in ids {
        if !UploadId::is_well_formed(id) {
            return Err(LinkError::NotReady);
        }
        let attachment: Option<Option<i64>> =
            sqlx::query_scalar("SELECT attachment_id FROM uploads WHERE id = ? AND member_id = ?")
                .bind(id)
                .bind(member_id)
                .fetch_optional(db)
                .await
                .map_err(|error| LinkError::Other(error.into()))?;
        match attachment.flatten() {
            Some(attachment) if !attachments.contains(&attachment) => attachments.push(attachment),
            _ => return Err(LinkError::NotReady),
        }
    }
    Ok(attachments)
}

/// Puts `attachments` on the submission `submission_id` (its tracking code's number), in order, unless it has files already (a retried
/// request links once).
#[tracing::instrument(skip(db, attachments))]
pub async fn link_to_submission(
    db: &SqlitePool,
    submission_id: i64,
    attachments: &[i64],
) -> anyhow::Result<()> {
    if attachments.is_empty() {
        return Ok(());
    }
    let mut tx = db
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting to link attachments")?;
    let linked: i64 =
        sqlx::query_scalar("SELECT count(*) FROM submission_attachments WHERE submission_id = ?")
            .bind(submission_id)
            .fetch_one(&mut *tx)
            .await
            .context("counting a submission's attachments")?;
    if linked == 0 {
        for (position, attachment) in attachments.iter().enumerate() {
            sqlx::query(
                "INSERT INTO submission_attachments (submission_id, position, attachment_id)
                 VALUES (?, ?, ?)",
            )
            .bind(submission_id)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(attachment)
            .execute(&mut *tx)
            .await
            .context("linking an attachment")?;
        }
    }
    tx.commit().await.context("committing attachment links")?;
    Ok(())
}

/// The files on the submission `submission_id`, in order, as staff see them.
#[tracing::instrument(skip(db))]
pub async fn of_submission(
    db: &SqlitePool,
    submission_id: i64,
) -> anyhow::Result<Vec<AttachmentView>> {
    let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
        "SELECT a.id, a.original_name, a.size, a.content_type
         FROM submission_attachments s JOIN attachments a ON a.id = s.attachment_id
         WHERE s.submission_id = ? ORDER BY s.position",
    )
    .bind(submission_id)
    .fetch_all(db)
    .await
    .context("reading a submission's attachments")?;
    Ok(rows
        .into_iter()
        .map(|(id, name, size, content_type)| AttachmentView {
            id: AttachmentId(id),
            name,
            size: u64::try_from(size).unwrap_or_default(),
            content_type,
        })
        .collect())
}

/// What `cleanup` removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    /// Incomplete uploads idle over `INCOMPLETE_TTL`.
    pub incomplete: usize,
    /// Attachments nothing points to after `UNLINKED_TTL` (with their uploads).
    pub unlinked: usize,
    /// Stored files no attachment names any more.
    pub files: usize,
}

/// Sweeps abandoned uploads as of now.
pub async fn cleanup(db: &SqlitePool) -> anyhow::Result<Swept> {
    cleanup_at(db, clock::now()).await
}

/// Sweeps abandoned uploads as of `now` (tests pass a later time).
#[tracing::instrument(skip(db))]
pub async fn cleanup_at(db: &SqlitePool, now: OffsetDateTime) -> anyhow::Result<Swept> {
    let folder = super::folder(db);
    let idle_since = clock::rfc3339(now - INCOMPLETE_TTL);
    let unlinked_since = clock::rfc3339(now - UNLINKED_TTL);
    let mut swept = Swept::default();
    let stale: Vec<String> =
        sqlx::query_scalar("SELECT id FROM uploads WHERE attachment_id IS NULL AND touched_at < ?")
            .bind(&idle_since)
            .fetch_all(db)
            .await
            .context("finding abandoned uploads")?;
    for id in &stale {
        if let Some(_busy) = Busy::take(id) {
            remove(db, id, &part_path(&folder, id)).await?;
            swept.incomplete += 1;
        }
    }
    let mut tx = db
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting to sweep attachments")?;
    let orphans: Vec<i64> = sqlx::query_scalar(
        "SELECT a.id FROM attachments a
         WHERE a.created_at < ?
           AND NOT EXISTS (SELECT 1 FROM submission_attachments s WHERE s.attachment_id = a.id)
           AND NOT EXISTS (SELECT 1 FROM adoptions d WHERE d.attachment_id = a.id)
           AND NOT EXISTS (SELECT 1 FROM instructions i WHERE i.attachment_id = a.id)",
    )
    .bind(&unlinked_since)
    .fetch_all(&mut *tx)
    .await
    .context("finding attachments nothing points to")?;
    for id in &orphans {
        sqlx::query("DELETE FROM uploads WHERE attachment_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .context("removing an abandoned upload")?;
        sqlx::query("DELETE FROM attachments WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .context("removing an abandoned attachment")?;
    }
    swept.unlinked = orphans.len();
    let named: HashSet<String> = sqlx::query_scalar("SELECT DISTINCT sha256 FROM attachments")
        .fetch_all(&mut *tx)
        .await
        .context("listing stored files")?
        .into_iter()
        .collect();
    // Files are removed while the write lock is held, so no upload can name one meanwhile.
    swept.files = {
        let folder = folder.clone();
        let settled_before = std::time::SystemTime::from(now - Duration::hours(1));
        tokio::task::spawn_blocking(move || remove_unnamed(&folder, &named, settled_before))
            .await
            .context("the task sweeping stored files failed")??
    };
    tx.commit().await.context("committing the sweep")?;
    if swept != Swept::default() {
        tracing::info!(?swept, "swept abandoned uploads");
    }
    Ok(swept)
}

fn remove_unnamed(
    folder: &Path,
    named: &HashSet<String>,
    settled_before: std::time::SystemTime,
) -> anyhow::Result<usize> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(error) => {
            return Err(anyhow::Error::from(error)
                .context(format!("cannot read the folder {}", folder.display())))
        }
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", folder.display()))?;
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        // A file stored in the last hour may belong to an upload about to record its row.
        let recent = entry
            .metadata()
            .and_then(|metadata| metadata.modified())
            .map_or(true, |modified| modified > settled_before);
        if super::is_stored_file(&name) && !named.contains(&name) && !recent {
            std::fs::remove_file(entry.path())
                .with_context(|| format!("cannot remove {}", entry.path().display()))?;
            removed += 1;
        }
    }
    Ok(removed)
}
