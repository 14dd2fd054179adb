//! Flood protection: keyed GCRA limiters (the `governor` crate) for every
//! write endpoint, each keyed per visitor **and** per (hashed) address.
//!
//! - O(1) per request: one lookup in a sharded map (`dashmap`), no global lock
//!   and no scan; a key that has recovered its whole burst is indistinguishable
//!   from a new one, so [`spawn_sweeper`] drops such keys every
//!   [`SWEEP_EVERY`] and gives the memory back.
//! - Bounded: the address is checked first and a refused request is not
//!   charged to its visitor key, so invented cookies cannot create visitor keys
//!   faster than their address is allowed to send; address keys are bounded by
//!   the addresses (IPv6: /64 prefixes) that really connect.
//! - Memory only, never the database: a restart forgets the counts, which is
//!   fine for flood protection, and nothing about who sent what is persisted.
//!   Addresses are never keys as given: [`AddressHasher`] turns them into a
//!   salted hash whose salt changes every day and lives only in this process.

use std::{
    hash::{BuildHasher, BuildHasherDefault, Hash, RandomState},
    net::IpAddr,
    num::NonZeroU32,
    sync::{Arc, Mutex},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use governor::{
    Quota, RateLimiter,
    clock::{Clock, DefaultClock},
    middleware::NoOpMiddleware,
    state::keyed::DashMapStateStore,
};
use prometheus::{IntCounterVec, IntGaugeVec};

/// A burst of `burst` requests, then one more every `60 / per_minute` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub burst: u32,
    pub per_minute: u32,
}

impl Rate {
    /// The time one request's allowance takes to come back.
    pub fn refill_interval(self) -> Duration {
        Duration::from_secs_f64(60.0 / f64::from(self.per_minute.max(1)))
    }

    /// `factor` times the burst and the rate (an address's share of a visitor's).
    pub fn times(self, factor: u32) -> Rate {
        Rate {
            burst: self.burst.saturating_mul(factor).max(1),
            per_minute: self.per_minute.saturating_mul(factor).max(1),
        }
    }

    fn quota(self) -> Quota {
        let burst = NonZeroU32::new(self.burst.max(1)).expect("at least 1");
        Quota::with_period(self.refill_interval())
            .expect("a positive period")
            .allow_burst(burst)
    }
}

/// One keyed limiter: a GCRA state (8 bytes) per key in a sharded map.
pub struct Limiter<K: Hash + Eq + Clone, C: Clock = DefaultClock> {
    rate: Rate,
    inner: RateLimiter<K, DashMapStateStore<K>, C, NoOpMiddleware<C::Instant>>,
}

impl<K: Hash + Eq + Clone> Limiter<K> {
    /// A limiter on the real (monotonic) clock.
    pub fn new(rate: Rate) -> Self {
        Self::with_clock(rate, DefaultClock::default())
    }
}

impl<K: Hash + Eq + Clone, C: Clock> Limiter<K, C> {
    /// A limiter on the given clock (tests use governor's fake clock).
    pub fn with_clock(rate: Rate, clock: C) -> Self {
        Self {
            rate,
            inner: RateLimiter::dashmap_with_clock(rate.quota(), clock),
        }
    }

    /// Takes one request's allowance for `key`, or says how long until one is
    /// available (at least one second, the unit of `Retry-After`).
    pub fn check(&self, key: &K) -> Result<(), Duration> {
        self.inner.check_key(key).map_err(|not_until| {
            not_until
                .wait_time_from(self.inner.clock().now())
                .max(Duration::from_secs(1))
        })
    }

    /// The configured rate.
    pub fn rate(&self) -> Rate {
        self.rate
    }

    /// Keys held right now (an estimate while requests run).
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// Drops the keys that have recovered their whole burst (they behave as new
    /// keys anyway) and shrinks the map. O(keys); run from [`spawn_sweeper`].
    pub fn sweep(&self) {
        self.inner.retain_recent();
        self.inner.shrink_to_fit();
    }
}

/// Which of a request's two keys refused it (the `key` label of
/// `ats_scorer_rate_limited_total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// The (hashed) client address.
    Address,
    /// The endpoint's narrower key: the visitor cookie (events, feedback), the
    /// email at this address (login), the admin or token (admin writes).
    Visitor,
}

impl KeyKind {
    /// Both kinds, in label order.
    pub const ALL: [KeyKind; 2] = [KeyKind::Address, KeyKind::Visitor];

    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Address => "address",
            KeyKind::Visitor => "visitor",
        }
    }
}

/// A refusal: which key, and how long until the next request would pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub kind: KeyKind,
    pub wait: Duration,
}

