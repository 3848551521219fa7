//! A roster file (姓名, 单位, 手机号, 职务, 联络员) against the roster as stored: which rows add a member,
//! which update one (matched by phone number), which change nothing, and which are refused and why.
//! Pure: the route reads the file and the roster, and stores the plan when asked to.

use std::collections::HashMap;

use api::{
    roster::{
        self, FieldChange, RosterImportReport, RosterRejection, RosterRow, RosterUpdate, SaveUnit,
        UnitDetails,
    },
    validation::{MobilePhone, PersonName},
    MemberId,
};

use crate::{store::members::Member, table_file::Table};

/// The header texts, in the order `Columns::cell` is asked for them.
const REQUIRED: [&str; 3] = ["姓名", "单位", "手机号"];
const OPTIONAL: [&str; 2] = ["职务", "联络员"];

/// What an import would store, and the report to show.
#[derive(Debug)]
pub struct Plan {
    pub report: RosterImportReport,
    pub adds: Vec<Member>,
    pub updates: Vec<Member>,
}

/// Plans the import of `table` against the stored `members` (by phone) and `units` (name → id,
/// retired). A file whose header lacks a required column is refused whole (the message says which).
pub fn plan(
    table: &Table,
    members: &HashMap<String, Member>,
    units: &HashMap<String, (i64, bool)>,
) -> Result<Plan, String> {
    let columns = table.columns(&REQUIRED, &OPTIONAL)?;
    let mut plan = Plan {
        report: RosterImportReport {
            committed: false,
            added: Vec::new(),
            updated: Vec::new(),
            unchanged: Vec::new(),
            rejected: Vec::new(),
        },
        adds: Vec::new(),
        updates: Vec::new(),
    };
    // Every row number under each phone number, to refuse all rows of a repeated one: which of them is
    // right is for the department to say, not for the order of the file.
    let mut rows_by_phone: HashMap<String, Vec<u32>> = HashMap::new();
    let parsed: Vec<_> = table
        .rows()
        .iter()
        .map(|(number, cells)| {
            let cell = |index| columns.cell(cells, index);
            let phone = MobilePhone::parse(cell(2));
            if let Ok(phone) = &phone {
                rows_by_phone
                    .entry(phone.as_str().to_owned())
                    .or_default()
                    .push(*number);
            }
            (*number, cell(0), cell(1), cell(2), phone, cell(3), cell(4))
        })
        .collect();
    for (number, name, unit, written_phone, phone, position, contact) in parsed {
        let mut reasons = Vec::new();
        let checked_name = if name.is_empty() {
            reasons.push("姓名为空".to_owned());
            None
        } else {
            PersonName::parse(name)
                .map_err(|message| reasons.push(format!("姓名不对：{message}")))
                .ok()
        };
        let unit_id = match units.get(unit) {
            _ if unit.is_empty() => {
                reasons.push("单位为空".to_owned());
                None
            }
            None => {
                reasons.push(format!(
                    "未知单位「{unit}」：请写单位全称，或先在「单位管理」中添加"
                ));
                None
            }
            Some((_, true)) => {
                reasons.push(format!("单位「{unit}」已停用"));
                None
            }
            Some((id, false)) => Some(*id),
        };
        let phone = match phone {
            Ok(phone) => {
                let rows = rows_by_phone
                    .get(phone.as_str())
                    .map_or(&[][..], Vec::as_slice);
                if rows.len() > 1 {
                    let rows: Vec<String> = rows.iter().map(u32::to_string).collect();
                    reasons.push(format!(
                        "文件内重复：第 {} 行的手机号相同，请只保留一行",
                        rows.join("、")
                    ));
                }
                Some(phone)
            }
            Err(message) => {
                reasons.push(format!("手机号格式不对：{message}"));
                None
            }
        };
        let position = roster::position(Some(position))
            .map_err(|message| reasons.push(message))
            .ok()
            .flatten();
        let is_contact = roster::contact_flag(contact).map_err(|message| reasons.push(message));
        let (Some(name), Some(unit_id), Some(phone), Ok(is_contact), true) =
            (checked_name, unit_id, phone, is_contact, reasons.is_empty())
        else {
            plan.report.rejected.push(RosterRejection {
                row: number,
                name: name.to_owned(),
                phone: written_phone.to_owned(),
                reason: reasons.join("；"),
            });
            continue;
        };
        let row = RosterRow {
            row: number,
            name: name.as_str().to_owned(),
            unit: unit.to_owned(),
            phone: phone.as_str().to_owned(),
            position: position.clone(),
            is_contact,
        };
        let candidate = Member {
            id: 0,
            name: row.name.clone(),
            unit_id,
            unit: row.unit.clone(),
            phone: row.phone.clone(),
            position,
            is_contact,
            disabled_at: None,
        };
        match members.get(phone.as_str()) {
            None => {
                plan.report.added.push(row);
                plan.adds.push(candidate);
            }
            Some(stored) => {
                let after = Member {
                    id: stored.id,
                    disabled_at: stored.disabled_at.clone(),
                    ..candidate
                };
                let changes: Vec<FieldChange> =
                    crate::store::members::field_changes(stored, &after)
                        .into_iter()
                        .map(|(field, from, to)| FieldChange {
                            field: field.to_owned(),
                            from,
                            to,
                        })
                        .collect();
                if changes.is_empty() {
                    plan.report.unchanged.push(row);
                } else {
                    plan.report.updated.push(RosterUpdate {
                        member_id: MemberId(stored.id),
                        row,
                        changes,
                    });
                    plan.updates.push(after);
                }
            }
        }
    }
    Ok(plan)
}

