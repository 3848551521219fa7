//! Security headers on every response: a Content-Security-Policy under which only our own files, the
//! WebAssembly they compile, and the inline scripts of the apps' pages (trunk's loader among them) can run,
//! each allowed by its hash; and the headers that stop MIME sniffing, framing and referrer leaks.

use std::path::Path;

use axum::{
    extract::State,
    http::{header, HeaderName, HeaderValue},
    response::Response,
};
use base64::{engine::general_purpose::STANDARD, Engine};
use sha2::{Digest, Sha256};

/// The headers every response carries.
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    csp: HeaderValue,
}

impl SecurityHeaders {
    /// The headers for a site serving the frontend in `static_dir` (or only the API when `None`).
    ///
    /// The members' `index.html`, their account app's `me/index.html` and the staff's `staff/index.html`
    /// are read once, now: trunk writes a new inline loader with every build, so the server must be
    /// restarted after the frontend is rebuilt.
    pub fn for_site(static_dir: Option<&Path>) -> Self {
        let pages: Vec<String> = static_dir
            .map(|dir| {
                [
                    dir.join("index.html"),
                    dir.join("staff").join("index.html"),
                    dir.join("me").join("index.html"),
                    dir.join("topics").join("index.html"),
                    dir.join("topics").join("send").join("index.html"),
                ]
                .iter()
                .filter_map(|path| {
                    std::fs::read_to_string(path)
                        .inspect_err(|error| {
                            tracing::warn!(
                                path = %path.display(), %error,
                                "cannot read a page: its inline scripts will be blocked by the CSP"
                            );
                        })
                        .ok()
                })
                .collect()
            })
            .unwrap_or_default();
        // One policy for every app: the hashes of every inline script of any of their pages.
        Self::for_index((!pages.is_empty()).then(|| pages.join("\n")).as_deref())
    }

    /// The headers for a site whose `index.html` is `index_html`.
    pub fn for_index(index_html: Option<&str>) -> Self {
        let policy = content_security_policy(index_html);
        let csp = HeaderValue::from_str(&policy)
            .expect("the policy is built from ASCII keywords and base64 hashes");
        Self { csp }
    }
}

/// Middleware (`map_response_with_state`): sets the headers on whatever the inner service answered.
pub async fn add_headers(
    State(headers): State<SecurityHeaders>,
    mut response: Response,
) -> Response {
    let fixed: [(HeaderName, HeaderValue); 4] = [
        (header::CONTENT_SECURITY_POLICY, headers.csp),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    ];
    for (name, value) in fixed {
        // Replaces rather than appends: one policy, whatever an inner layer may have set.
        response.headers_mut().insert(name, value);
    }
    response
}

/// The policy for a site whose `index.html` is `index_html`.
fn content_security_policy(index_html: Option<&str>) -> String {
    let hashes: String = index_html
        .map(inline_script_hashes)
        .unwrap_or_default()
        .iter()
        .map(|hash| format!(" '{hash}'"))
        .collect();
    [
        "default-src 'self'".to_owned(),
        // 'wasm-unsafe-eval' lets the page compile WebAssembly, and nothing more: eval() stays blocked.
        format!("script-src 'self' 'wasm-unsafe-eval'{hashes}"),
        "style-src 'self'".into(),
        "img-src 'self' data:".into(),
        "connect-src 'self'".into(),
        "manifest-src 'self'".into(),
        "worker-src 'self'".into(),
        "object-src 'none'".into(),
        "base-uri 'none'".into(),
        "form-action 'self'".into(),
        "frame-ancestors 'none'".into(),
    ]
    .join("; ")
}

/// `sha256-<base64>` of each inline `<script>`'s text, as a browser hashes it to check it against the CSP.
fn inline_script_hashes(html: &str) -> Vec<String> {
    // ASCII lower-casing keeps every byte offset, so positions found in `lower` slice `html` too.
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut from = 0;
    while let Some(found) = lower[from..].find("<script") {
        let tag_start = from + found;
        let Some(tag_len) = lower[tag_start..].find('>') else {
            break;
        };
        let text_start = tag_start + tag_len + 1;
        let Some(text_len) = lower[text_start..].find("</script") else {
            break;
        };
        if !has_src(&lower[tag_start..text_start]) {
            hashes.push(sha256_source(&html[text_start..text_start + text_len]));
        }
        from = text_start + text_len;
    }
    hashes
}

/// Whether a `<script …>` tag loads a file (whose text is not inline).
fn has_src(tag: &str) -> bool {
    tag.split(|c: char| c.is_ascii_whitespace() || c == '>')
        .any(|attribute| attribute == "src" || attribute.starts_with("src="))
}

fn sha256_source(script: &str) -> String {
    // The HTML parser turns CRLF and lone CR into LF before the browser hashes the text.
    let text = script.replace("\r\n", "\n").replace('\r', "\n");
    format!(
        "sha256-{}",
        STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected hashes computed outside Rust: printf '%s' "$script" | openssl dgst -sha256 -binary | base64
    const ALERT_HASH: &str = "sha256-fXLMbXWayHLM5rzsqYXvXVpDyjISSpuMrZS10pboRZ0=";

    #[test]
    fn each_inline_script_is_hashed_exactly_and_scripts_with_src_are_not() {
        let cases: [(&str, Vec<&str>, &str); 6] = [
            (
                "<script>alert(\"同心\");</script>",
                vec![ALERT_HASH],
                "one inline script",
            ),
            (
                "<SCRIPT type=module>alert(\"同心\");</Script>",
                vec![ALERT_HASH],
                "tags in any case",
            ),
            (
                "<script>\r\nconsole.log(\"boot\");\r\n</script>",
                vec!["sha256-iXrAlZ9v8MmcHRU8k0xG3yARmjRCJk0QgDFFJl3QNUs="],
                "CRLF hashed as the browser sees it, LF",
            ),
            ("<script src=\"/app.js\"></script>", vec![], "a file"),
            (
                "<script type=\"module\" src='/a.js'></script><script>alert(\"同心\");</script>",
                vec![ALERT_HASH],
                "a file, then an inline script",
            ),
            (
                "<p>no scripts</p><script>unclosed",
                vec![],
                "nothing closed",
            ),
        ];
        for (html, expected, why) in cases {
            assert_eq!(inline_script_hashes(html), expected, "{why}");
        }
    }

    #[test]
    fn the_policy_allows_inline_scripts_only_by_hash() {
        let policy = content_security_policy(Some("<script>alert(\"同心\");</script>"));
        let script_src = policy
            .split("; ")
            .find(|directive| directive.starts_with("script-src "))
            .expect("a script-src directive");
        assert_eq!(
            script_src,
            format!("script-src 'self' 'wasm-unsafe-eval' '{ALERT_HASH}'")
        );
        assert!(!policy.contains("'unsafe-inline'") && !policy.contains("'unsafe-eval'"));
    }
}
