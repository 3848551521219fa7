//! The co-signing parts of 我的: requests that ask this member to co-sign (同意联名 / 不同意), and the
//! requests they lead, with each co-signer's answer, 直接提交 while unsent, and the code once sent.

use api::{CosignAnswer, CosignDraft, CosignRequest};
use leptos::{prelude::*, task::spawn_local};

use crate::{client, format::china_time, load::load};

/// 待我确认的联名: shown only when something asks this member.
#[component]
pub fn CosignRequests(changed: Trigger) -> impl IntoView {
    let (requests, reload) = load(move || {
        changed.track();
        client::cosign_requests()
    });
    move || {
        match requests.get() {
        Some(Ok(list)) if !list.is_empty() => view! {
            <section aria-labelledby="cosign-requests">
                <h2 id="cosign-requests">"待我确认的联名"</h2>
                <ul class="cosign-list">
                    {list.into_iter().map(|request| view! { <RequestItem request changed /> }).collect_view()}
                </ul>
            </section>
        }
        .into_any(),
        Some(Err(error)) => view! {
            <section aria-labelledby="cosign-requests">
                <h2 id="cosign-requests">"待我确认的联名"</h2>
                <p class="error" role="alert">{error.message()}</p>
                <button type="button" on:click=move |_| reload.notify()>"重试"</button>
            </section>
        }
        .into_any(),
        _ => ().into_any(),
    }
    }
}

#[component]
fn RequestItem(request: CosignRequest, changed: Trigger) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = request.id;
    let answer = move |confirm: bool| {
        busy.set(true);
        spawn_local(async move {
            match client::answer_cosign(id, confirm).await {
                Ok(()) => changed.notify(),
                Err(failed) => {
                    busy.try_set(false);
                    error.try_set(Some(failed.message()));
                }
            }
        });
    };
    let heading = format!("{}（{}）邀请您联名", request.lead_name, request.lead_unit);
    view! {
        <li class="cosign-item">
            <p class="meta">{heading}" · "{china_time(&request.created_at)}</p>
            <p class="title">{format!("{}：{}", request.kind.label(), request.title)}</p>
            <details>
                <summary>"查看全文"</summary>
                <p class="body-text">{request.body}</p>
            </details>
            {match request.answer {
                CosignAnswer::Pending => view! {
                    <div class="form-actions">
                        <button type="button" class="primary" disabled=move || busy.get() on:click=move |_| answer(true)>"同意联名"</button>
                        <button type="button" disabled=move || busy.get() on:click=move |_| answer(false)>"不同意"</button>
                    </div>
                }
                .into_any(),
                answered => view! {
                    <p class="hint">{format!("您的回复：{}。等待领衔人提交。", answered.label())}</p>
                }
                .into_any(),
            }}
            {move || error.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
        </li>
    }
}

/// 我发起的联名: shown once the member has led one.
#[component]
pub fn MyCosignDrafts(changed: Trigger) -> impl IntoView {
    let (drafts, reload) = load(move || {
        changed.track();
        client::my_cosign_drafts()
    });
    move || {
        match drafts.get() {
        Some(Ok(list)) if !list.is_empty() => view! {
            <section aria-labelledby="my-cosign">
                <h2 id="my-cosign">"我发起的联名"</h2>
                <ul class="cosign-list">
                    {list.into_iter().map(|draft| view! { <DraftItem draft changed /> }).collect_view()}
                </ul>
            </section>
        }
        .into_any(),
        Some(Err(error)) => view! {
            <section aria-labelledby="my-cosign">
                <h2 id="my-cosign">"我发起的联名"</h2>
                <p class="error" role="alert">{error.message()}</p>
                <button type="button" on:click=move |_| reload.notify()>"重试"</button>
            </section>
        }
        .into_any(),
        _ => ().into_any(),
    }
    }
}

#[component]
fn DraftItem(draft: CosignDraft, changed: Trigger) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = draft.id;
    let send = move |_| {
        busy.set(true);
        spawn_local(async move {
            match client::send_cosign_draft(id).await {
                Ok(_) => changed.notify(),
                Err(failed) => {
                    busy.try_set(false);
                    error.try_set(Some(failed.message()));
                }
            }
        });
    };
    let waiting = draft
        .cosigners
        .iter()
        .filter(|cosigner| cosigner.answer == CosignAnswer::Pending)
        .count();
    let answers = draft
        .cosigners
        .into_iter()
        .map(|cosigner| {
            view! { <li>{format!("{}（{}）：{}", cosigner.name, cosigner.unit, cosigner.answer.label())}</li> }
        })
        .collect_view();
    let others = draft
        .other_names
        .into_iter()
        .map(|name| view! { <li>{format!("{name}：未在名册中，未确认")}</li> })
        .collect_view();
    let state = match draft.sent {
        Some(sent) => {
            let href = format!("/track/{}#{}", sent.code, sent.secret);
            view! {
                <p class="hint">
                    "已提交 · 回执编号 "<a href=href class="code">{sent.code}</a>" · "{china_time(&sent.sent_at)}
                </p>
            }
            .into_any()
        }
        None => view! {
            <p class="hint">
                {if waiting == 0 {
                    "大家都已回复，正在提交。".to_owned()
                } else {
                    format!("还有 {waiting} 位未回复。直接提交时，只列入已同意的联名人和其他联名人。")
                }}
            </p>
            <button type="button" disabled=move || busy.get() on:click=send>"直接提交"</button>
        }
        .into_any(),
    };
    view! {
        <li class="cosign-item">
            <p class="title">{format!("{}：{}", draft.kind.label(), draft.title)}</p>
            <p class="meta">{format!("发起于 {}", china_time(&draft.created_at))}</p>
            <ul class="cosigner-answers" aria-label="联名人的回复">{answers}{others}</ul>
            {state}
            {move || error.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
        </li>
    }
}