/// An endpoint's two limiters: per address (checked first) and per visitor.
pub struct PairLimiter<V: Hash + Eq + Clone> {
    pub per_address: Limiter<AddressKey>,
    pub per_visitor: Limiter<V>,
}

impl<V: Hash + Eq + Clone> PairLimiter<V> {
    /// `visitor` for each visitor key, `factor` times that for each address.
    pub fn new(visitor: Rate, factor: u32) -> Self {
        Self::with_rates(visitor, visitor.times(factor))
    }

    /// Explicit rates for each key.
    pub fn with_rates(visitor: Rate, address: Rate) -> Self {
        Self {
            per_address: Limiter::new(address),
            per_visitor: Limiter::new(visitor),
        }
    }

    /// Charges the address, then (only if the address allowed it) the visitor.
    pub fn check(&self, address: AddressKey, visitor: &V) -> Result<(), Refused> {
        self.per_address.check(&address).map_err(|wait| Refused {
            kind: KeyKind::Address,
            wait,
        })?;
        self.per_visitor.check(visitor).map_err(|wait| Refused {
            kind: KeyKind::Visitor,
            wait,
        })
    }

    fn sweep(&self) {
        self.per_address.sweep();
        self.per_visitor.sweep();
    }
}

/// How many visitors' worth of event batches one address may send (a
/// household, an office or a school behind one NAT).
pub const EVENTS_ADDRESS_FACTOR: u32 = 5;
/// How many visitors' worth of feedback one address may send.
pub const FEEDBACK_ADDRESS_FACTOR: u32 = 3;
/// Login attempts for one email from one address: 5, then one a minute.
pub const LOGIN_PER_EMAIL: Rate = Rate {
    burst: 5,
    per_minute: 1,
};
/// Login attempts from one address, whatever the email: 20, then 10 a minute.
pub const LOGIN_PER_ADDRESS: Rate = Rate {
    burst: 20,
    per_minute: 10,
};
/// Admin writes (POST/PATCH/PUT/DELETE of the admin area) per admin or token:
/// 120, then 2 a second.
pub const ADMIN_WRITES: Rate = Rate {
    burst: 120,
    per_minute: 120,
};
/// How many admins' worth of writes one address may send.
pub const ADMIN_ADDRESS_FACTOR: u32 = 2;
/// How often [`spawn_sweeper`] drops recovered keys.
pub const SWEEP_EVERY: Duration = Duration::from_secs(30);

/// The `endpoint` label values of `ats_scorer_rate_limited_total`.
pub const ENDPOINTS: [&str; 4] = ["events", "feedback", "login", "admin_write"];

/// Every limiter of the app, with the counter of refusals.
pub struct Limits {
    /// `POST /api/events`: per visitor (`--events-burst`, `--events-per-minute`)
    /// and [`EVENTS_ADDRESS_FACTOR`] times that per address.
    pub events: PairLimiter<u128>,
    /// `POST /api/feedback`: per visitor (`--feedback-burst`,
    /// `--feedback-per-minute`) and [`FEEDBACK_ADDRESS_FACTOR`] times that per address.
    pub feedback: PairLimiter<u128>,
    /// `POST /admin/login`: per email-and-address ([`LOGIN_PER_EMAIL`]) and per
    /// address ([`LOGIN_PER_ADDRESS`]); never per email alone, so a stranger's
    /// wrong guesses cannot lock the real admin out.
    pub login: PairLimiter<u64>,
    /// Admin writes: per admin or token and per address.
    pub admin_writes: PairLimiter<String>,
    refused: IntCounterVec,
    keys: IntGaugeVec,
}

impl Limits {
    /// The limiters for these visitor rates; refusals are counted in `refused`
    /// (labels `endpoint`, `key`) and key counts published in `keys` (label
    /// `limiter`) by the sweeper.
    pub fn new(
        events: Rate,
        feedback: Rate,
        refused: IntCounterVec,
        keys: IntGaugeVec,
    ) -> Arc<Self> {
        Arc::new(Self {
            events: PairLimiter::new(events, EVENTS_ADDRESS_FACTOR),
            feedback: PairLimiter::new(feedback, FEEDBACK_ADDRESS_FACTOR),
            login: PairLimiter::with_rates(LOGIN_PER_EMAIL, LOGIN_PER_ADDRESS),
            admin_writes: PairLimiter::new(ADMIN_WRITES, ADMIN_ADDRESS_FACTOR),
            refused,
            keys,
        })
    }

    /// Counts a refusal by `endpoint` (one of [`ENDPOINTS`]) and key kind.
    pub fn count(&self, endpoint: &'static str, refused: &Refused) {
        self.refused
            .with_label_values(&[endpoint, refused.kind.as_str()])
            .inc();
    }

