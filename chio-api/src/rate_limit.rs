//! A token bucket: a burst of actions, then one more per interval.

use std::time::Duration;

use tokio::time::Instant;

/// Allows `burst` actions at once, and regains one every `interval`.
#[derive(Clone, Debug)]
pub struct RateLimiter {
    burst: u32,
    interval: Duration,
    available: u32,
    /// When the next action is regained (meaningful while `available < burst`).
    next_refill: Instant,
}

impl RateLimiter {
    /// A full bucket of `burst`, regaining one every `interval`.
    pub fn new(burst: u32, interval: Duration, now: Instant) -> Self {
        Self { burst, interval, available: burst, next_refill: now + interval }
    }

    /// Takes one action if one is available at `now`; whether it was.
    pub fn try_acquire(&mut self, now: Instant) -> bool {
        self.refill(now);
        if self.available == 0 {
            return false;
        }
        if self.available == self.burst {
            // The clock for regaining starts when the bucket stops being full.
            self.next_refill = now + self.interval;
        }
        self.available -= 1;
        true
    }

    fn refill(&mut self, now: Instant) {
        if self.interval.is_zero() {
            self.available = self.burst;
            return;
        }
        while self.available < self.burst && now >= self.next_refill {
            self.available += 1;
            self.next_refill += self.interval;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_a_burst_then_one_per_interval() {
        let start = Instant::now();
        let second = Duration::from_secs(1);
        let mut limiter = RateLimiter::new(2, second, start);
        assert!(limiter.try_acquire(start));
        assert!(limiter.try_acquire(start));
        assert!(!limiter.try_acquire(start));
        assert!(!limiter.try_acquire(start + second / 2));
        assert!(limiter.try_acquire(start + second));
        assert!(!limiter.try_acquire(start + second));
        // A long pause refills to the burst, not beyond it.
        let later = start + second * 100;
        assert!(limiter.try_acquire(later));
        assert!(limiter.try_acquire(later));
        assert!(!limiter.try_acquire(later));
    }

    #[test]
    fn a_zero_burst_allows_nothing() {
        let now = Instant::now();
        let mut limiter = RateLimiter::new(0, Duration::from_millis(1), now);
        assert!(!limiter.try_acquire(now + Duration::from_secs(1)));
    }
}
