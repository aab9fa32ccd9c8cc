//! The wasm API's tests, run in headless Chromium by `wasm-pack test --headless --chrome`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;
#[path = "common/permission.rs"]
mod permission_cases;
#[path = "wasm/suite.rs"]
mod wasm_suite;
#[path = "common/wycheproof.rs"]
mod wycheproof_cases;