    /// Checks `endpoint`'s pair and counts a refusal.
    pub fn check<V: Hash + Eq + Clone>(
        &self,
        endpoint: &'static str,
        pair: &PairLimiter<V>,
        address: AddressKey,
        visitor: &V,
    ) -> Result<(), Refused> {
        pair.check(address, visitor)
            .inspect_err(|r| self.count(endpoint, r))
    }

    /// Drops recovered keys from every limiter and publishes the key counts.
    pub fn sweep(&self) {
        self.events.sweep();
        self.feedback.sweep();
        self.login.sweep();
        self.admin_writes.sweep();
        for (name, n) in [
            ("events_address", self.events.per_address.len()),
            ("events_visitor", self.events.per_visitor.len()),
            ("feedback_address", self.feedback.per_address.len()),
            ("feedback_visitor", self.feedback.per_visitor.len()),
            ("login_address", self.login.per_address.len()),
            ("login_visitor", self.login.per_visitor.len()),
            ("admin_write_address", self.admin_writes.per_address.len()),
            ("admin_write_visitor", self.admin_writes.per_visitor.len()),
        ] {
            self.keys
                .with_label_values(&[name])
                .set(i64::try_from(n).unwrap_or(i64::MAX));
        }
    }
}

/// Sweeps `limits` every `every` for as long as the process runs.
pub fn spawn_sweeper(limits: Arc<Limits>, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let limits = limits.clone();
            // O(keys): off the async workers.
            if tokio::task::spawn_blocking(move || limits.sweep())
                .await
                .is_err()
            {
                tracing::error!("the rate-limit sweeper panicked");
            }
        }
    });
}

/// A visitor id (32 hex digits) as a 16-byte key; anything else hashes.
pub fn visitor_key(id: &str) -> u128 {
    u128::from_str_radix(id, 16).unwrap_or_else(|_| {
        u128::from(BuildHasherDefault::<std::hash::DefaultHasher>::default().hash_one(id))
    })
}

/// The login limiter's key for an email at an address: the email lowercased
/// and trimmed (`Admin@x ` and `admin@x` share it) with the salted address key.
pub fn email_key(email: &str, address: AddressKey) -> u64 {
    BuildHasherDefault::<std::hash::DefaultHasher>::default()
        .hash_one((email.trim().to_lowercase(), address.0))
}

/// An address as a limiter key: a salted 64-bit hash (see [`AddressHasher`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AddressKey(pub u64);

impl std::fmt::Display for AddressKey {
    /// 16 hex digits: the form request logs carry (`client`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// Turns an IP address into an opaque key: SipHash with a random key made in
/// this process and replaced every UTC day, so keys cannot be reversed by
/// hashing every address and cannot be linked across days or restarts.
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
    /// The key of `ip`. IPv6 clients usually own a whole /64, so the prefix is
    /// the key, not each address; an IPv4-mapped IPv6 address is its IPv4 one.
    pub fn key(&self, ip: IpAddr) -> AddressKey {
        AddressKey(self.today().hash_one(canonical(ip)))
    }

    /// Today's salted hasher (a new salt on the first use of each UTC day).
    fn today(&self) -> RandomState {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let today = utc_day();
        if state.0 != today {
            *state = (today, RandomState::new());
        }
        state.1.clone()
    }
}

