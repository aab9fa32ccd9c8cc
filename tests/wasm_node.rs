//! The wasm API's tests, run in Node by `wasm-pack test --node`.
#![cfg(target_arch = "wasm32")]

mod common;
#[path = "wasm/suite.rs"]
mod wasm_suite;
