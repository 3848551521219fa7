//! 导入名册 (administrators): choose the department's spreadsheet (.xlsx or CSV), see row by row what it
//! would add, change and refuse, then 确认导入. The preview stores nothing; the commit sends the same
//! file again and the server plans it afresh, so a roster changed in between is not overwritten blindly.

use api::roster::{RosterImportReport, RosterRow};
use leptos::{prelude::*, task::spawn_local};
use wasm_bindgen::JsCast;

use crate::{
    client::{self, ClientError},
    staff::Session,
};

/// Where the import stands.
#[derive(Debug, Clone, PartialEq)]
enum Import {
    /// No file read yet.
    Choosing,
    /// The server is reading the file for a preview.
    Reading,
    /// What the file would do; nothing stored.
    Preview(RosterImportReport),
    /// 确认导入 was pressed; the server is storing.
    Storing(RosterImportReport),
    /// Stored.
    Stored(RosterImportReport),
    /// The file could not be read, or the request failed; the file is still chosen.
    Failed(String),
}

/// What happens to the import.
enum Event {
    FileChosen,
    Previewed(RosterImportReport),
    CommitPressed,
    Stored(RosterImportReport),
    Failed(String),
}

/// The one place the state changes.
fn next(state: &Import, event: Event) -> Import {
    match (state, event) {
        (_, Event::FileChosen) => Import::Reading,
        (_, Event::Previewed(report)) => Import::Preview(report),
        (Import::Preview(report), Event::CommitPressed) => Import::Storing(report.clone()),
        (_, Event::CommitPressed) => state.clone(),
        (_, Event::Stored(report)) => Import::Stored(report),
        (_, Event::Failed(message)) => Import::Failed(message),
    }
}

#[component]
pub fn RosterImport(on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let session = expect_context::<Session>();
    let state = RwSignal::new(Import::Choosing);
    // A browser `File` is not `Send`: it stays in this thread-local slot, owned by the component.
    let file = StoredValue::new_local(None::<web_sys::File>);
    let happen = move |event: Event| state.try_update(|state| *state = next(state, event));
    let send = move |commit: bool| {
        let Some(chosen) = file.get_value() else {
            return;
        };
        spawn_local(async move {
            match client::import_roster(&chosen, commit).await {
                Ok(report) if commit => {
                    happen(Event::Stored(report));
                    on_done();
                }
                Ok(report) => {
                    happen(Event::Previewed(report));
                }
                Err(ClientError::Api { status: 401, body }) => session.expired(body.message),
                Err(error) => {
                    happen(Event::Failed(error.message()));
                }
            }
        });
    };
    let chosen = move |event: leptos::ev::Event| {
        let input = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok());
        let picked = input
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let any = picked.is_some();
        file.set_value(picked);
        if any {
            happen(Event::FileChosen);
            send(false);
        }
    };
    let commit = move |_| {
        if matches!(state.get_untracked(), Import::Preview(_)) {
            happen(Event::CommitPressed);
            send(true);
        }
    };
    view! {
        <section class="panel" aria-labelledby="import-title">
            <h2 id="import-title">"导入名册"</h2>
            <p class="hint">"Excel（.xlsx，读取第一个工作表）或 CSV（UTF-8）文件，第一行为表头：姓名、单位、手机号、职务（可空）、联络员（是/否）。按手机号匹配已有成员。先预览，确认后才保存。"</p>
            <div class="field">
                <label for="roster-file">"名册文件"</label>
                <input id="roster-file" type="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" on:change=chosen />
            </div>
            <div aria-live="polite">
                {move || match state.get() {
                    Import::Choosing => ().into_any(),
                    Import::Reading => view! { <p class="loading">"正在读取文件…"</p> }.into_any(),
                    Import::Failed(message) => view! { <div class="alert" role="alert"><p>{message}</p></div> }.into_any(),
                    Import::Preview(report) => view! {
                        <ImportReport report=report.clone() />
                        <div class="row-actions">
                            <button type="button" class="primary" disabled=report.added.is_empty() && report.updated.is_empty() on:click=commit>"确认导入"</button>
                            <span class="hint">"无法导入的行不会保存；改好文件后可再次导入。"</span>
                        </div>
                    }
                    .into_any(),
                    Import::Storing(report) => view! {
                        <ImportReport report />
                        <p class="loading">"正在保存…"</p>
                    }
                    .into_any(),
                    Import::Stored(report) => view! {
                        <p class="done" role="status">{format!(
                            "已导入：新增 {} 人，更新 {} 人，未变 {} 人，未导入 {} 行。",
                            report.added.len(), report.updated.len(), report.unchanged.len(), report.rejected.len()
                        )}</p>
                    }
                    .into_any(),
                }}
            </div>
        </section>
    }
}

/// The preview: counts, then the rows to add, to change (with what changes) and refused (with why).
#[component]
fn ImportReport(report: RosterImportReport) -> impl IntoView {
    let summary = format!(
        "将新增 {} 人，更新 {} 人，未变 {} 人，无法导入 {} 行",
        report.added.len(),
        report.updated.len(),
        report.unchanged.len(),
        report.rejected.len()
    );
    let people = |caption: &'static str, rows: Vec<RosterRow>| {
        (!rows.is_empty()).then(|| view! {
            <div class="table-wrap">
                <table class="desk-list">
                    <caption>{caption}</caption>
                    <thead><tr>
                        <th scope="col">"行"</th><th scope="col">"姓名"</th><th scope="col">"单位"</th>
                        <th scope="col">"手机号"</th><th scope="col">"职务"</th><th scope="col">"联络员"</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr>
                                <td>{r.row}</td><td class="nowrap">{r.name}</td><td>{r.unit}</td><td class="nowrap">{r.phone}</td>
                                <td>{r.position.unwrap_or_default()}</td><td>{if r.is_contact { "是" } else { "否" }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })
    };
    view! {
        <p><strong>{summary}</strong></p>
        {(!report.rejected.is_empty()).then(|| view! {
            <div class="table-wrap">
                <table class="desk-list">
                    <caption>"无法导入的行"</caption>
                    <thead><tr>
                        <th scope="col">"行"</th><th scope="col">"姓名"</th><th scope="col">"手机号"</th><th scope="col">"原因"</th>
                    </tr></thead>
                    <tbody>
                        {report.rejected.into_iter().map(|r| view! {
                            <tr><td>{r.row}</td><td class="nowrap">{r.name}</td><td class="nowrap">{r.phone}</td><td>{r.reason}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        {people("将新增的成员", report.added)}
        {(!report.updated.is_empty()).then(|| view! {
            <div class="table-wrap">
                <table class="desk-list">
                    <caption>"将更新的成员（按手机号匹配）"</caption>
                    <thead><tr>
                        <th scope="col">"行"</th><th scope="col">"姓名"</th><th scope="col">"手机号"</th><th scope="col">"变化"</th>
                    </tr></thead>
                    <tbody>
                        {report.updated.into_iter().map(|u| view! {
                            <tr>
                                <td>{u.row.row}</td><td class="nowrap">{u.row.name}</td><td class="nowrap">{u.row.phone}</td>
                                <td>{u.changes.into_iter().map(|c| format!("{}：{} → {}", c.field, c.from, c.to)).collect::<Vec<_>>().join("；")}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}
