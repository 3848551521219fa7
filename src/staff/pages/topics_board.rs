//! 课题看板: one topic, and every target unit's state on it (未认领 … 已采用), who claimed it and when,
//! days left or overdue (marked), and its results, each a link to the result's page at the desk. Staff
//! may claim the topic for a unit (a contact who phoned in, a unit without a 联络员).

use api::{
    topic::{deadline_words, BoardRow, StaffClaim, TopicBoard, TopicState, UnitTopicState},
    TopicId,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_params_map};

use crate::{
    client::{self, ClientError},
    format::china_time,
    staff::Session,
};

#[component]
pub fn TopicBoardPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").and_then(|id| id.parse().ok()).map(TopicId))
    });
    let board = RwSignal::new(None::<TopicBoard>);
    let failed = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<(bool, String)>);
    Effect::new(move |_| {
        let Some(id) = id.get() else {
            failed.set(Some("没有这个课题".into()));
            return;
        };
        board.set(None);
        spawn_local(async move {
            match client::topic_board(id).await {
                Ok(found) => {
                    board.try_set(Some(found));
                }
                Err(ClientError::Api { status: 401, body }) => session.expired(body.message),
                Err(error) => {
                    failed.try_set(Some(error.message()));
                }
            }
        });
    });
    let busy = RwSignal::new(false);
    let claim = move |unit: api::UnitId, name: String| {
        let Some(id) = id.get_untracked() else { return };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let answer = client::claim_for_unit(id, &StaffClaim { unit_id: unit }).await;
            busy.try_set(false);
            match answer {
                Ok(found) => {
                    board.try_set(Some(found));
                    message.try_set(Some((true, format!("已代「{name}」认领"))));
                }
                Err(ClientError::Api { status: 401, body }) => session.expired(body.message),
                Err(error) => {
                    message.try_set(Some((false, error.message())));
                }
            }
        });
    };
    move || match (board.get(), failed.get()) {
        (Some(board), _) => view! { <Board board message busy claim /> }.into_any(),
        (None, Some(text)) => view! {
            <div class="alert" role="alert"><p>{text}</p></div>
            <p><A href="/staff/topics">"返回课题总览"</A></p>
        }
        .into_any(),
        (None, None) => view! { <p class="loading">"正在加载…"</p> }.into_any(),
    }
}

