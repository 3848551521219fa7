//! 查询进度: what this device sent (我的提交), and a lookup by code and secret.

use crate::members::{location::Location, route::TRACK_INTRO, Route};
use api::TrackingCode;
use leptos::{ev::SubmitEvent, prelude::*};

mod mine;

use mine::MySubmissions;

#[component]
pub fn TrackPage() -> impl IntoView {
    let code = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let location = expect_context::<Location>();

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let Some(parsed) = TrackingCode::parse(&code.get_untracked()) else {
            problem.set(Some("回执编号的格式应为 JY-年份-编号，如 JY-2026-000123"));
            return;
        };
        let typed_secret = secret.get_untracked().trim().to_owned();
        if typed_secret.is_empty() {
            problem.set(Some("请填写查询密码（回执上的 32 位字母数字）"));
            return;
        }
        problem.set(None);
        // The secret travels in the fragment, which browsers never send to a server.
        location.navigate(&Route::submission_with_secret(
            &parsed.to_string(),
            &typed_secret,
        ));
    };

    view! {
        <h1>"查询进度"</h1>
        // Also painted by index.html before the app starts: keep the two texts the same.
        <p class="intro">{TRACK_INTRO}</p>
        <MySubmissions />
        <section aria-labelledby="lookup">
            <h2 id="lookup">"凭回执查询"</h2>
            <form class="lookup" novalidate on:submit=on_submit>
                <div class="field">
                    <label for="code">"回执编号"</label>
                    <input id="code" type="text" autocomplete="off" autocapitalize="characters"
                        placeholder="JY-2026-000123" prop:value=code on:input=move |event| code.set(event_target_value(&event)) />
                </div>
                <div class="field">
                    <label for="secret">"查询密码"</label>
                    <input id="secret" type="text" autocomplete="off" spellcheck="false" prop:value=secret on:input=move |event| secret.set(event_target_value(&event)) />
                </div>
                <p class="error" role="alert">{move || problem.get()}</p>
                <button type="submit" class="primary">"查询"</button>
            </form>
        </section>
    }
}
