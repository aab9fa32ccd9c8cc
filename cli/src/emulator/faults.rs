//! Faults on demand, for tests and demos of resilience: added latency, server errors, throttling
//! (429 with Retry-After) and dropped connections, drawn from a seeded generator so that a run
//! can be repeated exactly. Errors and throttling come before the request is handled (it has no
//! effect); a drop comes after (it took effect, and the answer is lost): the case where a client
//! must not repeat a reset.

use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use std::time::Duration;

/// What to inject, as given with `--faults` or `PUT /_emulator/faults`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FaultSpec {
    /// Added latency in milliseconds, drawn uniformly from `[min, max]`.
    pub latency_ms: [u64; 2],
    /// Share of requests answered with a 500 or 503 (0 to 1).
    pub error_rate: f64,
    /// Share of requests answered with 429 and `Retry-After`.
    pub throttle_rate: f64,
    /// The `Retry-After` value, in seconds.
    pub retry_after_seconds: u64,
    /// Share of requests whose connection is dropped after they took effect.
    pub drop_rate: f64,
    /// Seed of the generator: the same seed and request order give the same faults.
    pub seed: u64,
}

impl FaultSpec {
    /// Parses `latency=50..200,error=0.1,throttle=0.05,retry-after=1,drop=0.02,seed=7` (any
    /// subset; `latency=100` is a fixed delay).
    pub fn parse(text: &str) -> Result<FaultSpec, String> {
        let mut spec = FaultSpec {
            retry_after_seconds: 1,
            ..FaultSpec::default()
        };
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (key, value) = item
                .split_once('=')
                .ok_or_else(|| format!("\"{item}\" is not KEY=VALUE"))?;
            let number = |v: &str| {
                v.trim_end_matches("ms")
                    .parse::<u64>()
                    .map_err(|_| format!("\"{item}\": {v} is not a whole number"))
            };
            let rate = |v: &str| match v.parse::<f64>() {
                Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
                _ => Err(format!("\"{item}\": a rate is a number from 0 to 1")),
            };
            match key.trim() {
                "latency" => {
                    let (lo, hi) = value.split_once("..").unwrap_or((value, value));
                    spec.latency_ms = [number(lo)?, number(hi)?];
                    if spec.latency_ms[0] > spec.latency_ms[1] || spec.latency_ms[1] > 120_000 {
                        return Err(format!(
                            "\"{item}\": give MIN..MAX milliseconds, at most 120000"
                        ));
                    }
                }
                "error" => spec.error_rate = rate(value)?,
                "throttle" => spec.throttle_rate = rate(value)?,
                "drop" => spec.drop_rate = rate(value)?,
                "retry-after" => spec.retry_after_seconds = number(value)?,
                "seed" => spec.seed = number(value)?,
                other => {
                    return Err(format!(
                    "unknown fault \"{other}\" (latency, error, throttle, retry-after, drop, seed)"
                ))
                }
            }
        }
        spec.check()?;
        Ok(spec)
    }

    /// Rates add up to at most 1 and latency is sane (also for specs sent as JSON).
    pub fn check(&self) -> Result<(), String> {
        let rates = [self.error_rate, self.throttle_rate, self.drop_rate];
        if rates.iter().any(|r| !(0.0..=1.0).contains(r)) || rates.iter().sum::<f64>() > 1.0 {
            return Err(
                "error, throttle and drop rates are each from 0 to 1 and add up to at most 1"
                    .into(),
            );
        }
        if self.latency_ms[0] > self.latency_ms[1] || self.latency_ms[1] > 120_000 {
            return Err("latencyMs is [min, max] with min <= max <= 120000".into());
        }
        if self.retry_after_seconds > 3600 {
            return Err("retry-after (retryAfterSeconds) is at most 3600 seconds".into());
        }
        Ok(())
    }
}

