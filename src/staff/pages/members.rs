//! 成员名册: the roster, searched by name or phone and filtered by unit, a page at a time. The search
//! lives in the address (bookmark, reload, back). Administrators also import the department's
//! spreadsheet here (`roster_import`).

use api::roster::{ListMembers, MemberPage};
use leptos::prelude::*;
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_query_map},
    params::ParamsMap,
};

use super::roster_import::RosterImport;
use crate::{client, load::load, staff::Session};

fn query_from(params: &ParamsMap) -> ListMembers {
    let get = |name: &str| params.get(name).filter(|value| !value.trim().is_empty());
    ListMembers {
        q: get("q"),
        unit: get("unit").and_then(|s| s.parse().ok()),
        page: get("page").and_then(|s| s.parse().ok()),
    }
}

/// `?q=…&unit=…&page=…` for what is set.
fn address(query: &ListMembers) -> String {
    let mut pairs = Vec::new();
    if let Some(q) = &query.q {
        pairs.push(format!(
            "q={}",
            String::from(js_sys::encode_uri_component(q))
        ));
    }
    if let Some(unit) = query.unit {
        pairs.push(format!("unit={unit}"));
    }
    if let Some(page) = query.page.filter(|page| *page > 1) {
        pairs.push(format!("page={page}"));
    }
    if pairs.is_empty() {
        "/members".to_owned()
    } else {
        format!("/members?{}", pairs.join("&"))
    }
}

#[component]
pub fn MemberList() -> impl IntoView {
    let session = expect_context::<Session>();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_from));
    let navigate = use_navigate();
    let show = StoredValue::new(move |next: ListMembers| {
        navigate(&address(&next), Default::default());
    });
    let (page, reload) = load(move || {
        let query = query.get();
        async move { client::list_members(&query).await }
    });
    let (units, _) = load(client::staff_units);
    Effect::new(move |_| {
        if let Some(Err(client::ClientError::Api { status: 401, body })) = page.get() {
            session.expired(body.message);
        }
    });
    let search = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    // The boxes start from the address (a bookmark, back).
    Effect::new(move |_| {
        let query = query.get();
        search.set(query.q.unwrap_or_default());
        unit.set(query.unit.map(|u| u.to_string()).unwrap_or_default());
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let next = ListMembers {
            q: Some(search.get_untracked()).filter(|q| !q.trim().is_empty()),
            unit: unit.get_untracked().parse().ok(),
            page: None,
        };
        show.with_value(|show| show(next));
    };
    let go_to = move |number: i64| {
        let mut next = query.get_untracked();
        next.page = Some(number);
        show.with_value(|show| show(next));
    };
    view! {
        <h1>"成员名册"</h1>
        {move || session.is_admin().then(|| view! { <RosterImport on_done=move || reload.notify() /> })}
        <form class="inline-form" role="search" aria-label="查找成员" on:submit=submit>
            <div class="field">
                <label for="m-q">"姓名或手机号"</label>
                <input id="m-q" type="search" prop:value=search on:input=move |e| search.set(event_target_value(&e)) />
            </div>
            <div class="field">
                <label for="m-unit">"单位"</label>
                <select id="m-unit" prop:value=unit on:change=move |e| unit.set(event_target_value(&e))>
                    <option value="">"全部单位"</option>
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
            </div>
            <button type="submit" class="primary">"查找"</button>
        </form>
        {move || match page.get() {
            None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
            Some(Err(error)) => view! { <div class="alert" role="alert"><p>{error.message()}</p></div> }.into_any(),
            Some(Ok(page)) => view! { <MemberTable page go_to /> }.into_any(),
        }}
    }
}

#[component]
fn MemberTable(
    page: MemberPage,
    go_to: impl Fn(i64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let pages = (page.total + page.page_size - 1) / page.page_size;
    let number = page.page;
    if page.members.is_empty() {
        return view! { <p class="empty">"没有符合条件的成员。"</p> }.into_any();
    }
    view! {
        <p class="meta">{format!("共 {} 人", page.total)}</p>
        <div class="table-wrap">
            <table class="desk-list">
                <caption class="visually-hidden">"成员"</caption>
                <thead><tr>
                    <th scope="col">"姓名"</th><th scope="col">"单位"</th><th scope="col">"手机号"</th>
                    <th scope="col">"职务"</th><th scope="col">"联络员"</th><th scope="col">"状态"</th>
                </tr></thead>
                <tbody>
                    {page.members.into_iter().map(|m| view! {
                        <tr>
                            <td class="nowrap"><A href=format!("/staff/members/{}", m.id.0)>{m.name}</A></td>
                            <td>{m.unit}</td>
                            <td class="nowrap">{m.phone}</td>
                            <td>{m.position.unwrap_or_default()}</td>
                            <td>{if m.is_contact { "是" } else { "" }}</td>
                            <td>{if m.disabled_at.is_some() { "已停用" } else { "" }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {(pages > 1).then(|| view! {
            <nav class="row-actions" aria-label="翻页">
                <button type="button" disabled=number <= 1 on:click=move |_| go_to(number - 1)>"上一页"</button>
                <span>{format!("第 {number} / {pages} 页")}</span>
                <button type="button" disabled=number >= pages on:click=move |_| go_to(number + 1)>"下一页"</button>
            </nav>
        })}
    }
    .into_any()
}
