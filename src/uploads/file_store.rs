//! Files waiting to be sent, kept in the browser's IndexedDB (never localStorage: a file is too large
//! for it, and a `File` survives there as itself). One object store, `files`, keyed by
//! `<outbox item key>/<position>`; the value is the `File` (a `Blob` with its name) as the member chose it.

use js_sys::{Function, Promise};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransactionMode};

const DATABASE: &str = "jianyan-files";
const STORE: &str = "files";
const VERSION: u32 = 1;

/// The key of the file at `position` of the outbox item `item_key`.
pub fn file_key(item_key: &str, position: usize) -> String {
    format!("{item_key}/{position}")
}

/// Keeps `file` under `key`, replacing what was there; `Err` when the browser has no IndexedDB, it is
/// full, or it is off (some private windows).
pub async fn keep(key: &str, file: &web_sys::Blob) -> Result<(), JsValue> {
    let database = open().await?;
    let transaction =
        database.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)?;
    transaction
        .object_store(STORE)?
        .put_with_key(file, &JsValue::from_str(key))?;
    // Written once the transaction completes, not when the request succeeds.
    let done = Promise::new(&mut |resolve: Function, reject: Function| {
        transaction.set_oncomplete(Some(&resolve));
        transaction.set_onerror(Some(&reject));
        transaction.set_onabort(Some(&reject));
    });
    JsFuture::from(done).await.map(|_| ())
}

/// The file kept under `key`, if any.
pub async fn load(key: &str) -> Option<web_sys::Blob> {
    let database = open().await.ok()?;
    let request = database
        .transaction_with_str(STORE)
        .ok()?
        .object_store(STORE)
        .ok()?
        .get(&JsValue::from_str(key))
        .ok()?;
    let value = finish(&request).await.ok()?;
    value.dyn_into::<web_sys::Blob>().ok()
}

/// Forgets the files at `key_prefix` followed by positions 0 to `count - 1`.
pub async fn forget(item_key: &str, count: usize) {
    let Ok(database) = open().await else {
        return;
    };
    let Ok(transaction) =
        database.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
    else {
        return;
    };
    let Ok(store) = transaction.object_store(STORE) else {
        return;
    };
    for position in 0..count {
        let _ = store.delete(&JsValue::from_str(&file_key(item_key, position)));
    }
    let done = Promise::new(&mut |resolve: Function, reject: Function| {
        transaction.set_oncomplete(Some(&resolve));
        transaction.set_onerror(Some(&reject));
    });
    let _ = JsFuture::from(done).await;
}

async fn open() -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .indexed_db()?
        .ok_or_else(|| JsValue::from_str("no IndexedDB"))?;
    let request: IdbOpenDbRequest = factory.open_with_u32(DATABASE, VERSION)?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let database = event
            .target()
            .and_then(|target| target.dyn_into::<IdbRequest>().ok())
            .and_then(|request| request.result().ok())
            .and_then(|result| result.dyn_into::<IdbDatabase>().ok());
        if let Some(database) = database {
            if !database.object_store_names().contains(STORE) {
                let _ = database.create_object_store(STORE);
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let result = finish(&request).await;
    request.set_onupgradeneeded(None);
    drop(upgrade);
    result?.dyn_into::<IdbDatabase>()
}

/// The result of `request` once it succeeds.
async fn finish(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let done = Promise::new(&mut |resolve: Function, reject: Function| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(done).await?;
    request.result()
}
