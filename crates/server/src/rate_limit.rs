//! Per-address limits on public writes (submissions and staff logins), so one client cannot fill the
//! database or guess at secrets; an address over its limit gets 429 with `Retry-After`. The address is
//! the client's as `client_addr` finds it: the TCP peer, or behind a trusted proxy the forwarded one.
//!
//! This uses `governor` (the GCRA limiter under `tower_governor`) directly: `tower_governor` answers 500
//! when the peer address is missing and has its own error body, while here a missing address means "not
//! counted" and the answer is our `ErrorBody`.

use std::{
    net::{IpAddr, Ipv6Addr},
    num::NonZeroU32,
    sync::Arc,
};

use axum::{
    extract::{Request, State},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::MethodRouter,
};
use governor::{clock::Clock, DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::{auth::lockout::Lockout, client_addr::ClientIp, error::ApiError};

/// How often one address may do something: `per_minute` on average, up to `burst` in a quick row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub per_minute: NonZeroU32,
    pub burst: NonZeroU32,
}

impl RateLimit {
    /// Submissions: generous, because members in one meeting room share one NAT address and may all
    /// send at the end of the same session.
    pub const SUBMIT_DEFAULT: RateLimit = RateLimit {
        per_minute: NonZeroU32::new(60).expect("60 is not zero"),
        burst: NonZeroU32::new(20).expect("20 is not zero"),
    };

    /// Logins: enough for a person who mistypes a few times, far too few to guess passwords.
    pub const LOGIN_DEFAULT: RateLimit = RateLimit {
        per_minute: NonZeroU32::new(10).expect("10 is not zero"),
        burst: NonZeroU32::new(5).expect("5 is not zero"),
    };

    /// Joining with an invitation (and looking one up, and claiming a receipt): like logins, since each
    /// try is a guess at a token; a meeting room joining at once shares one address, hence the burst.
    pub const JOIN_DEFAULT: RateLimit = RateLimit {
        per_minute: NonZeroU32::new(20).expect("20 is not zero"),
        burst: NonZeroU32::new(20).expect("20 is not zero"),
    };

    /// The limit from settings where a rate of 0 means "no limit" (for load tests).
    pub fn from_settings(per_minute: u32, burst: NonZeroU32) -> Option<Self> {
        NonZeroU32::new(per_minute).map(|per_minute| Self { per_minute, burst })
    }
}

/// Every rate limit of the server; `None` leaves that action unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `POST /api/submissions`.
    pub submit: Option<RateLimit>,
    /// `POST /api/staff/session`.
    pub login: Option<RateLimit>,
    /// `POST /api/member/join`, `/join/preview` and `/submissions/claim`, each counted on its own.
    pub join: Option<RateLimit>,
    /// Failed logins per login name, from any address (see `auth::lockout`).
    pub lockout: Option<Lockout>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            submit: Some(RateLimit::SUBMIT_DEFAULT),
            login: Some(RateLimit::LOGIN_DEFAULT),
            join: Some(RateLimit::JOIN_DEFAULT),
            lockout: Some(Lockout::DEFAULT),
        }
    }
}

impl Limits {
    /// No limits at all.
    pub fn off() -> Self {
        Self {
            submit: None,
            login: None,
            join: None,
            lockout: None,
        }
    }
}

/// Counts requests to `route` per client address under `limit`; each call keeps its own counts.
/// Only requests that match one of the route's methods are counted (a 405 costs nothing).
pub fn limited<S>(route: MethodRouter<S>, limit: Option<RateLimit>) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    match limit {
        Some(limit) => {
            route.route_layer(middleware::from_fn_with_state(Limiter::new(limit), check))
        }
        None => route,
    }
}

/// Past this many remembered addresses, those whose allowance has refilled are forgotten, so a
/// client rotating addresses cannot grow memory without bound.
const FORGET_AT: usize = 10_000;

#[derive(Clone)]
struct Limiter(Arc<DefaultKeyedRateLimiter<IpAddr>>);

impl Limiter {
    fn new(limit: RateLimit) -> Self {
        let quota = Quota::per_minute(limit.per_minute).allow_burst(limit.burst);
        Self(Arc::new(RateLimiter::keyed(quota)))
    }

    /// `Err(seconds to wait)` when `ip` is over its limit.
    fn check(&self, ip: IpAddr) -> Result<(), u64> {
        let limiter = &self.0;
        if limiter.len() > FORGET_AT {
            limiter.retain_recent();
        }
        limiter.check_key(&client_key(ip)).map_err(|not_until| {
            let wait = not_until.wait_time_from(limiter.clock().now());
            // Whole seconds, rounded up: a client that waits as told is let in.
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }
}

async fn check(State(limiter): State<Limiter>, request: Request, next: Next) -> Response {
    // `jianyan serve` always supplies the peer address, from which `client_addr` finds the client's; a
    // router mounted without a socket (tests calling `app()` directly) has none to count by, and is
    // served rather than refused.
    let Some(ClientIp(client)) = request.extensions().get::<ClientIp>().copied() else {
        return next.run(request).await;
    };
    match limiter.check(client) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            tracing::info!(%client, wait, "rate limited");
            ApiError::TooManyRequests {
                retry_after_secs: wait.max(1),
            }
            .into_response()
        }
    }
}

/// IPv4 addresses count one by one; IPv6 ones by their /64, since a home or a phone is given a whole
/// /64 and can pick a new address in it for every request.
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let [a, b, c, d, ..] = v6.segments();
                IpAddr::V6(Ipv6Addr::new(a, b, c, d, 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_in_one_64_share_a_count_and_mapped_ipv4_counts_as_ipv4() {
        let cases: [(&str, &str, &str); 4] = [
            ("203.0.113.7", "203.0.113.7", "IPv4 stays as it is"),
            (
                "2001:db8:1:2:aaaa::1",
                "2001:db8:1:2::",
                "IPv6 is cut to its /64",
            ),
            ("2001:db8:1:2:ffff:1:2:3", "2001:db8:1:2::", "the same /64"),
            (
                "::ffff:203.0.113.7",
                "203.0.113.7",
                "IPv4-mapped IPv6 is the IPv4",
            ),
        ];
        for (ip, key, why) in cases {
            let ip: IpAddr = ip.parse().expect("a test address");
            let key: IpAddr = key.parse().expect("a test key");
            assert_eq!(client_key(ip), key, "{why}");
        }
    }

    #[test]
    fn an_address_gets_its_burst_then_waits_while_another_is_unaffected() {
        let limiter = Limiter::new(RateLimit {
            per_minute: NonZeroU32::MIN,
            burst: NonZeroU32::new(2).expect("not zero"),
        });
        let (first, second) = (
            "10.0.0.1".parse().expect("ip"),
            "10.0.0.2".parse().expect("ip"),
        );

        assert_eq!(limiter.check(first), Ok(()));
        assert_eq!(limiter.check(first), Ok(()));
        let wait = limiter
            .check(first)
            .expect_err("the third is over the burst");
        assert!((1..=60).contains(&wait), "one a minute: wait {wait} s");
        assert_eq!(limiter.check(second), Ok(()));
    }

    #[test]
    fn a_rate_of_zero_turns_the_limit_off() {
        assert_eq!(RateLimit::from_settings(0, NonZeroU32::MIN), None);
        assert!(RateLimit::from_settings(1, NonZeroU32::MIN).is_some());
    }
}
