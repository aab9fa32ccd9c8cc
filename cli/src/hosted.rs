//! `get --hosted-key`: the private key of each server's key pair, exported from Huawei Cloud's Key
//! Pair Service (KPS) instead of read from a file. One export per key pair per run (cached, also a
//! refusal, so that a fleet on one key pair asks once), wiped when the run ends (the core's
//! `PrivateKey` zeroizes itself on drop). The KPS endpoint is `--kps-endpoint`, else the region
//! table's for the run's region (`signin::region(..).kps`).

use crate::output::CliError;
use ecs_password::api::client::{Client, Transport};
use ecs_password::api::kps::KpsTarget;
use ecs_password::api::request::Endpoint;
use ecs_password::permission::{kps_row, KpsOperation};
use ecs_password::{Error, ErrorCode, PrivateKey};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// The hosted keys of one run, by key pair name.
pub struct HostedKeys {
    target: KpsTarget,
    keys: Mutex<HashMap<String, Result<Arc<PrivateKey>, Error>>>,
}

impl HostedKeys {
    pub fn new(target: KpsTarget) -> HostedKeys {
        HostedKeys {
            target,
            keys: Mutex::new(HashMap::new()),
        }
    }

    /// The private key of `key_pair`: exported on first use (one export at a time: the others
    /// wait for it rather than export it again), then from the cache.
    pub fn key<T: Transport>(
        &self,
        client: &mut Client<T>,
        key_pair: &str,
    ) -> Result<Arc<PrivateKey>, Error> {
        let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = keys.get(key_pair) {
            return found.clone();
        }
        let result = client.hosted_key(&self.target, key_pair).map(Arc::new);
        keys.insert(key_pair.to_owned(), result.clone());
        result
    }
}

/// What `--hosted-key` says on standard error before the first request: what it needs and that
/// the key crosses the network once (the widget says the same: `hosted.needs`, `hosted.confirmText`).
pub fn notice() -> String {
    let actions: Vec<&str> = kps_row(KpsOperation::Export).required().collect();
    format!(
        "--hosted-key: the private key of each server's key pair is exported from the Key Pair Service \
         (KPS) once per key pair: it crosses the network (over TLS) into this process only, decrypts \
         the passwords, and is wiped when the run ends; it is never shown, stored or logged. \
         Exporting it needs the IAM actions {} in this project.",
        actions.join(", ")
    )
}

/// Where KPS is: `given` (`--kps-endpoint`), else the region table's KPS endpoint for `region`,
/// else for the region whose ECS endpoint is `ecs`. `USAGE` when none is known.
pub fn kps_endpoint(
    given: Option<&str>,
    region: Option<&str>,
    ecs: &Endpoint,
) -> Result<Endpoint, CliError> {
    if let Some(url) = given {
        return Ok(Endpoint::parse(url)?);
    }
    let origin = ecs.url().origin().ascii_serialization();
    let table = ecs_password::signin::regions();
    let found = table
        .iter()
        .filter(|r| r.cloud == "huaweicloud")
        .find(|r| region.map_or(r.ecs == origin, |name| r.region == name));
    match found.and_then(|r| r.kps.as_deref()) {
        Some(url) => Ok(Endpoint::parse(url)?),
        None => Err(CliError::usage(format!(
            "--hosted-key needs the Key Pair Service's endpoint: the region table has none for {}. \
             Give --kps-endpoint URL (e.g. https://kms.cn-north-4.myhuaweicloud.com).",
            region.map_or_else(|| format!("the endpoint {origin}"), |r| format!("the region {r}"))
        ))),
    }
}

