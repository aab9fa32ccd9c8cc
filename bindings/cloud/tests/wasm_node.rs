//! The cloud module's tests, run in Node by `wasm-pack test --node` in bindings/cloud.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

#[path = "../../../tests/common/permission.rs"]
mod permission_cases;
mod suite;
