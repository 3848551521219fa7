//! Staff accounts at the console (the `jianyan staff` commands): add, set a password, disable or
//! enable, list.

use sqlx::SqlitePool;

use super::password;
use crate::{clock, store};

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

/// Adds an account that can log in at once.
pub async fn add(
    db: &SqlitePool,
    login: &str,
    name: &str,
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
    store::staff::add(db, login, name, &hash, &now)
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
    if store::staff::set_password(db, login, &hash).await? {
        Ok(())
    } else {
        Err(AccountError::Refused(format!("没有账号 {login}")))
    }
}

/// Disables an account (it cannot log in, and its sessions end at once) or enables it again. The row,
/// and what the account did, stay.
pub async fn set_enabled(db: &SqlitePool, login: &str, enabled: bool) -> Result<(), AccountError> {
    if store::staff::set_disabled(db, login, !enabled).await? {
        Ok(())
    } else {
        Err(AccountError::Refused(format!("没有账号 {login}")))
    }
}

/// Every account as a table for the console: login, name, since when, and whether it is disabled.
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
            format!("{}\t{}\t{since}\t{state}", account.login, account.name)
        })
        .collect();
    Ok(format!("账号\t姓名\t添加日期\t状态\n{}", lines.join("\n")))
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
    use super::check_login;

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
