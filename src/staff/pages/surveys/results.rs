//! 问卷结果, live while collecting (fetched again every 30 seconds): per question a bar chart with its
//! table, averages, typed answers with search; responses per day; response rate per unit; one question
//! broken down by unit; CSV and Excel exports.

use api::survey::{
    QuestionId, QuestionResult, SurveyBreakdown, SurveyId, SurveyResults, SurveyStatus,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_params_map};

use super::list::status_class;
use crate::{
    client::{self, ClientError},
    components::bar_chart::{Bar, BarChart},
    format::china_time,
    staff::Session,
};

/// How often the page asks again while it is open.
const REFRESH_MS: u64 = 30_000;

fn one_decimal(value: f64) -> String {
    format!("{value:.1}")
}

#[component]
pub fn SurveyResultsPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|id| id.parse().ok()).map(SurveyId));
    let results = RwSignal::new(None::<Result<SurveyResults, String>>);
    let fetching = RwSignal::new(false);
    let fetch = move || {
        let Some(id) = id else {
            results.set(Some(Err("没有这份问卷".into())));
            return;
        };
        if fetching.get_untracked() {
            return;
        }
        fetching.set(true);
        spawn_local(async move {
            let answer = client::survey_results(id).await;
            fetching.try_set(false);
            match answer {
                // The newest numbers replace the old ones in place: no flash of 正在加载.
                Ok(found) => {
                    results.try_set(Some(Ok(found)));
                }
                Err(ClientError::Api { status: 401, body }) => session.expired(body.message),
                Err(error) => {
                    results.try_set(Some(Err(error.message())));
                }
            }
        });
    };
    fetch();
    if let Ok(timer) = set_interval_with_handle(fetch, std::time::Duration::from_millis(REFRESH_MS))
    {
        on_cleanup(move || timer.clear());
    }
    view! {
        <p class="no-print"><A href="/staff/surveys">"← 问卷列表"</A></p>
        {move || match results.get() {
            None => view! { <h1>"问卷结果"</h1><p class="loading">"正在加载…"</p> }.into_any(),
            Some(Err(text)) => view! { <h1>"问卷结果"</h1><div class="alert" role="alert"><p>{text}</p></div> }.into_any(),
            Some(Ok(found)) => view! { <Results results=found refresh=fetch fetching /> }.into_any(),
        }}
    }
}

