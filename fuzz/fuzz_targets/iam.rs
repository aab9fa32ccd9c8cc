#![no_main]
//! See `ecs_password_fuzz::iam` (fuzz/src/lib.rs) for the input format and the checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ecs_password_fuzz::iam(data);
});
