//! A member's personal invitation, as staff hand it out: issue one (the unused older link stops working),
//! then show the link, copy it, or let the member scan it as a QR code. The server keeps only a hash of
//! the token, so a link is shown once, right after it is issued; to show one again, issue a new one.

use api::{InvitationSummary, IssuedInvitation};
use leptos::{prelude::*, task::spawn_local};
use wasm_bindgen_futures::JsFuture;

use crate::{client, components::qr_code::QrCode, format::china_time, staff::Session};

/// Where the panel stands.
#[derive(Clone, PartialEq)]
enum Issue {
    /// Nothing issued on this page yet.
    Idle,
    Sending,
    /// A new link, shown until the page is left.
    Shown(IssuedInvitation),
    Failed(String),
}

/// Issues and shows a member's invitation. `latest` is what the server knows of the last one (its link
/// cannot be shown again); `disabled` members get none.
#[component]
pub fn InvitationPanel(
    member_id: i64,
    latest: Option<InvitationSummary>,
    disabled: bool,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let state = RwSignal::new(Issue::Idle);
    let copied = RwSignal::new(false);
    let issue = move |_| {
        state.set(Issue::Sending);
        copied.set(false);
        spawn_local(async move {
            let next = match client::issue_invitation(member_id).await {
                Ok(invitation) => Issue::Shown(invitation),
                Err(client::ClientError::Api { status: 401, body }) => {
                    session.expired(body.message);
                    Issue::Idle
                }
                Err(error) => Issue::Failed(error.message()),
            };
            state.try_set(next);
        });
    };
    let copy = move |link: String| {
        spawn_local(async move {
            let clipboard = window().navigator().clipboard();
            let done = JsFuture::from(clipboard.write_text(&link)).await.is_ok();
            copied.try_set(done);
        });
    };
    let earlier = latest.map(|latest| {
        format!(
            "上一次邀请：{} 发出，{}（有效期至 {}{}）",
            china_time(&latest.created_at),
            latest.state.label(),
            china_time(&latest.expires_at),
            latest
                .used_at
                .as_deref()
                .map(|at| format!("，{} 已使用", china_time(at)))
                .unwrap_or_default(),
        )
    });
    view! {
        <section class="panel invitation" aria-labelledby="invitation-heading">
            <h2 id="invitation-heading">"邀请链接与二维码"</h2>
            {earlier.map(|text| view! { <p class="meta">{text}</p> })}
            <p class="intro">
                "成员在手机上打开链接或扫描二维码即可加入，无需密码。链接只能使用一次；"
                "重新生成后，尚未使用的旧链接随即失效，已加入的设备不受影响。"
            </p>
            {move || match state.get() {
                Issue::Shown(invitation) => {
                    let link = invitation.link.clone();
                    let label = format!("{}的邀请二维码", invitation.name);
                    view! {
                        <div class="invitation-shown">
                            <QrCode link=invitation.link.clone() label=label size=220 />
                            <div class="invitation-link">
                                <label for="invitation-link">"邀请链接"</label>
                                <input id="invitation-link" type="text" readonly prop:value=invitation.link.clone() />
                                <button type="button" on:click=move |_| copy(link.clone())>"复制链接"</button>
                                {move || copied.get().then(|| view! { <span class="done" role="status">"已复制"</span> })}
                                <p class="meta">{format!("有效期至 {}（未使用时）", china_time(&invitation.expires_at))}</p>
                            </div>
                        </div>
                    }
                    .into_any()
                }
                Issue::Failed(message) => view! { <div class="alert" role="alert"><p>{message}</p></div> }.into_any(),
                Issue::Idle | Issue::Sending => ().into_any(),
            }}
            {(!disabled).then(|| view! {
                <button type="button" class="primary" on:click=issue
                    disabled=move || state.get() == Issue::Sending>
                    {move || if matches!(state.get(), Issue::Shown(_)) { "重新生成邀请链接" } else { "生成邀请链接" }}
                </button>
            })}
            {disabled.then(|| view! { <p class="alert">"这位成员已停用，不能发邀请。"</p> })}
        </section>
    }
}
