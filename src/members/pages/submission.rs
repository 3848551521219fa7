//! One submission as its submitter sees it: status and public timeline.

use api::{
    desk::{RateReply, Rating},
    CreateSubmission, SubmissionStatus, SubmissionView,
};
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use wasm_bindgen::JsCast;

use crate::{
    client::{self, ClientError},
    components::{status_badge::StatusBadge, timeline::Timeline},
    format::china_time,
    load::load,
    members::{
        location::Location,
        outbox::{Outbox, Revises},
        pages::submit::form::set_fixing,
        Route,
    },
    storage::{self, Receipt},
};

#[component]
pub fn SubmissionPage(code: String) -> impl IntoView {
    let location = expect_context::<Location>();
    let code = StoredValue::new(code);
    let code = move || code.get_value();
    // A kept link carries the secret in the fragment; otherwise this device may hold the receipt.
    let secret = move || {
        let from_link = location.hash.get();
        if from_link.is_empty() {
            storage::receipt(&code()).map(|r| r.secret)
        } else {
            Some(from_link)
        }
    };
    let (submission, reload) = load(move || {
        let (code, secret) = (code(), secret());
        async move {
            match secret {
                Some(secret) => client::get_submission(&code, &secret)
                    .await
                    .map(|view| (view, secret))
                    .map(Some),
                None => Ok(None),
            }
        }
    });

    move || match submission.get() {
        None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
        Some(Ok(Some((view, secret)))) => {
            keep_receipt(&view, secret.clone());
            view! { <SubmissionDetails submission=view secret on_rated=move || reload.notify() /> }
                .into_any()
        }
        Some(Ok(None)) => view! { <NoSecret code=untrack(code) /> }.into_any(),
        Some(Err(error)) => view! { <LoadFailed error retry=move || reload.notify() /> }.into_any(),
    }
}

/// Opening a kept link on a new device adds it to this device's receipts.
fn keep_receipt(view: &SubmissionView, secret: String) {
    if storage::receipt(&view.code).is_none_or(|kept| kept.secret != secret) {
        // Only a convenience: the link still opens it when the device will not keep it.
        let _ = storage::remember(&Receipt {
            code: view.code.clone(),
            secret,
            title: view.title.clone(),
            submitted_at: view.submitted_at.clone(),
        });
    }
}

#[component]
fn SubmissionDetails(
    submission: SubmissionView,
    secret: String,
    on_rated: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let revise = submission
        .returned_text
        .clone()
        .filter(|_| submission.can_resubmit)
        .map(|text| {
            let reason = submission
                .timeline
                .iter()
                .rev()
                .find(|entry| entry.status == SubmissionStatus::Returned)
                .and_then(|entry| entry.note.clone())
                .unwrap_or_default();
            let revises = Revises {
                code: submission.code.clone(),
                secret: secret.clone(),
            };
            view! { <ReviseButton text revises reason /> }
        });
    let rating = submission.can_rate.then(|| {
        let code = submission.code.clone();
        view! { <RatingForm code secret on_rated /> }
    });
    view! {
        <article class="submission-view">
            <h1>{submission.title}</h1>
            <dl>
                <dt>"回执编号"</dt>
                <dd class="code">{submission.code}</dd>
                <dt>"类别"</dt>
                <dd>{submission.kind.label()}</dd>
                <dt>"所在单位"</dt>
                <dd>{submission.unit}</dd>
                <dt>"提交时间"</dt>
                <dd>{china_time(&submission.submitted_at)}</dd>
                <dt>"当前状态"</dt>
                <dd><StatusBadge status=submission.status /></dd>
            </dl>
            <h2>"办理进度"</h2>
            <Timeline entries=submission.timeline />
            {revise}
            {rating}
        </article>
        <p><a href=Route::Track.href()>"返回查询进度"</a></p>
    }
}

#[component]
fn NoSecret(code: String) -> impl IntoView {
    view! {
        <h1>{code}</h1>
        <p>"这台设备上没有这条提交的回执。请在“查询进度”页面输入回执编号和查询密码。"</p>
        <p><a href=Route::Track.href() class="button primary">"去查询"</a></p>
    }
}

#[component]
fn LoadFailed(
    error: ClientError,
    retry: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let retryable = error.is_retryable();
    view! {
        <div class="alert" role="alert">
            <p>{error.message()}</p>
            {retryable.then(|| view! { <button type="button" on:click=move |_| retry()>"重试"</button> })}
        </div>
        <p><a href=Route::Track.href()>"返回查询进度"</a></p>
    }
}

/// Returned for revision: the member opens their own text in the form, fixes it and sends it again
/// under the same code. It goes through the outbox like any submission, so nothing typed is lost.
#[component]
fn ReviseButton(text: CreateSubmission, revises: Revises, reason: String) -> impl IntoView {
    let outbox = expect_context::<Outbox>();
    let location = expect_context::<Location>();
    let open = StoredValue::new((text, revises, reason));
    let revise = move |_| {
        let (text, revises, reason) = open.get_value();
        let key = outbox.open_revision(text, revises, format!("工作人员退回修改：{reason}"));
        set_fixing(Some(&key));
        location.navigate(&Route::Submit.href());
    };
    view! {
        <div class="notice">
            <p>"工作人员已将这条建言退回修改，请按意见修改后重新提交（回执编号不变）。"</p>
            <button type="button" class="primary" on:click=revise>"修改后重新提交"</button>
        </div>
    }
}

/// After a reply: the submitter says how satisfied they are. 不满意 (with what is wrong) sends the
/// submission back to be handled again; no one but the holder of the receipt can give this rating.
/// The fields are read from the form when it is sent (no signal per field: bytes on every phone).
#[component]
fn RatingForm(
    code: String,
    secret: String,
    on_rated: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let target = StoredValue::new((code, secret));
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let Some(form) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let field = |name: &str| {
            web_sys::FormData::new_with_form(&form)
                .ok()
                .and_then(|data| data.get(name).as_string())
                .unwrap_or_default()
        };
        let Some(rating) = Rating::parse(&field("rating")) else {
            problem.set(Some("请选择满意、基本满意或不满意".into()));
            return;
        };
        let comment = field("comment").trim().to_owned();
        if rating == Rating::Dissatisfied && comment.is_empty() {
            problem.set(Some("请写明不满意的地方，工作人员会据此重新办理".into()));
            return;
        }
        problem.set(None);
        sending.set(true);
        let (code, secret) = target.get_value();
        let request = RateReply {
            rating,
            comment: Some(comment).filter(|comment| !comment.is_empty()),
        };
        spawn_local(async move {
            let answer = client::rate_reply(&code, &secret, &request).await;
            sending.try_set(false);
            match answer {
                Ok(_) => on_rated(),
                Err(error) => {
                    problem.try_set(Some(error.message()));
                }
            }
        });
    };
    view! {
        <form class="rating" novalidate on:submit=submit>
            <fieldset class="kinds">
                <legend>"您对答复是否满意？"</legend>
                {[Rating::Satisfied, Rating::BasicallySatisfied, Rating::Dissatisfied].map(|rating| view! {
                    <label class="chip">
                        <input type="radio" name="rating" value=rating.as_str() />
                        {rating.label()}
                    </label>
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="rating-comment">"意见（不满意时必填）"</label>
                <textarea id="rating-comment" name="comment" rows="3"></textarea>
            </div>
            <p class="error" role="alert">{move || problem.get()}</p>
            <button type="submit" class="primary" disabled=move || sending.get()>"提交评价"</button>
        </form>
    }
}
