//! Who is logged in to the staff app: the session from the login answer, kept in localStorage so a
//! reload or a second tab stays logged in until the token expires or the staff member logs out.

use api::{StaffSession, StaffView};
use leptos::prelude::*;

use crate::storage;

const SESSION_KEY: &str = "jianyan.staff.session";

/// The staff app's session, shared through context.
#[derive(Clone, Copy)]
pub struct Session {
    current: RwSignal<Option<StaffSession>>,
    /// Why the last session ended, when it was not the staff member's choice (shown on the login form).
    ended_because: RwSignal<Option<String>>,
}

impl Session {
    /// Reads a kept session and puts the state in context.
    pub fn provide() -> Self {
        let session = Session {
            current: RwSignal::new(storage::load(SESSION_KEY)),
            ended_because: RwSignal::new(None),
        };
        provide_context(session);
        session
    }

    pub fn is_logged_in(&self) -> bool {
        self.current.with(Option::is_some)
    }

    pub fn staff(&self) -> Option<StaffView> {
        self.current
            .with(|session| session.as_ref().map(|s| s.staff.clone()))
    }

    /// The bearer token, read without subscribing (for requests).
    pub fn token(&self) -> Option<String> {
        self.current
            .with_untracked(|session| session.as_ref().map(|s| s.token.clone()))
    }

    /// A successful login.
    pub fn start(&self, session: StaffSession) {
        // A browser that will not keep it logs in again on the next visit.
        let _ = storage::save(SESSION_KEY, &session);
        self.ended_because.set(None);
        self.current.set(Some(session));
    }

    /// Forgets the session; `reason` says why when the server ended it (expired, password changed).
    pub fn end(&self, reason: Option<String>) {
        storage::remove(SESSION_KEY);
        self.ended_because.set(reason);
        self.current.set(None);
    }

    pub fn ended_because(&self) -> Option<String> {
        self.ended_because.get()
    }
}