/// What happens to one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Handle it normally.
    None,
    /// Answer 500 (the family's own error shape) without handling it.
    ServerError,
    /// Answer 503 from the "gateway" without handling it.
    Unavailable,
    /// Answer 429 with Retry-After without handling it.
    Throttle(u64),
    /// Handle it, then drop the connection instead of answering.
    Drop,
}

/// The current spec and its generator.
pub struct Faults {
    inner: Mutex<(FaultSpec, fastrand::Rng)>,
}

impl Faults {
    pub fn new(spec: FaultSpec) -> Faults {
        let rng = fastrand::Rng::with_seed(spec.seed);
        Faults {
            inner: Mutex::new((spec, rng)),
        }
    }

    /// Replaces the spec and restarts the generator from its seed.
    pub fn set(&self, spec: FaultSpec) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.1 = fastrand::Rng::with_seed(spec.seed);
            inner.0 = spec;
        }
    }

    pub fn spec(&self) -> FaultSpec {
        self.inner.lock().map(|i| i.0.clone()).unwrap_or_default()
    }

    /// The latency and fault of the next request.
    pub fn draw(&self) -> (Duration, Fault) {
        let Ok(mut inner) = self.inner.lock() else {
            return (Duration::ZERO, Fault::None);
        };
        let (spec, rng) = &mut *inner;
        let [lo, hi] = spec.latency_ms;
        let latency = Duration::from_millis(if hi > lo { rng.u64(lo..=hi) } else { lo });
        let r = rng.f64();
        let fault = if r < spec.drop_rate {
            Fault::Drop
        } else if r < spec.drop_rate + spec.throttle_rate {
            Fault::Throttle(spec.retry_after_seconds)
        } else if r < spec.drop_rate + spec.throttle_rate + spec.error_rate {
            if rng.bool() {
                Fault::ServerError
            } else {
                Fault::Unavailable
            }
        } else {
            Fault::None
        };
        (latency, fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        let spec = FaultSpec::parse(
            "latency=50..200ms, error=0.1,throttle=0.05,retry-after=2,drop=0.02,seed=7",
        )
        .unwrap();
        assert_eq!(spec.latency_ms, [50, 200]);
        assert_eq!(
            (spec.error_rate, spec.throttle_rate, spec.drop_rate),
            (0.1, 0.05, 0.02)
        );
        assert_eq!((spec.retry_after_seconds, spec.seed), (2, 7));
        assert_eq!(FaultSpec::parse("latency=30").unwrap().latency_ms, [30, 30]);
        for bad in [
            "error=2",
            "error=0.6,drop=0.6",
            "latency=9..1",
            "nope=1",
            "error",
            "seed=-1",
        ] {
            assert!(FaultSpec::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_faults() {
        let spec =
            FaultSpec::parse("latency=0..100,error=0.2,throttle=0.2,drop=0.2,seed=42").unwrap();
        let run = |spec: &FaultSpec| {
            let faults = Faults::new(spec.clone());
            (0..200).map(|_| faults.draw()).collect::<Vec<_>>()
        };
        let a = run(&spec);
        assert_eq!(a, run(&spec));
        let other = run(&FaultSpec {
            seed: 43,
            ..spec.clone()
        });
        assert_ne!(a, other);
        let count = |f: fn(&Fault) -> bool| a.iter().filter(|(_, x)| f(x)).count();
        // 200 draws at 20% each: every kind shows up, none dominates.
        for n in [
            count(|f| *f == Fault::Drop),
            count(|f| matches!(f, Fault::Throttle(1))),
            count(|f| matches!(f, Fault::ServerError | Fault::Unavailable)),
        ] {
            assert!((15..=70).contains(&n), "{n}");
        }
        assert!(a.iter().all(|(d, _)| d.as_millis() <= 100));
        let quiet = Faults::new(FaultSpec::default());
        assert!((0..100).all(|_| quiet.draw() == (Duration::ZERO, Fault::None)));
    }
}
