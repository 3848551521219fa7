//! What an uploaded file is, told from its bytes (magic numbers) and never from its name: a renamed
//! program stays a program. The first `SNIFF_BYTES` decide the family while the upload is still
//! arriving, so a wrong file is refused early; an old Office (OLE compound) file is confirmed from its
//! whole directory once it is on disk, since an installer (.msi) uses the same container.

use std::{io::Read, path::Path};

/// How many leading bytes the first check reads (what `infer` reads from a file).
pub const SNIFF_BYTES: usize = 8192;

/// The kinds of file staff may attach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    /// Word 2007+ (.docx), an OOXML zip.
    Docx,
    /// Excel 2007+ (.xlsx), an OOXML zip.
    Xlsx,
    /// Word 97–2003 (.doc), and WPS 文字 (.wps), which keeps the same stream.
    Doc,
    /// Excel 97–2003 (.xls), and WPS 表格 (.et).
    Xls,
}

impl FileKind {
    /// The Content-Type it is stored and served with.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Doc => "application/msword",
            FileKind::Xls => "application/vnd.ms-excel",
        }
    }

    /// The usual extension, for the plain-ASCII `filename=` of a download.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpg",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Doc => "doc",
            FileKind::Xls => "xls",
        }
    }

    /// The kind stored with this Content-Type, if any.
    pub fn from_content_type(content_type: &str) -> Option<FileKind> {
        [
            FileKind::Pdf,
            FileKind::Png,
            FileKind::Jpeg,
            FileKind::Docx,
            FileKind::Xlsx,
            FileKind::Doc,
            FileKind::Xls,
        ]
        .into_iter()
        .find(|kind| kind.content_type() == content_type)
    }
}

/// What the first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// One of the accepted kinds.
    Known(FileKind),
    /// An OLE compound file: a .doc or .xls, or something else in the same container; `compound_kind`
    /// decides once the whole file is there.
    Compound,
}

/// The family of a file from its first bytes (`SNIFF_BYTES`, or fewer when the file is shorter);
/// `None` for anything not accepted (a program, an archive, text, an unknown format).
pub fn sniff(head: &[u8]) -> Option<Sniffed> {
    let found = infer::get(head)?;
    Some(match found.mime_type() {
        "application/pdf" => Sniffed::Known(FileKind::Pdf),
        "image/png" => Sniffed::Known(FileKind::Png),
        "image/jpeg" => Sniffed::Known(FileKind::Jpeg),
        mime if mime == FileKind::Docx.content_type() => Sniffed::Known(FileKind::Docx),
        mime if mime == FileKind::Xlsx.content_type() => Sniffed::Known(FileKind::Xlsx),
        // infer names any OLE container it cannot read whole "x-ole-storage" (its .msi); a head that
        // happens to hold a small .doc whole is read as one. Either way the whole file is checked.
        "application/msword" | "application/vnd.ms-excel" | "application/x-ole-storage" => {
            Sniffed::Compound
        }
        _ => return None,
    })
}

/// The kind of a whole OLE compound file at `path`, from the streams it holds: Word and WPS 文字 keep
/// the text in `WordDocument`, Excel and WPS 表格 the sheets in `Workbook` (`Book` before Excel 97).
/// `None` for any other compound file (an installer, a PowerPoint, a damaged file).
pub fn compound_kind(path: &Path) -> std::io::Result<Option<FileKind>> {
    let file = std::fs::File::open(path)?;
    compound_kind_of(file)
}

fn compound_kind_of<F: Read + std::io::Seek>(file: F) -> std::io::Result<Option<FileKind>> {
    let Ok(compound) = cfb::CompoundFile::open(file) else {
        return Ok(None);
    };
    let has = |name: &str| compound.is_stream(format!("/{name}"));
    Ok(if has("WordDocument") {
        Some(FileKind::Doc)
    } else if has("Workbook") || has("Book") {
        Some(FileKind::Xls)
    } else {
        None
    })
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use super::*;

    fn compound_with(stream: &str) -> Vec<u8> {
        let mut compound =
            cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("an empty compound file");
        compound
            .create_stream(format!("/{stream}"))
            .and_then(|mut s| s.write_all(&[0u8; 5000]))
            .expect("a stream");
        compound.flush().expect("written");
        compound.into_inner().into_inner()
    }

    #[test]
    fn accepted_kinds_are_told_from_their_first_bytes() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
        let cases: [(&[u8], Option<Sniffed>, &str); 6] = [
            (
                b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
                Some(Sniffed::Known(FileKind::Pdf)),
                "PDF",
            ),
            (png, Some(Sniffed::Known(FileKind::Png)), "PNG"),
            (
                b"\xff\xd8\xff\xe0\0\x10JFIF\0",
                Some(Sniffed::Known(FileKind::Jpeg)),
                "JPEG",
            ),
            (
                b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff",
                None,
                "a Windows program",
            ),
            (
                b"PK\x03\x04\x14\0\0\0\x08\0notes.txt",
                None,
                "a plain zip archive",
            ),
            (b"just some text, named .pdf", None, "text"),
        ];
        for (head, expected, what) in cases {
            assert_eq!(sniff(head), expected, "{what}");
        }
    }

    #[test]
    fn an_excel_workbook_from_the_exporter_is_xlsx() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        workbook
            .add_worksheet()
            .write_string(0, 0, "采用")
            .expect("a cell");
        let bytes = workbook.save_to_buffer().expect("an .xlsx");
        let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
        assert_eq!(sniff(head), Some(Sniffed::Known(FileKind::Xlsx)));
    }

    #[test]
    fn a_compound_file_is_a_doc_or_xls_by_its_streams_and_anything_else_is_refused() {
        for (stream, expected) in [
            ("WordDocument", Some(FileKind::Doc)),
            ("Workbook", Some(FileKind::Xls)),
            ("Book", Some(FileKind::Xls)),
            // What an installer holds instead (its streams' names are encoded).
            ("\u{4840}\u{3f3f}\u{4177}", None),
        ] {
            let bytes = compound_with(stream);
            let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
            assert_eq!(sniff(head), Some(Sniffed::Compound), "{stream}");
            let kind = compound_kind_of(Cursor::new(bytes)).expect("readable");
            assert_eq!(kind, expected, "{stream}");
        }
        let damaged = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert_eq!(compound_kind_of(Cursor::new(damaged)).expect("read"), None);
    }
}
