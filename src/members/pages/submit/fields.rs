//! The form's fields: a label a screen reader announces, a hint, and the message when something is off.

use api::{SubmissionKind, Unit, UnitId};
use leptos::prelude::*;

use super::{form::SubmissionForm, FieldMessages};
use crate::{client, load::load};

/// A labelled field with its hint and its message; the control itself is the child.
#[component]
fn Field(
    /// The control's element id; the message's id is `<id>-error`.
    id: &'static str,
    /// The field's key in `FieldErrors`.
    field: &'static str,
    label: &'static str,
    messages: FieldMessages,
    #[prop(optional, into)] hint: ViewFn,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field" class:invalid=move || messages.get(field).is_some()>
            <label for=id>{label}</label>
            {children()}
            // Re-run as what it reads changes (a unit list that did not load, then did).
            <p class="hint">{move || hint.run()}</p>
            <p class="error" id=format!("{id}-error") aria-live="polite">
                {move || messages.get(field)}
            </p>
        </div>
    }
}

/// `aria-invalid` for a field's control.
fn invalid(messages: FieldMessages, field: &'static str) -> impl Fn() -> Option<&'static str> {
    move || messages.get(field).map(|_| "true")
}

/// The title's and body's hints, with their limits written out: a live "12/60 字" counter cost the
/// members' bundle more than it had room for (the rules' own messages give the count once it is over).
const TITLE_HINT: &str = "一句话说明建议的事项，不超过 60 字";
const BODY_HINT: &str = "写明现状与问题、具体建议，20 至 20000 字";

#[component]
pub fn KindField(form: SubmissionForm) -> impl IntoView {
    view! {
        <fieldset class="kinds">
            <legend>"类别"</legend>
            {SubmissionKind::ALL
                .map(|kind| {
                    view! {
                        <label class="chip">
                            <input
                                type="radio"
                                name="kind"
                                value=kind.as_str()
                                prop:checked=move || form.kind.get() == kind
                                on:change=move |_| form.kind.set(kind)
                            />
                            {kind.label()}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// A one-line text field whose id is its key in `FieldErrors`.
#[component]
pub fn TextField(
    field: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    messages: FieldMessages,
    #[prop(into)] hint: ViewFn,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    view! {
        <Field id=field field label messages hint>
            <input
                id=field
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                enterkeyhint="next"
                prop:value=value
                on:input=move |event| value.set(event_target_value(&event))
                on:blur=move |_| messages.touch(field)
                aria-invalid=invalid(messages, field)
                aria-describedby=format!("{field}-error")
            />
        </Field>
    }
}

#[component]
pub fn TitleField(form: SubmissionForm, messages: FieldMessages) -> impl IntoView {
    view! { <TextField field="title" label="案由" value=form.title messages hint=|| TITLE_HINT /> }
}

#[component]
pub fn BodyField(form: SubmissionForm, messages: FieldMessages) -> impl IntoView {
    view! {
        <Field id="body" field="body" label="内容" messages hint=|| BODY_HINT>
            <textarea
                id="body"
                rows="8"
                prop:value=form.body on:input=move |event| form.body.set(event_target_value(&event))
                on:blur=move |_| messages.touch("body")
                aria-invalid=invalid(messages, "body")
                aria-describedby="body-error"
            ></textarea>
        </Field>
    }
}

#[component]
pub fn UnitField(form: SubmissionForm, messages: FieldMessages) -> impl IntoView {
    let (units, reload) = load(client::list_units);
    let options = move || match units.get() {
        Some(Ok(units)) => Some(unit_options(units, form.unit_id)),
        _ => None,
    };
    // Offline, or (403) the department takes joined members' submissions only: the server says which.
    let load_failed = move || match units.get() {
        Some(Err(error)) => Some(error.message()),
        _ => None,
    };
    let hint = move || {
        load_failed().map(|message| {
            view! {
                {message} " "
                <button type="button" class="link" on:click=move |_| reload.notify()>
                    "重新加载"
                </button>
            }
        })
    };
    view! {
        <Field id="unit" field="unit_id" label="所在单位" messages hint>
            <select
                id="unit"
                on:change=move |event| {
                    form.unit_id.set(event_target_value(&event).parse().ok().map(UnitId));
                }
                on:blur=move |_| messages.touch("unit_id")
                aria-invalid=invalid(messages, "unit_id")
                aria-describedby="unit-error"
            >
                <option value="" selected=move || form.unit_id.get().is_none()>
                    "请选择"
                </option>
                {options}
            </select>
        </Field>
    }
}

/// Units grouped under their 界别, the selected one marked.
fn unit_options(units: Vec<Unit>, selected: RwSignal<Option<UnitId>>) -> impl IntoView {
    let mut groups: Vec<(String, Vec<Unit>)> = Vec::new();
    for unit in units {
        match groups.iter_mut().find(|(group, _)| *group == unit.group) {
            Some((_, members)) => members.push(unit),
            None => groups.push((unit.group.clone(), vec![unit])),
        }
    }
    groups
        .into_iter()
        .map(|(group, units)| {
            view! {
                <optgroup label=group>
                    {units
                        .into_iter()
                        .map(|unit| {
                            let id = unit.id;
                            view! {
                                <option value=id.0.to_string() selected=move || selected.get() == Some(id)>
                                    {unit.name}
                                </option>
                            }
                        })
                        .collect_view()}
                </optgroup>
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use api::validation::{BODY_CHARS, TITLE_CHARS};

    use super::{BODY_HINT, TITLE_HINT};

    #[test]
    fn the_hints_state_the_limits_the_rules_enforce() {
        assert!(TITLE_HINT.contains(&format!("不超过 {} 字", TITLE_CHARS.1)));
        assert!(BODY_HINT.contains(&format!("{} 至 {} 字", BODY_CHARS.0, BODY_CHARS.1)));
    }
}
