//! One member of the roster: their details, their submissions (as a joined member), and for
//! administrators the edit form and 停用 / 恢复.

use api::{
    roster::{MemberDetailView, MemberView, SaveMember},
    MemberId, UnitId,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_params_map};

use crate::{
    client::{self, ClientError},
    format::china_time,
    load::load,
    staff::Session,
};

#[component]
pub fn MemberDetail() -> impl IntoView {
    let session = expect_context::<Session>();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").and_then(|id| id.parse().ok()).map(MemberId))
    });
    let (page, _) = load(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => client::get_member(id).await,
                None => Err(ClientError::Api {
                    status: 404,
                    body: api::ErrorBody::new("名册中没有这个成员"),
                }),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Err(ClientError::Api { status: 401, body })) = page.get() {
            session.expired(body.message);
        }
    });
    view! {
        <p class="no-print"><A href="/staff/members">"← 返回成员名册"</A></p>
        {move || match page.get() {
            None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
            Some(Err(error)) => view! {
                <h1>"成员"</h1>
                <div class="alert" role="alert"><p>{error.message()}</p></div>
            }
            .into_any(),
            Some(Ok(detail)) => view! { <MemberPage detail /> }.into_any(),
        }}
    }
}

#[component]
fn MemberPage(detail: MemberDetailView) -> impl IntoView {
    let session = expect_context::<Session>();
    let member = RwSignal::new(detail.member);
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let answered = move |answer: Result<MemberView, ClientError>, done: &str| match answer {
        Ok(view) => {
            member.try_set(view);
            message.try_set(Some((true, done.to_owned())));
        }
        Err(ClientError::Api { status: 401, body }) => session.expired(body.message),
        Err(error) => {
            message.try_set(Some((false, error.message())));
        }
    };
    let switch = move |_| {
        let current = member.get_untracked();
        let disable = current.disabled_at.is_none();
        busy.set(true);
        spawn_local(async move {
            let answer = client::set_member_disabled(current.id, disable).await;
            busy.try_set(false);
            let done = if disable {
                "已停用：此成员的设备将无法再使用，已有记录保留"
            } else {
                "已恢复此成员"
            };
            answered(answer, done);
        });
    };
    let submissions = detail.submissions;
    view! {
        <h1>{move || member.with(|m| m.name.clone())}</h1>
        <dl class="desk-submission">
            <dt>"单位"</dt><dd>{move || member.with(|m| m.unit.clone())}</dd>
            <dt>"手机号"</dt><dd>{move || member.with(|m| m.phone.clone())}</dd>
            <dt>"职务"</dt><dd>{move || member.with(|m| m.position.clone().unwrap_or_else(|| "—".into()))}</dd>
            <dt>"联络员"</dt><dd>{move || if member.with(|m| m.is_contact) { "是" } else { "否" }}</dd>
            <dt>"状态"</dt><dd>{move || member.with(|m| match &m.disabled_at {
                Some(at) => format!("已停用（{}）", china_time(at)),
                None => "正常".into(),
            })}</dd>
        </dl>
        <div aria-live="polite">
            {move || message.get().map(|(ok, text)| if ok {
                view! { <p class="done">{text}</p> }.into_any()
            } else {
                view! { <div class="alert" role="alert"><p>{text}</p></div> }.into_any()
            })}
        </div>
        {move || session.is_admin().then(|| view! {
            <p>
                <A href=move || format!("/staff/members/{}/access", member.with(|m| m.id.0))>
                    "邀请链接与设备"
                </A>
            </p>
            <div class="row-actions">
                <button type="button" disabled=move || busy.get() on:click=switch>
                    {move || if member.with(|m| m.disabled_at.is_some()) { "恢复此成员" } else { "停用此成员" }}
                </button>
            </div>
            <EditMember member answered />
        })}
        <h2>"提交的建言"</h2>
        {if submissions.is_empty() {
            view! { <p class="empty">"还没有以成员身份提交的建言。"</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="desk-list">
                        <caption class="visually-hidden">"提交的建言"</caption>
                        <thead><tr>
                            <th scope="col">"编号"</th><th scope="col">"类别"</th><th scope="col">"案由"</th>
                            <th scope="col">"状态"</th><th scope="col">"提交时间"</th>
                        </tr></thead>
                        <tbody>
                            {submissions.into_iter().map(|s| view! {
                                <tr>
                                    <td class="code"><A href=format!("/staff/submissions/{}", s.code)>{s.code.clone()}</A></td>
                                    <td>{s.kind.label()}</td>
                                    <td>{s.title}</td>
                                    <td>{s.status.label()}</td>
                                    <td>{china_time(&s.submitted_at)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
    }
}

/// The edit form (administrators): name, unit, phone, 职务, 联络员.
#[component]
fn EditMember(
    member: RwSignal<MemberView>,
    answered: impl Fn(Result<MemberView, ClientError>, &str) + Copy + 'static,
) -> impl IntoView {
    let (units, _) = load(client::staff_units);
    let start = member.get_untracked();
    let name = RwSignal::new(start.name);
    let unit = RwSignal::new(start.unit_id.0.to_string());
    let phone = RwSignal::new(start.phone);
    let position = RwSignal::new(start.position.unwrap_or_default());
    let contact = RwSignal::new(start.is_contact);
    let fields = RwSignal::new(api::FieldErrors::new());
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let change = SaveMember {
            name: name.get_untracked(),
            unit_id: unit.get_untracked().parse().ok().map(UnitId),
            phone: phone.get_untracked(),
            position: Some(position.get_untracked()),
            is_contact: contact.get_untracked(),
        };
        // The same rules as the server's, for an answer before the request.
        if let Err(errors) = api::roster::MemberDetails::parse(&change) {
            fields.set(errors);
            return;
        }
        fields.set(Default::default());
        let id = member.get_untracked().id;
        spawn_local(async move {
            let answer = client::save_member(id, &change).await;
            if let Err(ClientError::Api { body, .. }) = &answer {
                fields.try_set(body.fields.clone());
            }
            answered(answer, "已保存");
        });
    };
    let error = move |field: &'static str| {
        move || fields.with(|f| f.get(field).cloned().unwrap_or_default())
    };
    view! {
        <form class="panel" on:submit=save aria-labelledby="edit-title">
            <h2 id="edit-title">"修改成员信息"</h2>
            <div class="field">
                <label for="e-name">"姓名"</label>
                <input id="e-name" type="text" prop:value=name on:input=move |e| name.set(event_target_value(&e)) />
                <p class="error">{error("name")}</p>
            </div>
            <div class="field">
                <label for="e-unit">"单位"</label>
                <select id="e-unit" prop:value=unit on:change=move |e| unit.set(event_target_value(&e))>
                    {move || units.get().and_then(Result::ok).map(|units| units.into_iter().map(|u| {
                        let value = u.id.0.to_string();
                        let selected = {
                            let value = value.clone();
                            move || unit.get() == value
                        };
                        let label = if u.retired_at.is_some() { format!("{}（已停用）", u.name) } else { u.name };
                        view! { <option value=value selected=selected>{label}</option> }
                    }).collect_view())}
                </select>
                <p class="error">{error("unit_id")}</p>
            </div>
            <div class="field">
                <label for="e-phone">"手机号"</label>
                <input id="e-phone" type="tel" prop:value=phone on:input=move |e| phone.set(event_target_value(&e)) />
                <p class="error">{error("phone")}</p>
            </div>
            <div class="field">
                <label for="e-position">"职务"</label>
                <input id="e-position" type="text" prop:value=position on:input=move |e| position.set(event_target_value(&e)) />
                <p class="error">{error("position")}</p>
            </div>
            <label class="check">
                <input type="checkbox" prop:checked=contact on:change=move |e| contact.set(event_target_checked(&e)) />
                "联络员（代表本单位认领课题等）"
            </label>
            <div class="row-actions"><button type="submit" class="primary">"保存"</button></div>
        </form>
    }
}
