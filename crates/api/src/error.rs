use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Per-field messages, keyed by the JSON field name (`"title"`, `"phone"`, …).
pub type FieldErrors = BTreeMap<String, String>;

/// The one shape of every error response: a message a person can act on, plus per-field messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What went wrong and what to do about it, in Chinese.
    pub message: String,
    /// Messages for individual fields; empty when the error is not about a field.
    #[serde(default)]
    pub fields: FieldErrors,
}

impl ErrorBody {
    /// An error that is not about any one field.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            fields: FieldErrors::new(),
        }
    }

    /// An error about the given fields, with a summary message.
    pub fn with_fields(message: impl Into<String>, fields: FieldErrors) -> Self {
        Self {
            message: message.into(),
            fields,
        }
    }
}
