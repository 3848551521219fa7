//! 课题总览: every topic of a year with how many target units stand in each state, the deadline (overdue
//! marked), filters in the address (year, state, issuer, only overdue), and 新建课题 for administrators.

use api::topic::{deadline_words, BoardCounts, Issuer, TopicOverview, TopicState, TopicSummary};
use leptos::prelude::*;
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_query_map},
    params::ParamsMap,
};

use crate::{client, load::load, staff::Session};

/// The filters the address names.
#[derive(Debug, Clone, PartialEq, Default)]
struct Filters {
    year: Option<i32>,
    state: Option<TopicState>,
    issuer: Option<Issuer>,
    overdue: bool,
}

impl Filters {
    fn from(params: &ParamsMap) -> Self {
        let get = |name: &str| params.get(name).filter(|value| !value.trim().is_empty());
        Filters {
            year: get("year").and_then(|y| y.parse().ok()),
            state: get("state").and_then(|s| TopicState::parse(&s)),
            issuer: get("issuer").and_then(|s| Issuer::parse(&s)),
            overdue: get("overdue").is_some_and(|s| s == "true"),
        }
    }

    fn query(&self) -> String {
        let mut pairs = Vec::new();
        if let Some(year) = self.year {
            pairs.push(format!("year={year}"));
        }
        if let Some(state) = self.state {
            pairs.push(format!("state={}", state.as_str()));
        }
        if let Some(issuer) = self.issuer {
            pairs.push(format!("issuer={}", issuer.as_str()));
        }
        if self.overdue {
            pairs.push("overdue=true".into());
        }
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }

    /// The year is asked of the server; the rest only narrows what it answered.
    fn keeps(&self, topic: &TopicSummary) -> bool {
        self.state.is_none_or(|state| topic.state == state)
            && self.issuer.is_none_or(|issuer| topic.issuer == issuer)
            && (!self.overdue || topic.counts.overdue > 0)
    }
}

