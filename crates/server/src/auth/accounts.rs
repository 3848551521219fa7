//! Adding staff accounts and setting their passwords (the `jianyan staff` commands).

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
