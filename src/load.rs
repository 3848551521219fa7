//! Reading from the server into a signal.
//!
//! A deliberate stand-in for `LocalResource` + `<Transition>`: their async machinery costs every phone
//! tens of kilobytes of wasm, and these pages need only "loading, then a value".

use std::future::Future;

use leptos::{prelude::*, task::spawn_local};

/// Runs `fetch` now and whenever a signal it reads changes; the signal holds the newest answer
/// (`None` while loading). An answer to an older request never overwrites a newer one.
pub fn load<T, Fut>(fetch: impl Fn() -> Fut + 'static) -> (RwSignal<Option<T>>, Trigger)
where
    T: Send + Sync + 'static,
    Fut: Future<Output = T> + 'static,
{
    let value = RwSignal::new(None);
    let reload = Trigger::new();
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        reload.track();
        let request = fetch();
        let this = generation.get_value() + 1;
        generation.set_value(this);
        value.set(None);
        spawn_local(async move {
            let answer = request.await;
            // `try_`: the page that asked may be gone by the time the answer comes.
            if generation.try_get_value() == Some(this) {
                value.try_set(Some(answer));
            }
        });
    });
    (value, reload)
}
