//! 我的 (`/me/`): on a joined device, co-signing requests (those asking the member, those they lead),
//! the member's submissions from every device, receipts this device kept from before it joined (to
//! claim), a one-time QR code for the member's next device, and leaving this device. On any other
//! device, how to join.

use api::{MemberMe, MemberSubmission};
use leptos::{prelude::*, task::spawn_local};

use super::{
    cosign_lists::{CosignRequests, MyCosignDrafts},
    COSIGN_PAGE,
};
use crate::{
    client::{self, ClientError},
    components::{qr_code::QrCode, status_badge::StatusBadge},
    format::china_time,
    load::load,
    membership, storage,
};

#[component]
pub fn MePage() -> impl IntoView {
    let (me, reload) = load(client::current_member);
    move || match me.get() {
        None => view! { <h1>"我的"</h1><p class="loading">"正在加载…"</p> }.into_any(),
        Some(Ok(me)) => {
            membership::remember(&me);
            view! { <Joined me /> }.into_any()
        }
        Some(Err(ClientError::Api { status: 401, body })) => {
            // Never joined, or ended by the member, by staff, or by disabling the member: a guest's
            // device again. Drafts and the outbox stay; only who the device was goes.
            membership::forget_member();
            view! { <NotJoined message=body.message /> }.into_any()
        }
        Some(Err(error)) => view! {
            <h1>"我的"</h1>
            <p class="error" role="alert">{error.message()}</p>
            <button type="button" on:click=move |_| reload.notify()>"重试"</button>
        }
        .into_any(),
    }
}

/// How a device joins: with the member's own link, or from one of their devices.
#[component]
fn NotJoined(message: String) -> impl IntoView {
    view! {
        <h1>"我的"</h1>
        <p class="intro">{message}</p>
        <p class="intro">
            "加入后，提交建言时会自动填写您的姓名、单位和手机号，并能在任何一台设备上看到自己的全部提交。"
            "请打开统战部或本单位联络员发给您的个人邀请链接（或扫描邀请二维码）；"
            "已加入的手机可以在“我的”中显示二维码，供新设备扫码加入。"
        </p>
        <p><a href="/">"返回首页"</a>" · "<a href="/track">"查看本机的提交"</a></p>
    }
}

#[component]
fn Joined(me: MemberMe) -> impl IntoView {
    let (submissions, reload) = load(client::my_submissions);
    // An answer or a send changes both co-signing lists.
    let cosign_changed = Trigger::new();
    view! {
        <h1>"我的"</h1>
        <p class="intro">
            {format!("{}（{}）", me.name, me.unit)}
            {me.is_contact.then(|| view! { " " <span class="badge">"联络员"</span> })}
        </p>
        <nav class="actions" aria-label="主要功能">
            <a href="/submit" class="action primary"><span>"提交建言"</span></a>
            <a href=COSIGN_PAGE class="action"><span>"发起联名建言"</span></a>
            <a href="/topics/" class="action"><span>"课题"</span></a>
        </nav>
        <CosignRequests changed=cosign_changed />
        <MyCosignDrafts changed=cosign_changed />
        <section aria-labelledby="all-mine">
            <h2 id="all-mine">"我的提交"</h2>
            {move || match submissions.get() {
                None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <SubmissionList list=list.clone() />
                    <ClaimReceipts on_server=list reload />
                }
                .into_any(),
                Some(Err(error)) => view! {
                    <p class="error" role="alert">{error.message()}</p>
                    <button type="button" on:click=move |_| reload.notify()>"重试"</button>
                }
                .into_any(),
            }}
        </section>
        <NextDevice />
        <LeaveDevice />
    }
}