/// The bytes an address is limited by: the IPv4 address, or the IPv6 /64
/// (an IPv4-mapped IPv6 address is its IPv4 address).
pub fn canonical(ip: IpAddr) -> ([u8; 8], u8) {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            ([o[0], o[1], o[2], o[3], 0, 0, 0, 0], 4)
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => canonical(IpAddr::V4(v4)),
            None => {
                let mut prefix = [0u8; 8];
                prefix.copy_from_slice(&v6.octets()[..8]);
                (prefix, 6)
            }
        },
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
    use governor::clock::FakeRelativeClock;

    fn limiter(
        burst: u32,
        per_minute: u32,
    ) -> (Limiter<&'static str, FakeRelativeClock>, FakeRelativeClock) {
        let clock = FakeRelativeClock::default();
        (
            Limiter::with_clock(Rate { burst, per_minute }, clock.clone()),
            clock,
        )
    }

    #[test]
    fn allows_a_burst_then_refuses_with_the_wait() {
        let (limiter, _clock) = limiter(3, 6);
        for _ in 0..3 {
            assert!(limiter.check(&"v:a").is_ok());
        }
        let wait = limiter.check(&"v:a").unwrap_err();
        assert_eq!(wait, Duration::from_secs(10));
    }

    #[test]
    fn refills_over_time() {
        let (limiter, clock) = limiter(1, 60);
        assert!(limiter.check(&"k").is_ok());
        assert!(limiter.check(&"k").is_err());
        clock.advance(Duration::from_secs(1));
        assert!(limiter.check(&"k").is_ok());
    }

    #[test]
    fn keys_do_not_share_a_bucket() {
        let (limiter, _clock) = limiter(1, 1);
        assert!(limiter.check(&"one").is_ok());
        assert!(limiter.check(&"two").is_ok());
        assert!(limiter.check(&"one").is_err());
    }

    #[test]
    fn a_wait_under_a_second_is_reported_as_one_second() {
        let (limiter, clock) = limiter(1, 6000);
        assert!(limiter.check(&"k").is_ok());
        assert_eq!(limiter.check(&"k").unwrap_err(), Duration::from_secs(1));
        clock.advance(Duration::from_millis(10));
        assert!(limiter.check(&"k").is_ok());
    }

    #[test]
    fn the_sweep_forgets_recovered_keys_and_keeps_busy_ones() {
        // A burst of 2, one more a second.
        let (limiter, clock) = limiter(2, 60);
        for i in 0..1000u32 {
            let key: &'static str = Box::leak(i.to_string().into_boxed_str());
            assert!(limiter.check(&key).is_ok());
        }
        assert_eq!(limiter.len(), 1000);
        clock.advance(Duration::from_secs(2));
        // "busy" spends its burst now; the others have been idle long enough.
        assert!(limiter.check(&"busy").is_ok());
        assert!(limiter.check(&"busy").is_ok());
        limiter.sweep();
        assert_eq!(limiter.len(), 1);
        assert!(limiter.check(&"busy").is_err(), "the sweep kept its state");
        // A forgotten key starts afresh: its whole burst.
        assert!(limiter.check(&"7").is_ok());
        assert!(limiter.check(&"7").is_ok());
        assert!(limiter.check(&"7").is_err());
    }

    #[test]
    fn a_refused_address_does_not_charge_the_visitor() {
        let pair: PairLimiter<u128> = PairLimiter::with_rates(
            Rate {
                burst: 1,
                per_minute: 1,
            },
            Rate {
                burst: 2,
                per_minute: 1,
            },
        );
        let addr = AddressKey(7);
        assert!(pair.check(addr, &1).is_ok());
        assert!(pair.check(addr, &2).is_ok());
        // The address is spent: visitor 3 is refused by the address and gets no key.
        assert_eq!(pair.check(addr, &3).unwrap_err().kind, KeyKind::Address);
        assert_eq!(pair.per_visitor.len(), 2);
        // Visitor 1 from another address is refused by its own key.
        assert_eq!(
            pair.check(AddressKey(8), &1).unwrap_err().kind,
            KeyKind::Visitor
        );
    }

    #[test]
    fn address_keys_hide_the_address_and_group_an_ipv6_prefix() {
        let hasher = AddressHasher::default();
        let a = hasher.key("203.0.113.7".parse().unwrap());
        assert!(!a.to_string().contains("203"));
        assert_eq!(a, hasher.key("203.0.113.7".parse().unwrap()));
        assert_eq!(a, hasher.key("::ffff:203.0.113.7".parse().unwrap()));
        assert_ne!(a, hasher.key("203.0.113.8".parse().unwrap()));
        assert_eq!(
            hasher.key("2001:db8:1:2::1".parse().unwrap()),
            hasher.key("2001:db8:1:2::ffff".parse().unwrap())
        );
        assert_ne!(
            hasher.key("2001:db8:1:2::1".parse().unwrap()),
            hasher.key("2001:db8:1:3::1".parse().unwrap())
        );
    }

    #[test]
    fn email_keys_ignore_case_and_differ_by_address() {
        let hasher = AddressHasher::default();
        let here = hasher.key("198.51.100.1".parse().unwrap());
        let there = hasher.key("198.51.100.2".parse().unwrap());
        assert_eq!(
            email_key("Admin@Example.com ", here),
            email_key("admin@example.com", here)
        );
        assert_ne!(
            email_key("admin@example.com", here),
            email_key("admin@example.com", there)
        );
        assert_ne!(
            email_key("admin@example.com", here),
            email_key("other@example.com", here)
        );
    }

    #[test]
    fn visitor_ids_become_compact_keys() {
        assert_eq!(visitor_key("000000000000000000000000000000ff"), 255);
        assert_ne!(visitor_key("not-hex"), visitor_key("also-not-hex"));
    }
}
