//! 自主选题 (`/topics/propose`): the unit's 联络员 proposes a topic of the unit's own: title, background
//! and plan. What is typed is kept on the device as a draft until the server has the proposal.

use api::{
    topic::{CreateProposal, ProposalDetails, ProposalView},
    FieldErrors, MemberMe,
};
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};

use super::{
    fields::{LineField, LongField},
    TopicsRoute,
};
use crate::{client, storage};

/// Where the draft is kept (one per device: one 联络员 per phone).
const DRAFT_KEY: &str = "jianyan.topics.proposal";

#[component]
pub fn ProposePage(me: MemberMe) -> impl IntoView {
    if !me.is_contact {
        return view! {
            <h1>"自主选题"</h1>
            <p class="notice">
                "自主选题由本单位联络员申报。您有想研究的课题，请告诉本单位联络员；联络员可以在这里申报，统战部同意后即成为本单位的课题。"
            </p>
            <p><a href=TopicsRoute::List.href()>"返回课题列表"</a></p>
        }
        .into_any();
    }
    let draft: CreateProposal = storage::load(DRAFT_KEY).unwrap_or_default();
    let title = RwSignal::new(draft.title);
    let background = RwSignal::new(draft.background);
    let plan = RwSignal::new(draft.plan);
    let request = move || CreateProposal {
        title: title.get(),
        background: background.get(),
        plan: plan.get(),
    };
    let attempted = RwSignal::new(false);
    let server_errors = RwSignal::new(FieldErrors::new());
    let failure = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let sent = RwSignal::new(None::<ProposalView>);
    let kept = RwSignal::new(true);
    Effect::new(move |_| {
        let request = request();
        if sent.get_untracked().is_none() {
            kept.set(storage::save(DRAFT_KEY, &request));
        }
        server_errors.set(FieldErrors::new());
    });
    let messages = Memo::new(move |_| {
        let mut errors = if attempted.get() {
            ProposalDetails::parse(&request()).err().unwrap_or_default()
        } else {
            FieldErrors::new()
        };
        errors.extend(server_errors.get());
        errors
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        attempted.set(true);
        let proposal = request();
        if ProposalDetails::parse(&proposal).is_err() {
            return;
        }
        sending.set(true);
        failure.set(None);
        spawn_local(async move {
            let answer = client::create_proposal(&proposal).await;
            sending.try_set(false);
            match answer {
                Ok(view) => {
                    storage::remove(DRAFT_KEY);
                    sent.try_set(Some(view));
                }
                Err(client::ClientError::Api { body, .. }) if !body.fields.is_empty() => {
                    server_errors.try_set(body.fields);
                }
                Err(error) => {
                    failure.try_set(Some(format!(
                        "{}。填写的内容已保存在本机，可稍后再提交。",
                        error.message().trim_end_matches('。')
                    )));
                }
            }
        });
    };
    view! {
        {move || match sent.get() {
            Some(proposal) => view! {
                <section class="receipt" aria-labelledby="proposal-sent">
                    <h1 id="proposal-sent">"已申报"</h1>
                    <p>{format!("“{}”已提交统战部审核，结果会显示在课题列表的“自主选题”中。", proposal.title)}</p>
                    <p><a href=TopicsRoute::List.href() class="button primary">"返回课题列表"</a></p>
                </section>
            }
            .into_any(),
            None => view! {
                <h1>"自主选题"</h1>
                <p class="intro">{format!("以{}的名义申报本单位自己的调研课题。统战部同意后，它就成为本单位的课题。", me.unit)}</p>
                <form class="submission" novalidate on:submit=on_submit>
                    <fieldset class="plain" disabled=move || sending.get()>
                        <LineField field="title" label="课题名称" hint="5 至 60 字，一句话说明研究什么" value=title messages />
                        <LongField field="background" label="背景" hint="为什么要研究：现状、问题和意义" value=background messages />
                        <LongField field="plan" label="调研计划" hint="怎么调研、分几步、何时完成" value=plan messages />
                    </fieldset>
                    {move || failure.get().map(|message| view! { <div class="alert" role="alert"><p>{message}</p></div> })}
                    <div class="form-actions">
                        <button type="submit" class="primary" disabled=move || sending.get()>
                            {move || if sending.get() { "正在提交…" } else { "提交申报" }}
                        </button>
                        <p class="draft-status" aria-live="polite">
                            {move || if kept.get() { "草稿已保存在本机" } else { "这台设备无法保存草稿，请尽快提交" }}
                        </p>
                    </div>
                </form>
            }
            .into_any(),
        }}
    }
    .into_any()
}
