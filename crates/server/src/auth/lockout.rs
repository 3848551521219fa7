//! Failed logins counted per login name, whichever address they come from: after `failures` attempts in
//! a row without a success, the name answers 429 for `duration`. The per-address limit alone lets a
//! botnet guess one account's password from many addresses at once.
//!
//! Unknown names are counted exactly like real ones, so the answers never tell whether an account
//! exists. An attempt counts when it starts, not when its password check fails, so parallel attempts
//! cannot slip past the count while the slow check runs; a success clears the name's count.

use std::{
    collections::HashMap,
    num::NonZeroU32,
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use time::{macros::format_description, OffsetDateTime};

use crate::clock;

/// How many attempts in a row may fail before the name is locked, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lockout {
    pub failures: NonZeroU32,
    pub duration: Duration,
}

impl Lockout {
    /// Five tries: enough for a person who mistypes, and a quarter of an hour before the next five.
    pub const DEFAULT: Lockout = Lockout {
        failures: NonZeroU32::new(5).expect("5 is not zero"),
        duration: Duration::from_secs(15 * 60),
    };

    /// The rule from settings where 0 failures means "never lock".
    pub fn from_settings(failures: u32, minutes: u64) -> Option<Self> {
        NonZeroU32::new(failures).map(|failures| Self {
            failures,
            duration: Duration::from_secs(minutes.saturating_mul(60)),
        })
    }
}

/// A login name that may not try again for `remaining`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locked {
    pub remaining: Duration,
}

impl Locked {
    /// Whole seconds, rounded up, for `Retry-After`.
    pub fn retry_after_secs(&self) -> u64 {
        let wait = self.remaining;
        (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
    }

    /// What the person at the login form reads: when (China time, rounded up to the minute) and in how
    /// many minutes they may try again.
    pub fn message(&self) -> String {
        let seconds = self.retry_after_secs();
        let minutes = seconds.div_ceil(60);
        // The first whole minute at which the lock is surely over.
        let end = clock::now().unix_timestamp() + i64::try_from(seconds).unwrap_or(i64::MAX / 2);
        let at = OffsetDateTime::from_unix_timestamp((end + 59).div_euclid(60) * 60)
            .map(|until| until.to_offset(clock::CHINA))
            .ok()
            .and_then(|until| until.format(format_description!("[hour]:[minute]")).ok())
            .unwrap_or_default();
        format!("登录失败次数过多，请在 {at}（约 {minutes} 分钟后）再试；忘记密码请找管理员重设")
    }
}

/// Past this many remembered names, those neither locked nor tried within the lock's duration are
/// forgotten, so a client trying endless made-up names cannot grow memory without bound.
const FORGET_AT: usize = 10_000;

/// The counts; cheap to clone (one shared table).
#[derive(Clone, Debug)]
pub struct LoginLockout {
    rule: Option<Lockout>,
    names: Arc<Mutex<HashMap<String, Attempts>>>,
}

#[derive(Debug)]
struct Attempts {
    since_success: u32,
    locked_until: Option<Instant>,
    last: Instant,
}

impl LoginLockout {
    /// Counts by `rule`; `None` never locks.
    pub fn new(rule: Option<Lockout>) -> Self {
        Self {
            rule,
            names: Arc::default(),
        }
    }

    /// Counts an attempt to log in as `login`, or refuses it while the name is locked.
    pub fn begin(&self, login: &str) -> Result<(), Locked> {
        let Some(rule) = self.rule else {
            return Ok(());
        };
        let now = Instant::now();
        let mut names = self.names.lock().unwrap_or_else(PoisonError::into_inner);
        if names.len() > FORGET_AT {
            names.retain(|_, attempts| {
                attempts.locked_until.is_some_and(|until| until > now)
                    || now.duration_since(attempts.last) < rule.duration
            });
        }
        let attempts = names.entry(key(login)).or_insert(Attempts {
            since_success: 0,
            locked_until: None,
            last: now,
        });
        match attempts.locked_until {
            Some(until) if until > now => {
                return Err(Locked {
                    remaining: until - now,
                })
            }
            // The lock has run out: a fresh set of tries.
            Some(_) => {
                attempts.since_success = 0;
                attempts.locked_until = None;
            }
            None => {}
        }
        attempts.since_success += 1;
        attempts.last = now;
        if attempts.since_success >= rule.failures.get() {
            attempts.locked_until = Some(now + rule.duration);
        }
        Ok(())
    }

    /// The attempt begun for `login` was right: its count starts again.
    pub fn succeeded(&self, login: &str) {
        if self.rule.is_some() {
            let mut names = self.names.lock().unwrap_or_else(PoisonError::into_inner);
            names.remove(&key(login));
        }
    }
}

/// Logins are looked up ignoring ASCII case and surrounding spaces; so are their counts.
fn key(login: &str) -> String {
    login.trim().to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lockout(failures: u32, duration: Duration) -> LoginLockout {
        LoginLockout::new(Some(Lockout {
            failures: NonZeroU32::new(failures).expect("not zero"),
            duration,
        }))
    }

    #[test]
    fn the_name_is_locked_after_its_tries_whatever_its_case_and_others_are_not() {
        let lockout = lockout(3, Duration::from_secs(60));
        for login in ["zhangsan", " ZhangSan", "ZHANGSAN "] {
            assert_eq!(lockout.begin(login), Ok(()), "{login:?}");
        }
        let locked = lockout
            .begin("zhangsan")
            .expect_err("the fourth is refused");
        assert!((59..=60).contains(&locked.retry_after_secs()), "{locked:?}");
        assert_eq!(lockout.begin("lisi"), Ok(()));
    }

    #[test]
    fn a_success_starts_the_count_again_and_a_lock_runs_out() {
        let lockout = lockout(2, Duration::from_millis(50));
        assert_eq!(lockout.begin("zhangsan"), Ok(()));
        lockout.succeeded("zhangsan");
        assert_eq!(lockout.begin("zhangsan"), Ok(()));
        assert_eq!(lockout.begin("zhangsan"), Ok(()));
        assert!(lockout.begin("zhangsan").is_err(), "locked after two");
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(lockout.begin("zhangsan"), Ok(()), "the lock ran out");
    }

    #[test]
    fn the_message_names_a_china_time_and_the_minutes_to_wait() {
        let message = Locked {
            remaining: Duration::from_secs(14 * 60 + 1),
        }
        .message();
        assert!(message.starts_with("登录失败次数过多，请在 "), "{message}");
        assert!(message.contains("约 15 分钟后"), "{message}");
        let at = &message["登录失败次数过多，请在 ".len()..][..5];
        assert!(
            at.as_bytes()[2] == b':' && at.bytes().filter(u8::is_ascii_digit).count() == 4,
            "{message}"
        );
    }
}
