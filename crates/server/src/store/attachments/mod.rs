//! Uploaded files. The bytes live in `<data dir>/attachments/<sha256>` (the data dir is the folder of
//! the SQLite file, where `secret.key` lives too): content-addressed, so the same bytes are stored once
//! however often they are uploaded, and a stored file never changes. Each upload is its own row in
//! `attachments`, with the name it had and who sent it.
//!
//! An upload is streamed to a temporary file in that folder while it is hashed, so memory stays flat
//! whatever its size; the size limit and the type (from the first bytes) are checked as it arrives. A
//! refused or broken upload leaves nothing: the temporary file is removed when it is dropped, on every
//! path out (an error, a client that hangs up, a request timeout).

pub mod kind;
pub mod uploads;

use std::{
    fmt::Display,
    path::{Path, PathBuf},
};

use anyhow::Context;
use api::attachment::{AttachmentId, AttachmentView};
use axum::body::Bytes;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use tempfile::NamedTempFile;
use tokio::io::AsyncWriteExt;
use tokio_stream::{Stream, StreamExt};

use self::kind::{FileKind, Sniffed, SNIFF_BYTES};
use crate::{
    clock,
    store::audit::{self, Actor},
};

/// The audit action of an upload (`note` holds name, size and type).
pub const UPLOAD_ACTION: &str = "attachments.upload";

/// Temporary files start with this; a backup skips them.
const TEMP_PREFIX: &str = ".upload-";

/// The attachments folder of the database at `db`.
pub fn folder_beside(db: &Path) -> PathBuf {
    db.with_file_name("attachments")
}

/// The attachments folder of the database `pool` is open on.
pub fn folder(pool: &SqlitePool) -> PathBuf {
    folder_beside(pool.connect_options().get_filename())
}

/// Whether `name` (a file in the attachments folder) is a stored file rather than an upload in progress.
pub fn is_stored_file(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

/// What an upload brings besides its bytes.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    /// The name on the uploader's computer, cleaned (`api::attachment::clean_name`).
    pub name: &'a str,
    /// Largest size accepted, in bytes.
    pub max_bytes: u64,
    /// The Content-Length the client announced, if any: a larger one is refused before reading.
    pub declared_len: Option<u64>,
}

/// Why an upload was not stored. Nothing of it is left behind in any case.
#[derive(Debug)]
pub enum SaveError {
    /// Larger than `Upload::max_bytes`.
    TooLarge {
        max_bytes: u64,
    },
    /// Not one of the accepted kinds, by its bytes.
    Unsupported,
    /// No bytes at all.
    Empty,
    /// The client stopped sending before the end.
    Interrupted,
    Other(anyhow::Error),
}

impl From<anyhow::Error> for SaveError {
    fn from(error: anyhow::Error) -> Self {
        SaveError::Other(error)
    }
}

/// The family a file is known to be of, once enough bytes have arrived.
#[derive(Clone, Copy)]
enum Seen {
    Undecided,
    Decided(Sniffed),
}

