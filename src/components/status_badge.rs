use api::SubmissionStatus;
use leptos::prelude::*;

/// A submission's status in Chinese, coloured by where it stands.
#[component]
pub fn StatusBadge(status: SubmissionStatus) -> impl IntoView {
    let tone = match status {
        SubmissionStatus::Returned | SubmissionStatus::Declined => "warn",
        SubmissionStatus::Replied | SubmissionStatus::Closed => "done",
        _ => "active",
    };
    view! { <span class=format!("badge {tone}")>{status.label()}</span> }
}
