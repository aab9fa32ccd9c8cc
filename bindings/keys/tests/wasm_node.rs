//! The key module's tests, run in Node by `wasm-pack test --node` in bindings/keys.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

#[path = "../../../tests/common/mod.rs"]
mod common;
mod suite;
#[path = "../../../tests/common/wycheproof.rs"]
mod wycheproof_cases;
