//! The members' 问卷 app under `/surveys/`: the surveys open to the member (`/surveys/`) and answering
//! one (`/surveys/<id>`). A bundle of its own (surveys.html, built into dist/surveys), so neither the
//! submit form nor 我的 carries any of it; pages of the apps link to each other with ordinary links.

use leptos::prelude::*;

/// The list of open surveys.
pub const LIST_PAGE: &str = "/surveys/";

/// The page for the address the member opened: a list and one page per survey, so a match on the path
/// is the router.
#[component]
pub fn SurveysApp() -> impl IntoView {
    let path = window().location().pathname().unwrap_or_default();
    let page = match survey_in_path(&path) {
        Some(id) => view! { <h1>"问卷"</h1><p>{id}</p> }.into_any(),
        None => view! { <h1>"问卷"</h1> }.into_any(),
    };
    view! {
        <header class="app-bar"><a href="/" class="brand">"同心建言"</a></header>
        <main id="main">{page}</main>
    }
}

/// The survey id in `/surveys/<id>`, if the path names one.
fn survey_in_path(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/surveys/")?.trim_end_matches('/');
    (!rest.is_empty() && !rest.contains('/')).then(|| rest.to_owned())
}

/// The address of one survey's page.
pub fn survey_href(id: impl std::fmt::Display) -> String {
    format!("{LIST_PAGE}{id}")
}

#[cfg(test)]
mod tests {
    use super::survey_in_path;

    #[test]
    fn a_survey_page_is_found_by_its_path_and_the_list_by_any_other() {
        let cases = [
            ("/surveys/", None),
            ("/surveys", None),
            ("/surveys/12", Some("12")),
            ("/surveys/12/", Some("12")),
            ("/surveys/12/x", None),
        ];
        for (path, expected) in cases {
            assert_eq!(survey_in_path(path).as_deref(), expected, "{path}");
        }
    }
}
