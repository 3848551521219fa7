//! 建言列表: the staff's home. Every filter lives in the address, so a view can be bookmarked, reloaded
//! and sent to a colleague; rows come a page at a time (keyset, so none repeats or is skipped while new
//! submissions arrive); selected rows can be accepted, assigned or closed together.

use api::{
    desk::{FlagFilter, ListSubmissions, SortOrder, SubmissionPage, SubmissionSummary},
    workflow::Action,
    SubmissionKind, SubmissionStatus,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_query_map},
    params::ParamsMap,
};

use crate::{client, format::china_time, load::load, staff::Session};

/// The filters the address names.
fn filters_from(params: &ParamsMap) -> ListSubmissions {
    let get = |name: &str| params.get(name).filter(|value| !value.trim().is_empty());
    ListSubmissions {
        status: get("status").and_then(|s| SubmissionStatus::parse(&s)),
        kind: get("kind").and_then(|s| SubmissionKind::parse(&s)),
        unit: get("unit").and_then(|s| s.parse().ok()),
        year: get("year").and_then(|s| s.parse().ok()),
        from: get("from"),
        to: get("to"),
        flag: get("flag").and_then(|s| match s.as_str() {
            "key" => Some(FlagFilter::Key),
            "excellent" => Some(FlagFilter::Excellent),
            _ => None,
        }),
        handler: get("handler"),
        overdue: get("overdue").map(|s| s == "true").filter(|on| *on),
        q: get("q"),
        sort: get("sort").and_then(|s| match s.as_str() {
            "updated" => Some(SortOrder::Updated),
            "unit" => Some(SortOrder::Unit),
            "newest" => Some(SortOrder::Newest),
            _ => None,
        }),
        after: None,
        limit: None,
        topic: get("topic").and_then(|s| s.parse().ok()),
        codes: None,
    }
}

#[component]
pub fn SubmissionList() -> impl IntoView {
    let session = expect_context::<Session>();
    let query = use_query_map();
    let filters = Memo::new(move |_| query.with(filters_from));
    let navigate = use_navigate();
    // Changing a filter is a new address (back returns to the view before).
    let show = StoredValue::new(move |next: ListSubmissions| {
        navigate(
            &format!("/{}", client::list_query(&next)),
            Default::default(),
        );
    });
    let change = move |edit: &dyn Fn(&mut ListSubmissions)| {
        let mut next = filters.get_untracked();
        edit(&mut next);
        show.with_value(|show| show(next));
    };

    // The first page for the filters; further pages are added by 加载更多.
    let (first, reload) = load(move || {
        let query = filters.get();
        async move { client::list_submissions(&query).await }
    });
    let more = RwSignal::new(Vec::<SubmissionSummary>::new());
    let next = RwSignal::new(None::<String>);
    let loading_more = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    Effect::new(move |_| match first.get() {
        Some(Ok(page)) => {
            more.set(Vec::new());
            next.set(page.next.clone());
            problem.set(None);
        }
        Some(Err(client::ClientError::Api { status: 401, body })) => session.expired(body.message),
        Some(Err(error)) => problem.set(Some(error.message())),
        None => {}
    });
    let load_more = move |_| {
        let Some(after) = next.get_untracked() else {
            return;
        };
        let mut query = filters.get_untracked();
        query.after = Some(after);
        loading_more.set(true);
        spawn_local(async move {
            let answer = client::list_submissions(&query).await;
            loading_more.try_set(false);
            match answer {
                Ok(page) => {
                    more.try_update(|rows| rows.extend(page.rows));
                    next.try_set(page.next);
                }
                Err(error) => {
                    problem.try_set(Some(error.message()));
                }
            }
        });
    };
    let rows = move || {
        let mut rows = first
            .with(|page| {
                page.as_ref()
                    .and_then(|p| p.as_ref().ok())
                    .map(|p| p.rows.clone())
            })
            .unwrap_or_default();
        rows.extend(more.get());
        rows
    };
    let selected = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| {
        filters.track();
        selected.set(Vec::new());
    });

    view! {
        <h1>"建言列表"</h1>
        <Filters filters change />
        <StatusTabs filters change page=first />
        {move || problem.get().map(|message| view! { <div class="alert" role="alert"><p>{message}</p></div> })}
        <BulkActions selected on_done=move || reload.notify() />
        <div class="table-wrap">
            <table class="desk-list">
                <caption class="visually-hidden">"建言，按所选条件"</caption>
                <thead>
                    <tr>
                        <th scope="col"><span class="visually-hidden">"选择"</span></th>
                        <th scope="col">"回执编号"</th>
                        <th scope="col">"标题"</th>
                        <th scope="col">"单位"</th>
                        <th scope="col">"领衔人"</th>
                        <th scope="col">"类别"</th>
                        <th scope="col">"状态"</th>
                        <th scope="col">"已提交"</th>
                        <th scope="col">"标记"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || rows().into_iter().map(|row| view! { <Row row selected /> }).collect_view()}
                </tbody>
            </table>
        </div>
        {move || match first.get() {
            None => Some(view! { <p class="loading">"正在加载…"</p> }.into_any()),
            Some(Ok(page)) if page.rows.is_empty() => {
                Some(view! { <p class="empty">"没有符合条件的建言。"</p> }.into_any())
            }
            _ => None,
        }}
        <div class="form-actions">
            {move || next.get().is_some().then(|| view! {
                <button type="button" on:click=load_more disabled=move || loading_more.get()>
                    {move || if loading_more.get() { "正在加载…" } else { "加载更多" }}
                </button>
            })}
            <a class="button" href=move || client::export_url(&filters.get(), "xlsx") download="">"导出 Excel"</a>
            <a class="button" href=move || client::export_url(&filters.get(), "csv") download="">"导出 CSV"</a>
            {move || (!selected.with(Vec::is_empty)).then(|| {
                let only_selected = move || ListSubmissions {
                    codes: Some(selected.get().join(",")),
                    ..ListSubmissions::default()
                };
                view! {
                    <a class="button" href=move || client::export_url(&only_selected(), "xlsx") download="">"导出所选（Excel）"</a>
                    <a class="button" href=move || client::export_url(&only_selected(), "csv") download="">"导出所选（CSV）"</a>
                }
            })}
        </div>
    }
}

