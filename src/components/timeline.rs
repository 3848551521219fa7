use api::TimelineEntry;
use leptos::prelude::*;

use crate::format::china_time;

/// The public timeline of a submission, oldest first.
#[component]
pub fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    view! {
        <ol class="timeline" aria-label="办理进度">
            {entries
                .into_iter()
                .map(|entry| {
                    view! {
                        <li>
                            <strong>{entry.status.label()}</strong>
                            <time datetime=entry.at.clone()>{china_time(&entry.at)}</time>
                            {entry.note.map(|note| view! { <p class="note">{note}</p> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
