use leptos::prelude::*;

use crate::members::Route;

/// Any path the app does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <h1>"页面不存在"</h1>
        <p>"您打开的地址有误。"</p>
        <p><a href=Route::Home.href()>"返回首页"</a></p>
    }
}
