//! Resumable uploads (`/api/uploads`, see `api::upload`): announce a file, send it in chunks at the
//! offset the server holds, and after a dropped connection or a reload ask that offset and go on.

use api::upload::{
    CreateUpload, UploadId, UploadLimits, UploadState, CHUNK_BYTES, CHUNK_CONTENT_TYPE,
    OFFSET_HEADER,
};
use gloo_net::http::Request;
use wasm_bindgen::JsValue;

use super::{check, read, ClientError};

/// `GET /api/uploads/limits`: the server's size and count limits, for the picker's checks.
pub async fn upload_limits() -> Result<UploadLimits, ClientError> {
    read(Request::get("/api/uploads/limits").send().await).await
}

/// `POST /api/uploads`: announces a file; the answer's id names it from then on.
pub async fn create_upload(upload: &CreateUpload) -> Result<UploadState, ClientError> {
    let request = Request::post("/api/uploads")
        .json(upload)
        .map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}

/// `GET /api/uploads/{id}`: how many bytes the server holds.
pub async fn upload_state(id: &UploadId) -> Result<UploadState, ClientError> {
    read(Request::get(&url(id)).send().await).await
}

/// `PATCH /api/uploads/{id}`: `chunk` goes at `offset`. A `409` means the server holds another offset:
/// ask `upload_state` and go on from there.
pub async fn send_chunk(
    id: &UploadId,
    offset: u64,
    chunk: &web_sys::Blob,
) -> Result<UploadState, ClientError> {
    let request = Request::patch(&url(id))
        .header(OFFSET_HEADER, &offset.to_string())
        .header("Content-Type", CHUNK_CONTENT_TYPE)
        .body(JsValue::from(chunk.clone()))
        .map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}

/// `DELETE /api/uploads/{id}`: the file is no longer wanted.
pub async fn delete_upload(id: &UploadId) -> Result<(), ClientError> {
    check(Request::delete(&url(id)).send().await)
        .await
        .map(|_| ())
}

/// Sends `file` (named `name`) until the server holds all of it, continuing the upload `known` when
/// given (a 404 for it starts a new one). `on_created` hears a new upload's id before any byte is sent,
/// so the caller can keep it for a later resume; `on_progress` hears `(bytes the server holds, size)`
/// after every chunk. A network error ends the call with `ClientError::Network`: call again later with
/// the same id and it goes on from the server's offset.
pub async fn send_file(
    file: &web_sys::Blob,
    name: &str,
    known: Option<UploadId>,
    mut on_created: impl FnMut(&UploadId),
    mut on_progress: impl FnMut(u64, u64),
) -> Result<UploadState, ClientError> {
    let size = file.size() as u64;
    let existing = match known {
        Some(id) => match upload_state(&id).await {
            Ok(state) => Some(state),
            Err(ClientError::Api { status: 404, .. }) => None,
            Err(error) => return Err(error),
        },
        None => None,
    };
    let mut state = match existing {
        Some(state) => state,
        None => {
            let created = create_upload(&CreateUpload {
                name: name.to_owned(),
                size,
            })
            .await?;
            on_created(&created.id);
            created
        }
    };
    loop {
        on_progress(state.offset, state.size);
        if state.complete {
            return Ok(state);
        }
        let end = (state.offset + CHUNK_BYTES).min(size);
        let chunk = file
            .slice_with_f64_and_f64(state.offset as f64, end as f64)
            .map_err(|_| ClientError::Network)?;
        state = match send_chunk(&state.id, state.offset, &chunk).await {
            Ok(next) => next,
            Err(ClientError::Api { status: 409, .. }) => upload_state(&state.id).await?,
            Err(error) => return Err(error),
        };
    }
}

fn url(id: &UploadId) -> String {
    format!("/api/uploads/{}", super::encode_path_segment(&id.0))
}