#[component]
fn Board(
    board: TopicBoard,
    message: RwSignal<Option<(bool, String)>>,
    busy: RwSignal<bool>,
    claim: impl Fn(api::UnitId, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let topic = board.topic.clone();
    let open = topic.state == TopicState::Published;
    let deadline = if open {
        format!("{}（{}）", topic.deadline, deadline_words(topic.days_left))
    } else {
        topic.deadline.clone()
    };
    let counts = board.counts;
    let count_line = [
        (UnitTopicState::Unclaimed, counts.unclaimed),
        (UnitTopicState::Claimed, counts.claimed),
        (UnitTopicState::Researching, counts.researching),
        (UnitTopicState::Submitted, counts.submitted),
        (UnitTopicState::Reviewed, counts.reviewed),
        (UnitTopicState::Adopted, counts.adopted),
    ];
    let id = topic.id.0;
    view! {
        <p class="no-print"><A href=format!("/staff/topics?year={}", topic.year)>"← 返回课题总览"</A></p>
        <div class="page-head">
            <h1>{topic.title.clone()}</h1>
            <div class="row-buttons">
                <A href=format!("/staff/?topic={id}")>"在建言列表中查看成果"</A>
                {move || session.is_admin().then(|| view! {
                    <A href=format!("/staff/topics/{id}/edit") attr:class="button">"编辑课题"</A>
                })}
            </div>
        </div>
        <dl class="topic-facts">
            <dt>"状态"</dt><dd><span class=format!("badge topic-{}", topic.state.as_str())>{topic.state.label()}</span>
                {(topic.version > 0).then(|| format!(" 第 {} 版", topic.version))}</dd>
            <dt>"来源"</dt><dd>{topic.origin.label()}</dd>
            <dt>"出题单位"</dt><dd>{topic.issuer.label()}</dd>
            <dt>"类别"</dt><dd>{topic.category.clone()}</dd>
            <dt>"截止日期"</dt><dd class:late=open && topic.overdue>{deadline}</dd>
            <dt>"面向单位"</dt><dd>{if topic.all_units { "全部单位".to_owned() } else { format!("{} 个单位", topic.units.len()) }}</dd>
            {topic.withdrawn_reason.clone().map(|r| view! { <dt>"撤回原因"</dt><dd>{r}</dd> })}
        </dl>
        <details class="topic-text">
            <summary>"课题背景与需回答的问题"</summary>
            <h2>"背景"</h2>
            <div class="body-text">{topic.background.clone()}</div>
            <h2>"需回答的问题"</h2>
            <div class="body-text">{topic.questions.clone()}</div>
        </details>
        <ul class="board-counts" aria-label="各状态单位数">
            {count_line.into_iter().map(|(state, n)| view! {
                <li class=format!("unit-{}", state.as_str())>{format!("{} {n}", state.label())}</li>
            }).collect_view()}
            {(counts.overdue > 0).then(|| view! { <li class="late">{format!("逾期 {}", counts.overdue)}</li> })}
        </ul>
        <div aria-live="polite">
            {move || message.get().map(|(ok, text)| if ok {
                view! { <p class="notice" role="status">{text}</p> }.into_any()
            } else {
                view! { <div class="alert" role="alert"><p>{text}</p></div> }.into_any()
            })}
        </div>
        {if board.rows.is_empty() {
            view! { <p class="empty">"这个课题还没有面向的单位。"</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="desk-list topic-board">
                        <caption class="visually-hidden">"各单位的认领和成果"</caption>
                        <thead><tr>
                            <th scope="col">"单位"</th>
                            <th scope="col">"状态"</th>
                            <th scope="col">"认领"</th>
                            <th scope="col">"期限"</th>
                            <th scope="col">"成果"</th>
                            <th scope="col">"操作"</th>
                        </tr></thead>
                        <tbody>
                            {board.rows.into_iter().map(|row| view! { <Row row open busy claim /> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

#[component]
fn Row(
    row: BoardRow,
    open: bool,
    busy: RwSignal<bool>,
    claim: impl Fn(api::UnitId, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let unit = row.unit.clone();
    let claimed = row.claim.as_ref().map(|c| {
        let who = if c.by_staff {
            format!("{}（工作人员代认领）", c.by)
        } else {
            c.by.clone()
        };
        let started = c
            .researching_since
            .as_deref()
            .map(|at| format!("；{} 开始调研", china_time(at)))
            .unwrap_or_default();
        format!("{who} · {}{started}", china_time(&c.at))
    });
    let late = open && row.overdue;
    let days = if open {
        deadline_words(row.days_left)
    } else {
        "—".to_owned()
    };
    let can_claim = open && row.claim.is_none();
    let label = format!("代「{}」认领", unit.name);
    view! {
        <tr class:overdue=late>
            <th scope="row">{unit.name.clone()}</th>
            <td><span class=format!("badge unit-{}", row.state.as_str())>{row.state.label()}</span></td>
            <td>{claimed.unwrap_or_else(|| "—".into())}</td>
            <td class="nowrap" class:late=late>{days}</td>
            <td>
                {if row.results.is_empty() {
                    view! { "—" }.into_any()
                } else {
                    view! {
                        <ul class="results">
                            {row.results.into_iter().map(|r| view! {
                                <li>
                                    <A href=format!("/staff/submissions/{}", r.code)>{r.title.clone()}</A>
                                    " " <span class="meta">{format!("{} · {}", r.code, r.status.label())}</span>
                                    {r.grade.map(|g| view! { " " <span class="badge done">{g.label()}</span> })}
                                    {r.adopted.then(|| view! { " " <span class="badge active">"已采用"</span> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </td>
            <td class="row-buttons">
                {can_claim.then(|| {
                    let name = unit.name.clone();
                    view! {
                        <button type="button" aria-label=label disabled=move || busy.get()
                            on:click=move |_| claim(unit.id, name.clone())>"代为认领"</button>
                    }
                })}
            </td>
        </tr>
    }
}
