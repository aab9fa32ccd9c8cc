//! A blocking driver for the sans-IO core: build, authorize, send, retry, parse. The transport is
//! a trait so that the CLI plugs in an HTTP client and the tests a fake; the wasm layer has its
//! own async driver over `fetch` that runs the same state machines (`retry::Retrier`,
//! `retry::PasswordWait`).

use super::auth::{authorize, Credentials};
use super::http::{HttpRequest, HttpResponse};
use super::kps::{self, HostedKeyPair, KpsCall, KpsTarget};
use super::request::{build, Call, Target};
use super::response::{parse, Answer};
use super::retry::{Outcome, PasswordWait, PollPolicy, Retrier, RetryPolicy, WaitStep};
use crate::error::{CloudDetails, Error, ErrorCode, Result};
use crate::key::PrivateKey;
use crate::message::Message;
use crate::permission::Operation;

/// Why a try got no answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// Connection refused, DNS, TLS, reset... (the detail is for the message).
    Network(String),
    /// No answer within the time limit.
    Timeout,
}

/// Sends requests and keeps time.
pub trait Transport {
    /// Sends one request, waiting at most `timeout_ms`.
    fn send(
        &mut self,
        request: &HttpRequest,
        timeout_ms: u64,
    ) -> core::result::Result<HttpResponse, TransportError>;
    /// Waits.
    fn sleep(&mut self, ms: u64);
    /// Seconds since the Unix epoch (for AK/SK signatures).
    fn now_unix(&self) -> u64;
    /// Milliseconds on a monotonic clock (for polling).
    fn now_ms(&self) -> u64;
    /// Uniform in [0, 1), for jitter.
    fn random(&mut self) -> f64;
}

/// The client: credentials, policies and a transport.
pub struct Client<T: Transport> {
    /// The transport.
    pub transport: T,
    /// Who is calling.
    pub credentials: Credentials,
    /// Retry limits.
    pub retry: RetryPolicy,
}

impl<T: Transport> Client<T> {
    /// Makes one call, retrying reads and deletes as the policy allows.
    pub fn call(&mut self, target: &Target, call: &Call) -> Result<Answer> {
        let response = self.send_retried(&target.project_id, || build(target, call))?;
        parse(call, target.family, &response)
    }

    /// Builds, authorizes and sends a request, again as the policy allows (the `Retrier` decides:
    /// reads and deletes, never a POST or PUT), and returns the last answer, or the error for no
    /// answer. The one send loop of the ECS and the KPS calls.
    fn send_retried(
        &mut self,
        project_id: &str,
        make: impl Fn() -> Result<HttpRequest>,
    ) -> Result<HttpResponse> {
        let mut retrier = Retrier::new(self.retry);
        loop {
            let mut request = make()?;
            authorize(
                &mut request,
                &self.credentials,
                Some(project_id),
                self.transport.now_unix(),
            );
            let sent = self.transport.send(&request, retrier.timeout_ms());
            let random = self.transport.random();
            if let Some(wait) = retrier.after(&request, outcome(&sent), random) {
                self.transport.sleep(wait);
                continue;
            }
            return sent.map_err(|e| no_answer(&e, &request));
        }
    }

    /// Sends a KPS request (details retried as reads are; an export, a POST, never) and returns
    /// the answer, or the error for no answer.
    fn send_kps(&mut self, target: &KpsTarget, call: &KpsCall) -> Result<HttpResponse> {
        self.send_retried(&target.project_id, || kps::build(target, call))
    }

    /// A key pair's details from KPS: whether its private key is hosted.
    pub fn hosted_key_pair(&mut self, target: &KpsTarget, name: &str) -> Result<HostedKeyPair> {
        let response = self.send_kps(target, &KpsCall::Details(name.to_owned()))?;
        kps::parse_details(name, &response)
    }

    /// The private key KPS hosts for key pair `name`, loaded: its details first (`KEY_NOT_HOSTED`
    /// when it is not hosted, before anything is exported), then one export, whose answer is
    /// wiped once the key is read. Check the key against the server's key pair before use
    /// (`choice::match_key_pair`), and drop it when done.
    pub fn hosted_key(&mut self, target: &KpsTarget, name: &str) -> Result<PrivateKey> {
        self.hosted_key_pair(target, name)?.require_hosted()?;
        let mut response = self.send_kps(target, &KpsCall::Export(name.to_owned()))?;
        let key = kps::parse_export(name, &response).and_then(|exported| exported.load());
        zeroize::Zeroize::zeroize(&mut response.body);
        key
    }

    /// Asks for the password until it is posted, the poll limit passes, or `cancelled()` says stop.
    pub fn wait_for_ciphertext(
        &mut self,
        target: &Target,
        poll: &PollPolicy,
        cancelled: &mut dyn FnMut() -> bool,
    ) -> Result<String> {
        let wait = PasswordWait::new(*poll, self.transport.now_ms());
        self.poll_password(target, &wait, cancelled)
    }

    /// Asks for the password until `wait` says it is posted or stop (see
    /// [`PasswordWait::for_diagnosis`] for a wait bounded by why it has not come).
    pub fn poll_password(
        &mut self,
        target: &Target,
        wait: &PasswordWait,
        cancelled: &mut dyn FnMut() -> bool,
    ) -> Result<String> {
        loop {
            let result = self.call(target, &Call::Password(Operation::Get, None));
            match wait.after(result, self.transport.now_ms()) {
                WaitStep::Posted(ciphertext) => return Ok(ciphertext),
                WaitStep::Fail(e) => return Err(e),
                WaitStep::AskAfter(ms) => {
                    if cancelled() {
                        return Err(cancelled_error());
                    }
                    self.transport.sleep(ms);
                    if cancelled() {
                        return Err(cancelled_error());
                    }
                }
            }
        }
    }
}

/// How a try ended, for the retrier.
pub fn outcome(sent: &core::result::Result<HttpResponse, TransportError>) -> Outcome<'_> {
    match sent {
        Ok(response) => Outcome::Status(response.status, response.header("Retry-After")),
        Err(TransportError::Network(_)) => Outcome::NetworkError,
        Err(TransportError::Timeout) => Outcome::Timeout,
    }
}

/// The error for a request that got no answer.
pub fn no_answer(error: &TransportError, request: &HttpRequest) -> Error {
    let host = request.url.host_str().unwrap_or_default().to_owned();
    let details = CloudDetails {
        status: 0,
        cloud_code: None,
        cloud_message: None,
        request_id: None,
    };
    match error {
        TransportError::Timeout => Error::from_cloud(
            ErrorCode::Timeout,
            Message::new("transport-timeout").with("host", host),
            details,
        ),
        TransportError::Network(why) => Error::from_cloud(
            ErrorCode::NetworkError,
            Message::new("transport-network")
                .with("host", host)
                .with("detail", why),
            details,
        ),
    }
}

fn cancelled_error() -> Error {
    Error::new(ErrorCode::Cancelled, Message::new("wait-cancelled"))
}
