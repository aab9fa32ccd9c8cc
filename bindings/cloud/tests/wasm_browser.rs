//! The cloud module's tests, run in headless Chromium by `wasm-pack test --headless --chrome` in bindings/cloud.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "../../../tests/common/permission.rs"]
mod permission_cases;
mod suite;
