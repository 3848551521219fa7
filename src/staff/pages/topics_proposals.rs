//! 自主选题申报: the topics units propose themselves. Pending ones first; an administrator approves one
//! (with a deadline: it becomes a published topic for that unit, already claimed by it) or declines it
//! with a reason the unit's 联络员 will read.

use api::topic::{DecideProposal, Decision, ListProposals, ProposalState, ProposalView};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::components::A;

use crate::{
    client::{self, ClientError},
    format::china_time,
    staff::Session,
};

#[component]
pub fn ProposalsPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let list = RwSignal::new(None::<Result<Vec<ProposalView>, String>>);
    spawn_local(async move {
        match client::list_proposals(&ListProposals::default()).await {
            Ok(found) => {
                list.try_set(Some(Ok(found)));
            }
            Err(ClientError::Api { status: 401, body }) => session.expired(body.message),
            Err(error) => {
                list.try_set(Some(Err(error.message())));
            }
        }
    });
    // A decision replaces the proposal in the page's copy.
    let decided = move |proposal: ProposalView| {
        list.update(|list| {
            if let Some(Ok(list)) = list {
                if let Some(slot) = list.iter_mut().find(|p| p.id == proposal.id) {
                    *slot = proposal;
                }
            }
        });
    };
    view! {
        <p class="no-print"><A href="/staff/topics">"← 返回课题总览"</A></p>
        <h1>"自主选题申报"</h1>
        <p class="intro">"各单位联络员申报的自主选题。同意立项后，它成为该单位的课题（已认领），成果按课题提交；不同意时请写明理由，联络员会看到。"</p>
        {move || match list.get() {
            None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
            Some(Err(text)) => view! { <div class="alert" role="alert"><p>{text}</p></div> }.into_any(),
            Some(Ok(found)) if found.is_empty() => view! { <p class="empty">"还没有单位申报自主选题。"</p> }.into_any(),
            Some(Ok(mut found)) => {
                // Pending first (oldest waiting longest at the top), then decided ones, newest first.
                found.sort_by(|a, b| {
                    let waiting = |p: &ProposalView| p.state != ProposalState::Pending;
                    waiting(a).cmp(&waiting(b)).then_with(|| if a.state == ProposalState::Pending {
                        a.created_at.cmp(&b.created_at)
                    } else {
                        b.created_at.cmp(&a.created_at)
                    })
                });
                let pending = found.iter().filter(|p| p.state == ProposalState::Pending).count();
                view! {
                    <p class="hint">{format!("待审核 {pending} 项，共 {} 项", found.len())}</p>
                    <ol class="proposals">
                        {found.into_iter().map(|proposal| view! { <Proposal proposal decided /> }).collect_view()}
                    </ol>
                }.into_any()
            }
        }}
    }
}

#[component]
fn Proposal(
    proposal: ProposalView,
    decided: impl Fn(ProposalView) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let id = proposal.id;
    let heading_id = format!("p-{}", id.0);
    let meta = format!(
        "{} · 联络员 {} · {} 申报",
        proposal.unit.name,
        proposal.contact,
        china_time(&proposal.created_at)
    );
    let decision_line = match proposal.state {
        ProposalState::Pending => None,
        ProposalState::Approved => Some(
            view! {
                <p class="done">
                    {format!("已同意立项（{}）", proposal.decided_at.as_deref().map(china_time).unwrap_or_default())}
                    {proposal.topic_id.map(|t| view! { " · " <A href=format!("/staff/topics/{}", t.0)>"查看课题看板"</A> })}
                </p>
            }
            .into_any(),
        ),
        ProposalState::Declined => Some(
            view! { <p class="declined">{format!("未同意：{}", proposal.reason.clone().unwrap_or_default())}</p> }
                .into_any(),
        ),
    };
    let pending = proposal.state == ProposalState::Pending;
    view! {
        <li class="panel proposal" class:pending=pending>
            <h2 id=heading_id>
                {proposal.title.clone()} " "
                <span class=format!("badge proposal-{}", proposal.state.as_str())>{proposal.state.label()}</span>
            </h2>
            <p class="meta">{meta}</p>
            <h3>"背景"</h3>
            <div class="body-text">{proposal.background.clone()}</div>
            <h3>"调研计划"</h3>
            <div class="body-text">{proposal.plan.clone()}</div>
            {decision_line}
            {move || (pending && session.is_admin()).then(|| view! { <DecisionForms proposal=id title=proposal.title.clone() decided /> })}
        </li>
    }
}

