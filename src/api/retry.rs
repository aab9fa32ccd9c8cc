//! When to try again: retries with exponential backoff and full jitter for reads and deletes on
//! 429/502/503/504 and on network failures, honouring `Retry-After`; never for a reset. And how
//! long to wait for a password that the server has not posted yet. Pure decisions: the transports
//! (fetch in wasm, the CLI's client) do the waiting.

use super::diagnosis::Diagnosis;
use super::http::HttpRequest;
use super::response::Answer;
use crate::error::{Error, ErrorCode, Result};
use crate::message::Message;

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

/// One call's tries, as a state machine both drivers run (the blocking client, the `fetch` loop):
/// fed how each try ended, it says when to send again, or that the try's result is the call's.
#[derive(Clone, Debug)]
pub struct Retrier {
    policy: RetryPolicy,
    attempt: u32,
}

impl Retrier {
    /// Before the first try.
    pub fn new(policy: RetryPolicy) -> Self {
        Retrier { policy, attempt: 1 }
    }

    /// The time limit of each try.
    pub fn timeout_ms(&self) -> u64 {
        self.policy.timeout_ms
    }

    /// After a try of `request` ended with `outcome`: `Some(ms)`, send again after that wait;
    /// `None`, stop (the try's answer or error is the call's). `random` is uniform in [0, 1).
    pub fn after(
        &mut self,
        request: &HttpRequest,
        outcome: Outcome<'_>,
        random: f64,
    ) -> Option<u64> {
        let wait = self
            .policy
            .delay_ms(request, outcome, self.attempt, random)?;
        self.attempt += 1;
        Some(wait)
    }
}

/// What to do after an ask for a password that may not be posted yet.
#[derive(Debug, PartialEq, Eq)]
pub enum WaitStep {
    /// The server has posted it: the ciphertext.
    Posted(String),
    /// Not posted yet: ask again after this many milliseconds.
    AskAfter(u64),
    /// Stop with this error (another failure, or the time limit passed).
    Fail(Error),
}

/// Waiting for a password, as a state machine both drivers run: fed each ask's typed result and
/// the clock, it says "posted", "ask again after N ms" or "fail"; the driver does the waiting.
#[derive(Clone, Debug)]
pub struct PasswordWait {
    poll: PollPolicy,
    start_ms: u64,
}

impl PasswordWait {
    /// At the first ask, `now_ms` on the driver's monotonic clock.
    pub fn new(poll: PollPolicy, now_ms: u64) -> Self {
        PasswordWait {
            poll,
            start_ms: now_ms,
        }
    }

    /// A wait only where `diagnosis` says the password may still come: `None` for "never"; else
    /// up to the end of the documented window plus one interval (so that one ask comes after it),
    /// and never past `poll`'s own limit.
    pub fn for_diagnosis(poll: PollPolicy, now_ms: u64, diagnosis: &Diagnosis) -> Option<Self> {
        if !diagnosis.can_wait {
            return None;
        }
        let limit_ms = match diagnosis.retry_after_secs {
            Some(secs) => secs
                .saturating_mul(1000)
                .saturating_add(poll.interval_ms)
                .min(poll.limit_ms),
            None => poll.limit_ms,
        };
        Some(PasswordWait::new(
            PollPolicy {
                interval_ms: poll.interval_ms,
                limit_ms,
            },
            now_ms,
        ))
    }

    /// The policy in force (after [`PasswordWait::for_diagnosis`], with its shortened limit).
    pub fn policy(&self) -> PollPolicy {
        self.poll
    }

