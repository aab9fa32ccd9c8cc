//! The cloud API client, sans-IO: it builds requests and reads responses; transports live at the
//! edge (`wasm` sends with `fetch`, the CLI with a blocking client, tests with a fake).

pub mod auth;
pub mod choice;
pub mod client;
pub mod diagnosis;
pub mod http;
pub mod kps;
pub mod password_rules;
pub mod request;
pub mod response;
pub mod retry;
pub mod signer;
