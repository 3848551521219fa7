//! Resumable uploads (tus-style), for members and staff: a file is announced with its size and name,
//! then sent in chunks, each at the offset the server says it holds; an interrupted upload continues
//! from there, after a lost network or a reload. At the last byte the server checks the type from the
//! bytes, stores the file under its SHA-256 and makes it an attachment that a submission can then name.
//!
//! The calls, all under `/api/uploads` (a joined device's cookie or a staff session; guests get 401):
//! - `POST /api/uploads` with [`CreateUpload`] → `201` [`UploadState`] (offset 0).
//! - `GET` (or `HEAD`) `/api/uploads/{id}` → `200` [`UploadState`], and the [`OFFSET_HEADER`] header.
//! - `PATCH /api/uploads/{id}` with [`OFFSET_HEADER`] = the offset the server holds, `Content-Type:
//!   application/offset+octet-stream`, the next bytes as body → `200` [`UploadState`]; a wrong offset →
//!   `409` with the right one in [`OFFSET_HEADER`]. The last byte completes it: `complete` is true and
//!   `attachment` is set.
//! - `DELETE /api/uploads/{id}` → `204`: the member took the file off before sending.
//!
//! An upload is its owner's only: anyone else gets 404, as for an id that does not exist.

use serde::{Deserialize, Serialize};

use crate::attachment::{self, AttachmentView};

/// An upload's unguessable id (128 random bits, 32 lowercase hex characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct UploadId(pub String);

impl UploadId {
    /// Whether `text` has the shape of an upload id (the server makes no other kind).
    pub fn is_well_formed(text: &str) -> bool {
        text.len() == 32
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }
}

/// Header of a `PATCH` (the offset its bytes start at) and of answers (the offset the server holds).
pub const OFFSET_HEADER: &str = "Upload-Offset";

/// Content type of a `PATCH` body.
pub const CHUNK_CONTENT_TYPE: &str = "application/offset+octet-stream";

/// Bytes the browser sends in one `PATCH`: small enough that a weak phone network finishes one in
/// seconds (and little is sent twice after a drop), large enough that a 20 MB file takes 40 requests.
pub const CHUNK_BYTES: u64 = 512 * 1024;

/// Most files on one submission when the server is given no other limit.
pub const DEFAULT_MAX_FILES: usize = 10;

/// `POST /api/uploads`: what is about to be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateUpload {
    /// The file's name on the sender's device, e.g. 调研报告.pdf (cleaned as `attachment::clean_name`).
    #[cfg_attr(feature = "openapi", schema(example = "调研报告.pdf"))]
    pub name: String,
    /// Its size in bytes: the upload is complete when the server holds this many.
    #[cfg_attr(feature = "openapi", schema(example = 1048576))]
    pub size: u64,
}

/// Where an upload stands: the answer of every upload call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadState {
    pub id: UploadId,
    /// The cleaned file name.
    pub name: String,
    /// The declared size in bytes.
    pub size: u64,
    /// Bytes the server holds: the next `PATCH` starts here.
    pub offset: u64,
    /// All bytes arrived and the file was accepted.
    pub complete: bool,
    /// The stored file, once complete. A submission names the upload's `id`, not this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<AttachmentView>,
}

/// The server's limits for files on one submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadLimits {
    pub max_bytes: u64,
    pub max_files: usize,
}

impl Default for UploadLimits {
    fn default() -> Self {
        Self {
            max_bytes: attachment::DEFAULT_MAX_BYTES,
            max_files: DEFAULT_MAX_FILES,
        }
    }
}

impl UploadLimits {
    /// The browser's check of one more file before anything is sent: its kind by extension, its size,
    /// and whether `already` chosen files leave room; the server's own message when it would refuse.
    pub fn check_file(&self, name: &str, size: u64, already: usize) -> Result<(), String> {
        if already >= self.max_files {
            return Err(too_many_message(self.max_files));
        }
        if size > self.max_bytes {
            return Err(attachment::too_large_message(self.max_bytes));
        }
        attachment::check_before_upload(name, size.min(attachment::DEFAULT_MAX_BYTES))
    }
}

/// Said when a submission names more files than allowed.
pub fn too_many_message(max_files: usize) -> String {
    format!("一次最多附 {max_files} 个文件，请删去多余的文件，或合并后再上传")
}

/// Said when a `PATCH` starts at another offset than the server holds.
pub const WRONG_OFFSET_MESSAGE: &str = "上传位置不一致，请从服务器已收到的位置继续上传";

/// Said when a `PATCH` would go past the declared size.
pub const PAST_END_MESSAGE: &str = "发送的内容比登记的文件大小多，请重新选择文件上传";

/// Said when a submission names an upload that is not a completed upload of the sender.
pub const NOT_READY_MESSAGE: &str = "有附件没有上传完成或已失效，请重新添加这个文件后再提交";

/// Said when an upload id names nothing of the requester's.
pub const NOT_FOUND_MESSAGE: &str = "没有这个上传，或它已过期被清理；请重新添加这个文件";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_checks_count_size_and_kind_with_the_servers_words() {
        let limits = UploadLimits::default();
        assert_eq!(limits.check_file("调研报告.pdf", 1000, 0), Ok(()));
        assert_eq!(
            limits.check_file("调研报告.pdf", 1000, 10),
            Err(too_many_message(10)),
            "an eleventh file"
        );
        assert_eq!(
            limits.check_file("扫描.pdf", 21 * 1024 * 1024, 0),
            Err(attachment::too_large_message(attachment::DEFAULT_MAX_BYTES)),
        );
        assert_eq!(
            limits.check_file("setup.exe", 1000, 0),
            Err(attachment::UNSUPPORTED_MESSAGE.into())
        );
        let smaller = UploadLimits {
            max_bytes: 1024 * 1024,
            max_files: 2,
        };
        assert_eq!(
            smaller.check_file("a.pdf", 2 * 1024 * 1024, 0),
            Err("文件超过 1 MB，请压缩或拆分后再上传".into())
        );
        assert_eq!(
            too_many_message(2),
            "一次最多附 2 个文件，请删去多余的文件，或合并后再上传"
        );
    }

    #[test]
    fn only_32_lowercase_hex_characters_make_an_upload_id() {
        assert!(UploadId::is_well_formed("0123456789abcdef0123456789abcdef"));
        for bad in [
            "",
            "0123456789ABCDEF0123456789abcdef",
            "0123456789abcdef0123456789abcde",
            "../../../../etc/passwd/aaaaaaaaaa",
        ] {
            assert!(!UploadId::is_well_formed(bad), "{bad}");
        }
    }
}
