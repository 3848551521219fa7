use leptos::prelude::*;

use crate::members::Route;

/// What one can do here, as two large targets for a thumb.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <section class="hero">
            <h1>"同心建言"</h1>
            <p>"党委出题 · 党派调研 · 建言献策"</p>
        </section>
        <nav class="actions" aria-label="主要功能">
            <a href=Route::Submit.href() class="action primary">
                <span>"提交建言"</span>
                <small>"意见建议、调研成果、社情民意"</small>
            </a>
            <a href=Route::Track.href() class="action">
                <span>"查询进度"</span>
                <small>"查看本机的提交，或凭回执编号查询"</small>
            </a>
            <a href="/topics/" class="action">
                <span>"课题"</span>
                <small>"党委出题、本单位认领和调研成果"</small>
            </a>
            <a href="/me/" class="action">
                <span>"我的"</span>
                <small>"凭邀请加入后，在任何设备上查看自己的提交"</small>
            </a>
        </nav>
    }
}
