//! 发布设置: the window (China time), the audience, anonymity and editing; the public link and its QR
//! code; 结束收集.

use api::{
    roster::StaffUnit,
    survey::{Audience, PublishSettings, SurveyStatus, SurveyView},
    UnitId,
};
use leptos::{prelude::*, task::spawn_local};

use crate::{
    client::{self, ClientError},
    components::qr_code::QrCode,
    staff::Session,
};

/// China time `days` from now, as `<input type=datetime-local>` wants it (`YYYY-MM-DDTHH:MM`).
fn china_input(days: f64) -> String {
    let millis = js_sys::Date::now() + 8.0 * 3_600_000.0 + days * 86_400_000.0;
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        date.get_utc_full_year(),
        date.get_utc_month() + 1,
        date.get_utc_date(),
        date.get_utc_hours(),
        date.get_utc_minutes()
    )
}

/// A stored time (`2026-11-27T09:00:00+08:00`) as the input shows it.
fn to_input(stored: &str) -> String {
    stored.get(..16).unwrap_or(stored).to_owned()
}

/// The address members open for a link survey.
pub fn public_link(key: &str) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}/surveys/link/{key}")
}

#[component]
pub fn PublishPanel(
    survey: RwSignal<Option<SurveyView>>,
    /// Unsaved changes to the questions: publishing waits for 保存.
    dirty: Signal<bool>,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let current = survey.get_untracked().and_then(|s| s.settings);
    let opens = RwSignal::new(
        current
            .as_ref()
            .map_or_else(|| china_input(0.0), |s| to_input(&s.opens_at)),
    );
    let closes = RwSignal::new(
        current
            .as_ref()
            .map_or_else(|| china_input(7.0), |s| to_input(&s.closes_at)),
    );
    let (audience0, units0) = match current.as_ref().map(|s| &s.audience) {
        Some(Audience::Units { unit_ids }) => ("units", unit_ids.clone()),
        Some(Audience::Link) => ("link", Vec::new()),
        _ => ("all", Vec::new()),
    };
    let audience = RwSignal::new(audience0);
    let chosen = RwSignal::new(units0);
    let anonymous = RwSignal::new(current.as_ref().is_some_and(|s| s.anonymous));
    let editable = RwSignal::new(current.as_ref().is_some_and(|s| s.editable_until_close));
    let units = RwSignal::new(Vec::<StaffUnit>::new());
    let message = RwSignal::new(None::<(bool, String, Vec<String>)>);
    let busy = RwSignal::new(false);
    spawn_local(async move {
        if let Ok(list) = client::staff_units().await {
            units.try_set(
                list.into_iter()
                    .filter(|u| u.retired_at.is_none())
                    .collect(),
            );
        }
    });
    let status = move || survey.with(|s| s.as_ref().map(|s| s.status));
    let answer = move |result: Result<SurveyView, ClientError>, done: &str| {
        busy.try_set(false);
        match result {
            Ok(view) => {
                survey.try_set(Some(view));
                message.try_set(Some((true, done.to_owned(), Vec::new())));
            }
            Err(ClientError::Api { status: 401, body }) => session.expired(body.message),
            Err(ClientError::Api { body, .. }) => {
                message.try_set(Some((
                    false,
                    body.message,
                    body.fields.into_values().collect(),
                )));
            }
            Err(error) => {
                message.try_set(Some((false, error.message(), Vec::new())));
            }
        }
    };
    let publish = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(id) = survey.with_untracked(|s| s.as_ref().map(|s| s.id)) else {
            return;
        };
        let settings = PublishSettings {
            opens_at: opens.get_untracked(),
            closes_at: closes.get_untracked(),
            audience: match audience.get_untracked() {
                "units" => Audience::Units {
                    unit_ids: chosen.get_untracked(),
                },
                "link" => Audience::Link,
                _ => Audience::AllUnits,
            },
            anonymous: anonymous.get_untracked(),
            editable_until_close: editable.get_untracked() && !anonymous.get_untracked(),
        };
        if let Err(fields) = api::survey::check_settings(&settings) {
            message.set(Some((
                false,
                "发布设置有误，请修改后再发布".into(),
                fields.into_values().collect(),
            )));
            return;
        }
        let was_draft = status() == Some(SurveyStatus::Draft);
        busy.set(true);
        spawn_local(async move {
            let result = client::publish_survey(id, &settings).await;
            answer(
                result,
                if was_draft {
                    "已发布"
                } else {
                    "已保存发布设置"
                },
            );
        });
    };
    let close = move |_| {
        let Some(id) = survey.with_untracked(|s| s.as_ref().map(|s| s.id)) else {
            return;
        };
        if !window()
            .confirm_with_message("结束收集后成员不能再提交答卷。确定结束吗？")
            .unwrap_or(false)
        {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = client::close_survey(id).await;
            answer(result, "已结束收集");
        });
    };
    let radio = move |value: &'static str, text: &'static str| {
        view! {
            <label class="check">
                <input type="radio" name="audience" value=value prop:checked=move || audience.get() == value
                    on:change=move |_| audience.set(value) />
                {text}
            </label>
        }
    };
    view! {
        <form class="panel publish" on:submit=publish aria-label="发布设置">
            <h2>"发布设置"</h2>
            <div class="question-row">
                <div class="field">
                    <label for="s-opens">"开始时间（北京时间）"</label>
                    <input id="s-opens" type="datetime-local" required prop:value=opens on:input=move |e| opens.set(event_target_value(&e)) />
                </div>
                <div class="field">
                    <label for="s-closes">"截止时间（北京时间）"</label>
                    <input id="s-closes" type="datetime-local" required prop:value=closes on:input=move |e| closes.set(event_target_value(&e)) />
                </div>
            </div>
            <fieldset>
                <legend>"发放范围"</legend>
                {radio("all", "全部单位")}
                {radio("units", "指定单位")}
                {radio("link", "持链接者均可填写（不限名册，每台设备一份）")}
                {move || (audience.get() == "units").then(|| view! {
                    <div class="unit-choices">
                        {units.get().into_iter().map(|unit| {
                            let id: UnitId = unit.id;
                            view! {
                                <label class="check">
                                    <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&id))
                                        on:change=move |e| {
                                            let on = event_target_checked(&e);
                                            chosen.update(|c| { c.retain(|u| *u != id); if on { c.push(id) } });
                                        } />
                                    {unit.name.clone()}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                })}
            </fieldset>
            <label class="check">
                <input type="checkbox" prop:checked=anonymous on:change=move |e| anonymous.set(event_target_checked(&e)) />
                "匿名（谁答过与答案分开保存，任何人都无法对应）"
            </label>
            <label class="check">
                <input type="checkbox" prop:checked=move || editable.get() && !anonymous.get() disabled=move || anonymous.get()
                    on:change=move |e| editable.set(event_target_checked(&e)) />
                "截止前成员可修改自己的答卷（匿名问卷不可）"
            </label>
            {move || dirty.get().then(|| view! { <p class="meta">"问卷有未保存的修改，请先保存再发布。"</p> })}
            <div class="row-buttons">
                <button type="submit" class="primary" disabled=move || busy.get() || dirty.get()>
                    {move || if status() == Some(SurveyStatus::Draft) { "发布" } else { "保存发布设置" }}
                </button>
                {move || matches!(status(), Some(SurveyStatus::Collecting | SurveyStatus::Scheduled)).then(|| view! {
                    <button type="button" disabled=move || busy.get() on:click=close>"结束收集"</button>
                })}
            </div>
            <div aria-live="polite">
                {move || message.get().map(|(ok, text, details)| if ok {
                    view! { <p class="done">{text}</p> }.into_any()
                } else {
                    view! { <div class="alert" role="alert"><p>{text}</p>
                        <ul>{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul></div> }.into_any()
                })}
            </div>
            {move || survey.get().and_then(|s| {
                let link_survey = matches!(s.settings.as_ref().map(|x| &x.audience), Some(Audience::Link));
                s.link_key.filter(|_| link_survey).map(|key| {
                    let link = public_link(&key);
                    view! {
                        <div class="invitation-shown">
                            <div class="invitation-link">
                                <label for="s-link">"填写链接"</label>
                                <input id="s-link" type="text" readonly prop:value=link.clone() />
                                <p class="meta">"任何拿到链接的人都可以填写，每台设备一份。"</p>
                            </div>
                            <QrCode link=link label="填写链接的二维码".into() size=180 />
                        </div>
                    }
                })
            })}
        </form>
    }
}
