//! 提交建言（可附文件） (`/topics/submit`): the ordinary submission form (意见建议 / 调研成果 / 社情民意)
//! with attachments, for joined members; the members' main form links here ("需要附上文件？").

use api::MemberMe;
use leptos::prelude::*;

use super::{pending::PendingSends, send::SendForm, TopicsRoute};

/// Where this form's draft is kept (the main form's is its own).
const DRAFT_KEY: &str = "jianyan.topics.draft.submit";

#[component]
pub fn SubmitWithFilesPage(me: MemberMe) -> impl IntoView {
    view! {
        <h1>"提交建言"</h1>
        <p class="intro">
            {format!("领衔人：{}（{}）。", me.name, me.unit)}
            "可以附上 PDF、Word、Excel、WPS 文档或图片。填写的内容随时保存在本机，提交后会得到回执编号。"
        </p>
        <SendForm me draft_key=DRAFT_KEY.to_owned() back=("返回课题", TopicsRoute::List.href()) />
        <p><a href="/submit">"不附文件，用普通表单提交"</a></p>
        <PendingSends />
    }
}