#[component]
pub fn TopicsOverview() -> impl IntoView {
    let session = expect_context::<Session>();
    let query = use_query_map();
    let filters = Memo::new(move |_| query.with(Filters::from));
    let navigate = use_navigate();
    let show = StoredValue::new(move |next: Filters| {
        navigate(&format!("/topics{}", next.query()), Default::default());
    });
    let change = move |edit: &dyn Fn(&mut Filters)| {
        let mut next = filters.get_untracked();
        edit(&mut next);
        show.with_value(|show| show(next));
    };
    let (overview, _) = load(move || {
        let year = filters.with(|f| f.year);
        async move { client::topic_overview(year).await }
    });
    Effect::new(move |_| {
        if let Some(Err(client::ClientError::Api { status: 401, body })) = overview.get() {
            session.expired(body.message);
        }
    });
    let this_year = js_sys::Date::new_0().get_full_year() as i32;
    let shown_year = move || {
        filters.with(|f| f.year).unwrap_or_else(|| {
            overview.with(|o| match o {
                Some(Ok(o)) => o.year,
                _ => this_year,
            })
        })
    };
    view! {
        <div class="page-head">
            <h1>"课题总览"</h1>
            <div class="row-buttons">
                <A href="/staff/proposals">"自主选题申报"</A>
                {move || session.is_admin().then(|| view! {
                    <A href="/staff/topics/new" attr:class="button primary">"新建课题"</A>
                })}
            </div>
        </div>
        <div class="filters">
            <div class="field">
                <label for="t-year">"年度"</label>
                <select id="t-year" prop:value=move || shown_year().to_string()
                    on:change=move |e| { let v = event_target_value(&e); change(&|f| f.year = v.parse().ok()) }>
                    {move || {
                        let shown = shown_year();
                        let mut years: Vec<i32> = ((this_year - 4)..=(this_year + 1)).rev().collect();
                        if !years.contains(&shown) {
                            years.push(shown);
                        }
                        years.into_iter().map(|y| view! {
                            <option value=y.to_string() selected=y == shown>{format!("{y} 年")}</option>
                        }).collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for="t-state">"课题状态"</label>
                <select id="t-state" prop:value=move || filters.with(|f| f.state.map(|s| s.as_str()).unwrap_or_default().to_owned())
                    on:change=move |e| { let v = event_target_value(&e); change(&|f| f.state = TopicState::parse(&v)) }>
                    <option value="">"全部"</option>
                    {TopicState::ALL.iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="t-issuer">"出题单位"</label>
                <select id="t-issuer" prop:value=move || filters.with(|f| f.issuer.map(|s| s.as_str()).unwrap_or_default().to_owned())
                    on:change=move |e| { let v = event_target_value(&e); change(&|f| f.issuer = Issuer::parse(&v)) }>
                    <option value="">"全部"</option>
                    {Issuer::ALL.iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                </select>
            </div>
            <label class="check">
                <input type="checkbox" prop:checked=move || filters.with(|f| f.overdue)
                    on:change=move |e| { let on = event_target_checked(&e); change(&|f| f.overdue = on) } />
                "只看有逾期单位的课题"
            </label>
        </div>
        {move || match overview.get() {
            None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
            Some(Err(error)) => view! { <div class="alert" role="alert"><p>{error.message()}</p></div> }.into_any(),
            Some(Ok(overview)) => {
                let filters = filters.get();
                view! { <OverviewTable overview filters /> }.into_any()
            }
        }}
    }
}

/// The table of topics, with a totals row over the ones shown.
#[component]
fn OverviewTable(overview: TopicOverview, filters: Filters) -> impl IntoView {
    let topics: Vec<TopicSummary> = overview
        .topics
        .into_iter()
        .filter(|t| filters.keeps(t))
        .collect();
    if topics.is_empty() {
        let text = format!("{} 年没有符合条件的课题。", overview.year);
        return view! { <p class="empty">{text}</p> }.into_any();
    }
    let mut totals = BoardCounts::default();
    for topic in &topics {
        add_counts(&mut totals, &topic.counts);
    }
    let results: i64 = topics.iter().map(|t| t.results).sum();
    view! {
        <div class="table-wrap">
            <table class="desk-list topics-overview">
                <caption class="visually-hidden">{format!("{} 年的课题", overview.year)}</caption>
                <thead><tr>
                    <th scope="col">"课题"</th>
                    <th scope="col">"出题单位"</th>
                    <th scope="col">"类别"</th>
                    <th scope="col">"状态"</th>
                    <th scope="col">"截止日期"</th>
                    <th scope="col">"面向单位"</th>
                    {STATE_COLUMNS.iter().map(|label| view! { <th scope="col" class="num">{*label}</th> }).collect_view()}
                    <th scope="col" class="num">"成果"</th>
                </tr></thead>
                <tbody>
                    {topics.into_iter().map(|topic| view! { <OverviewRow topic /> }).collect_view()}
                </tbody>
                <tfoot><tr>
                    <th scope="row" colspan="6">"合计"</th>
                    {count_cells(&totals)}
                    <td class="num">{results}</td>
                </tr></tfoot>
            </table>
        </div>
    }
    .into_any()
}

const STATE_COLUMNS: [&str; 6] = [
    "未认领",
    "已认领",
    "调研中",
    "已提交成果",
    "已评审",
    "已采用",
];

fn add_counts(into: &mut BoardCounts, from: &BoardCounts) {
    into.unclaimed += from.unclaimed;
    into.claimed += from.claimed;
    into.researching += from.researching;
    into.submitted += from.submitted;
    into.reviewed += from.reviewed;
    into.adopted += from.adopted;
    into.overdue += from.overdue;
}

fn count_cells(counts: &BoardCounts) -> impl IntoView {
    [
        counts.unclaimed,
        counts.claimed,
        counts.researching,
        counts.submitted,
        counts.reviewed,
        counts.adopted,
    ]
    .into_iter()
    .map(|n| view! { <td class="num">{n}</td> })
    .collect_view()
}

#[component]
fn OverviewRow(topic: TopicSummary) -> impl IntoView {
    let open = topic.state == TopicState::Published;
    let late = open && topic.overdue;
    let words = if open {
        format!("（{}）", deadline_words(topic.days_left))
    } else {
        String::new()
    };
    view! {
        <tr class:overdue=late>
            <td><A href=format!("/staff/topics/{}", topic.id.0)>{topic.title.clone()}</A></td>
            <td>{topic.issuer.label()}</td>
            <td>{topic.category.clone()}</td>
            <td><span class=format!("badge topic-{}", topic.state.as_str())>{topic.state.label()}</span></td>
            <td class="nowrap">{topic.deadline.clone()}<span class:late=late>{words}</span></td>
            <td class="num">{topic.target_units}</td>
            {count_cells(&topic.counts)}
            <td class="num">{topic.results}</td>
        </tr>
    }
}
