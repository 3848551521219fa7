use api::{desk::EntryKind, TimelineEntry};
use leptos::prelude::*;

use crate::format::china_time;

/// The public timeline of a submission, oldest first: status changes with their reason, the reply,
/// a merge with the code it went into, the submitter's own resubmission and rating.
#[component]
pub fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    view! {
        <ol class="timeline" aria-label="办理进度">
            {entries
                .into_iter()
                .map(|entry| {
                    // A status change is named by the status; anything else by what it is.
                    let what = match entry.kind {
                        EntryKind::Status => entry.status.label(),
                        other => other.label(),
                    };
                    view! {
                        <li>
                            <strong>{what}</strong>
                            <time datetime=entry.at.clone()>{china_time(&entry.at)}</time>
                            {entry.merged_into.map(|code| view! { <p class="note">{format!("已并入 {code} 一并办理")}</p> })}
                            {entry.note.map(|note| view! { <p class="note">{note}</p> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
