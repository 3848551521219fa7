//! The department's roster: its units (add, rename, reorder, retire) and its members (import from a
//! spreadsheet, list, edit, disable), with the rules a member's details must meet.

use serde::{Deserialize, Serialize};

use crate::{
    validation::{MobilePhone, PersonName},
    FieldErrors, SubmissionKind, SubmissionStatus, UnitId,
};

/// Longest unit name and group, in characters.
pub const UNIT_NAME_MAX_CHARS: usize = 40;
/// Longest 职务, in characters.
pub const POSITION_MAX_CHARS: usize = 30;

/// Database id of a member of the roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct MemberId(pub i64);

/// A unit as staff see it: retired ones included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffUnit {
    pub id: UnitId,
    pub name: String,
    /// 民主党派, 无党派人士, 工商联, 新的社会阶层人士, or the department's own grouping.
    pub group: String,
    /// RFC 3339 (China time) when retired; absent while the unit is in use.
    pub retired_at: Option<String>,
    /// Members on the roster in this unit (disabled ones included).
    pub members: i64,
}

/// `POST /api/staff/units` and `PUT /api/staff/units/{id}`: a unit's name and group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveUnit {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "民革金水区支部"))]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "民主党派"))]
    pub group: String,
}

/// A unit's name and group that passed the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitDetails {
    name: String,
    group: String,
}

impl UnitDetails {
    /// Trims both and checks they are present, one line, and not too long.
    pub fn parse(input: &SaveUnit) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut text = |field: &str, what: &str, value: &str| {
            let value = value.trim();
            let message = if value.is_empty() {
                Some(format!("请填写{what}"))
            } else if value.contains(['\n', '\r']) {
                Some(format!("{what}请写成一行"))
            } else if value.chars().count() > UNIT_NAME_MAX_CHARS {
                Some(format!("{what}最多 {UNIT_NAME_MAX_CHARS} 个字"))
            } else {
                None
            };
            if let Some(message) = message {
                errors.insert(field.to_owned(), message);
            }
            value.to_owned()
        };
        let name = text("name", "单位名称", &input.name);
        let group = text("group", "分组", &input.group);
        if errors.is_empty() {
            Ok(Self { name, group })
        } else {
            Err(errors)
        }
    }

    /// The checked name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The checked group.
    pub fn group(&self) -> &str {
        &self.group
    }
}

/// `PUT /api/staff/units/order`: every unit's id in the new order (retired ones too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReorderUnits {
    pub ids: Vec<UnitId>,
}

/// `PUT /api/staff/units/{id}/retired` and `PUT /api/staff/members/{id}/disabled`: on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetSwitch {
    /// `true` retires the unit / disables the member; `false` undoes it.
    pub on: bool,
}

/// A member of the roster as staff see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberView {
    pub id: MemberId,
    pub name: String,
    pub unit_id: UnitId,
    /// The unit's name.
    pub unit: String,
    /// 11 digits.
    pub phone: String,
    /// 职务, if any.
    pub position: Option<String>,
    /// 联络员: acts for the unit.
    pub is_contact: bool,
    /// RFC 3339 (China time) when disabled; absent while the member may use the app.
    pub disabled_at: Option<String>,
}

/// `GET /api/staff/members`: which members, a page at a time, by unit then name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ListMembers {
    /// Part of a name or a phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Only this unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1))]
    pub unit: Option<i64>,
    /// 1 for the first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100000))]
    pub page: Option<i64>,
}

impl ListMembers {
    /// Members per page.
    pub const PAGE_SIZE: i64 = 50;
}

/// A page of members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberPage {
    pub members: Vec<MemberView>,
    /// How many members match in all.
    pub total: i64,
    /// This page's number, from 1.
    pub page: i64,
    pub page_size: i64,
}

/// A member's page: their details and every submission they sent as a joined member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberDetailView {
    pub member: MemberView,
    /// Newest first.
    pub submissions: Vec<MemberSubmissionLine>,
}

/// One of a member's submissions, as a line on their page (staff; the member's own list is
/// `api::MemberSubmission`, a schema of its own in the OpenAPI document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberSubmissionLine {
    /// The tracking code, e.g. JY-2026-000123.
    pub code: String,
    pub kind: SubmissionKind,
    pub title: String,
    pub status: SubmissionStatus,
    /// RFC 3339 (China time).
    pub submitted_at: String,
}

/// `PUT /api/staff/members/{id}`: a member's details as staff edit them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveMember {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub unit_id: Option<UnitId>,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub position: Option<String>,
    #[serde(default)]
    pub is_contact: bool,
}

/// A member's details that passed the rules (whether the unit exists is the server's to say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberDetails {
    name: PersonName,
    unit_id: UnitId,
    phone: MobilePhone,
    position: Option<String>,
    is_contact: bool,
}

