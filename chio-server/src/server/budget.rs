//! A connection's packet allowance: a burst, then a steady rate.

use std::time::Instant;

use super::PacketRate;

/// A token bucket over packets.
pub(super) struct Budget {
    rate: PacketRate,
    tokens: f64,
    last: Instant,
}

impl Budget {
    pub(super) fn new(rate: PacketRate) -> Self {
        Self { rate, tokens: f64::from(rate.burst), last: Instant::now() }
    }

    /// Takes `n` packets from the budget; false when it is spent.
    pub(super) fn take(&mut self, n: u32) -> bool {
        let now = Instant::now();
        let refill = now.duration_since(self.last).as_secs_f64() * f64::from(self.rate.per_second);
        self.tokens = (self.tokens + refill).min(f64::from(self.rate.burst));
        self.last = now;
        self.tokens -= f64::from(n);
        self.tokens >= 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_rate() {
        let mut budget = Budget::new(PacketRate { burst: 10, per_second: 1 });
        assert!(budget.take(10));
        assert!(!budget.take(1));
    }
}
