//! Staff accounts at the console (the `jianyan staff` commands): add, set a password or a role, disable
//! or enable, list. Every change is written to the audit log as done by `console`.

use api::Role;
use sqlx::SqlitePool;

use super::password;
use crate::{
    clock,
    store::{self, audit::Actor},
};

/// Longest login name.
pub const MAX_LOGIN_LENGTH: usize = 64;
/// Longest real name.
const MAX_NAME_LENGTH: usize = 32;

/// Why an account could not be added or changed, in words for the person at the console.
#[derive(Debug)]
pub enum AccountError {
    Refused(String),
    Other(anyhow::Error),
}

impl From<anyhow::Error> for AccountError {
    fn from(error: anyhow::Error) -> Self {
        AccountError::Other(error)
    }
}

/// Adds an account with `role` that can log in at once.
pub async fn add(
    db: &SqlitePool,
    login: &str,
    name: &str,
    role: Role,
    new_password: &str,
) -> Result<(), AccountError> {
    check_login(login).map_err(AccountError::Refused)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_LENGTH {
        return Err(AccountError::Refused(format!(
            "姓名须为 1 到 {MAX_NAME_LENGTH} 个字"
        )));
    }
    password::check_new(new_password).map_err(AccountError::Refused)?;
    let hash = password::hash(new_password)?;
    let now = clock::rfc3339(clock::now());
    store::staff::add(db, login, name, role, &hash, &now, Actor::CONSOLE)
        .await
        .map(|_| ())
        .map_err(|error| match error {
            store::staff::AddError::LoginTaken => {
                AccountError::Refused(format!("账号 {login} 已经存在"))
            }
            store::staff::AddError::Other(error) => AccountError::Other(error),
        })
}

/// Sets a new password; the account's sessions end.
pub async fn set_password(
    db: &SqlitePool,
    login: &str,
    new_password: &str,
) -> Result<(), AccountError> {
    password::check_new(new_password).map_err(AccountError::Refused)?;
    let hash = password::hash(new_password)?;
    if store::staff::set_password(db, login, &hash, Actor::CONSOLE).await? {
        Ok(())
    } else {
        Err(AccountError::Refused(format!("没有账号 {login}")))
    }
}

/// Disables an account (it cannot log in, and its sessions end at once) or enables it again. The row,
/// and what the account did, stay.
pub async fn set_enabled(db: &SqlitePool, login: &str, enabled: bool) -> Result<(), AccountError> {
    if store::staff::set_disabled(db, login, !enabled, Actor::CONSOLE).await? {
        Ok(())
    } else {
        Err(AccountError::Refused(format!("没有账号 {login}")))
    }
}

/// Gives an account a role; returns the role it had.
pub async fn set_role(db: &SqlitePool, login: &str, role: Role) -> Result<Role, AccountError> {
    store::staff::set_role(db, login, role, Actor::CONSOLE)
        .await?
        .ok_or_else(|| AccountError::Refused(format!("没有账号 {login}")))
}

/// A role as typed at the console: `admin` or `reviewer`.
pub fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text.trim())
        .ok_or_else(|| format!("“{text}”不是角色：请写 admin（管理员）或 reviewer（审阅人）"))
}

/// Every account as a table for the console: login, name, role, since when, and whether it is disabled.
pub async fn list(db: &SqlitePool) -> Result<String, AccountError> {
    let accounts = store::staff::list(db).await?;
    if accounts.is_empty() {
        return Ok("还没有工作人员账号".into());
    }
    let lines: Vec<String> = accounts
        .iter()
        .map(|account| {
            let state = if account.disabled {
                "已停用"
            } else {
                "可登录"
            };
            let since = account.created_at.get(..10).unwrap_or(&account.created_at);
            let role = account.role.0;
            format!(
                "{}\t{}\t{}（{}）\t{since}\t{state}",
                account.login,
                account.name,
                role.label(),
                role.as_str()
            )
        })
        .collect();
    Ok(format!(
        "账号\t姓名\t角色\t添加日期\t状态\n{}",
        lines.join("\n")
    ))
}

/// Logins are typed on any keyboard: ASCII letters, digits and `._-`.
fn check_login(login: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if login.is_empty() || login.len() > MAX_LOGIN_LENGTH || !login.chars().all(allowed) {
        Err(format!(
            "账号须为 1 到 {MAX_LOGIN_LENGTH} 个英文字母、数字或 . _ -，如 zhangsan"
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{check_login, parse_role, Role};

    #[test]
    fn roles_are_typed_by_their_english_names_and_anything_else_is_refused_in_chinese() {
        assert_eq!(parse_role("admin"), Ok(Role::Admin));
        assert_eq!(parse_role(" reviewer "), Ok(Role::Reviewer));
        for bad in ["", "管理员", "root", "Admins"] {
            let message = parse_role(bad).expect_err(bad);
            assert!(message.contains("admin（管理员）"), "{bad}: {message}");
        }
    }

    #[test]
    fn logins_are_plain_ascii_words() {
        for good in ["zhangsan", "li.si", "wang_wu-2", "A"] {
            assert!(check_login(good).is_ok(), "{good}");
        }
        let too_long = "a".repeat(65);
        for bad in ["", "张三", "zhang san", "a@b", too_long.as_str()] {
            assert!(check_login(bad).is_err(), "{bad:?}");
        }
    }
}