/// Streams `body` to a temporary file while hashing and checking it, stores it under its SHA-256, and
/// records the row (and its audit row, in one transaction).
#[tracing::instrument(skip(db, body, by), fields(name = upload.name))]
pub async fn save<S, E>(
    db: &SqlitePool,
    mut body: S,
    upload: Upload<'_>,
    by: Actor<'_>,
) -> Result<AttachmentView, SaveError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Display,
{
    let max_bytes = upload.max_bytes;
    if upload.declared_len.is_some_and(|len| len > max_bytes) {
        return Err(SaveError::TooLarge { max_bytes });
    }
    let folder = folder(db);
    let temp = {
        let folder = folder.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<NamedTempFile> {
            std::fs::create_dir_all(&folder)
                .with_context(|| format!("cannot create folder {}", folder.display()))?;
            tempfile::Builder::new()
                .prefix(TEMP_PREFIX)
                .tempfile_in(&folder)
                .with_context(|| format!("cannot create a temporary file in {}", folder.display()))
        })
        .await
        .context("the task creating the temporary file failed")??
    };
    let handle = temp
        .as_file()
        .try_clone()
        .context("cannot open the temporary file for writing")?;
    // Hyper hands over small chunks; the buffer turns them into few large writes.
    let mut writer =
        tokio::io::BufWriter::with_capacity(256 * 1024, tokio::fs::File::from_std(handle));
    let mut hasher = Sha256::new();
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF_BYTES);
    let mut seen = Seen::Undecided;
    let mut size: u64 = 0;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|error| {
            tracing::info!(%error, "an upload stopped before its end");
            SaveError::Interrupted
        })?;
        size += chunk.len() as u64;
        if size > max_bytes {
            return Err(SaveError::TooLarge { max_bytes });
        }
        if let Seen::Undecided = seen {
            let wanted = SNIFF_BYTES - head.len();
            head.extend_from_slice(&chunk[..chunk.len().min(wanted)]);
            if head.len() == SNIFF_BYTES {
                seen = Seen::Decided(kind::sniff(&head).ok_or(SaveError::Unsupported)?);
            }
        }
        hasher.update(&chunk);
        writer
            .write_all(&chunk)
            .await
            .context("cannot write the upload to its temporary file")?;
    }
    if size == 0 {
        return Err(SaveError::Empty);
    }
    let sniffed = match seen {
        Seen::Decided(sniffed) => sniffed,
        Seen::Undecided => kind::sniff(&head).ok_or(SaveError::Unsupported)?,
    };
    writer
        .flush()
        .await
        .context("cannot write the upload to its temporary file")?;
    // The row committed below says the file is there: it must outlive a power cut as surely.
    writer
        .get_ref()
        .sync_all()
        .await
        .context("cannot sync the uploaded file")?;
    drop(writer);
    let sha256 = crate::secret::hex(&hasher.finalize());
    let kind = {
        let final_path = folder.join(&sha256);
        tokio::task::spawn_blocking(move || keep(temp, sniffed, &final_path))
            .await
            .context("the task storing the upload failed")??
    };
    let Some(kind) = kind else {
        return Err(SaveError::Unsupported);
    };
    let view = record(db, &sha256, size, kind, upload.name, by).await?;
    tracing::info!(
        id = view.id.0,
        size,
        content_type = view.content_type,
        "stored an upload"
    );
    Ok(view)
}

/// Confirms an OLE file's kind from its streams, then moves the temporary file to `final_path`
/// (unless the same bytes are there already) and syncs the folder. `None` (the temporary file
/// removed) when the whole file is not an accepted kind after all.
fn keep(
    temp: NamedTempFile,
    sniffed: Sniffed,
    final_path: &Path,
) -> anyhow::Result<Option<FileKind>> {
    let kind = match sniffed {
        Sniffed::Known(kind) => kind,
        Sniffed::Compound => {
            match kind::compound_kind(temp.path()).context("cannot read the uploaded file back")? {
                Some(kind) => kind,
                None => return Ok(None),
            }
        }
    };
    if final_path.exists() {
        // The same bytes are stored already; dropping `temp` removes this copy.
        return Ok(Some(kind));
    }
    match temp.persist_noclobber(final_path) {
        Ok(_) => {}
        // Another upload of the same bytes got there first: theirs is the same file.
        Err(error) if error.error.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(error) => {
            return Err(anyhow::Error::from(error.error).context(format!(
                "cannot store the upload as {}",
                final_path.display()
            )))
        }
    }
    if let Some(folder) = final_path.parent() {
        std::fs::File::open(folder)
            .and_then(|folder| folder.sync_all())
            .with_context(|| format!("cannot sync folder {}", folder.display()))?;
    }
    Ok(Some(kind))
}

