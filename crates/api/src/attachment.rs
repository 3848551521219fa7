//! Files staff attach to records (an adoption's document, a leader's instruction): what the upload
//! answers, the kinds accepted, the size limit, and the file-name rules both sides apply.

use serde::{Deserialize, Serialize};

/// Database id of an uploaded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct AttachmentId(pub i64);

/// Request header of `POST /api/staff/attachments`: the file's own name, percent-encoded UTF-8
/// (`encodeURIComponent`), since a header cannot carry Chinese as it is.
pub const FILE_NAME_HEADER: &str = "X-File-Name";

/// Largest upload when the server is given no other limit: 20 MiB, enough for a scanned instruction.
pub const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;

/// Longest file name kept, in characters; longer ones are cut, keeping the extension.
pub const NAME_MAX_CHARS: usize = 120;

/// What the browser's file picker offers (`accept`): a hint only, the server checks the bytes.
pub const ACCEPT: &str = ".pdf,.doc,.docx,.xls,.xlsx,.wps,.et,.png,.jpg,.jpeg";

/// The browser's check before it sends a file: a name whose extension the server would not accept, or
/// a size over the default limit, is turned back at once with the message the server would give.
pub fn check_before_upload(name: &str, size: u64) -> Result<(), String> {
    if size == 0 {
        return Err(EMPTY_MESSAGE.into());
    }
    if size > DEFAULT_MAX_BYTES {
        return Err(too_large_message(DEFAULT_MAX_BYTES));
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| format!(".{}", ext.to_ascii_lowercase()))
        .unwrap_or_default();
    if extension.len() < 2 || !ACCEPT.split(',').any(|accepted| accepted == extension) {
        return Err(UNSUPPORTED_MESSAGE.into());
    }
    Ok(())
}

/// Said when a file is none of the accepted kinds.
pub const UNSUPPORTED_MESSAGE: &str =
    "只能上传 PDF、Word、Excel、WPS 文档或 PNG、JPEG 图片；请另存为这些格式后再上传";

/// Said when a file is empty.
pub const EMPTY_MESSAGE: &str = "这个文件是空的，请选择要上传的文件";

/// Said when a file is larger than `max_bytes`.
pub fn too_large_message(max_bytes: u64) -> String {
    format!(
        "文件超过 {} MB，请压缩或拆分后再上传",
        max_bytes.div_ceil(1024 * 1024)
    )
}

/// An uploaded file as staff see it: `GET /api/staff/attachments/{id}` downloads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentView {
    pub id: AttachmentId,
    /// The name the file had on the uploader's computer, e.g. 采用通知.pdf.
    pub name: String,
    /// Bytes.
    pub size: u64,
    /// What its first bytes say it is, e.g. application/pdf.
    pub content_type: String,
}

impl AttachmentView {
    /// Where staff download it.
    pub fn href(&self) -> String {
        format!("/api/staff/attachments/{}", self.id.0)
    }
}

/// A size for people: 980 B, 12.5 KB, 3.2 MB.
pub fn size_label(bytes: u64) -> String {
    // In whole tenths, rounded, with integers only: float formatting would cost the phones' bundles
    // that show sizes (the forms with attachments) about 15 KB of wasm.
    const KB: u64 = 1024;
    let (unit, name) = match bytes {
        b if b < KB => return format!("{bytes} B"),
        b if b < KB * KB => (KB, "KB"),
        _ => (KB * KB, "MB"),
    };
    let tenths = (bytes * 10 + unit / 2) / unit;
    format!("{}.{} {name}", tenths / 10, tenths % 10)
}

