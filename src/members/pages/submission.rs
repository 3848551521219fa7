//! One submission as its submitter sees it: status and public timeline.

use api::SubmissionView;
use leptos::prelude::*;

use crate::{
    client::{self, ClientError},
    components::{status_badge::StatusBadge, timeline::Timeline},
    format::china_time,
    load::load,
    members::{location::Location, Route},
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
            keep_receipt(&view, secret);
            view! { <SubmissionDetails submission=view /> }.into_any()
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
fn SubmissionDetails(submission: SubmissionView) -> impl IntoView {
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