impl MemberDetails {
    /// Checks every field, collecting a message for each one that fails.
    pub fn parse(input: &SaveMember) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = PersonName::parse(&input.name).map_err(|m| errors.insert("name".into(), m));
        let unit_id =
            crate::validation::unit(input.unit_id).map_err(|m| errors.insert("unit_id".into(), m));
        let phone = MobilePhone::parse(&input.phone).map_err(|m| errors.insert("phone".into(), m));
        let position =
            position(input.position.as_deref()).map_err(|m| errors.insert("position".into(), m));
        match (name, unit_id, phone, position) {
            (Ok(name), Ok(unit_id), Ok(phone), Ok(position)) => Ok(Self {
                name,
                unit_id,
                phone,
                position,
                is_contact: input.is_contact,
            }),
            _ => Err(errors),
        }
    }

    /// The checked name.
    pub fn name(&self) -> &str {
        self.name.as_str()
    }
    /// The chosen unit.
    pub fn unit_id(&self) -> UnitId {
        self.unit_id
    }
    /// The 11 digits.
    pub fn phone(&self) -> &str {
        self.phone.as_str()
    }
    /// 职务, trimmed; `None` when blank.
    pub fn position(&self) -> Option<&str> {
        self.position.as_deref()
    }
    /// 联络员.
    pub fn is_contact(&self) -> bool {
        self.is_contact
    }
}

/// 职务: optional, trimmed, one line, at most `POSITION_MAX_CHARS`.
pub fn position(input: Option<&str>) -> Result<Option<String>, String> {
    let Some(text) = input.map(str::trim).filter(|text| !text.is_empty()) else {
        return Ok(None);
    };
    if text.contains(['\n', '\r']) {
        return Err("职务请写成一行".into());
    }
    if text.chars().count() > POSITION_MAX_CHARS {
        return Err(format!("职务最多 {POSITION_MAX_CHARS} 个字"));
    }
    Ok(Some(text.to_owned()))
}

/// The 联络员 column of a roster file: 是 / 否 (blank is 否; Y/N, yes/no, 1/0 and √ are forgiven).
pub fn contact_flag(input: &str) -> Result<bool, String> {
    match input.trim().to_lowercase().as_str() {
        "是" | "y" | "yes" | "1" | "√" | "true" => Ok(true),
        "" | "否" | "n" | "no" | "0" | "false" => Ok(false),
        other => Err(format!("联络员一栏应填「是」或「否」，现在是「{other}」")),
    }
}

/// `POST /api/staff/members/import`: preview (the default) or store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ImportRoster {
    /// `true` stores the adds and updates; absent or `false` only previews.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<bool>,
}

/// One good row of a roster file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterRow {
    /// The row number as the spreadsheet shows it (the header is row 1).
    pub row: u32,
    pub name: String,
    pub unit: String,
    pub phone: String,
    pub position: Option<String>,
    pub is_contact: bool,
}

/// One field a row would change on a member already on the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    /// 姓名, 单位, 职务 or 联络员.
    pub field: String,
    pub from: String,
    pub to: String,
}

/// A row that matches a member by phone number and changes something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterUpdate {
    pub member_id: MemberId,
    #[serde(flatten)]
    pub row: RosterRow,
    pub changes: Vec<FieldChange>,
}

/// A row that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterRejection {
    /// The row number as the spreadsheet shows it (the header is row 1).
    pub row: u32,
    /// The name as written, to find the row.
    pub name: String,
    /// The phone number as written.
    pub phone: String,
    /// What to fix, e.g. 未知单位「民革某某支部」.
    pub reason: String,
}

/// What an import did (`committed`) or would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterImportReport {
    /// `true` when the adds and updates were stored.
    pub committed: bool,
    pub added: Vec<RosterRow>,
    pub updated: Vec<RosterUpdate>,
    pub unchanged: Vec<RosterRow>,
    pub rejected: Vec<RosterRejection>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str, unit: Option<i64>, phone: &str, position: Option<&str>) -> SaveMember {
        SaveMember {
            name: name.into(),
            unit_id: unit.map(UnitId),
            phone: phone.into(),
            position: position.map(str::to_owned),
            is_contact: false,
        }
    }

    #[test]
    fn a_members_details_are_trimmed_and_checked_naming_each_bad_field() {
        let good = MemberDetails::parse(&member(" 王建国 ", Some(1), "138 1234 5678", Some("  ")));
        let good = good.expect("valid details");
        assert_eq!(
            (good.name(), good.phone(), good.position()),
            ("王建国", "13812345678", None)
        );
        let cases = [
            (member("", Some(1), "13812345678", None), "name"),
            (member("王建国", None, "13812345678", None), "unit_id"),
            (member("王建国", Some(1), "1234", None), "phone"),
            (
                member("王建国", Some(1), "13812345678", Some(&"长".repeat(31))),
                "position",
            ),
        ];
        for (input, field) in cases {
            let errors = MemberDetails::parse(&input).expect_err(field);
            assert_eq!(errors.keys().collect::<Vec<_>>(), [field], "{input:?}");
        }
    }

    #[test]
    fn the_contact_column_reads_yes_and_no_and_names_anything_else() {
        for yes in ["是", " Y ", "yes", "1", "√"] {
            assert_eq!(contact_flag(yes), Ok(true), "{yes}");
        }
        for no in ["否", "", "N", "0"] {
            assert_eq!(contact_flag(no), Ok(false), "{no}");
        }
        let error = contact_flag("也许").expect_err("not a yes or no");
        assert!(error.contains("也许"), "{error}");
    }

    #[test]
    fn a_units_name_and_group_must_be_present_and_short() {
        let ok = UnitDetails::parse(&SaveUnit {
            name: " 民革金水区支部 ".into(),
            group: "民主党派".into(),
        })
        .expect("valid");
        assert_eq!(ok.name(), "民革金水区支部");
        let errors = UnitDetails::parse(&SaveUnit {
            name: "长".repeat(41),
            group: " ".into(),
        })
        .expect_err("both bad");
        assert_eq!(errors.keys().collect::<Vec<_>>(), ["group", "name"]);
    }
}
