//! Staff's file uploads: the file itself is the request body (the browser streams it from disk), its
//! name travels percent-encoded in a header.

use api::attachment::{AttachmentView, FILE_NAME_HEADER};
use gloo_net::http::Request;
use wasm_bindgen::JsValue;

use super::{read, ClientError};

/// `POST /api/staff/attachments` with `file` as the body; the answer's id goes into the record.
pub async fn upload_attachment(file: &web_sys::File) -> Result<AttachmentView, ClientError> {
    let name: String = js_sys::encode_uri_component(&file.name()).into();
    let request = Request::post("/api/staff/attachments")
        .header(FILE_NAME_HEADER, &name)
        .header("Content-Type", "application/octet-stream")
        .body(JsValue::from(file.clone()))
        .map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}
