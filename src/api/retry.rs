//! When to try again: retries with exponential backoff and full jitter for reads and deletes on
//! 429/502/503/504 and on network failures, honouring `Retry-After`; never for a reset. And how
//! long to wait for a password that the server has not posted yet. Pure decisions: the transports
//! (fetch in wasm, the CLI's client) do the waiting.

use super::http::HttpRequest;

/// How a try ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome<'a> {
    /// An answer with this status and `Retry-After` header.
    Status(u16, Option<&'a str>),
    /// No answer: connection failed or was dropped.
    NetworkError,
    /// No answer within the time limit.
    Timeout,
}

/// Retry limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RetryPolicy {
    /// Tries in all, the first included.
    pub max_attempts: u32,
    /// The first backoff ceiling; doubles each try.
    pub base_delay_ms: u64,
    /// The largest wait between tries; a `Retry-After` above it ends the retries.
    pub max_delay_ms: u64,
    /// The time limit of one try.
    pub timeout_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay_ms: 500,
            max_delay_ms: 20_000,
            timeout_ms: 30_000,
        }
    }
}

impl RetryPolicy {
    /// The wait before try `attempt + 1` after try `attempt` (from 1) ended with `outcome`, or
    /// `None` to stop. `random` is uniform in [0, 1) (the jitter).
    pub fn delay_ms(
        &self,
        request: &HttpRequest,
        outcome: Outcome<'_>,
        attempt: u32,
        random: f64,
    ) -> Option<u64> {
        if !request.is_idempotent() || attempt >= self.max_attempts {
            return None;
        }
        let retry_after = match outcome {
            Outcome::Status(429 | 502 | 503 | 504, retry_after) => {
                retry_after.and_then(parse_retry_after_ms)
            }
            Outcome::Status(..) => return None,
            Outcome::NetworkError | Outcome::Timeout => None,
        };
        match retry_after {
            Some(ms) if ms > self.max_delay_ms => None,
            Some(ms) => Some(ms),
            None => {
                let ceiling = self
                    .base_delay_ms
                    .saturating_mul(1u64 << attempt.saturating_sub(1).min(20))
                    .min(self.max_delay_ms);
                Some((ceiling as f64 * random.clamp(0.0, 1.0)) as u64)
            }
        }
    }
}

/// `Retry-After` in seconds (an HTTP date is not used: it needs a trusted clock).
fn parse_retry_after_ms(value: &str) -> Option<u64> {
    value
        .trim()
        .parse::<u64>()
        .ok()
        .map(|s| s.saturating_mul(1000))
}

/// Waiting for a password that is not posted yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PollPolicy {
    /// Between two asks.
    pub interval_ms: u64,
    /// Give up after this long (Windows posts within 5-10 minutes, AWS documents up to 15).
    pub limit_ms: u64,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            interval_ms: 30_000,
            limit_ms: 20 * 60_000,
        }
    }
}

impl PollPolicy {
    /// The wait before asking again, `elapsed_ms` after the first ask; `None` once the limit is reached.
    pub fn next_wait_ms(&self, elapsed_ms: u64) -> Option<u64> {
        let remaining = self.limit_ms.checked_sub(elapsed_ms).filter(|r| *r > 0)?;
        Some(self.interval_ms.max(1).min(remaining))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(method: &'static str) -> HttpRequest {
        HttpRequest::new(method, url::Url::parse("https://x/").unwrap())
    }

    #[test]
    fn retries_only_what_is_safe() {
        let p = RetryPolicy::default();
        let get = req("GET");
        assert_eq!(
            p.delay_ms(&get, Outcome::Status(503, None), 1, 0.5),
            Some(250)
        );
        assert_eq!(
            p.delay_ms(&get, Outcome::Status(503, None), 2, 0.5),
            Some(500)
        );
        assert_eq!(
            p.delay_ms(&get, Outcome::Status(502, None), 3, 0.99),
            Some(1980)
        );
        assert_eq!(
            p.delay_ms(&get, Outcome::Status(503, None), 4, 0.5),
            None,
            "attempts exhausted"
        );
        assert_eq!(
            p.delay_ms(&get, Outcome::Status(429, Some("3")), 1, 0.0),
            Some(3000)
        );
        assert_eq!(
            p.delay_ms(&get, Outcome::Status(429, Some("600")), 1, 0.0),
            None,
            "Retry-After beyond the limit"
        );
        assert_eq!(
            p.delay_ms(
                &get,
                Outcome::Status(429, Some("Wed, 21 Oct 2015 07:28:00 GMT")),
                1,
                1.0
            ),
            Some(500)
        );
        assert_eq!(p.delay_ms(&get, Outcome::Status(500, None), 1, 0.5), None);
        assert_eq!(p.delay_ms(&get, Outcome::Status(404, None), 1, 0.5), None);
        assert_eq!(p.delay_ms(&get, Outcome::NetworkError, 1, 1.0), Some(500));
        assert_eq!(p.delay_ms(&get, Outcome::Timeout, 1, 0.0), Some(0));
        assert_eq!(
            p.delay_ms(&req("DELETE"), Outcome::Status(504, None), 1, 0.5),
            Some(250)
        );
        for outcome in [
            Outcome::Status(503, None),
            Outcome::Status(429, Some("1")),
            Outcome::NetworkError,
            Outcome::Timeout,
        ] {
            assert_eq!(
                p.delay_ms(&req("PUT"), outcome, 1, 0.5),
                None,
                "a reset is never retried"
            );
        }
    }

    #[test]
    fn polling_stops_at_the_limit() {
        let p = PollPolicy {
            interval_ms: 30_000,
            limit_ms: 100_000,
        };
        assert_eq!(p.next_wait_ms(0), Some(30_000));
        assert_eq!(p.next_wait_ms(90_000), Some(10_000));
        assert_eq!(p.next_wait_ms(100_000), None);
        assert_eq!(p.next_wait_ms(200_000), None);
    }
}
