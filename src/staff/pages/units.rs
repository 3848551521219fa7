//! 单位管理 (administrators): the units members belong to. Add, rename (or regroup), move up and down,
//! retire (the unit leaves the member forms, its records stay and the desk can still filter by it) and
//! put back in use. Every change answers with the whole list, which replaces the page's copy.

use std::future::Future;

use api::{
    roster::{SaveUnit, StaffUnit},
    UnitId,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::components::A;

use crate::{
    client::{self, ClientError},
    staff::Session,
};

/// The page's copy of the list, and what the last change said.
#[derive(Clone, Copy)]
struct Units {
    list: RwSignal<Option<Vec<StaffUnit>>>,
    /// (whether it worked, the sentence).
    message: RwSignal<Option<(bool, String)>>,
    busy: RwSignal<bool>,
    session: Session,
}

impl Units {
    /// Sends a change; on success the answer becomes the list and `done` is said.
    fn change<F>(self, done: String, send: F)
    where
        F: Future<Output = Result<Vec<StaffUnit>, ClientError>> + 'static,
    {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        spawn_local(async move {
            let answer = send.await;
            self.busy.try_set(false);
            match answer {
                Ok(list) => {
                    self.list.try_set(Some(list));
                    self.message.try_set(Some((true, done)));
                }
                Err(ClientError::Api { status: 401, body }) => self.session.expired(body.message),
                Err(error) => {
                    self.message.try_set(Some((false, error.message())));
                }
            }
        });
    }

    /// The ids in the order shown, with the unit at `index` moved by `step` (−1 up, +1 down).
    fn order_with_move(self, index: usize, step: isize) -> Option<Vec<UnitId>> {
        let mut ids: Vec<UnitId> = self
            .list
            .with_untracked(|list| list.as_ref().map(|l| l.iter().map(|u| u.id).collect()))?;
        let target = index.checked_add_signed(step).filter(|t| *t < ids.len())?;
        ids.swap(index, target);
        Some(ids)
    }
}

#[component]
pub fn UnitAdmin() -> impl IntoView {
    let session = expect_context::<Session>();
    let units = Units {
        list: RwSignal::new(None),
        message: RwSignal::new(None),
        busy: RwSignal::new(false),
        session,
    };
    spawn_local(async move {
        match client::staff_units().await {
            Ok(list) => {
                units.list.try_set(Some(list));
            }
            Err(ClientError::Api { status: 401, body }) => session.expired(body.message),
            Err(error) => {
                units.message.try_set(Some((false, error.message())));
            }
        }
    });
    let name = RwSignal::new(String::new());
    let group = RwSignal::new(String::new());
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let unit = SaveUnit {
            name: name.get_untracked(),
            group: group.get_untracked(),
        };
        let done = format!("已添加单位「{}」", unit.name.trim());
        units.change(done, async move {
            let answer = client::add_unit(&unit).await;
            if answer.is_ok() {
                name.try_set(String::new());
            }
            answer
        });
    };
    view! {
        <h1>"单位管理"</h1>
        <p class="intro">"成员提交时从这里的单位中选择。停用的单位不再出现在成员的表单里，但它的建言和成员都保留，建言列表仍可按它筛选。"</p>
        <form class="inline-form panel" on:submit=add aria-label="添加单位">
            <div class="field">
                <label for="u-name">"单位名称"</label>
                <input id="u-name" type="text" required prop:value=name on:input=move |e| name.set(event_target_value(&e)) />
            </div>
            <div class="field">
                <label for="u-group">"分组"</label>
                <input id="u-group" type="text" list="u-groups" required placeholder="如 民主党派" prop:value=group on:input=move |e| group.set(event_target_value(&e)) />
                <datalist id="u-groups">
                    <option value="民主党派"></option>
                    <option value="无党派人士"></option>
                    <option value="工商联"></option>
                    <option value="新的社会阶层人士"></option>
                </datalist>
            </div>
            <button type="submit" class="primary" disabled=move || units.busy.get()>"添加单位"</button>
        </form>
        <div aria-live="polite">
            {move || units.message.get().map(|(ok, text)| if ok {
                view! { <p class="done">{text}</p> }.into_any()
            } else {
                view! { <div class="alert" role="alert"><p>{text}</p></div> }.into_any()
            })}
        </div>
        {move || match units.list.get() {
            None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
            Some(list) => {
                let count = list.len();
                view! {
                    <div class="table-wrap">
                        <table class="desk-list">
                            <caption class="visually-hidden">"单位"</caption>
                            <thead><tr>
                                <th scope="col">"顺序"</th><th scope="col">"单位名称"</th><th scope="col">"分组"</th>
                                <th scope="col">"成员"</th><th scope="col">"状态"</th><th scope="col">"操作"</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().enumerate().map(|(index, unit)| view! {
                                    <UnitRow units index count unit />
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }
        }}
    }
}

/// One unit: its details, or the rename form; and its buttons.
#[component]
fn UnitRow(units: Units, index: usize, count: usize, unit: StaffUnit) -> impl IntoView {
    let editing = RwSignal::new(false);
    let name = RwSignal::new(unit.name.clone());
    let group = RwSignal::new(unit.group.clone());
    let id = unit.id;
    let retired = unit.retired_at.is_some();
    let label = unit.name.clone();
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let change = SaveUnit {
            name: name.get_untracked(),
            group: group.get_untracked(),
        };
        units.change("已保存单位名称和分组".into(), async move {
            client::rename_unit(id, &change).await
        });
    };
    let step = move |by: isize| {
        if let Some(ids) = units.order_with_move(index, by) {
            units.change("已调整顺序".into(), client::reorder_units(ids));
        }
    };
    let switch = {
        let label = label.clone();
        move |_| {
            let done = if retired {
                format!("已恢复使用「{label}」")
            } else {
                format!("已停用「{label}」：它不再出现在成员的表单中")
            };
            units.change(done, client::set_unit_retired(id, !retired));
        }
    };
    view! {
        <tr class:retired=retired>
            <td>{index + 1}</td>
            {move || if editing.get() {
                view! {
                    <td colspan="2">
                        <form class="inline-form" on:submit=save aria-label=format!("修改「{}」", unit.name)>
                            <div class="field">
                                <label for=format!("u-name-{}", id.0)>"单位名称"</label>
                                <input id=format!("u-name-{}", id.0) type="text" required prop:value=name on:input=move |e| name.set(event_target_value(&e)) />
                            </div>
                            <div class="field">
                                <label for=format!("u-group-{}", id.0)>"分组"</label>
                                <input id=format!("u-group-{}", id.0) type="text" required prop:value=group on:input=move |e| group.set(event_target_value(&e)) />
                            </div>
                            <button type="submit" class="primary">"保存"</button>
                            <button type="button" on:click=move |_| editing.set(false)>"取消"</button>
                        </form>
                    </td>
                }
                .into_any()
            } else {
                view! { <td>{unit.name.clone()}</td><td>{unit.group.clone()}</td> }.into_any()
            }}
            <td>{unit.members}</td>
            <td>{if retired { "已停用" } else { "使用中" }}</td>
            <td class="row-buttons">
                <button type="button" aria-label=format!("上移「{label}」") disabled=move || index == 0 || units.busy.get() on:click=move |_| step(-1)>"上移"</button>
                <button type="button" aria-label=format!("下移「{label}」") disabled=move || index + 1 == count || units.busy.get() on:click=move |_| step(1)>"下移"</button>
                <button type="button" aria-label=format!("改名「{label}」") on:click=move |_| editing.set(true)>"改名"</button>
                {(!retired).then(|| view! {
                    <A href=format!("/staff/units/{}/invitations", unit.id.0) attr:aria-label=format!("打印「{label}」的邀请卡")>"邀请卡"</A>
                })}
                <button type="button" aria-label=format!("{}「{label}」", if retired { "恢复" } else { "停用" }) disabled=move || units.busy.get() on:click=switch>
                    {if retired { "恢复" } else { "停用" }}
                </button>
            </td>
        </tr>
    }
}
