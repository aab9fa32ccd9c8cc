//! Helpers shared by the `serve` tests: a project folder, a running `ecs-password serve`, and
//! plain HTTP requests to it.
#![allow(dead_code)] // each test file uses its own share of the helpers

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

/// The demo's project and servers (`cli/src/emulator/demo.rs`), and the four API families.
pub mod demo {
    pub const P: &str = "0605767f5a80d5762fc1c000cf2b3f95";
    pub const WIN2048: &str = "7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d01";
    pub const WIN4096: &str = "7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d02";
    pub const BOOTING: &str = "7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d03";
    pub const LINUX: &str = "7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d04";
    pub const NOKEY: &str = "7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d05";
    pub const FAMILIES: [&str; 4] = ["v1", "v2", "v2.1", "nova"];
}

/// A file of `tests/fixtures/` (each described in its README).
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

/// A text fixture's contents.
pub fn read_fixture(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// A project folder with a page and a (dummy) wasm package.
pub fn site() -> PathBuf {
    let root = std::env::temp_dir().join(format!(
        "ecs-serve-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(root.join("www")).unwrap();
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    std::fs::write(
        root.join("www/index.html"),
        format!("<!doctype html><title>t</title>{}", "x".repeat(4000)),
    )
    .unwrap();
    std::fs::write(root.join("www/app.js"), "export const a = 1;\n").unwrap();
    for module in ["keys", "cloud"] {
        std::fs::create_dir_all(root.join(format!("pkg/{module}"))).unwrap();
        std::fs::write(
            root.join(format!("pkg/{module}/ecs_password_{module}_bg.wasm")),
            [0u8, 97, 115, 109, 1, 0, 0, 0].repeat(500),
        )
        .unwrap();
        std::fs::write(
            root.join(format!("pkg/{module}/ecs_password_{module}.js")),
            "export default 1;\n",
        )
        .unwrap();
    }
    std::fs::write(root.join("secret.txt"), "outside www").unwrap();
    root
}

pub fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

/// A running `ecs-password serve`; killed when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub url: String,
    output: Arc<Mutex<String>>,
}

impl Server {
    /// Everything the server has printed so far, standard output and error.
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `serve` on a free port; waits for its first line and keeps reading the rest (so that
/// it never writes to a closed pipe).
pub fn start(root: &Path, extra: &[&str]) -> Server {
    start_env(root, extra, &[])
}

/// [`start`] with these environment variables set.
pub fn start_env(root: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecs-password"))
        .args(["serve", "--listen", "127.0.0.1:0", "--root"])
        .arg(root)
        .args(extra)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let output = Arc::new(Mutex::new(String::new()));
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    output.lock().unwrap().push_str(&line);
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .trim_end_matches('/')
        .to_owned();
    let stderr = child.stderr.take().unwrap();
    for mut stream in [Box::new(stdout) as Box<dyn Read + Send>, Box::new(stderr)] {
        let output = output.clone();
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n @ 1..) = stream.read(&mut chunk) {
                output
                    .lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&chunk[..n]));
            }
        });
    }
    Server { child, url, output }
}

/// An HTTP client that returns 4xx and 5xx answers instead of failing on them.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

pub fn get(url: &str) -> ureq::http::Response<ureq::Body> {
    agent().get(url).call().unwrap()
}

/// The status line and headers of a GET sent by hand with `Accept-Encoding: gzip`.
pub fn raw_headers(url: &str, path: &str) -> String {
    use std::io::Write;
    let address = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).to_lowercase();
    text.split("\r\n\r\n").next().unwrap_or_default().to_owned()
}

pub fn header<'a>(r: &'a ureq::http::Response<ureq::Body>, name: &str) -> &'a str {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The write end of a pipe whose read end is already closed: every write to it fails (EPIPE).
/// (The reader is `true`, which exits at once; `std::io::pipe` is newer than the MSRV.)
///
/// A child another test thread spawns at the same moment holds a copy of the read end until it
/// execs (close-on-exec), so the pipe is probed until a write fails: from then on no process
/// holds the read end, and none can again.
pub fn closed_pipe() -> Stdio {
    use std::io::{ErrorKind, Write};
    let mut reader = Command::new("true").stdin(Stdio::piped()).spawn().unwrap();
    let mut writer = reader.stdin.take().unwrap();
    reader.wait().unwrap();
    for _ in 0..1000 {
        match writer.write(&[0]) {
            Err(e) if e.kind() == ErrorKind::BrokenPipe => return Stdio::from(writer),
            _ => std::thread::sleep(std::time::Duration::from_millis(10)),
        }
    }
    panic!("the read end of the pipe stayed open for 10 s");
}

/// Waits for `done` to hold, checking every 20 ms for at most `limit`: whether it came to hold.
/// Tests wait for what they check, not for a fixed time, which a loaded machine may overrun.
pub fn wait_until(limit: std::time::Duration, mut done: impl FnMut() -> bool) -> bool {
    let started = std::time::Instant::now();
    loop {
        if done() {
            return true;
        }
        if started.elapsed() >= limit {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Makes a standard output for a child (`closed_pipe`, `/dev/full`).
pub type MakeStdout = fn() -> Stdio;

/// `/dev/full`: every write fails with ENOSPC.
pub fn full_device() -> Stdio {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap()
        .into()
}

/// How a command that could not write its output must end: quietly, with status 1, no panic.
pub fn assert_quiet_failure(out: &std::process::Output, what: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{what}: {stderr}");
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
}

/// `127.0.0.1:PORT` of a server.
pub fn address(server: &Server) -> String {
    server.url.trim_start_matches("http://").to_owned()
}

/// A connection to the server with a read time limit.
pub fn connect(server: &Server, read_timeout: std::time::Duration) -> std::net::TcpStream {
    let stream = std::net::TcpStream::connect(address(server)).unwrap();
    stream.set_read_timeout(Some(read_timeout)).unwrap();
    stream
}

/// Whether the server closes the connection (end of stream or reset) before `limit`; what it sent
/// before is ignored.
pub fn closed_within(stream: &mut std::net::TcpStream, limit: std::time::Duration) -> bool {
    let started = std::time::Instant::now();
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => return true,
            Ok(_) if started.elapsed() < limit => continue,
            Ok(_) => return false,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return false
            }
            Err(_) => return true,
        }
    }
}

/// One request sent by hand on a new connection; the whole answer as text (status line, headers,
/// body), read until the server closes (the request asks it to).
pub fn raw_request(server: &Server, request: &str) -> String {
    use std::io::Write;
    let mut stream = connect(server, std::time::Duration::from_secs(10));
    stream.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Reads a request's header lines up to the blank line (for the tests' hand-written fake
/// servers); the `Content-Length` they give, 0 if none.
pub fn read_headers(reader: &mut impl BufRead) -> usize {
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            return length;
        }
        if let Some((n, v)) = h.trim_end().split_once(':') {
            if n.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
}