/// The name to keep for a file: its last path part (a browser or a script may send a path), without
/// control characters, trimmed, at most `NAME_MAX_CHARS` characters with the extension kept; `附件` when
/// nothing is left.
pub fn clean_name(given: &str) -> String {
    let last = given.rsplit(['/', '\\']).next().unwrap_or_default();
    let text: String = last.chars().filter(|c| !c.is_control()).collect();
    let text = text.trim().trim_matches('.').trim();
    if text.is_empty() {
        return "附件".into();
    }
    if text.chars().count() <= NAME_MAX_CHARS {
        return text.to_owned();
    }
    let extension = text
        .rsplit_once('.')
        .map(|(_, ext)| ext)
        .filter(|ext| ext.chars().count() <= 10)
        .map(|ext| format!(".{ext}"))
        .unwrap_or_default();
    let keep = NAME_MAX_CHARS - extension.chars().count();
    let stem: String = text.chars().take(keep).collect();
    format!("{stem}{extension}")
}

/// Decodes `%XX` escapes as UTF-8 (the `FILE_NAME_HEADER`); `None` when the escapes are broken or the
/// bytes are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let pair = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(pair, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_their_last_part_without_control_characters_and_fit_the_limit() {
        let long = format!("{}.pdf", "很".repeat(200));
        let cases: [(&str, &str, &str); 7] = [
            ("采用通知.pdf", "采用通知.pdf", "an ordinary name stays"),
            (
                "C:\\Users\\王\\批示.docx",
                "批示.docx",
                "a Windows path keeps the last part",
            ),
            ("../../etc/passwd", "passwd", "a path never climbs"),
            ("a\u{0}b\r\n.png", "ab.png", "control characters go"),
            ("  ", "附件", "an empty name gets a word"),
            ("..", "附件", "dots alone are no name"),
            (
                &long,
                "",
                "a long name is cut to the limit with its extension",
            ),
        ];
        for (given, expected, why) in cases {
            let cleaned = clean_name(given);
            if expected.is_empty() {
                assert_eq!(cleaned.chars().count(), NAME_MAX_CHARS, "{why}");
                assert!(cleaned.ends_with(".pdf"), "{why}");
            } else {
                assert_eq!(cleaned, expected, "{why}");
            }
        }
    }

    #[test]
    fn percent_escapes_decode_as_utf8_and_broken_ones_are_refused() {
        assert_eq!(
            percent_decode("%E9%87%87%E7%94%A8.pdf").as_deref(),
            Some("采用.pdf")
        );
        assert_eq!(
            percent_decode("plain name.pdf").as_deref(),
            Some("plain name.pdf")
        );
        for broken in ["%E9%87", "%ZZ", "%4"] {
            assert_eq!(percent_decode(broken), None, "{broken}");
        }
    }

    #[test]
    fn the_browser_turns_back_what_the_server_would_refuse() {
        let cases: [(&str, u64, Result<(), String>, &str); 6] = [
            (
                "采用通知.PDF",
                1000,
                Ok(()),
                "an accepted extension, any case",
            ),
            ("批示.wps", 1000, Ok(()), "a WPS document"),
            (
                "setup.exe",
                1000,
                Err(UNSUPPORTED_MESSAGE.into()),
                "a program",
            ),
            (
                "无扩展名",
                1000,
                Err(UNSUPPORTED_MESSAGE.into()),
                "no extension",
            ),
            (
                "扫描.pdf",
                DEFAULT_MAX_BYTES + 1,
                Err(too_large_message(DEFAULT_MAX_BYTES)),
                "too large",
            ),
            ("空.pdf", 0, Err(EMPTY_MESSAGE.into()), "empty"),
        ];
        for (name, size, expected, why) in cases {
            assert_eq!(check_before_upload(name, size), expected, "{why}");
        }
    }

    #[test]
    fn sizes_read_in_the_unit_that_fits() {
        assert_eq!(size_label(980), "980 B");
        assert_eq!(size_label(12_800), "12.5 KB");
        assert_eq!(size_label(3 * 1024 * 1024 + 200 * 1024), "3.2 MB");
        assert_eq!(
            too_large_message(DEFAULT_MAX_BYTES),
            "文件超过 20 MB，请压缩或拆分后再上传"
        );
    }
}