/// 同意立项 (a deadline, a category) and 不同意 (a reason), each its own small form.
#[component]
fn DecisionForms(
    proposal: api::ProposalId,
    title: String,
    decided: impl Fn(ProposalView) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let deadline = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(api::FieldErrors::new());
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let send = move |approve: bool| {
        if busy.get_untracked() {
            return;
        }
        let decision = DecideProposal {
            approve,
            reason: (!approve).then(|| reason.get_untracked()),
            deadline: approve.then(|| deadline.get_untracked()),
            category: approve
                .then(|| category.get_untracked())
                .filter(|c| !c.trim().is_empty()),
        };
        if let Err(found) = Decision::parse(&decision) {
            errors.set(found);
            return;
        }
        errors.set(Default::default());
        busy.set(true);
        spawn_local(async move {
            let answer = client::decide_proposal(proposal, &decision).await;
            busy.try_set(false);
            match answer {
                Ok(view) => decided(view),
                Err(ClientError::Api { status: 401, body }) => session.expired(body.message),
                Err(ClientError::Api { body, .. }) => {
                    errors.try_set(body.fields);
                    message.try_set(Some(body.message));
                }
                Err(error) => {
                    message.try_set(Some(error.message()));
                }
            }
        });
    };
    let error = move |field: &'static str| move || errors.with(|e| e.get(field).cloned());
    let n = proposal.0;
    view! {
        {move || message.get().map(|text| view! { <div class="alert" role="alert"><p>{text}</p></div> })}
        <div class="decision-forms">
            <form class="inline-form" aria-label=format!("同意立项「{title}」")
                on:submit=move |e: leptos::ev::SubmitEvent| { e.prevent_default(); send(true) }>
                <div class="field" class:invalid=move || error("deadline")().is_some()>
                    <label for=format!("p-deadline-{n}")>"截止日期"</label>
                    <input id=format!("p-deadline-{n}") type="date" prop:value=deadline
                        on:input=move |e| deadline.set(event_target_value(&e)) aria-describedby=format!("p-deadline-{n}-error") />
                    <p class="error" id=format!("p-deadline-{n}-error") aria-live="polite">{error("deadline")}</p>
                </div>
                <div class="field" class:invalid=move || error("category")().is_some()>
                    <label for=format!("p-category-{n}")>"类别（不填为 自主选题）"</label>
                    <input id=format!("p-category-{n}") type="text" prop:value=category
                        on:input=move |e| category.set(event_target_value(&e)) aria-describedby=format!("p-category-{n}-error") />
                    <p class="error" id=format!("p-category-{n}-error") aria-live="polite">{error("category")}</p>
                </div>
                <button type="submit" class="primary" disabled=move || busy.get()>"同意立项"</button>
            </form>
            <form class="inline-form" aria-label=format!("不同意「{title}」")
                on:submit=move |e: leptos::ev::SubmitEvent| { e.prevent_default(); send(false) }>
                <div class="field wide" class:invalid=move || error("reason")().is_some()>
                    <label for=format!("p-reason-{n}")>"不同意的理由（联络员会看到）"</label>
                    <textarea id=format!("p-reason-{n}") rows="2" prop:value=reason
                        on:input=move |e| reason.set(event_target_value(&e)) aria-describedby=format!("p-reason-{n}-error")></textarea>
                    <p class="error" id=format!("p-reason-{n}-error") aria-live="polite">{error("reason")}</p>
                </div>
                <button type="submit" disabled=move || busy.get()>"不同意"</button>
            </form>
        </div>
    }
}
