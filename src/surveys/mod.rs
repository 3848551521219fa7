//! The members' 问卷 app under `/surveys/`: the surveys open to the member (`/surveys/`), answering one
//! (`/surveys/<id>`), and a public-link survey anyone with its link may answer once per device
//! (`/surveys/link/<key>`). A bundle of its own (surveys.html, built into dist/surveys), so neither the
//! submit form nor 我的 carries any of it; pages of the apps link to each other with ordinary links.

mod answer;
mod list;
mod outbox;

use api::survey::SurveyId;
use leptos::prelude::*;

use self::{answer::SurveyPage, list::ListPage, outbox::SurveyOutbox};
use crate::client::SurveyRef;

/// The list of open surveys.
pub const LIST_PAGE: &str = "/surveys/";

/// What an address under `/surveys/` shows.
#[derive(Debug, PartialEq)]
enum Page {
    List,
    Survey(SurveyRef),
    NotFound,
}

/// The page for the address the member opened: a match on the path is the router.
#[component]
pub fn SurveysApp() -> impl IntoView {
    SurveyOutbox::provide();
    let path = window().location().pathname().unwrap_or_default();
    let page = match page_for(&path) {
        Page::List => view! { <ListPage /> }.into_any(),
        Page::Survey(survey) => view! { <SurveyPage survey /> }.into_any(),
        Page::NotFound => view! {
            <h1>"问卷"</h1>
            <p class="notice">"没有这份问卷，请检查链接是否完整。"</p>
            <p><a href=LIST_PAGE>"查看全部问卷"</a></p>
        }
        .into_any(),
    };
    view! {
        <header class="app-bar"><a href="/" class="brand">"同心建言"</a></header>
        <main id="main">{page}</main>
    }
}

fn page_for(path: &str) -> Page {
    let Some(rest) = path.strip_prefix(LIST_PAGE) else {
        return Page::List;
    };
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() {
        return Page::List;
    }
    if let Some(key) = rest.strip_prefix("link/") {
        return if !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            Page::Survey(SurveyRef::Link(key.to_owned()))
        } else {
            Page::NotFound
        };
    }
    match rest.parse() {
        Ok(id) if id > 0 => Page::Survey(SurveyRef::Member(SurveyId(id))),
        _ => Page::NotFound,
    }
}

/// The address of one survey's page.
pub fn survey_href(id: i64) -> String {
    format!("{LIST_PAGE}{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_survey_page_is_found_by_its_path_and_the_list_by_the_bare_prefix() {
        let cases = [
            ("/surveys/", Page::List),
            ("/surveys", Page::List),
            ("/surveys/12", Page::Survey(SurveyRef::Member(SurveyId(12)))),
            (
                "/surveys/12/",
                Page::Survey(SurveyRef::Member(SurveyId(12))),
            ),
            (
                "/surveys/link/Ab3_x-9",
                Page::Survey(SurveyRef::Link("Ab3_x-9".into())),
            ),
            ("/surveys/link/", Page::NotFound),
            ("/surveys/12/x", Page::NotFound),
            ("/surveys/0", Page::NotFound),
            ("/surveys/abc", Page::NotFound),
        ];
        for (path, expected) in cases {
            assert_eq!(page_for(path), expected, "{path}");
        }
    }
}
