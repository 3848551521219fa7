//! A QR code drawn as SVG: staff hand out invitations with it, and a joined phone shows one for the
//! member's next device.

use leptos::prelude::*;

/// The QR code of `link` as an SVG document: dark modules on white, with the quiet zone scanners need,
/// at least `size` pixels wide. `None` for a link too long for any QR code (never one of ours).
pub fn qr_svg(link: &str, size: u32) -> Option<String> {
    let code =
        qrcode::QrCode::with_error_correction_level(link.as_bytes(), qrcode::EcLevel::M).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(size, size)
        .dark_color(qrcode::render::svg::Color("#000"))
        .light_color(qrcode::render::svg::Color("#fff"))
        .build();
    // innerHTML takes the <svg> element, not the XML declaration before it.
    Some(match svg.find("<svg") {
        Some(start) => svg[start..].to_owned(),
        None => svg,
    })
}

/// A QR code picture of `link`, named for screen readers by `label`.
#[component]
pub fn QrCode(link: String, label: String, #[prop(default = 200)] size: u32) -> impl IntoView {
    let svg = qr_svg(&link, size).unwrap_or_default();
    view! { <div class="qr" role="img" aria-label=label inner_html=svg></div> }
}
