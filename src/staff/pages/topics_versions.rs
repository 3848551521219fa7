//! 版本记录: every published version of a topic, newest first, each with the fields it changed shown
//! old beside new, so staff (and a unit asking "what changed?") can see what the units were told when.

use api::{topic::TopicVersionView, TopicId};
use leptos::prelude::*;

use crate::{client, format::china_time, load::load};

#[component]
pub fn TopicVersions(id: TopicId, changed: RwSignal<u32>) -> impl IntoView {
    let (versions, _) = load(move || {
        changed.track();
        async move { client::topic_versions(id).await }
    });
    view! {
        <section class="panel topic-versions" aria-labelledby="versions-title">
            <h2 id="versions-title">"版本记录"</h2>
            {move || match versions.get() {
                None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
                Some(Err(error)) => view! { <p class="error">{error.message()}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="hint">"尚未发布，还没有版本。"</p> }.into_any(),
                Some(Ok(mut list)) => {
                    list.sort_by_key(|v| std::cmp::Reverse(v.version));
                    view! {
                        <ol class="versions" reversed>
                            {list.into_iter().map(|version| view! { <Version version /> }).collect_view()}
                        </ol>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn Version(version: TopicVersionView) -> impl IntoView {
    let heading = format!(
        "第 {} 版 · {} · {}",
        version.version,
        china_time(&version.at),
        version.by
    );
    let label = format!("第 {} 版的改动", version.version);
    view! {
        <li>
            <h3>{heading}</h3>
            {if version.changes.is_empty() {
                let text = if version.version == 1 { "首次发布" } else { "没有改动内容" };
                view! { <p class="hint">{text}</p> }.into_any()
            } else {
                view! {
                    <table class="desk-list diff">
                        <caption class="visually-hidden">{label}</caption>
                        <thead><tr>
                            <th scope="col">"字段"</th><th scope="col">"修改前"</th><th scope="col">"修改后"</th>
                        </tr></thead>
                        <tbody>
                            {version.changes.into_iter().map(|change| view! {
                                <tr>
                                    <th scope="row">{change.label}</th>
                                    <td><del>{change.from}</del></td>
                                    <td><ins>{change.to}</ins></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </li>
    }
}
