//! Every page of the members' app by its address: one place that reads a path and one that writes it.
//!
//! index.html paints a static copy of some pages before the wasm arrives; `Route::painted_by_index_html`
//! lists them and a test keeps index.html's copy in step with it.

/// A page of the members' app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/`: what one can do here.
    Home,
    /// `/submit`: the form (a new submission, or an outbox item being fixed: see `pages::submit`).
    Submit,
    /// `/track`: this device's submissions, and a lookup by code and secret.
    Track,
    /// `/track/<code>`: one submission; its secret travels in the `#fragment`, never to the server.
    Submission { code: String },
    /// Any other address.
    NotFound,
}

impl Route {
    /// The page for a location's `pathname`.
    pub fn parse(path: &str) -> Route {
        match path.trim_end_matches('/') {
            "" => Route::Home,
            "/submit" => Route::Submit,
            "/track" => Route::Track,
            other => match other.strip_prefix("/track/") {
                Some(code) if !code.is_empty() && !code.contains('/') => Route::Submission {
                    code: code.to_owned(),
                },
                _ => Route::NotFound,
            },
        }
    }

    /// The address of this page.
    pub fn href(&self) -> String {
        match self {
            Route::Home => "/".into(),
            Route::Submit => "/submit".into(),
            Route::Track => "/track".into(),
            Route::Submission { code } => format!("/track/{code}"),
            Route::NotFound => "/404".into(),
        }
    }

    /// The link to one submission that opens it on any device: its secret rides in the fragment.
    pub fn submission_with_secret(code: &str, secret: &str) -> String {
        format!(
            "{}#{secret}",
            Route::Submission {
                code: code.to_owned()
            }
            .href()
        )
    }

    /// The heading and introduction index.html paints for this page before the app starts, if any.
    /// The page itself shows the same two texts.
    pub fn painted_by_index_html(&self) -> Option<(&'static str, &'static str)> {
        match self {
            Route::Submit => Some(("提交建言", SUBMIT_INTRO)),
            Route::Track => Some(("查询进度", TRACK_INTRO)),
            _ => None,
        }
    }
}

/// The introduction of 提交建言.
pub const SUBMIT_INTRO: &str = "请写明案由、现状与问题和具体建议。填写的内容随时保存在本机，网络不好也不会丢失；提交后会得到回执编号，可随时查询办理进度。";
/// The introduction of 查询进度.
pub const TRACK_INTRO: &str =
    "这里列出本机提交的建言及其办理状态；在其他设备上提交的，可凭回执编号和查询密码查询。";

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn every_route_parses_back_from_its_own_href() {
        let routes = [
            Route::Home,
            Route::Submit,
            Route::Track,
            Route::Submission {
                code: "JY-2026-000123".into(),
            },
        ];
        for route in routes {
            assert_eq!(Route::parse(&route.href()), route);
        }
    }

    #[test]
    fn odd_addresses_find_the_right_page_or_none() {
        let cases = [
            ("/submit/", Route::Submit),
            ("/track/", Route::Track),
            ("/track", Route::Track),
            ("/track/JY-2026-000001/more", Route::NotFound),
            ("/staff", Route::NotFound),
            ("/no/such/page", Route::NotFound),
        ];
        for (path, expected) in cases {
            assert_eq!(Route::parse(path), expected, "{path}");
        }
    }

    /// index.html paints these pages from a map of its own (it runs before the wasm); this keeps the map
    /// saying exactly what the pages say.
    #[test]
    fn index_html_paints_each_page_with_the_page_s_own_heading_and_introduction() {
        let index = include_str!("../../index.html");
        for route in [Route::Submit, Route::Track] {
            let (heading, intro) = route.painted_by_index_html().expect("painted");
            let entry = format!("'{}': ['{heading}', '{intro}']", route.href());
            assert!(index.contains(&entry), "index.html lacks {entry}");
        }
        assert_eq!(
            index.matches("': ['").count(),
            2,
            "index.html paints a page the app does not list"
        );
    }
}
