#![doc = include_str!("../README.md")]
#![cfg_attr(not(test), warn(missing_docs))]

pub mod api;
pub mod decrypt;
pub mod error;
pub mod key;
pub mod message;
pub mod permission;
pub mod route;
pub mod signin;

pub use decrypt::decrypt_password;
pub use error::{Error, ErrorCode, Result};
pub use key::{KeyFormat, KeyInfo, PrivateKey, PublicKey};
