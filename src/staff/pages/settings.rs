//! 设置 (admins): whether people who have not joined with an invitation may still submit (as guests,
//! typing name and phone). When off, the members' submit page explains how to get an invitation.

use api::Settings;
use leptos::{prelude::*, task::spawn_local};

use crate::{client, staff::Session};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let guests = RwSignal::new(None::<bool>);
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    spawn_local(async move {
        match client::settings().await {
            Ok(found) => {
                guests.try_set(Some(found.guest_submissions));
            }
            Err(client::ClientError::Api { status: 401, body }) => session.expired(body.message),
            Err(error) => {
                message.try_set(Some((false, error.message())));
            }
        }
    });
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(guest_submissions) = guests.get_untracked() else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let answer = client::save_settings(&Settings { guest_submissions }).await;
            busy.try_set(false);
            match answer {
                Ok(saved) => {
                    guests.try_set(Some(saved.guest_submissions));
                    message.try_set(Some((true, "已保存".into())));
                }
                Err(client::ClientError::Api { status: 401, body }) => {
                    session.expired(body.message)
                }
                Err(error) => {
                    message.try_set(Some((false, error.message())));
                }
            }
        });
    };
    view! {
        <h1>"设置"</h1>
        {move || message.get().map(|(ok, text)| if ok {
            view! { <p class="done" role="status">{text}</p> }.into_any()
        } else {
            view! { <div class="alert" role="alert"><p>{text}</p></div> }.into_any()
        })}
        {move || guests.get().map(|on| view! {
            <form class="panel" on:submit=save aria-label="提交设置">
                <label class="check">
                    <input type="checkbox" prop:checked=on
                        on:change=move |e| guests.set(Some(event_target_checked(&e))) />
                    "允许未加入的人员提交（填写姓名和手机号）"
                </label>
                <p class="meta">"关闭后，只有凭邀请链接加入的成员可以提交；其他人会看到向本单位联络员或统战部索取邀请链接的说明。"</p>
                <button type="submit" class="primary" disabled=move || busy.get()>"保存"</button>
            </form>
        })}
    }
}
