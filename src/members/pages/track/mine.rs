//! 我的提交: what waits in this device's outbox, and the receipts it keeps with their current status.

use std::time::Duration;

use leptos::{ev, prelude::*};

use crate::{
    client,
    components::status_badge::StatusBadge,
    format::china_time,
    load::load,
    members::{
        location::Location,
        outbox::{Outbox, OutboxItem, OutboxState},
        pages::submit::form::set_fixing,
        Route,
    },
    storage::{self, Receipt},
};

#[component]
pub fn MySubmissions() -> impl IntoView {
    let outbox = expect_context::<Outbox>();
    // Read again whenever an item is delivered (here or in another tab), so it moves from the waiting
    // rows to the receipts.
    let receipts = Memo::new(move |_| {
        outbox.track_receipts();
        storage::receipts()
    });
    let waiting = move || outbox.items();
    view! {
        <section aria-labelledby="mine">
            <h2 id="mine">"我的提交"</h2>
            <ul class="receipts">
                {move || waiting().into_iter().map(|item| view! { <OutboxRow item /> }).collect_view()}
                {move || receipts.get().into_iter().map(|receipt| view! { <ReceiptRow receipt /> }).collect_view()}
            </ul>
            {move || (receipts.with(Vec::is_empty) && outbox.items().is_empty()).then(|| view! {
                <p class="empty">"这台设备上还没有提交记录。"</p>
            })}
        </section>
    }
}

/// An item still on the device: its state, why it waits, and what the member can do about it.
#[component]
fn OutboxRow(item: OutboxItem) -> impl IntoView {
    let outbox = expect_context::<Outbox>();
    let location = expect_context::<Location>();
    let key = StoredValue::new(item.key.clone());
    // The item stays in the outbox while the member fixes it in the form (see `pages::submit`).
    let fix = move |_| {
        key.with_value(|key| set_fixing(Some(key)));
        location.navigate(&Route::Submit.href());
    };
    let remove = move |_| {
        let confirmed = window()
            .confirm_with_message("确定删除这条未发送的建言吗？删除后无法恢复。")
            .unwrap_or(false);
        if confirmed {
            key.with_value(|key| outbox.remove(key));
        }
    };
    let needs_fix = item.state == OutboxState::NeedsFix;
    view! {
        <li class="outbox-item">
            <span class="title">{item.request.title.trim().to_owned()}</span>
            <span class="meta">
                <span class=if needs_fix { "badge warn" } else { "badge active" }>{item.state.label()}</span>
                " "
                {item.message}
            </span>
            <span class="row-actions">
                {if needs_fix {
                    view! { <button type="button" on:click=fix>"修改"</button> }.into_any()
                } else {
                    view! { <button type="button" on:click=move |_| outbox.flush()>"立即重试"</button> }.into_any()
                }}
                <button type="button" class="link" on:click=remove>"删除"</button>
            </span>
        </li>
    }
}

/// A delivered submission with its status as the server tells it now (when online).
#[component]
fn ReceiptRow(receipt: Receipt) -> impl IntoView {
    let (code, secret) = (receipt.code.clone(), receipt.secret.clone());
    let (view, reload) = load(move || {
        let (code, secret) = (code.clone(), secret.clone());
        async move { client::get_submission(&code, &secret).await }
    });
    retry_when_unreachable(view, reload);
    let status = move || match view.get() {
        Some(Ok(view)) => view! { <StatusBadge status=view.status /> }.into_any(),
        Some(Err(_)) => view! { <span class="badge">"暂时无法获取状态"</span> }.into_any(),
        None => ().into_any(),
    };
    let link = Route::submission_with_secret(&receipt.code, &receipt.secret);
    view! {
        <li>
            <a href=link>
                <span class="title">{receipt.title}</span>
                <span class="meta">
                    {receipt.code} " · " {china_time(&receipt.submitted_at)} " " {status}
                </span>
            </a>
        </li>
    }
}

/// A status that could not be fetched (no network, server away) is asked for again: at once when the
/// phone comes back online, and otherwise after 5, 10, 20… seconds (at most a minute apart), so the
/// list does not keep saying "暂时无法获取状态" once the network is fine again.
fn retry_when_unreachable<T: Send + Sync + 'static>(
    answer: RwSignal<Option<Result<T, client::ClientError>>>,
    reload: Trigger,
) {
    let failures = StoredValue::new(0u32);
    let is_unreachable = |answer: &Option<Result<T, client::ClientError>>| matches!(answer, Some(Err(error)) if error.is_retryable());
    // `try_`: a timer may fire after the row is gone (and its signal with it).
    let unreachable = move || answer.try_with_untracked(is_unreachable).unwrap_or(false);
    let online = window_event_listener(ev::online, move |_| {
        if unreachable() {
            reload.notify();
        }
    });
    on_cleanup(move || online.remove());
    Effect::new(move |_| {
        if answer.with(|answer| matches!(answer, Some(Ok(_)))) {
            // Reached again: a later failure starts from the short wait.
            failures.set_value(0);
        }
        if !answer.with(is_unreachable) {
            return;
        }
        let seconds = (5u64 << failures.get_value().min(4)).min(60);
        failures.update_value(|failures| *failures += 1);
        set_timeout(
            move || {
                if unreachable() {
                    reload.notify();
                }
            },
            Duration::from_secs(seconds),
        );
    });
}