/// The member's submissions from every device; each opens as its own device would open it.
#[component]
fn SubmissionList(list: Vec<MemberSubmission>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="empty">"还没有提交记录。"</p> }.into_any();
    }
    view! {
        <ul class="receipts">
            {list.into_iter().map(|item| {
                let href = format!("/track/{}#{}", item.code, item.secret);
                view! {
                <li>
                    <a href=href>
                        <span class="title">{item.title}</span>
                        <span class="meta">
                            {item.code} " · " {china_time(&item.submitted_at)} " "
                            <StatusBadge status=item.status />
                        </span>
                    </a>
                </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Receipts this device kept from before it joined, which the account does not have yet: one button
/// makes them the member's.
#[component]
fn ClaimReceipts(on_server: Vec<MemberSubmission>, reload: Trigger) -> impl IntoView {
    let unclaimed: Vec<storage::Receipt> = storage::receipts()
        .into_iter()
        .filter(|receipt| !on_server.iter().any(|item| item.code == receipt.code))
        .collect();
    if unclaimed.is_empty() {
        return ().into_any();
    }
    let count = unclaimed.len();
    let unclaimed = StoredValue::new(unclaimed);
    let outcome = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let claim = move |_| {
        busy.set(true);
        spawn_local(async move {
            let mut refused = Vec::new();
            for receipt in unclaimed.get_value() {
                if let Err(error) = client::claim_submission(&receipt.code, &receipt.secret).await {
                    refused.push(format!("{}：{}", receipt.code, error.message()));
                }
            }
            busy.try_set(false);
            if refused.is_empty() {
                reload.notify();
            } else {
                outcome.try_set(Some(refused.join("；")));
            }
        });
    };
    view! {
        <div class="notice">
            <p>{format!("这台设备上还有 {count} 条加入前的提交，可以归入您的账户，在其他设备上也能看到。")}</p>
            <button type="button" on:click=claim disabled=move || busy.get()>"归入我的账户"</button>
            {move || outcome.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
        </div>
    }
    .into_any()
}

/// A one-time QR code (10 minutes) that another device scans to join the same account.
#[component]
fn NextDevice() -> impl IntoView {
    let link = RwSignal::new(None::<Result<api::DeviceLink, String>>);
    let show = move |_| {
        spawn_local(async move {
            let answer = client::device_link().await.map_err(|error| error.message());
            link.try_set(Some(answer));
        });
    };
    view! {
        <section aria-labelledby="next-device">
            <h2 id="next-device">"在另一台设备上使用"</h2>
            {move || match link.get() {
                None => view! {
                    <p>"在新手机或电脑上打开同心建言，用它扫描这里显示的二维码，即可加入您的账户。"</p>
                    <button type="button" on:click=show>"显示二维码"</button>
                }
                .into_any(),
                Some(Ok(device)) => view! {
                    <QrCode link=device.link.clone() label="加入我的账户的二维码".to_owned() size=220 />
                    <p class="hint">
                        {format!("只能使用一次，{} 前有效。扫不了码时，也可以在新设备上打开这个链接：", china_time(&device.expires_at))}
                    </p>
                    <p class="link-box">{device.link}</p>
                }
                .into_any(),
                Some(Err(message)) => view! {
                    <p class="error" role="alert">{message}</p>
                    <button type="button" on:click=show>"重试"</button>
                }
                .into_any(),
            }}
        </section>
    }
}

/// 退出此设备: the device session ends; the member chooses whether this device keeps their drafts and
/// unsent submissions (their own phone) or forgets them (a shared one).
#[component]
fn LeaveDevice() -> impl IntoView {
    let asking = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let leave = move |keep: bool| {
        spawn_local(async move {
            match client::leave_device().await {
                Ok(()) => {
                    membership::leave();
                    if !keep {
                        forget_this_device();
                    }
                    let _ = window().location().replace("/");
                }
                Err(failed) => {
                    error.try_set(Some(failed.message()));
                }
            }
        });
    };
    view! {
        <section aria-labelledby="leave">
            <h2 id="leave">"退出此设备"</h2>
            {move || if asking.get() {
                view! {
                    <p>"退出后，这台设备不再自动填写您的信息，也看不到您在其他设备上的提交。本机的草稿和尚未发送的建言："</p>
                    <div class="form-actions">
                        <button type="button" on:click=move |_| leave(true)>"保留在本机，退出"</button>
                        <button type="button" class="danger" on:click=move |_| leave(false)>"从本机清除，退出"</button>
                        <button type="button" class="link" on:click=move |_| asking.set(false)>"取消"</button>
                    </div>
                }
                .into_any()
            } else {
                view! { <button type="button" on:click=move |_| asking.set(true)>"退出此设备"</button> }.into_any()
            }}
            {move || error.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
        </section>
    }
}

/// Everything the app keeps on this device: drafts, the outbox, receipts.
fn forget_this_device() {
    for key in storage::keys_with_prefix("jianyan.") {
        storage::remove(&key);
    }
}