/// One row: a checkbox for bulk actions, and the link to the submission.
#[component]
fn Row(row: SubmissionSummary, selected: RwSignal<Vec<String>>) -> impl IntoView {
    let code = StoredValue::new(row.code.clone());
    let checked = move || code.with_value(|code| selected.with(|s| s.contains(code)));
    let toggle = move |_| {
        let code = code.get_value();
        selected.update(|s| {
            if let Some(at) = s.iter().position(|c| *c == code) {
                s.remove(at);
            } else {
                s.push(code);
            }
        });
    };
    let mut marks = Vec::new();
    if row.flags.key {
        marks.push("重点");
    }
    if row.flags.excellent {
        marks.push("优秀");
    }
    if row.overdue {
        marks.push("逾期");
    }
    view! {
        <tr>
            <td>
                <input type="checkbox" prop:checked=checked on:change=toggle
                    aria-label=format!("选择 {}", row.code) />
            </td>
            <td class="code"><A href=format!("/staff/submissions/{}", row.code)>{row.code.clone()}</A></td>
            <td>{row.title}</td>
            <td>{row.unit}</td>
            <td>{row.name}</td>
            <td>{row.kind.label()}</td>
            <td><span class="badge">{row.status.label()}</span></td>
            <td title=china_time(&row.submitted_at)>{format!("{} 天", row.days_since_submitted)}</td>
            <td>{marks.join(" ")}</td>
        </tr>
    }
}

