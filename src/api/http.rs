//! The HTTP messages the sans-IO core builds and reads. Something else sends them: `fetch` in the
//! wasm layer, a blocking client in the CLI, a fake transport in tests.

use url::Url;

/// A request ready to send. `Debug` shows the method, the URLs, the header names (values only of
/// headers that carry no credential) and the body's length: a sign-in body holds a password.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET`, `PUT`, `DELETE`, `POST`.
    pub method: &'static str,
    /// The absolute URL, built with the `url` crate from a validated endpoint and checked ids.
    pub url: Url,
    /// Header names in their canonical spelling, in the order added.
    pub headers: Vec<(String, String)>,
    /// The body (JSON), empty for none.
    pub body: Vec<u8>,
    /// The URL an AK/SK signature is made for when it is not `url`: the cloud URL that a
    /// same-origin proxy at `url` forwards the request to (see `Endpoint::via_proxy`). The
    /// transports ignore it; only the signer reads it (through [`HttpRequest::signing_url`]).
    pub signed_url: Option<Url>,
}

/// Headers whose values are credentials (or open a sign-in), never shown by `Debug`.
const SECRET_HEADERS: [&str; 4] = [
    "x-auth-token",
    "authorization",
    "x-security-token",
    "openstack-auth-receipt",
];

impl core::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let secret = SECRET_HEADERS.iter().any(|s| n.eq_ignore_ascii_case(s));
                (n.as_str(), if secret { "<redacted>" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url.as_str())
            .field("headers", &headers)
            .field("body_bytes", &self.body.len())
            .field("signed_url", &self.signed_url.as_ref().map(Url::as_str))
            .finish()
    }
}

impl HttpRequest {
    /// A request without headers or body.
    pub fn new(method: &'static str, url: Url) -> Self {
        HttpRequest {
            method,
            url,
            headers: Vec::new(),
            body: Vec::new(),
            signed_url: None,
        }
    }

    /// The URL whose host, path and query a signature covers: `signed_url` if set, else `url`.
    pub fn signing_url(&self) -> &Url {
        self.signed_url.as_ref().unwrap_or(&self.url)
    }

    /// Sets a header, replacing any of the same name (names compare without case).
    pub fn set_header(&mut self, name: &str, value: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.to_owned()));
    }

    /// A header's value (names compare without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether it is safe to send again after a failure (reads and deletes; never a reset).
    pub fn is_idempotent(&self) -> bool {
        matches!(self.method, "GET" | "DELETE" | "HEAD")
    }
}

/// A response as received.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// Header names as received.
    pub headers: Vec<(String, String)>,
    /// The body, at most [`MAX_BODY_BYTES`] (transports stop reading there).
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A header's value (names compare without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// No password API answer is anywhere near this; a server list page of 1000 servers fits.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
