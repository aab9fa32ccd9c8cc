//! The key module's tests, run in headless Chromium by `wasm-pack test --headless --chrome` in bindings/keys.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "../../../tests/common/mod.rs"]
mod common;
mod suite;
#[path = "../../../tests/common/wycheproof.rs"]
mod wycheproof_cases;
