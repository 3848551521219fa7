//! 工作台: what a logged-in staff member can do. For now: download the submissions as Excel.

use leptos::{prelude::*, task::spawn_local};
use wasm_bindgen::{JsCast, JsValue};

use crate::{client, staff::Session};

/// The first year the system holds submissions from; the year list runs from now back to it.
const FIRST_YEAR: i32 = 2026;

#[component]
pub fn Workbench() -> impl IntoView {
    let session = expect_context::<Session>();
    let greeting = move || session.staff().map(|staff| format!("{}，您好", staff.name));
    view! {
        <h1>"工作台"</h1>
        <p class="intro">{greeting}</p>
        <ExportPanel />
    }
}

/// 导出建言: every submission of a year (or of all years) as an .xlsx for reports.
#[component]
fn ExportPanel() -> impl IntoView {
    let session = expect_context::<Session>();
    let this_year = js_sys::Date::new_0().get_full_year() as i32;
    let year = RwSignal::new(this_year.to_string());
    let state = RwSignal::new(ExportState::Idle);

    let download = move |_| {
        let Some(token) = session.token() else {
            return;
        };
        if state.get_untracked() == ExportState::Working {
            return;
        }
        let chosen = year.get_untracked().parse::<i32>().ok();
        state.set(ExportState::Working);
        spawn_local(async move {
            let outcome = match client::export_submissions(&token, chosen).await {
                Ok(bytes) => match save_file(&bytes, &file_name(chosen)) {
                    Ok(()) => ExportState::Done(file_name(chosen)),
                    Err(_) => ExportState::Failed("浏览器没有保存文件，请重试".into()),
                },
                Err(client::ClientError::Api { status: 401, body }) => {
                    session.end(Some(body.message));
                    return;
                }
                Err(error) => ExportState::Failed(error.message()),
            };
            // `try_`: the staff member may have logged out while the file was being made.
            state.try_set(outcome);
        });
    };

    let years = (FIRST_YEAR.min(this_year)..=this_year).rev();
    view! {
        <section class="panel" aria-labelledby="export">
            <h2 id="export">"导出建言"</h2>
            <p class="hint">"每条建言一行：回执编号、提交时间、类别、标题、单位、领衔人、联系电话、联名人、状态和内容，可在 Excel 或 WPS 中打开。"</p>
            <div class="inline-form">
                <div class="field">
                    <label for="year">"年份"</label>
                    <select id="year" prop:value=year on:change=move |event| year.set(event_target_value(&event))>
                        {years.map(|y| view! { <option value=y.to_string()>{format!("{y} 年")}</option> }).collect_view()}
                        <option value="all">"全部年份"</option>
                    </select>
                </div>
                <button type="button" class="primary" on:click=download disabled=move || state.get() == ExportState::Working>
                    {move || if state.get() == ExportState::Working { "正在生成…" } else { "下载 Excel" }}
                </button>
            </div>
            <p role="status">
                {move || match state.get() {
                    ExportState::Done(name) => view! { <span class="done">{format!("已下载 {name}")}</span> }.into_any(),
                    ExportState::Failed(message) => view! { <span class="error">{message}</span> }.into_any(),
                    _ => ().into_any(),
                }}
            </p>
        </section>
    }
}

#[derive(Debug, Clone, PartialEq)]
enum ExportState {
    Idle,
    Working,
    Done(String),
    Failed(String),
}

fn file_name(year: Option<i32>) -> String {
    match year {
        Some(year) => format!("建言列表-{year}年.xlsx"),
        None => "建言列表.xlsx".into(),
    }
}

/// Hands `bytes` to the browser as a download named `name`.
fn save_file(bytes: &[u8], name: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document().create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The download has its own reference to the blob; the URL can go once the click is handled.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(10),
    );
    Ok(())
}
