//! Who is logged in to the staff app. The session itself is an HttpOnly cookie the app cannot read; the
//! app only knows who it belongs to, asked of the server at start and told by the login answer.

use api::{Role, StaffView};
use leptos::prelude::*;

/// Where the app stands with the server about the session.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionState {
    /// Asking the server whether this browser's cookie still works.
    Checking,
    LoggedIn(StaffView),
    /// Nobody; `reason` says why when the server ended the session (expired, password changed).
    LoggedOut {
        reason: Option<String>,
    },
}

/// The staff app's session, shared through context.
#[derive(Clone, Copy)]
pub struct Session {
    state: RwSignal<SessionState>,
}

impl Session {
    /// Puts the session state in context, still to be checked.
    pub fn provide() -> Self {
        let session = Session {
            state: RwSignal::new(SessionState::Checking),
        };
        provide_context(session);
        session
    }

    pub fn state(&self) -> SessionState {
        self.state.get()
    }

    /// The staff member logged in (reactive).
    pub fn staff(&self) -> Option<StaffView> {
        self.state.with(|state| match state {
            SessionState::LoggedIn(staff) => Some(staff.clone()),
            _ => None,
        })
    }

    /// True for an administrator (reactive).
    pub fn is_admin(&self) -> bool {
        self.staff().is_some_and(|staff| staff.role == Role::Admin)
    }

    /// A successful login, or the server's word that the cookie works.
    pub fn start(&self, staff: StaffView) {
        self.state.set(SessionState::LoggedIn(staff));
    }

    /// Nobody is logged in; `reason` says why when it was not the staff member's choice.
    pub fn end(&self, reason: Option<String>) {
        self.state.set(SessionState::LoggedOut { reason });
    }

    /// Why the last session ended, for the login form.
    pub fn ended_because(&self) -> Option<String> {
        self.state.with_untracked(|state| match state {
            SessionState::LoggedOut { reason } => reason.clone(),
            _ => None,
        })
    }

    /// A 401 from any staff request: the session is over (expired, idle, ended elsewhere).
    pub fn expired(&self, message: String) {
        self.end(Some(message));
    }
}
