//! 工作人员登录: login name and password; every refusal says what to do, and nothing typed is cleared.

use api::{FieldErrors, LoginRequest};
use leptos::{prelude::*, task::spawn_local};

use crate::{client, staff::Session};

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let fields = RwSignal::new(FieldErrors::new());
    let problem = RwSignal::new(session.ended_because());
    let pending = RwSignal::new(false);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let request = LoginRequest {
            login: login.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        let mut missing = FieldErrors::new();
        if request.login.is_empty() {
            missing.insert("login".into(), "请输入账号".into());
        }
        if request.password.is_empty() {
            missing.insert("password".into(), "请输入密码".into());
        }
        fields.set(missing.clone());
        if !missing.is_empty() {
            problem.set(None);
            return;
        }
        pending.set(true);
        problem.set(None);
        spawn_local(async move {
            let answer = client::log_in(&request).await;
            // `try_`: the form may be gone by the time the answer comes (logged in from another tab).
            pending.try_set(false);
            match answer {
                // The workbench takes this form's place.
                Ok(started) => session.start(started.staff),
                Err(client::ClientError::Api { status: 422, body }) => {
                    fields.try_set(body.fields);
                    problem.try_set(Some(body.message));
                }
                Err(error) => {
                    problem.try_set(Some(error.message()));
                }
            }
        });
    };

    view! {
        <section class="login">
            <h1>"工作人员登录"</h1>
            <form on:submit=submit novalidate>
                {move || problem.get().map(|message| view! {
                    <div class="alert" role="alert"><p>{message}</p></div>
                })}
                <LoginField field="login" label="账号" input_type="text" autocomplete="username" value=login fields />
                <LoginField field="password" label="密码" input_type="password" autocomplete="current-password" value=password fields />
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || pending.get()>
                        {move || if pending.get() { "正在登录…" } else { "登录" }}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// One labelled input with the message about it below (from this form's check or the server's answer).
#[component]
fn LoginField(
    field: &'static str,
    label: &'static str,
    input_type: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
    fields: RwSignal<FieldErrors>,
) -> impl IntoView {
    let error = move || fields.with(|f| f.get(field).cloned());
    view! {
        <div class="field" class:invalid=move || error().is_some()>
            <label for=field>{label}</label>
            <input
                id=field
                type=input_type
                autocomplete=autocomplete
                autocapitalize="none"
                spellcheck="false"
                prop:value=value
                on:input=move |event| value.set(event_target_value(&event))
                aria-invalid=move || error().is_some().then_some("true")
                aria-describedby=format!("{field}-error")
            />
            <p class="error" id=format!("{field}-error")>{error}</p>
        </div>
    }
}