    /// After an ask answered `result` at `now_ms`.
    pub fn after(&self, result: Result<Answer>, now_ms: u64) -> WaitStep {
        match result {
            Ok(Answer::Ciphertext { ciphertext }) => WaitStep::Posted(ciphertext),
            Ok(_) => WaitStep::Fail(Error::new(
                ErrorCode::ResponseInvalid,
                Message::new("answer-unexpected"),
            )),
            Err(e) if e.code() == ErrorCode::PasswordNotAvailable => {
                match self.poll.next_wait_ms(now_ms.saturating_sub(self.start_ms)) {
                    Some(wait) => WaitStep::AskAfter(wait),
                    None => WaitStep::Fail(e),
                }
            }
            Err(e) => WaitStep::Fail(e),
        }
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

    #[test]
    fn the_retrier_counts_tries_and_stops_at_the_limit() {
        let policy = RetryPolicy {
            max_attempts: 3,
            base_delay_ms: 100,
            max_delay_ms: 1000,
            timeout_ms: 5,
        };
        let get = req("GET");
        let mut r = Retrier::new(policy);
        assert_eq!(r.timeout_ms(), 5);
        assert_eq!(r.after(&get, Outcome::Timeout, 0.5), Some(50));
        assert_eq!(r.after(&get, Outcome::Status(503, None), 0.5), Some(100));
        assert_eq!(
            r.after(&get, Outcome::NetworkError, 0.5),
            None,
            "3 tries in all"
        );
        let mut r = Retrier::new(policy);
        assert_eq!(r.after(&get, Outcome::Status(404, None), 0.5), None);
        let mut r = Retrier::new(policy);
        assert_eq!(
            r.after(&req("POST"), Outcome::Timeout, 0.5),
            None,
            "never a reset"
        );
    }

    #[test]
    fn the_password_wait_decides_on_typed_errors() {
        let poll = PollPolicy {
            interval_ms: 100,
            limit_ms: 250,
        };
        let w = PasswordWait::new(poll, 1000);
        let error = |code| Error::new(code, Message::new("answer-unexpected"));
        let not_posted = || Err(error(ErrorCode::PasswordNotAvailable));
        assert_eq!(w.after(not_posted(), 1000), WaitStep::AskAfter(100));
        assert_eq!(
            w.after(not_posted(), 1200),
            WaitStep::AskAfter(50),
            "up to the limit"
        );
        match w.after(not_posted(), 1250) {
            WaitStep::Fail(e) => assert_eq!(e.code(), ErrorCode::PasswordNotAvailable),
            other => panic!("{other:?}"),
        }
        let posted = Ok(Answer::Ciphertext {
            ciphertext: "abc".into(),
        });
        assert_eq!(w.after(posted, 1300), WaitStep::Posted("abc".into()));
        match w.after(Err(error(ErrorCode::Forbidden)), 1000) {
            WaitStep::Fail(e) => assert_eq!(e.code(), ErrorCode::Forbidden),
            other => panic!("{other:?}"),
        }
        match w.after(Ok(Answer::Done), 1000) {
            WaitStep::Fail(e) => assert_eq!(e.code(), ErrorCode::ResponseInvalid),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_wait_happens_only_where_the_diagnosis_says_it_can_help() {
        use crate::api::diagnosis::{diagnose, Cause, Facts};
        use crate::api::response::ServerDetails;
        let poll = PollPolicy {
            interval_ms: 30_000,
            limit_ms: 60 * 60_000,
        };
        let server = |os: &str, launched: &str| ServerDetails {
            id: "s".into(),
            key_name: Some("kp".into()),
            os_type: Some(os.into()),
            launched_at: Some(launched.into()),
            ..ServerDetails::default()
        };
        let at = |s: &ServerDetails| {
            diagnose(&Facts {
                server: s,
                key_pair: None,
                cleared: false,
                now_unix: 1_767_225_600, // 2026-01-01T00:00:00Z
            })
        };
        // Booted 3 minutes ago: up to the end of the window and one more ask.
        let booting = at(&server("Windows", "2025-12-31T23:57:00"));
        assert_eq!(booting.cause, Cause::Booting { running_secs: 180 });
        let w = PasswordWait::for_diagnosis(poll, 5_000, &booting).unwrap();
        assert_eq!(w.policy().limit_ms, 420_000 + 30_000);
        let not_posted = || {
            Err(Error::new(
                ErrorCode::PasswordNotAvailable,
                Message::new("password-not-available"),
            ))
        };
        assert_eq!(w.after(not_posted(), 5_000), WaitStep::AskAfter(30_000));
        assert!(matches!(
            w.after(not_posted(), 5_000 + 450_000),
            WaitStep::Fail(_)
        ));
        // The user's limit is kept when it is shorter.
        let short = PollPolicy {
            interval_ms: 30_000,
            limit_ms: 60_000,
        };
        let w = PasswordWait::for_diagnosis(short, 0, &booting).unwrap();
        assert_eq!(w.policy(), short);
        // Never: no wait at all.
        for never in [
            at(&server("Linux", "2025-12-31T23:57:00")),
            at(&server("Windows", "2025-12-31T20:00:00")),
        ] {
            assert!(
                PasswordWait::for_diagnosis(poll, 0, &never).is_none(),
                "{never:?}"
            );
        }
        // No time known: the user's limit.
        let mut unknown = server("Windows", "");
        unknown.launched_at = None;
        let w = PasswordWait::for_diagnosis(poll, 0, &at(&unknown)).unwrap();
        assert_eq!(w.policy(), poll);
    }
}
