//! 成员的邀请与设备 (admins): issue a member's invitation (link and QR code), see the devices they
//! joined (browser, when joined, last seen), and end any of them. The roster's member list links here.
//! An ended device's next request gets 401, so ending one needs no reload of the page.

use api::{MemberAccess, MemberDevice};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_params_map};

use super::invitation::InvitationPanel;
use crate::{client, format::china_time, staff::Session};

#[component]
pub fn MemberAccessPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let params = use_params_map();
    let member_id =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let access = RwSignal::new(None::<MemberAccess>);
    // Apart from `access`, so that ending a device redraws the list alone, not a link just issued.
    let devices = RwSignal::new(Vec::<MemberDevice>::new());
    let problem = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let Some(id) = member_id.get() else {
            problem.set(Some("地址中的成员编号不对，请从成员名单重新打开".into()));
            return;
        };
        spawn_local(async move {
            match client::member_access(id).await {
                Ok(found) => {
                    devices.try_set(found.devices.clone());
                    access.try_set(Some(found));
                    problem.try_set(None);
                }
                Err(client::ClientError::Api { status: 401, body }) => {
                    session.expired(body.message)
                }
                Err(error) => {
                    problem.try_set(Some(error.message()));
                }
            }
        });
    });
    view! {
        {move || problem.get().map(|message| view! { <div class="alert" role="alert"><p>{message}</p></div> })}
        {move || match access.get() {
            Some(found) => view! {
                <h1>{format!("{}（{}）", found.name, found.unit)}</h1>
                <p class="no-print">
                    <A href=format!("/staff/units/{}/invitations", found.unit_id.0)>"打印本单位的邀请卡"</A>
                </p>
                <InvitationPanel member_id=found.member_id.0 latest=found.invitation.clone() disabled=found.disabled />
                <Devices member_id=found.member_id.0 devices />
            }
            .into_any(),
            None if problem.get().is_none() => view! { <p class="loading">"正在加载…"</p> }.into_any(),
            None => ().into_any(),
        }}
    }
}

/// The devices still joined, each with a button that ends it.
#[component]
fn Devices(member_id: i64, devices: RwSignal<Vec<MemberDevice>>) -> impl IntoView {
    let session = expect_context::<Session>();
    let message = RwSignal::new(None::<(bool, String)>);
    let end = move |device: MemberDevice| {
        spawn_local(async move {
            match client::end_member_device(member_id, device.id).await {
                Ok(()) => {
                    message.try_set(Some((true, format!("已结束：{}", device.browser))));
                    devices.try_update(|all| all.retain(|joined| joined.id != device.id));
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
        <section class="panel" aria-labelledby="devices-heading">
            <h2 id="devices-heading">"已加入的设备"</h2>
            {move || message.get().map(|(ok, text)| if ok {
                view! { <p class="done" role="status">{text}</p> }.into_any()
            } else {
                view! { <div class="alert" role="alert"><p>{text}</p></div> }.into_any()
            })}
            {move || if devices.with(Vec::is_empty) {
                view! { <p class="meta">"还没有设备加入。"</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="desk-list">
                            <caption class="visually-hidden">"已加入的设备"</caption>
                            <thead><tr>
                                <th scope="col">"浏览器"</th>
                                <th scope="col">"加入时间"</th>
                                <th scope="col">"最近使用"</th>
                                <th scope="col"><span class="visually-hidden">"操作"</span></th>
                            </tr></thead>
                            <tbody>
                                {devices.get().into_iter().map(|device| {
                                    let label = format!("结束 {}（{} 加入）", device.browser, china_time(&device.joined_at));
                                    let ended = device.clone();
                                    view! {
                                        <tr>
                                            <td>{device.browser.clone()}</td>
                                            <td>{china_time(&device.joined_at)}</td>
                                            <td>{china_time(&device.last_seen_at)}</td>
                                            <td><button type="button" aria-label=label on:click=move |_| end(ended.clone())>"结束"</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}
