//! In-memory token buckets keyed by visitor or by (hashed) address.
//!
//! Memory only, never the database: a restart forgets the counts, which is
//! fine for flood protection, and nothing about who sent what is persisted.
//! Addresses are never keys as given: [`AddressHasher`] turns them into a
//! salted hash whose salt changes every day and lives only in this process.

use std::{
    collections::HashMap,
    hash::{BuildHasher, RandomState},
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

/// A burst of `burst` requests, then one more every `60 / per_minute` seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub burst: u32,
    pub per_minute: u32,
}

impl Rate {
    fn refill_interval(self) -> Duration {
        Duration::from_secs_f64(60.0 / f64::from(self.per_minute.max(1)))
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Most keys kept before idle ones are dropped, so a flood of new keys cannot
/// grow memory without bound.
const MAX_KEYS: usize = 100_000;

pub struct RateLimiter {
    rate: Rate,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    pub fn new(rate: Rate) -> Self {
        Self {
            rate,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key`, or says how long until one is available.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        self.check_at(key, Instant::now())
    }

    pub fn check_at(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let capacity = f64::from(self.rate.burst.max(1));
        let per_sec = f64::from(self.rate.per_minute.max(1)) / 60.0;
        let mut buckets = self.buckets.lock().expect("rate limiter lock");
        if buckets.len() >= MAX_KEYS && !buckets.contains_key(key) {
            let full_after = Duration::from_secs_f64(capacity / per_sec);
            buckets.retain(|_, b| now.saturating_duration_since(b.updated) < full_after);
        }
        let bucket = buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: capacity,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_sec).min(capacity);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let missing = 1.0 - bucket.tokens;
            Err(Duration::from_secs_f64(missing / per_sec).max(Duration::from_secs(1)))
        }
    }

    pub fn rate(&self) -> Rate {
        self.rate
    }

    pub fn refill_interval(&self) -> Duration {
        self.rate.refill_interval()
    }
}

/// Turns an IP address into an opaque key: SipHash with a random key made in
/// this process and replaced every UTC day, so keys cannot be reversed by
/// hashing every address and cannot be linked across days.
pub struct AddressHasher {
    state: Mutex<(u64, RandomState)>,
}

impl Default for AddressHasher {
    fn default() -> Self {
        Self {
            state: Mutex::new((utc_day(), RandomState::new())),
        }
    }
}

impl AddressHasher {
    pub fn key(&self, ip: IpAddr) -> String {
        let mut state = self.state.lock().expect("address hasher lock");
        let today = utc_day();
        if state.0 != today {
            *state = (today, RandomState::new());
        }
        // IPv6 clients usually own a whole /64: limit the prefix, not each address.
        let canonical = match ip {
            IpAddr::V4(v4) => v4.octets().to_vec(),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.octets().to_vec(),
                None => v6.octets()[..8].to_vec(),
            },
        };
        format!("a:{:016x}", state.1.hash_one(canonical))
    }
}

fn utc_day() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_a_burst_then_refuses_with_the_wait() {
        let limiter = RateLimiter::new(Rate {
            burst: 3,
            per_minute: 6,
        });
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check_at("v:a", t0).is_ok());
        }
        let wait = limiter.check_at("v:a", t0).unwrap_err();
        assert_eq!(wait, Duration::from_secs(10));
    }

    #[test]
    fn refills_over_time() {
        let limiter = RateLimiter::new(Rate {
            burst: 1,
            per_minute: 60,
        });
        let t0 = Instant::now();
        assert!(limiter.check_at("k", t0).is_ok());
        assert!(limiter.check_at("k", t0).is_err());
        assert!(limiter.check_at("k", t0 + Duration::from_secs(1)).is_ok());
    }

    #[test]
    fn keys_do_not_share_a_bucket() {
        let limiter = RateLimiter::new(Rate {
            burst: 1,
            per_minute: 1,
        });
        let t0 = Instant::now();
        assert!(limiter.check_at("one", t0).is_ok());
        assert!(limiter.check_at("two", t0).is_ok());
        assert!(limiter.check_at("one", t0).is_err());
    }

    #[test]
    fn address_keys_hide_the_address_and_group_an_ipv6_prefix() {
        let hasher = AddressHasher::default();
        let a = hasher.key("203.0.113.7".parse().unwrap());
        assert!(!a.contains("203"));
        assert_eq!(a, hasher.key("203.0.113.7".parse().unwrap()));
        assert_ne!(a, hasher.key("203.0.113.8".parse().unwrap()));
        assert_eq!(
            hasher.key("2001:db8:1:2::1".parse().unwrap()),
            hasher.key("2001:db8:1:2::ffff".parse().unwrap())
        );
    }
}
