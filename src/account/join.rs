//! `/me/join#<token>`: a member opens their personal invitation (a link or a QR code), sees whose it is,
//! confirms that it is them, and this device joins their account.

use api::JoinPreview;
use leptos::{prelude::*, task::spawn_local};
use wasm_bindgen::JsValue;

use super::ME_PAGE;
use crate::{
    client::{self, ClientError},
    membership,
};

/// The token for this tab while the member reads the page: out of the address bar (and so out of the
/// history and any screenshot of it), yet still there after a reload.
const TOKEN_KEY: &str = "jianyan.join-token";

/// What to do when a link no longer works.
const ASK_AGAIN: &str = "请向本单位联络员或统战部索取新的邀请链接；已加入的手机也可以在“我的”中显示二维码，供这台设备扫码加入。";

#[derive(Clone, PartialEq)]
enum Join {
    /// Asking the server whose invitation this is.
    Checking,
    /// Whose it is: waiting for the member to confirm.
    Confirm(JoinPreview),
    /// The member said it is not them.
    NotMe(JoinPreview),
    Joining,
    /// Why it did not work, in words the member can act on.
    Failed(String),
}

#[component]
pub fn JoinPage() -> impl IntoView {
    let token = take_token();
    let state = RwSignal::new(Join::Checking);
    let token = StoredValue::new(token);
    match token.get_value() {
        None => state.set(Join::Failed(format!("这个邀请链接不完整。{ASK_AGAIN}"))),
        Some(token) => spawn_local(async move {
            let next = match client::preview_invitation(&token).await {
                Ok(preview) => Join::Confirm(preview),
                Err(error) => Join::Failed(explain(&error)),
            };
            state.try_set(next);
        }),
    }
    let confirm = move |_| {
        let Some(token) = token.get_value() else {
            return;
        };
        state.set(Join::Joining);
        spawn_local(async move {
            match client::join(&token).await {
                Ok(me) => {
                    membership::remember(&me);
                    forget_token();
                    let _ = window().location().replace(ME_PAGE);
                }
                Err(error) => {
                    state.try_set(Join::Failed(explain(&error)));
                }
            }
        });
    };
    move || {
        match state.get() {
        Join::Checking => view! { <h1>"加入同心建言"</h1><p class="loading">"正在核对邀请…"</p> }.into_any(),
        Join::Confirm(preview) => {
            let JoinPreview { name, unit } = preview.clone();
            let not_me = move |_| state.set(Join::NotMe(preview.clone()));
            view! {
                <h1>{format!("欢迎，{name}（{unit}）")}</h1>
                <p class="intro">
                    "请确认这是您本人。确认后，这台设备就加入了您的账户：提交建言时自动填写您的姓名、单位和手机号，"
                    "并能看到您在所有设备上的提交。不需要密码。"
                </p>
                <div class="form-actions">
                    <button type="button" class="primary" on:click=confirm>"是我本人，确认加入"</button>
                    <button type="button" on:click=not_me>"不是我"</button>
                </div>
            }
            .into_any()
        }
        Join::NotMe(JoinPreview { name, .. }) => view! {
            <h1>"请不要继续"</h1>
            <p class="intro">
                {format!("这个链接是发给{name}本人的，只能使用一次。请把它交还给发送的人，或联系统战部。")}
            </p>
            <p><a href="/">"返回首页"</a></p>
        }
        .into_any(),
        Join::Joining => view! { <h1>"加入同心建言"</h1><p class="loading">"正在加入…"</p> }.into_any(),
        Join::Failed(message) => view! {
            <h1>"无法加入"</h1>
            <p class="error" role="alert">{message}</p>
            <p><a href="/">"返回首页"</a></p>
        }
        .into_any(),
    }
    }
}

/// The member's words for a refused or failed request.
fn explain(error: &ClientError) -> String {
    match error {
        ClientError::Network => "网络连接失败，请检查网络后刷新本页重试。".into(),
        // The server says what happened (used, expired, replaced, too many attempts).
        ClientError::Api { status, body } if *status == 404 || *status == 410 => {
            format!("{}{ASK_AGAIN}", body.message)
        }
        ClientError::Api { body, .. } => body.message.clone(),
    }
}

/// The token from the address's fragment (kept for this tab), or from before a reload.
fn take_token() -> Option<String> {
    let location = window().location();
    let fragment = location.hash().unwrap_or_default();
    let fragment = fragment.trim_start_matches('#').trim();
    let session = window().session_storage().ok().flatten();
    if !fragment.is_empty() {
        if let Some(session) = &session {
            let _ = session.set_item(TOKEN_KEY, fragment);
        }
        // The address without the token.
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(api::JOIN_PATH));
        }
        return Some(fragment.to_owned());
    }
    session?.get_item(TOKEN_KEY).ok().flatten()
}

fn forget_token() {
    if let Some(session) = window().session_storage().ok().flatten() {
        let _ = session.remove_item(TOKEN_KEY);
    }
}
