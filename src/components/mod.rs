//! View pieces used by more than one page.

pub mod attachment_picker;
pub mod qr_code;
pub mod status_badge;
pub mod timeline;
