//! 待发送: what this device still has to send with files (a lost network, a closed tab), with each
//! item's state, progress and reason; the outbox keeps sending it from any page of the app.

use leptos::prelude::*;

use crate::uploads::{FileOutbox, OutboxState};

#[component]
pub fn PendingSends() -> impl IntoView {
    let outbox = FileOutbox::from_context().expect("TopicsApp provides the files outbox");
    move || {
        let items = outbox.items();
        if items.is_empty() {
            return ().into_any();
        }
        view! {
            <section aria-labelledby="pending">
                <h2 id="pending">"待发送"</h2>
                <p class="hint">"这些内容和附件保存在本机，联网后自动从中断处继续上传，不会重复提交。"</p>
                <ul class="pending">
                    {items.into_iter().map(|item| {
                        let key = item.key.clone();
                        let percent = outbox.progress(&item.key).map(|progress| progress.percent());
                        let tone = if item.state == OutboxState::NeedsFix { "warn" } else { "active" };
                        view! {
                            <li class="outbox-item">
                                <span class="title">{item.request.title.clone()}</span>
                                <span class="meta">
                                    <span class=format!("badge {tone}")>{item.state.label()}</span>
                                    {format!(" {} 个附件", item.files.len())}
                                    {percent.map(|percent| format!("，已上传 {percent}%"))}
                                </span>
                                {item.message.map(|message| view! { <p class="hint">{message}</p> })}
                                <div class="row-actions">
                                    {(item.state == OutboxState::Waiting).then(|| view! {
                                        <button type="button" on:click=move |_| outbox.flush()>"立即重试"</button>
                                    })}
                                    {(item.state == OutboxState::NeedsFix).then(|| {
                                        let key = key.clone();
                                        view! {
                                            <button type="button" class="link" on:click=move |_| {
                                                let sure = window()
                                                    .confirm_with_message("确定删除这条吗？它的文字和附件将从本机清除。")
                                                    .unwrap_or(false);
                                                if sure {
                                                    outbox.remove(&key);
                                                }
                                            }>"删除"</button>
                                        }
                                    })}
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
        .into_any()
    }
}
