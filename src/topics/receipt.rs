//! The receipt once the server has a submission sent from the topics app (as the members' form shows it).

use api::SubmissionStatus;
use leptos::prelude::*;

use crate::{components::status_badge::StatusBadge, format::china_time, storage::Receipt};

/// Code, secret and status, with the link that opens the submission on any device.
#[component]
pub fn ReceiptPanel(
    receipt: Receipt,
    /// Where 返回 leads, and its words.
    back: (&'static str, String),
    on_again: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let link = format!("/track/{}#{}", receipt.code, receipt.secret);
    let full_link = window()
        .location()
        .origin()
        .map(|origin| format!("{origin}{link}"))
        .unwrap_or_else(|_| link.clone());
    let (back_words, back_href) = back;
    view! {
        <section class="receipt" aria-labelledby="receipt-title">
            <h1 id="receipt-title">"提交成功"</h1>
            <dl>
                <dt>"标题"</dt>
                <dd>{receipt.title.clone()}</dd>
                <dt>"回执编号"</dt>
                <dd class="code">{receipt.code.clone()}</dd>
                <dt>"查询密码"</dt>
                <dd class="secret">{receipt.secret.clone()}</dd>
                <dt>"当前状态"</dt>
                <dd><StatusBadge status=SubmissionStatus::Submitted /></dd>
                <dt>"提交时间"</dt>
                <dd>{china_time(&receipt.submitted_at)}</dd>
            </dl>
            <p class="hint">
                "本机已保存这张回执，可在“查询进度”中查看。换用其他设备时，请保存下面的链接（含查询密码，请勿外传）："
            </p>
            <p class="link-box">{full_link}</p>
            <div class="form-actions">
                <a href=link class="button primary">"查看进度"</a>
                <a href=back_href class="button">{back_words}</a>
                <button type="button" on:click=move |_| on_again()>"再提交一条"</button>
            </div>
        </section>
    }
}
