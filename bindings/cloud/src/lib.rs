//! The cloud module for JavaScript: the permission engine, the API client over `fetch`, signing in (Keystone / IAM), keys the
//! cloud holds (KPS: details, permission, the export request built for the worker), and the
//! family and key pair choices, as thin conversions around the pure core (what the widget's
//! cloud side loads; keys stay in the key module, in the worker).

mod api;
mod choice;
mod kps;
mod permission;
mod signin;

pub use api::{call_api, check_new_password, generate_new_password, wait_for_password};
pub use choice::{
    choose_family, diagnose_missing_password, family_after_refusal, guess_os, match_key_pair,
};
pub use kps::{check_kps, kps_export_error, kps_export_request, kps_key_pair, kps_table};
pub use permission::{check_nova, check_permission, explain_access, permission_table};
pub use signin::{api_endpoint_js, cloud_regions, list_projects, project_for_region_js, sign_in};

#[global_allocator]
static ALLOCATOR: zeroizing_alloc::ZeroAlloc<std::alloc::System> =
    zeroizing_alloc::ZeroAlloc(std::alloc::System);
