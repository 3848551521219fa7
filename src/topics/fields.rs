//! Form fields of the topics app: a label a screen reader announces, a hint, and the message.

use api::FieldErrors;
use leptos::prelude::*;

/// A multi-line text field whose id is its key in `FieldErrors`.
#[component]
pub fn LongField(
    field: &'static str,
    label: &'static str,
    hint: &'static str,
    value: RwSignal<String>,
    messages: Memo<FieldErrors>,
) -> impl IntoView {
    let message = move || messages.with(|m| m.get(field).cloned());
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=field>{label}</label>
            <textarea id=field prop:value=value
                aria-invalid=move || message().map(|_| "true")
                aria-describedby=format!("{field}-error")
                on:input=move |event| value.set(event_target_value(&event))></textarea>
            <p class="hint">{hint}</p>
            <p class="error" id=format!("{field}-error") aria-live="polite">{message}</p>
        </div>
    }
}

/// A one-line text field whose id is its key in `FieldErrors`.
#[component]
pub fn LineField(
    field: &'static str,
    label: &'static str,
    hint: &'static str,
    value: RwSignal<String>,
    messages: Memo<FieldErrors>,
) -> impl IntoView {
    let message = move || messages.with(|m| m.get(field).cloned());
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=field>{label}</label>
            <input type="text" id=field prop:value=value
                aria-invalid=move || message().map(|_| "true")
                aria-describedby=format!("{field}-error")
                on:input=move |event| value.set(event_target_value(&event)) />
            <p class="hint">{hint}</p>
            <p class="error" id=format!("{field}-error") aria-live="polite">{message}</p>
        </div>
    }
}