#[component]
fn Results(
    results: SurveyResults,
    refresh: impl Fn() + Copy + Send + Sync + 'static,
    fetching: RwSignal<bool>,
) -> impl IntoView {
    let id = results.survey;
    let choosable: Vec<(QuestionId, String)> = results
        .questions
        .iter()
        .map(|q| (q.question, format!("第 {} 题 {}", q.number, q.title)))
        .collect();
    let days: Vec<Bar> = results
        .per_day
        .iter()
        .map(|d| Bar {
            label: d.day.clone(),
            count: d.count,
        })
        .collect();
    let total = results.responses;
    view! {
        <h1>{format!("问卷结果：{}", results.title)}</h1>
        <p class="survey-meta">
            <span class=format!("survey-status {}", status_class(results.status))>{results.status.label()}</span>
            {format!(" · 共收到 {} 份答卷", results.responses)}
            {results.anonymous.then_some("（匿名问卷：导出不含姓名）")}
            {(results.status == SurveyStatus::Collecting).then_some(" · 收集中，每 30 秒自动更新")}
        </p>
        <div class="result-actions no-print">
            <button type="button" on:click=move |_| refresh() disabled=move || fetching.get()>"刷新"</button>
            <a class="button" href=client::survey_export_url(id, "xlsx") download="">"导出 Excel"</a>
            <a class="button" href=client::survey_export_url(id, "csv") download="">"导出 CSV"</a>
            <A href=format!("/staff/surveys/{}", id.0)>"问卷内容与发布设置"</A>
        </div>
        {results.questions.into_iter().map(|q| view! { <QuestionResults survey=id result=q /> }).collect_view()}
        <section class="panel" aria-labelledby="per-day">
            <h2 id="per-day">"每日答卷数"</h2>
            {if days.is_empty() {
                view! { <p class="meta">"还没有答卷。"</p> }.into_any()
            } else {
                view! { <BarChart bars=days total caption="每日答卷数".to_owned() first_column="日期" /> }.into_any()
            }}
        </section>
        {(!results.units.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="per-unit">
                <h2 id="per-unit">"各单位答卷率"</h2>
                <div class="table-wrap">
                    <table class="desk-list">
                        <caption class="visually-hidden">"各单位答卷率（已答 / 名册人数）"</caption>
                        <thead><tr><th scope="col">"单位"</th><th scope="col">"已答"</th><th scope="col">"名册人数"</th><th scope="col">"答卷率"</th></tr></thead>
                        <tbody>
                            {results.units.iter().map(|u| view! {
                                <tr>
                                    <th scope="row">{u.name.clone()}</th><td>{u.answered}</td><td>{u.members}</td>
                                    <td>
                                        <meter class="rate-bar" aria-hidden="true" min="0" max="100" value=u.percent.clamp(0.0, 100.0)></meter>
                                        {format!("{}%", one_decimal(u.percent))}
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        })}
        <Breakdown survey=id questions=choosable />
    }
}

/// One question's chart, averages and typed answers.
#[component]
fn QuestionResults(survey: SurveyId, result: QuestionResult) -> impl IntoView {
    let heading = format!("第 {} 题 {}", result.number, result.title);
    let heading_id = format!("result-q{}", result.question.0);
    let bars: Vec<Bar> = result
        .choices
        .iter()
        .map(|c| Bar {
            label: c.label.clone(),
            count: c.count,
        })
        .collect();
    let is_text = matches!(result.kind.as_str(), "short_text" | "long_text");
    let average = result.average.map(|a| match result.kind.as_str() {
        "rating" => format!("平均 {} 分", one_decimal(a)),
        _ => format!("平均 {}", one_decimal(a)),
    });
    let numbers = result
        .numbers
        .clone()
        .map(|n| format!("最小 {} · 中位数 {} · 最大 {}", n.min, n.median, n.max));
    view! {
        <section class="panel question-result" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{heading.clone()}</h2>
            <p class="meta">{format!("作答 {} 人", result.answered)}
                {average.map(|a| view! { " · " <strong>{a}</strong> })}
                {numbers.map(|n| format!(" · {n}"))}</p>
            {(!bars.is_empty()).then(|| view! {
                <BarChart bars total=result.answered caption=format!("{heading} 的统计") first_column=if result.kind == "rating" { "评分" } else { "选项" } />
            })}
            {(result.texts > 0 || is_text).then(|| view! {
                <TextList survey question=result.question count=result.texts
                    what=if is_text { "回答" } else { "「其他」的填写" } number=result.number />
            })}
        </section>
    }
}

/// The typed answers to a question, newest first, with search and 加载更多.
#[component]
fn TextList(
    survey: SurveyId,
    question: QuestionId,
    count: u64,
    what: &'static str,
    number: u32,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let search = RwSignal::new(String::new());
    let items = RwSignal::new(Vec::<api::survey::TextAnswer>::new());
    let total = RwSignal::new(count);
    let problem = RwSignal::new(None::<String>);
    let asked = StoredValue::new(0u64);
    let load = move |more: bool| {
        let offset = if more {
            items.with_untracked(|i| i.len() as u64)
        } else {
            0
        };
        let q = search.get_untracked();
        let this = asked.get_value() + 1;
        asked.set_value(this);
        spawn_local(async move {
            let answer = client::survey_texts(survey, question, &q, offset).await;
            if asked.try_get_value() != Some(this) {
                return;
            }
            match answer {
                Ok(page) => {
                    total.try_set(page.total);
                    items.try_update(|list| {
                        if !more {
                            list.clear();
                        }
                        list.extend(page.items);
                    });
                    problem.try_set(None);
                }
                Err(ClientError::Api { status: 401, body }) => session.expired(body.message),
                Err(error) => {
                    problem.try_set(Some(error.message()));
                }
            }
        });
    };
    if count > 0 {
        load(false);
    }
    let search_id = format!("texts-{}", question.0);
    view! {
        <div class="text-answers">
            <form class="inline-form" role="search" on:submit=move |e| { e.prevent_default(); load(false) }>
                <label for=search_id.clone() class="visually-hidden">{format!("搜索第 {number} 题的{what}")}</label>
                <input id=search_id type="search" placeholder=format!("搜索{what}") prop:value=search
                    on:input=move |e| search.set(event_target_value(&e)) />
                <button type="submit">"搜索"</button>
            </form>
            <p class="meta" aria-live="polite">{move || format!("共 {} 条{what}", total.get())}</p>
            {move || problem.get().map(|text| view! { <div class="alert" role="alert"><p>{text}</p></div> })}
            <ul class="text-answer-list">
                {move || items.get().into_iter().map(|item| view! {
                    <li>
                        <p class="body-text">{item.text}</p>
                        <p class="meta">{if item.unit.is_empty() { "未填单位".to_owned() } else { item.unit }}{" · "}{china_time(&item.submitted_at)}</p>
                    </li>
                }).collect_view()}
            </ul>
            {move || (items.with(|i| i.len() as u64) < total.get()).then(|| view! {
                <button type="button" on:click=move |_| load(true)>"加载更多"</button>
            })}
        </div>
    }
}

/// 按单位细分: the chosen question's counts per unit, as a table.
#[component]
fn Breakdown(survey: SurveyId, questions: Vec<(QuestionId, String)>) -> impl IntoView {
    let session = expect_context::<Session>();
    let chosen = RwSignal::new(questions.first().map(|(q, _)| *q));
    let table = RwSignal::new(None::<Result<SurveyBreakdown, String>>);
    Effect::new(move |_| {
        let Some(question) = chosen.get() else {
            return;
        };
        table.set(None);
        spawn_local(async move {
            let answer = client::survey_breakdown(survey, question).await;
            if chosen.try_get_untracked() != Some(Some(question)) {
                return;
            }
            match answer {
                Ok(found) => {
                    table.try_set(Some(Ok(found)));
                }
                Err(ClientError::Api { status: 401, body }) => session.expired(body.message),
                Err(error) => {
                    table.try_set(Some(Err(error.message())));
                }
            }
        });
    });
    view! {
        <section class="panel" aria-labelledby="breakdown">
            <h2 id="breakdown">"按单位细分"</h2>
            <div class="field">
                <label for="breakdown-question">"选择题目"</label>
                <select id="breakdown-question" on:change=move |e| chosen.set(event_target_value(&e).parse().ok().map(QuestionId))>
                    {questions.into_iter().map(|(q, label)| view! { <option value=q.0.to_string()>{label}</option> }).collect_view()}
                </select>
            </div>
            {move || match table.get() {
                None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
                Some(Err(text)) => view! { <div class="alert" role="alert"><p>{text}</p></div> }.into_any(),
                Some(Ok(found)) if found.rows.is_empty() => view! { <p class="meta">"还没有答卷。"</p> }.into_any(),
                Some(Ok(found)) => {
                    let has_average = found.rows.iter().any(|r| r.average.is_some());
                    view! {
                        <div class="table-wrap">
                            <table class="desk-list">
                                <caption>{format!("{} · 各单位的回答", found.title)}</caption>
                                <thead><tr>
                                    <th scope="col">"单位"</th><th scope="col">"作答"</th>
                                    {found.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}
                                    {has_average.then(|| view! { <th scope="col">"平均"</th> })}
                                </tr></thead>
                                <tbody>
                                    {found.rows.into_iter().map(|row| view! {
                                        <tr>
                                            <th scope="row">{row.name}</th><td>{row.answered}</td>
                                            {row.counts.iter().zip(row.percents.iter()).map(|(c, p)| view! {
                                                <td>{format!("{c}（{}%）", one_decimal(*p))}</td>
                                            }).collect_view()}
                                            {has_average.then(|| view! { <td>{row.average.map(one_decimal).unwrap_or_else(|| "—".into())}</td> })}
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