/// Search, kind, unit, year, dates, flag, handler, overdue and order.
#[component]
fn Filters(
    filters: Memo<ListSubmissions>,
    change: impl Fn(&dyn Fn(&mut ListSubmissions)) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    // Retired units too: their old submissions stay findable.
    let (units, _) = load(client::staff_units);
    let search = RwSignal::new(filters.get_untracked().q.unwrap_or_default());
    let on_search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let q = search.get_untracked().trim().to_owned();
        change(&|f| f.q = Some(q.clone()).filter(|q| !q.is_empty()));
    };
    let this_year = js_sys::Date::new_0().get_full_year() as i32;
    let value = move |read: fn(&ListSubmissions) -> String| move || filters.with(read);
    view! {
        <form class="search" role="search" on:submit=on_search>
            <label for="q">"搜索标题和内容"</label>
            <div class="inline-form">
                <input id="q" type="search" prop:value=search
                    on:input=move |e| search.set(event_target_value(&e)) />
                <button type="submit" class="primary">"搜索"</button>
            </div>
        </form>
        <div class="filters">
            <div class="field">
                <label for="f-kind">"类别"</label>
                <select id="f-kind" prop:value=value(|f| f.kind.map(|k| k.as_str().to_owned()).unwrap_or_default())
                    on:change=move |e| { let v = event_target_value(&e); change(&|f| f.kind = SubmissionKind::parse(&v)) }>
                    <option value="">"全部"</option>
                    {SubmissionKind::ALL.map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-unit">"单位"</label>
                <select id="f-unit" prop:value=value(|f| f.unit.map(|u| u.to_string()).unwrap_or_default())
                    on:change=move |e| { let v = event_target_value(&e); change(&|f| f.unit = v.parse().ok()) }>
                    <option value="">"全部"</option>
                    {move || units.get().and_then(Result::ok).map(|units| units.into_iter().map(|u| view! {
                        <option value=u.id.0.to_string() selected=move || filters.with(|f| f.unit == Some(u.id.0))>
                            {if u.retired_at.is_some() { format!("{}（已停用）", u.name) } else { u.name }}
                        </option>
                    }).collect_view())}
                </select>
            </div>
            <div class="field">
                <label for="f-year">"年份"</label>
                <select id="f-year" prop:value=value(|f| f.year.map(|y| y.to_string()).unwrap_or_default())
                    on:change=move |e| { let v = event_target_value(&e); change(&|f| f.year = v.parse().ok()) }>
                    <option value="">"全部"</option>
                    {(2026.min(this_year)..=this_year).rev().map(|y| view! { <option value=y.to_string()>{format!("{y} 年")}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-from">"提交日期从"</label>
                <input id="f-from" type="date" prop:value=value(|f| f.from.clone().unwrap_or_default())
                    on:change=move |e| { let v = event_target_value(&e); change(&|f| f.from = Some(v.clone()).filter(|v| !v.is_empty())) } />
            </div>
            <div class="field">
                <label for="f-to">"到"</label>
                <input id="f-to" type="date" prop:value=value(|f| f.to.clone().unwrap_or_default())
                    on:change=move |e| { let v = event_target_value(&e); change(&|f| f.to = Some(v.clone()).filter(|v| !v.is_empty())) } />
            </div>
            <div class="field">
                <label for="f-flag">"标记"</label>
                <select id="f-flag" prop:value=value(|f| match f.flag { Some(FlagFilter::Key) => "key".into(), Some(FlagFilter::Excellent) => "excellent".into(), None => String::new() })
                    on:change=move |e| { let v = event_target_value(&e); change(&|f| f.flag = match v.as_str() { "key" => Some(FlagFilter::Key), "excellent" => Some(FlagFilter::Excellent), _ => None }) }>
                    <option value="">"全部"</option>
                    <option value="key">"重点"</option>
                    <option value="excellent">"优秀"</option>
                </select>
            </div>
            <div class="field">
                <label for="f-handler">"承办单位"</label>
                <input id="f-handler" type="text" prop:value=value(|f| f.handler.clone().unwrap_or_default())
                    on:change=move |e| { let v = event_target_value(&e).trim().to_owned(); change(&|f| f.handler = Some(v.clone()).filter(|v| !v.is_empty())) } />
            </div>
            <div class="field">
                <label for="f-sort">"排序"</label>
                <select id="f-sort" prop:value=value(|f| match f.sort { Some(SortOrder::Updated) => "updated".into(), Some(SortOrder::Unit) => "unit".into(), _ => "newest".into() })
                    on:change=move |e| { let v = event_target_value(&e); change(&|f| f.sort = match v.as_str() { "updated" => Some(SortOrder::Updated), "unit" => Some(SortOrder::Unit), _ => None }) }>
                    <option value="newest">"最新提交"</option>
                    <option value="updated">"最近变动"</option>
                    <option value="unit">"按单位"</option>
                </select>
            </div>
            <label class="check">
                <input type="checkbox" prop:checked=move || filters.with(|f| f.overdue == Some(true))
                    on:change=move |e| { let on = event_target_checked(&e); change(&|f| f.overdue = on.then_some(true)) } />
                "只看逾期"
            </label>
        </div>
    }
}

/// Counts per status for the current filters, as tabs that filter by status.
#[component]
fn StatusTabs(
    filters: Memo<ListSubmissions>,
    change: impl Fn(&dyn Fn(&mut ListSubmissions)) + Copy + Send + Sync + 'static,
    page: RwSignal<Option<Result<SubmissionPage, client::ClientError>>>,
) -> impl IntoView {
    let counts = move || {
        page.with(|page| match page {
            Some(Ok(page)) => page.counts.clone(),
            _ => Vec::new(),
        })
    };
    let total = move || counts().iter().map(|c| c.count).sum::<i64>();
    let current = move || filters.with(|f| f.status);
    view! {
        <nav class="status-tabs" aria-label="按状态">
            <button type="button" aria-pressed=move || (current().is_none()).to_string()
                on:click=move |_| change(&|f| f.status = None)>
                {move || format!("全部 {}", total())}
            </button>
            {move || counts().into_iter().map(|count| {
                let status = count.status;
                view! {
                    <button type="button" aria-pressed=move || (current() == Some(status)).to_string()
                        on:click=move |_| change(&|f| f.status = Some(status))>
                        {format!("{} {}", status.label(), count.count)}
                    </button>
                }
            }).collect_view()}
        </nav>
    }
}

/// 受理, 交办 or 办结 for every selected row at once, with what happened to each.
#[component]
fn BulkActions(
    selected: RwSignal<Vec<String>>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let handler = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let run = move |action: Action| {
        let codes = selected.get_untracked();
        if codes.is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let answer =
                client::apply_bulk_action(&api::desk::ApplyBulkAction { codes, action }).await;
            busy.try_set(false);
            let text = match answer {
                Ok(results) => {
                    let done = results.results.iter().filter(|r| r.ok).count();
                    let failed: Vec<String> = results
                        .results
                        .iter()
                        .filter(|r| !r.ok)
                        .map(|r| format!("{}：{}", r.code, r.message.clone().unwrap_or_default()))
                        .collect();
                    if failed.is_empty() {
                        format!("已处理 {done} 条")
                    } else {
                        format!(
                            "已处理 {done} 条；未处理 {} 条：{}",
                            failed.len(),
                            failed.join("；")
                        )
                    }
                }
                Err(error) => error.message(),
            };
            outcome.try_set(Some(text));
            selected.try_set(Vec::new());
            on_done();
        });
    };
    view! {
        <section class="bulk" aria-label="批量操作">
            <span>{move || format!("已选 {} 条", selected.with(Vec::len))}</span>
            <button type="button" disabled=move || selected.with(Vec::is_empty) || busy.get()
                on:click=move |_| run(Action::Accept)>"批量受理"</button>
            <label for="bulk-handler">"承办单位"</label>
            <input id="bulk-handler" type="text" prop:value=handler on:input=move |e| handler.set(event_target_value(&e)) />
            <label for="bulk-due">"办理时限"</label>
            <input id="bulk-due" type="date" prop:value=due on:input=move |e| due.set(event_target_value(&e)) />
            <button type="button" disabled=move || selected.with(Vec::is_empty) || busy.get()
                on:click=move |_| run(Action::Assign {
                    handler: handler.get_untracked(),
                    due: Some(due.get_untracked()).filter(|d| !d.is_empty()),
                })>"批量交办"</button>
            <button type="button" disabled=move || selected.with(Vec::is_empty) || busy.get()
                on:click=move |_| run(Action::Close)>"批量办结"</button>
            <p role="status">{move || outcome.get()}</p>
        </section>
    }
}