async fn record(
    db: &SqlitePool,
    sha256: &str,
    size: u64,
    kind: FileKind,
    name: &str,
    by: Actor<'_>,
) -> anyhow::Result<AttachmentView> {
    let size_i64 = i64::try_from(size).context("an upload larger than SQLite can count")?;
    let mut tx = db
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting to record an upload")?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO attachments (sha256, size, content_type, original_name, created_at, uploaded_by)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(sha256)
    .bind(size_i64)
    .bind(kind.content_type())
    .bind(name)
    .bind(clock::rfc3339(clock::now()))
    .bind(by.staff_id)
    .fetch_one(&mut *tx)
    .await
    .context("recording an upload")?;
    let target = id.to_string();
    let note = format!("{name}（{size} 字节，{}）", kind.content_type());
    let entry = audit::AuditEntry {
        target: Some(&target),
        note: Some(&note),
        ..by.entry(UPLOAD_ACTION)
    };
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await.context("committing an upload")?;
    Ok(AttachmentView {
        id: AttachmentId(id),
        name: name.to_owned(),
        size,
        content_type: kind.content_type().to_owned(),
    })
}

/// A stored attachment: what staff see, and where its bytes are.
#[derive(Debug, Clone)]
pub struct StoredAttachment {
    pub view: AttachmentView,
    pub path: PathBuf,
    pub kind: Option<FileKind>,
}

/// The attachment with this id, if any.
#[tracing::instrument(skip(db))]
pub async fn find(db: &SqlitePool, id: AttachmentId) -> anyhow::Result<Option<StoredAttachment>> {
    let row: Option<(String, i64, String, String)> = sqlx::query_as(
        "SELECT sha256, size, content_type, original_name FROM attachments WHERE id = ?",
    )
    .bind(id.0)
    .fetch_optional(db)
    .await
    .context("reading an attachment")?;
    Ok(
        row.map(|(sha256, size, content_type, name)| StoredAttachment {
            path: folder(db).join(&sha256),
            kind: FileKind::from_content_type(&content_type),
            view: AttachmentView {
                id,
                name,
                size: u64::try_from(size).unwrap_or_default(),
                content_type,
            },
        }),
    )
}

/// The attachment a record points to, as staff see it, from the columns a query joined in:
/// `(id, name, size, content_type)`, all `None` when the record has no file.
pub fn view_from_columns(
    id: Option<i64>,
    name: Option<String>,
    size: Option<i64>,
    content_type: Option<String>,
) -> Option<AttachmentView> {
    Some(AttachmentView {
        id: AttachmentId(id?),
        name: name?,
        size: u64::try_from(size?).unwrap_or_default(),
        content_type: content_type?,
    })
}

/// Where `jianyan backup` copies the attachments for a backup at `target`: the folder
/// `<target>.attachments`. To restore, put it beside the restored database as `attachments`.
pub fn backup_folder_path(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(".attachments");
    PathBuf::from(name)
}

/// Copies every stored file of the database at `db` into the folder `target` (made here; it must not
/// exist), for `jianyan backup`. Uploads in progress are skipped. The number of files copied; 0, with no
/// folder made, when the database has no attachments folder.
pub fn back_up(db: &Path, target: &Path) -> anyhow::Result<usize> {
    let source = folder_beside(db);
    let entries = match std::fs::read_dir(&source) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(error) => {
            return Err(anyhow::Error::from(error)
                .context(format!("cannot read the folder {}", source.display())))
        }
    };
    std::fs::create_dir(target)
        .with_context(|| format!("cannot create the folder {}", target.display()))?;
    let mut copied = 0;
    for entry in entries {
        let entry =
            entry.with_context(|| format!("cannot read the folder {}", source.display()))?;
        let name = entry.file_name();
        if !name.to_str().is_some_and(is_stored_file) {
            continue;
        }
        let to = target.join(&name);
        std::fs::copy(entry.path(), &to).with_context(|| {
            format!("cannot copy {} to {}", entry.path().display(), to.display())
        })?;
        copied += 1;
    }
    Ok(copied)
}
