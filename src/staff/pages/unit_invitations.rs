//! 打印邀请卡 (admins): a new invitation for every active member of a unit, printed on A4 as cards with
//! name, unit and QR code, to cut apart and hand out at a meeting. Issuing is a button, not the page's
//! opening: it makes every member's unused older link stop working.

use api::UnitInvitations;
use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_params_map;

use crate::{client, components::qr_code::QrCode, format::china_time, staff::Session};

/// Where the sheet stands.
#[derive(Clone, PartialEq)]
enum Sheet {
    /// Nothing issued yet: the page explains what the button does.
    Asking,
    Sending,
    Ready(UnitInvitations),
    Failed(String),
}

#[component]
pub fn UnitInvitationsPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let params = use_params_map();
    let unit_id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let sheet = RwSignal::new(Sheet::Asking);
    let issue = move |_| {
        let Some(unit_id) = unit_id() else {
            sheet.set(Sheet::Failed(
                "地址中的单位编号不对，请从单位列表重新打开".into(),
            ));
            return;
        };
        sheet.set(Sheet::Sending);
        spawn_local(async move {
            let next = match client::issue_unit_invitations(unit_id).await {
                Ok(issued) => Sheet::Ready(issued),
                Err(client::ClientError::Api { status: 401, body }) => {
                    session.expired(body.message);
                    Sheet::Asking
                }
                Err(error) => Sheet::Failed(error.message()),
            };
            sheet.try_set(next);
        });
    };
    let print = |_| {
        let _ = window().print();
    };
    view! {
        {move || match sheet.get() {
            Sheet::Ready(issued) => {
                let count = issued.invitations.len();
                view! {
                    <h1 class="no-print">{format!("{} · 邀请卡（{count} 张）", issued.unit)}</h1>
                    <p class="no-print intro">"沿虚线剪开，每位成员一张；扫码或打开链接即可在手机上加入。"</p>
                    <p class="no-print"><button type="button" class="primary" on:click=print>"打印"</button></p>
                    {(count == 0).then(|| view! { <p class="meta">"本单位还没有未停用的成员。"</p> })}
                    <ul class="invitation-cards" aria-label="邀请卡">
                        {issued.invitations.into_iter().map(|invitation| {
                            let label = format!("{}的邀请二维码", invitation.name);
                            view! {
                                <li class="invitation-card">
                                    <p class="card-title">"同心建言 · 成员邀请"</p>
                                    <p class="card-name">{invitation.name.clone()}</p>
                                    <p class="card-unit">{invitation.unit.clone()}</p>
                                    <QrCode link=invitation.link.clone() label=label size=150 />
                                    <p class="card-note">{format!("请用手机扫码加入，本码仅限本人使用一次，{} 前有效", china_time(&invitation.expires_at).get(..10).unwrap_or_default())}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }
            state => view! {
                <h1>"打印本单位的邀请卡"</h1>
                <p class="intro">
                    "将为本单位每位未停用的成员生成新的邀请链接，并排成 A4 卡片供打印、裁剪后当面发放。"
                    "生成后，这些成员尚未使用的旧链接随即失效；已加入的设备不受影响。"
                </p>
                {match &state {
                    Sheet::Failed(message) => Some(view! { <div class="alert" role="alert"><p>{message.clone()}</p></div> }),
                    _ => None,
                }}
                <button type="button" class="primary" on:click=issue disabled=state == Sheet::Sending>
                    {if state == Sheet::Sending { "正在生成…" } else { "生成邀请卡" }}
                </button>
            }
            .into_any(),
        }}
    }
}