/// The key pair of a server, for `--hosted-key`: `KEY_PAIR_NOT_FOUND` when it has none.
pub fn key_pair_of(key_name: Option<&str>) -> Result<&str, CliError> {
    key_name.filter(|k| !k.is_empty()).ok_or_else(|| {
        CliError::new(
            ErrorCode::KeyPairNotFound.as_str(),
            "The server has no key pair, so there is no hosted private key to decrypt its password with."
                .into(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kps_endpoint_comes_from_the_flag_the_region_or_the_ecs_endpoint() {
        let ecs = Endpoint::parse("https://ecs.cn-north-4.myhuaweicloud.com").unwrap();
        let table = ecs_password::signin::region("huaweicloud", "cn-north-4")
            .unwrap()
            .kps
            .unwrap();
        let url =
            |e: Result<Endpoint, CliError>| e.map(|e| e.url().to_string()).map_err(|e| e.code);
        assert_eq!(url(kps_endpoint(None, None, &ecs)), Ok(format!("{table}/")));
        assert_eq!(
            url(kps_endpoint(
                None,
                Some("cn-north-4"),
                &Endpoint::parse("http://127.0.0.1:1").unwrap()
            )),
            Ok(format!("{table}/"))
        );
        assert_eq!(
            url(kps_endpoint(Some("http://127.0.0.1:8080/kms"), None, &ecs)),
            Ok("http://127.0.0.1:8080/kms".into())
        );
        // OTC has no KPS in the table, nor has an unknown endpoint.
        let otc = Endpoint::parse("https://ecs.eu-de.otc.t-systems.com").unwrap();
        assert_eq!(url(kps_endpoint(None, None, &otc)), Err("USAGE"));
        assert_eq!(url(kps_endpoint(None, Some("eu-de"), &otc)), Err("USAGE"));
    }

    /// A KPS that counts what it is asked: details say hosted, exports answer a fixture's PEM;
    /// key pair "refused" is refused (403).
    struct Kps {
        sent: Vec<String>,
    }

    impl Transport for Kps {
        fn send(
            &mut self,
            request: &ecs_password::api::http::HttpRequest,
            _timeout_ms: u64,
        ) -> Result<ecs_password::api::http::HttpResponse, ecs_password::api::client::TransportError>
        {
            let body = String::from_utf8_lossy(&request.body).into_owned();
            self.sent
                .push(format!("{} {} {body}", request.method, request.url.path()));
            let pem = include_str!("../../tests/fixtures/rsa2048.pkcs1.pem");
            let (status, answer) = if request.url.path().contains("refused")
                || body.contains("refused")
            {
                (
                    403,
                    serde_json::json!({"error_code": "KPS.0403", "error_msg": "no"}),
                )
            } else if request.method == "GET" {
                let name = request
                    .url
                    .path()
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                (
                    200,
                    serde_json::json!({"keypair": {"name": name, "type": "ssh", "public_key": "ssh-rsa AAAA", "fingerprint": "x", "is_key_protection": true, "frozen_state": 0}}),
                )
            } else {
                let name = if body.contains("kp-b") {
                    "kp-b"
                } else {
                    "kp-a"
                };
                (
                    200,
                    serde_json::json!({"keypair": {"name": name, "private_key": pem}}),
                )
            };
            Ok(ecs_password::api::http::HttpResponse {
                status,
                headers: vec![("content-type".into(), "application/json".into())],
                body: answer.to_string().into_bytes(),
            })
        }
        fn sleep(&mut self, _ms: u64) {}
        fn now_unix(&self) -> u64 {
            1_700_000_000
        }
        fn now_ms(&self) -> u64 {
            0
        }
        fn random(&mut self) -> f64 {
            0.5
        }
    }

    #[test]
    fn each_key_pair_is_exported_once_per_run_and_a_refusal_is_kept_too() {
        let keys = HostedKeys::new(KpsTarget {
            endpoint: Endpoint::parse("https://kms.cn-north-4.myhuaweicloud.com").unwrap(),
            project_id: "0605767f5a80d5762fc1c000cf2b3f95".into(),
        });
        let mut client = Client {
            transport: Kps { sent: Vec::new() },
            credentials: ecs_password::api::auth::Credentials::Token(zeroize::Zeroizing::new(
                "t".into(),
            )),
            retry: ecs_password::api::retry::RetryPolicy::default(),
        };
        let a = keys.key(&mut client, "kp-a").unwrap();
        let again = keys.key(&mut client, "kp-a").unwrap();
        assert!(Arc::ptr_eq(&a, &again), "the same key, from the cache");
        assert_eq!(a.info().bits, 2048);
        keys.key(&mut client, "kp-b").unwrap();
        let refused = keys.key(&mut client, "refused").err().map(|e| e.code());
        assert_eq!(refused, Some(ErrorCode::Forbidden));
        assert_eq!(
            keys.key(&mut client, "refused").err().map(|e| e.code()),
            Some(ErrorCode::Forbidden)
        );
        // Details and one export for each of kp-a and kp-b; one refused details call.
        let sent = &client.transport.sent;
        assert_eq!(
            sent.iter().filter(|s| s.starts_with("POST")).count(),
            2,
            "{sent:?}"
        );
        assert_eq!(
            sent.iter().filter(|s| s.contains("refused")).count(),
            1,
            "{sent:?}"
        );
    }

    #[test]
    fn the_notice_names_every_action_the_export_needs() {
        let text = notice();
        for action in kps_row(KpsOperation::Export).required() {
            assert!(text.contains(action), "{action}");
        }
        assert!(text.contains("once per key pair"));
    }
}
