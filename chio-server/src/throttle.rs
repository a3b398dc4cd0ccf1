//! Login throttling: a stated policy against password guessing.
//!
//! # Policy
//!
//! Failed logins (a wrong password or an unknown name) are counted per account name (its
//! [safe name](crate::storage::safe_name)) and per client IP address, in a sliding window
//! ([`ThrottlePolicy::window`], 5 minutes by default):
//!
//! - a name with [`ThrottlePolicy::per_name`] failures (5) in the window is refused without
//!   a password check until its oldest failure leaves the window, whoever tries it;
//! - an address with [`ThrottlePolicy::per_address`] failures (20) in the window is
//!   refused the same way, whatever name it tries.
//!
//! A refused attempt is not counted again (a locked-out attacker cannot extend the lockout
//! forever), and is answered with an announcement saying when to retry and
//! `LoginReply(-1)`. A successful login clears its name's failures. Memory is bounded:
//! at most [`ThrottlePolicy::max_tracked`] names and addresses each are remembered; past
//! that, the entries whose failures are oldest are forgotten first.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use crate::storage::safe_name;

/// The numbers of the [module](self)'s policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ThrottlePolicy {
    /// Failures of one name in the window that lock it.
    pub per_name: u32,
    /// Failures from one address in the window that lock it.
    pub per_address: u32,
    /// The sliding window.
    pub window: Duration,
    /// How many names, and how many addresses, are tracked at most.
    pub max_tracked: usize,
}

impl Default for ThrottlePolicy {
    /// 5 per name and 20 per address in 5 minutes, 100,000 tracked.
    fn default() -> Self {
        Self { per_name: 5, per_address: 20, window: Duration::from_secs(300), max_tracked: 100_000 }
    }
}

/// Failure times per key, bounded in keys.
#[derive(Debug)]
struct Failures<K> {
    by_key: HashMap<K, VecDeque<Instant>>,
}

impl<K: Hash + Eq + Clone> Failures<K> {
    fn new() -> Self {
        Self { by_key: HashMap::new() }
    }

    /// When `key` may try again, if it is locked at `now`.
    fn locked_until(&mut self, key: &K, limit: u32, window: Duration, now: Instant) -> Option<Instant> {
        let times = self.by_key.get_mut(key)?;
        while times.front().is_some_and(|t| now.duration_since(*t) >= window) {
            times.pop_front();
        }
        if times.is_empty() {
            self.by_key.remove(key);
            return None;
        }
        (times.len() >= limit as usize).then(|| times[times.len() - limit as usize] + window)
    }

    fn record(&mut self, key: K, limit: u32, max_tracked: usize, now: Instant) {
        if !self.by_key.contains_key(&key) && self.by_key.len() >= max_tracked {
            // Forget the key whose newest failure is oldest.
            let stalest = self.by_key.iter().min_by_key(|(_, t)| t.back().copied()).map(|(k, _)| k.clone());
            if let Some(stalest) = stalest {
                self.by_key.remove(&stalest);
            }
        }
        let times = self.by_key.entry(key).or_default();
        times.push_back(now);
        // Only the last `limit` failures matter.
        while times.len() > limit as usize {
            times.pop_front();
        }
    }
}

/// Counts failed logins and says who is locked out; see the [module](self) for the policy.
#[derive(Debug)]
pub struct Throttle {
    policy: ThrottlePolicy,
    names: Failures<String>,
    addresses: Failures<IpAddr>,
}

impl Throttle {
    /// A throttle with `policy`.
    pub fn new(policy: ThrottlePolicy) -> Self {
        Self { policy, names: Failures::new(), addresses: Failures::new() }
    }

    /// Whether a login for `name` from `address` may be checked at `now`; if not, how long
    /// until it may.
    pub fn check(&mut self, name: &str, address: Option<IpAddr>, now: Instant) -> Result<(), Duration> {
        let p = self.policy;
        let name_until = self.names.locked_until(&safe_name(name), p.per_name, p.window, now);
        let address_until =
            address.and_then(|a| self.addresses.locked_until(&a, p.per_address, p.window, now));
        match name_until.max(address_until) {
            Some(until) => Err(until.saturating_duration_since(now)),
            None => Ok(()),
        }
    }

    /// Counts a failed login.
    pub fn failed(&mut self, name: &str, address: Option<IpAddr>, now: Instant) {
        let p = self.policy;
        self.names.record(safe_name(name), p.per_name, p.max_tracked, now);
        if let Some(address) = address {
            self.addresses.record(address, p.per_address, p.max_tracked, now);
        }
    }

    /// Clears a name's failures after a successful login.
    pub fn succeeded(&mut self, name: &str) {
        self.names.by_key.remove(&safe_name(name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));

    fn policy() -> ThrottlePolicy {
        ThrottlePolicy { per_name: 3, per_address: 5, window: Duration::from_secs(60), max_tracked: 4 }
    }

    #[test]
    fn a_name_locks_after_its_failures_and_unlocks_as_they_age() {
        let mut throttle = Throttle::new(policy());
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(throttle.check("Victim", HOME, t0).is_ok(), "attempt {i}");
            throttle.failed("Victim", HOME, t0 + Duration::from_secs(i));
        }
        // The same safe name, from anywhere.
        assert_eq!(
            throttle.check("victim", None, t0 + Duration::from_secs(10)),
            Err(Duration::from_secs(50))
        );
        assert!(throttle.check("someone else", HOME, t0 + Duration::from_secs(10)).is_ok());
        assert!(
            throttle.check("Victim", None, t0 + Duration::from_secs(60)).is_ok(),
            "the first failure aged out"
        );
        throttle.succeeded("VICTIM");
        assert!(throttle.check("victim", None, t0 + Duration::from_secs(10)).is_ok());
    }

    #[test]
    fn an_address_locks_whatever_name_it_tries() {
        let mut throttle = Throttle::new(policy());
        let t0 = Instant::now();
        for i in 0..5 {
            throttle.failed(&format!("name {i}"), HOME, t0);
        }
        assert!(throttle.check("fresh name", HOME, t0).is_err());
        assert!(throttle.check("fresh name", None, t0).is_ok());
    }

    #[test]
    fn memory_stays_bounded() {
        let mut throttle = Throttle::new(policy());
        let t0 = Instant::now();
        for i in 0..1000u32 {
            let address = Some(IpAddr::V4(std::net::Ipv4Addr::from(i)));
            throttle.failed(&format!("name {i}"), address, t0 + Duration::from_millis(u64::from(i)));
        }
        assert!(throttle.names.by_key.len() <= 4 && throttle.addresses.by_key.len() <= 4);
    }
}
