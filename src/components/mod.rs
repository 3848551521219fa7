//! View pieces used by more than one page.

pub mod attachment_picker;
pub mod bar_chart;
pub mod qr_code;
pub mod status_badge;
pub mod survey_question;
pub mod timeline;
