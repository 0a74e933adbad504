//! A token bucket: `n` messages a minute, in bursts of up to `n`.

use std::time::Instant;

/// Allows `per_minute` events a minute, refilling continuously.
#[derive(Debug)]
pub struct RateLimit {
    capacity: f64,
    tokens: f64,
    per_second: f64,
    at: Option<Instant>,
}

impl RateLimit {
    /// `per_minute` a minute (at least one).
    pub fn per_minute(per_minute: u32) -> RateLimit {
        let capacity = f64::from(per_minute.max(1));
        RateLimit {
            capacity,
            tokens: capacity,
            per_second: capacity / 60.0,
            at: None,
        }
    }

    /// Whether one more is allowed `now` (and counts it if so).
    pub fn allow(&mut self, now: Instant) -> bool {
        if let Some(at) = self.at {
            let refill = now.saturating_duration_since(at).as_secs_f64() * self.per_second;
            self.tokens = (self.tokens + refill).min(self.capacity);
        }
        self.at = Some(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn allows_a_burst_then_refills_at_the_rate() {
        let t = Instant::now();
        let mut limit = RateLimit::per_minute(50);
        assert_eq!((0..60).filter(|_| limit.allow(t)).count(), 50);
        assert!(!limit.allow(t + Duration::from_millis(500)));
        // 50 a minute = one every 1.2 s.
        assert!(limit.allow(t + Duration::from_millis(1300)));
        assert!(!limit.allow(t + Duration::from_millis(1400)));
        assert_eq!(
            (0..100).filter(|_| limit.allow(t + Duration::from_secs(600))).count(),
            50
        );
    }
}
