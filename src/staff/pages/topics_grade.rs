//! A research result's topic and grade on its desk page: which topic it answers (a link to the board),
//! the member's 摘要, and 评定等级 (优秀 / 良好 / 一般 with a comment). Grading again replaces the grade.

use api::topic::{optional_comment, Grade, GradeRecord, GradeResult, ResultTopic};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::components::A;

use crate::{
    client::{self, ClientError},
    format::china_time,
    staff::Session,
};

#[component]
pub fn ResultGrading(result: ResultTopic) -> impl IntoView {
    let session = expect_context::<Session>();
    let grade = RwSignal::new(result.grade.as_ref().map(|g| g.grade));
    let comment = RwSignal::new(
        result
            .grade
            .as_ref()
            .and_then(|g| g.comment.clone())
            .unwrap_or_default(),
    );
    // The grade as the server last answered (the page's other changes re-read the whole submission).
    let graded = RwSignal::new(result.grade.clone());
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let code = result.code.clone();
    let send = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(chosen) = grade.get_untracked() else {
            message.set(Some((false, "请选择等级：优秀、良好或一般".into())));
            return;
        };
        let text = comment.get_untracked();
        if let Err(problem) = optional_comment(Some(&text)) {
            message.set(Some((false, format!("评语{problem}"))));
            return;
        }
        let change = GradeResult {
            grade: chosen,
            comment: Some(text).filter(|c| !c.trim().is_empty()),
        };
        let code = code.clone();
        busy.set(true);
        spawn_local(async move {
            let answer = client::grade_result(&code, &change).await;
            busy.try_set(false);
            match answer {
                Ok(answer) => {
                    message.try_set(Some((true, format!("已评定为「{}」", chosen.label()))));
                    graded.try_set(answer.grade);
                }
                Err(ClientError::Api { status: 401, body }) => session.expired(body.message),
                Err(error) => {
                    message.try_set(Some((false, error.message())));
                }
            }
        });
    };
    let current = move || {
        graded
            .get()
            .map(|g: GradeRecord| {
                format!(
                    "{}{} · {} {}",
                    g.grade.label(),
                    g.comment.map(|c| format!("：{c}")).unwrap_or_default(),
                    g.by,
                    china_time(&g.at)
                )
            })
            .unwrap_or_else(|| "尚未评定".into())
    };
    view! {
        <section class="panel result-topic" aria-labelledby="result-topic">
            <h2 id="result-topic">"调研课题与评审"</h2>
            <dl>
                <dt>"课题"</dt>
                <dd>
                    <A href=format!("/staff/topics/{}", result.topic.id.0)>{result.topic.title.clone()}</A>
                    <span class="meta">{format!("（{} 年 · {}）", result.topic.year, result.topic.origin.label())}</span>
                </dd>
                <dt>"摘要"</dt>
                <dd class="body-text">{result.summary.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>"评审等级"</dt>
                <dd>{current}</dd>
            </dl>
            {move || message.get().map(|(ok, text)| view! {
                <div class=if ok { "notice" } else { "alert" } role=if ok { "status" } else { "alert" }><p>{text}</p></div>
            })}
            <form class="no-print grade-form" on:submit=send aria-label="评定等级">
                <fieldset class="plain">
                    <legend>"等级"</legend>
                    {Grade::ALL.iter().map(|g| {
                        let g = *g;
                        view! {
                            <label class="chip"><input type="radio" name="grade" value=g.as_str()
                                prop:checked=move || grade.get() == Some(g)
                                on:change=move |_| grade.set(Some(g)) />{g.label()}</label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="grade-comment">"评语"</label>
                    <textarea id="grade-comment" rows="3" prop:value=comment
                        on:input=move |e| comment.set(event_target_value(&e))></textarea>
                </div>
                <button type="submit" class="primary" disabled=move || busy.get()>"评定等级"</button>
            </form>
        </section>
    }
}
