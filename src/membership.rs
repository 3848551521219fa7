//! What a joined device remembers of its member, for the members' app to read without asking the
//! server: the submit form fills in name, unit and phone from `jianyan.profile` (as it does after a
//! guest's first submission), and `jianyan.member` says the device is joined.

use api::{MemberMe, UnitId};
use serde::Serialize;

use crate::storage;

/// The submit form's remembered profile (`pages::submit::form`).
pub const PROFILE_KEY: &str = "jianyan.profile";
/// Present while this device is joined: the member's name and unit, as the submit form shows them.
pub const MEMBER_KEY: &str = "jianyan.member";

/// The form's profile: the shape `pages::submit::form::Draft` reads.
#[derive(Serialize)]
struct Profile<'a> {
    unit_id: Option<UnitId>,
    name: &'a str,
    phone: &'a str,
}

/// Remembers `me` as this device's member: the form fills in their roster details from now on.
pub fn remember(me: &MemberMe) {
    // A device that cannot store (private mode) still works: the server takes the roster's details.
    let _ = storage::save(
        PROFILE_KEY,
        &Profile {
            unit_id: Some(me.unit_id),
            name: &me.name,
            phone: &me.phone,
        },
    );
    let _ = storage::save(MEMBER_KEY, &format!("{}（{}）", me.name, me.unit));
}

/// Who this device is joined as ("王建国（民革中原区支部）"), if it is. Kept as the words shown rather
/// than as a record: the members' bundle decodes a string in the code it has already.
pub fn joined() -> Option<String> {
    storage::load(MEMBER_KEY)
}

/// The server no longer knows this device (ended by the member elsewhere, by staff, or the member
/// disabled): a guest's device again, whose form still holds the details it was filled with.
pub fn forget_member() {
    storage::remove(MEMBER_KEY);
}

/// The member leaves this device: their details leave the form too, so the next person on a shared
/// phone does not find them filled in.
pub fn leave() {
    storage::remove(MEMBER_KEY);
    storage::remove(PROFILE_KEY);
}
