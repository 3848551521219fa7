//! 问卷列表: drafts, scheduled, collecting and closed surveys with their response counts; 新建问卷 and
//! 复制 (a new draft from an earlier survey) for administrators.

use api::survey::{SurveyStatus, SurveySummary};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_navigate};

use crate::{
    client::{self, ClientError},
    format::china_time,
    load::load,
    staff::Session,
};

#[component]
pub fn SurveyList() -> impl IntoView {
    let session = expect_context::<Session>();
    let (surveys, _) = load(client::list_surveys);
    let problem = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Err(ClientError::Api { status: 401, body })) = surveys.get() {
            session.expired(body.message);
        }
    });
    let navigate = StoredValue::new(use_navigate());
    let duplicate = move |survey: SurveySummary| {
        spawn_local(async move {
            match client::duplicate_survey(survey.id).await {
                Ok(copy) => navigate
                    .with_value(|go| go(&format!("/surveys/{}", copy.id.0), Default::default())),
                Err(ClientError::Api { status: 401, body }) => session.expired(body.message),
                Err(error) => {
                    problem.try_set(Some(format!(
                        "复制「{}」没有成功：{}",
                        survey.title,
                        error.message()
                    )));
                }
            }
        });
    };
    view! {
        <h1>"问卷"</h1>
        <p class="intro">"编写问卷，发布给各单位的成员或持链接的人填写，收集中即可查看结果。"</p>
        {move || session.is_admin().then(|| view! {
            <p><A href="/staff/surveys/new" attr:class="button primary">"新建问卷"</A></p>
        })}
        {move || problem.get().map(|text| view! { <div class="alert" role="alert"><p>{text}</p></div> })}
        {move || match surveys.get() {
            None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
            Some(Err(error)) => view! { <div class="alert" role="alert"><p>{error.message()}</p></div> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <p class="meta">"还没有问卷。"</p> }.into_any(),
            Some(Ok(list)) => view! {
                <div class="table-wrap">
                    <table class="desk-list">
                        <caption class="visually-hidden">"问卷"</caption>
                        <thead><tr>
                            <th scope="col">"标题"</th><th scope="col">"状态"</th><th scope="col">"题数"</th>
                            <th scope="col">"答卷"</th><th scope="col">"收集时间"</th><th scope="col">"操作"</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|survey| {
                                let id = survey.id.0;
                                let window = match (&survey.opens_at, &survey.closes_at) {
                                    (Some(from), Some(until)) => format!("{} 至 {}", china_time(from), china_time(until)),
                                    _ => "—".into(),
                                };
                                let title = survey.title.clone();
                                let copy = survey.clone();
                                view! {
                                    <tr>
                                        <td><A href=format!("/staff/surveys/{id}")>{survey.title.clone()}</A>
                                            {survey.anonymous.then(|| view! { <span class="meta">" · 匿名"</span> })}</td>
                                        <td><span class=format!("survey-status {}", status_class(survey.status))>{survey.status.label()}</span></td>
                                        <td>{survey.questions}</td>
                                        <td>{survey.responses}</td>
                                        <td class="nowrap">{window}</td>
                                        <td class="row-buttons">
                                            {(survey.status != SurveyStatus::Draft).then(|| view! {
                                                <A href=format!("/staff/surveys/{id}/results") attr:aria-label=format!("「{title}」的结果")>"结果"</A>
                                            })}
                                            {move || session.is_admin().then(|| {
                                                let copy = copy.clone();
                                                view! {
                                                    <button type="button" aria-label=format!("复制「{}」", copy.title)
                                                        on:click=move |_| duplicate(copy.clone())>"复制"</button>
                                                }
                                            })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any(),
        }}
    }
}

/// The class that colours a status mark.
pub fn status_class(status: SurveyStatus) -> &'static str {
    match status {
        SurveyStatus::Draft => "draft",
        SurveyStatus::Scheduled => "scheduled",
        SurveyStatus::Collecting => "collecting",
        SurveyStatus::Closed => "closed",
    }
}
