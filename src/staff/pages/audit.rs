//! 操作日志 (admins): every staff action, who, when, what, from → to and why, newest first.

use api::{AuditEntryView, ListAudit};
use leptos::{prelude::*, task::spawn_local};

use crate::{client, format::china_time, staff::Session};

#[component]
pub fn AuditLog() -> impl IntoView {
    let session = expect_context::<Session>();
    let actor = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let entries = RwSignal::new(Vec::<AuditEntryView>::new());
    let next = RwSignal::new(None::<i64>);
    let problem = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    let fetch = move |before: Option<i64>| {
        let query = ListAudit {
            actor: Some(actor.get_untracked()),
            action: Some(action.get_untracked()),
            from: Some(from.get_untracked()),
            to: Some(to.get_untracked()),
            before,
            limit: None,
        };
        spawn_local(async move {
            match client::audit_log(&query).await {
                Ok(page) => {
                    entries.try_update(|all| {
                        if before.is_none() {
                            all.clear();
                        }
                        all.extend(page.entries);
                    });
                    next.try_set(page.next_before);
                    problem.try_set(None);
                }
                Err(client::ClientError::Api { status: 401, body }) => {
                    session.expired(body.message)
                }
                Err(error) => {
                    problem.try_set(Some(error.message()));
                }
            }
            loaded.try_set(true);
        });
    };
    fetch(None);
    let filter = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        fetch(None);
    };
    let text_field = |id: &'static str,
                      label: &'static str,
                      kind: &'static str,
                      value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type=kind prop:value=value on:input=move |e| value.set(event_target_value(&e)) />
            </div>
        }
    };
    view! {
        <h1>"操作日志"</h1>
        <p class="intro">"工作人员的每一次操作都记录在这里，只能追加，不能修改或删除。"</p>
        <form class="inline-form" on:submit=filter aria-label="筛选操作日志">
            {text_field("a-actor", "账号", "text", actor)}
            {text_field("a-action", "操作", "text", action)}
            {text_field("a-from", "日期从", "date", from)}
            {text_field("a-to", "到", "date", to)}
            <button type="submit" class="primary">"筛选"</button>
        </form>
        {move || problem.get().map(|message| view! { <div class="alert" role="alert"><p>{message}</p></div> })}
        <div class="table-wrap">
            <table class="desk-list">
                <caption class="visually-hidden">"操作日志"</caption>
                <thead><tr>
                    <th scope="col">"时间"</th><th scope="col">"账号"</th><th scope="col">"操作"</th>
                    <th scope="col">"对象"</th><th scope="col">"变更"</th><th scope="col">"说明"</th><th scope="col">"来源地址"</th>
                </tr></thead>
                <tbody>
                    {move || entries.get().into_iter().map(|e| view! {
                        <tr>
                            <td>{china_time(&e.at)}</td><td>{e.actor}</td><td>{e.action}</td>
                            <td>{e.target.unwrap_or_default()}</td>
                            <td>{match (e.from, e.to) {
                                (Some(from), Some(to)) => format!("{from} → {to}"),
                                (None, Some(to)) => to,
                                (Some(from), None) => from,
                                (None, None) => String::new(),
                            }}</td>
                            <td>{e.note.unwrap_or_default()}</td><td>{e.client_addr.unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {move || (loaded.get() && entries.with(Vec::is_empty)).then(|| view! { <p class="empty">"没有符合条件的记录。"</p> })}
        {move || next.get().map(|before| view! {
            <button type="button" on:click=move |_| fetch(Some(before))>"加载更多"</button>
        })}
    }
}
