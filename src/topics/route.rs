//! Every page of the topics app by its address: one place that reads a path and one that writes it.

/// A page of the topics app (under `/topics/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicsRoute {
    /// `/topics/`: the open topics for the member's unit, and the unit's own proposals.
    List,
    /// `/topics/<id>`: one topic's full text, who claimed it, the unit's results.
    Topic { id: i64 },
    /// `/topics/<id>/result`: the research-result form for one topic.
    Result { id: i64 },
    /// `/topics/propose`: 自主选题, a unit's own topic (its 联络员 only).
    Propose,
    /// `/topics/submit`: the ordinary submission form, with attachments.
    Submit,
    /// Any other address under `/topics/`.
    NotFound,
}

impl TopicsRoute {
    /// The page for a location's `pathname`.
    pub fn parse(path: &str) -> TopicsRoute {
        let Some(rest) = path.trim_end_matches('/').strip_prefix("/topics") else {
            return TopicsRoute::NotFound;
        };
        if !rest.is_empty() && !rest.starts_with('/') {
            return TopicsRoute::NotFound;
        }
        let parts: Vec<&str> = rest.split('/').skip(1).collect();
        let id = |text: &str| text.parse::<i64>().ok().filter(|id| *id > 0);
        match parts.as_slice() {
            [] => TopicsRoute::List,
            ["propose"] => TopicsRoute::Propose,
            ["submit"] => TopicsRoute::Submit,
            [topic] => id(topic).map_or(TopicsRoute::NotFound, |id| TopicsRoute::Topic { id }),
            [topic, "result"] => {
                id(topic).map_or(TopicsRoute::NotFound, |id| TopicsRoute::Result { id })
            }
            _ => TopicsRoute::NotFound,
        }
    }

    /// The address of this page.
    pub fn href(&self) -> String {
        match self {
            TopicsRoute::List => "/topics/".into(),
            TopicsRoute::Topic { id } => format!("/topics/{id}"),
            TopicsRoute::Result { id } => format!("/topics/{id}/result"),
            TopicsRoute::Propose => "/topics/propose".into(),
            TopicsRoute::Submit => "/topics/submit".into(),
            TopicsRoute::NotFound => "/404".into(),
        }
    }

    /// The page's heading before its data is there (and on a device that has not joined).
    pub fn heading(&self) -> &'static str {
        match self {
            TopicsRoute::Result { .. } => "提交调研成果",
            TopicsRoute::Propose => "自主选题",
            TopicsRoute::Submit => "提交建言",
            TopicsRoute::List | TopicsRoute::Topic { .. } | TopicsRoute::NotFound => "课题",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TopicsRoute;

    #[test]
    fn every_route_parses_back_from_its_own_href() {
        let routes = [
            TopicsRoute::List,
            TopicsRoute::Topic { id: 7 },
            TopicsRoute::Result { id: 7 },
            TopicsRoute::Propose,
            TopicsRoute::Submit,
        ];
        for route in routes {
            assert_eq!(TopicsRoute::parse(&route.href()), route);
        }
    }

    #[test]
    fn odd_addresses_find_the_right_page_or_none() {
        let cases = [
            ("/topics", TopicsRoute::List),
            ("/topics/12/", TopicsRoute::Topic { id: 12 }),
            ("/topics/12/result/", TopicsRoute::Result { id: 12 }),
            ("/topics/0", TopicsRoute::NotFound),
            ("/topics/-3", TopicsRoute::NotFound),
            ("/topics/abc", TopicsRoute::NotFound),
            ("/topics/12/other", TopicsRoute::NotFound),
            ("/topics/12/result/x", TopicsRoute::NotFound),
            ("/topicsx", TopicsRoute::NotFound),
            ("/submit", TopicsRoute::NotFound),
        ];
        for (path, expected) in cases {
            assert_eq!(TopicsRoute::parse(path), expected, "{path}");
        }
    }
}