/// The units of a unit list file (columns 名称, 分组), in its order; every bad row is named in the error,
/// and nothing is imported while one is.
pub fn units(table: &Table) -> Result<Vec<UnitDetails>, String> {
    let columns = table.columns(&["名称", "分组"], &[])?;
    let mut units: Vec<UnitDetails> = Vec::new();
    let mut problems = Vec::new();
    for (number, cells) in table.rows() {
        let input = SaveUnit {
            name: columns.cell(cells, 0).to_owned(),
            group: columns.cell(cells, 1).to_owned(),
        };
        match UnitDetails::parse(&input) {
            Ok(unit) if units.iter().any(|u| u.name() == unit.name()) => {
                problems.push(format!("第 {number} 行：单位「{}」重复", unit.name()));
            }
            Ok(unit) => units.push(unit),
            Err(fields) => {
                let messages: Vec<String> = fields.into_values().collect();
                problems.push(format!("第 {number} 行：{}", messages.join("；")));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    if units.is_empty() {
        return Err("文件中没有单位：表头下每行一个单位".into());
    }
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(id: i64, name: &str, unit: (i64, &str), phone: &str) -> Member {
        Member {
            id,
            name: name.into(),
            unit_id: unit.0,
            unit: unit.1.into(),
            phone: phone.into(),
            position: None,
            is_contact: false,
            disabled_at: None,
        }
    }

    #[test]
    fn each_row_is_added_updated_unchanged_or_refused_with_its_reason() {
        let csv = "姓名,单位,手机号,职务,联络员\n\
                   王建国,民革,13812345678,主委,是\n\
                   李红,民盟,13900000001,,否\n\
                   张伟,民盟,13900000002,,\n\
                   ,民革,13900000003,,\n\
                   赵六,无此单位,13900000004,,\n\
                   钱七,民革,12345,,\n\
                   孙八,民革,13900000005,,\n\
                   周九,民革,139-0000-0005,,\n\
                   吴十,旧单位,13900000006,,\n\
                   郑一,民革,13900000007,,也许\n";
        let table = Table::read(csv.as_bytes()).expect("readable");
        let members = HashMap::from([
            (
                "13900000001".to_owned(),
                stored(1, "李红", (2, "民盟"), "13900000001"),
            ),
            (
                "13900000002".to_owned(),
                stored(2, "张 伟", (1, "民革"), "13900000002"),
            ),
        ]);
        let units = HashMap::from([
            ("民革".to_owned(), (1, false)),
            ("民盟".to_owned(), (2, false)),
            ("旧单位".to_owned(), (3, true)),
        ]);

        let plan = plan(&table, &members, &units).expect("a plan");

        let rows = |rows: &[RosterRow]| rows.iter().map(|r| r.row).collect::<Vec<_>>();
        assert_eq!(rows(&plan.report.added), [2]);
        assert_eq!(rows(&plan.report.unchanged), [3]);
        assert_eq!(plan.report.updated.len(), 1);
        let update = &plan.report.updated[0];
        assert_eq!((update.row.row, update.member_id), (4, MemberId(2)));
        let fields: Vec<&str> = update.changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["姓名", "单位"]);
        let rejected: Vec<(u32, &str)> = plan
            .report
            .rejected
            .iter()
            .map(|r| (r.row, r.reason.as_str()))
            .collect();
        let expect = [
            (5, "姓名为空"),
            (6, "未知单位「无此单位」"),
            (7, "手机号格式不对"),
            (8, "文件内重复：第 8、9 行"),
            (9, "文件内重复：第 8、9 行"),
            (10, "已停用"),
            (11, "联络员"),
        ];
        assert_eq!(rejected.len(), expect.len(), "{rejected:?}");
        for ((row, reason), (want_row, want)) in rejected.iter().zip(expect) {
            assert_eq!(*row, want_row);
            assert!(
                reason.contains(want),
                "row {row}: {reason} should say {want}"
            );
        }
        assert_eq!(plan.adds.len(), 1);
        assert_eq!(plan.updates[0].id, 2);
    }
}
