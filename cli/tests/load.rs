//! A bounded load test of `ecs-password serve` on loopback: while 1,000 half-open connections
//! (headers never finished) and 64 slow request bodies to the proxy press on it, ordinary traffic
//! of 200 requests/s for 30 s (the page, the emulated cloud's API, and the proxy forwarding to
//! that same emulator) must all succeed, none waiting more than 2 s. Prints the success rate and
//! the latency percentiles (docs/performance.md). Stops by itself.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

mod common;

use common::demo::{P, WIN2048};

use common::site;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const HALF_OPEN: usize = 1000;
const SLOW_BODIES: usize = 64;
const RATE: u64 = 200;
const SECONDS: u64 = 30;
const WORKERS: usize = 32;
const LIMIT: Duration = Duration::from_secs(2);

struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `serve` with its emulator, and a proxy prefix whose upstream is that same emulator.
fn start() -> (Serve, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecs-password"))
        .args(["serve", "--listen", &address, "--root"])
        .arg(site())
        .args(["--upstream", &format!("/proxy/ecs=http://{address}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert!(line.contains(&address), "{line}");
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = stdout.read_to_end(&mut sink);
    });
    (Serve(child), address)
}

/// Whether the server has closed (or answered) a connection we keep open; non-blocking.
fn finished(stream: &mut TcpStream) -> bool {
    let mut chunk = [0u8; 512];
    match stream.read(&mut chunk) {
        Ok(_) => true, // an answer (408) or the end: either way this one is done
        Err(e) if e.kind() == ErrorKind::WouldBlock => false,
        Err(_) => true,
    }
}

fn open(address: &str, first_bytes: &[u8]) -> Option<TcpStream> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream.write_all(first_bytes).ok()?;
    stream.set_nonblocking(true).ok()?;
    Some(stream)
}

/// The attackers: keeps `HALF_OPEN` unfinished headers and `SLOW_BODIES` trickling bodies open
/// (reopening those the server closes) until `stop`. Returns how many it opened in all.
fn attack(address: String, stop: Arc<AtomicBool>, ready: Arc<AtomicBool>) -> (usize, usize) {
    let half_open_head = format!("GET / HTTP/1.1\r\nHost: {address}\r\nX-Slow: ");
    let slow_head = format!(
        "PUT /proxy/ecs/v1/{P}/cloudservers/{WIN2048}/os-server-password HTTP/1.1\r\n\
         Host: {address}\r\nX-Auth-Token: demo-token-admin\r\nContent-Length: 1000\r\n\r\n{{"
    );
    let mut half_open: Vec<Option<TcpStream>> = (0..HALF_OPEN)
        .map(|_| open(&address, half_open_head.as_bytes()))
        .collect();
    let mut slow: Vec<Option<TcpStream>> = (0..SLOW_BODIES)
        .map(|_| open(&address, slow_head.as_bytes()))
        .collect();
    let (mut opened_idle, mut opened_slow) = (HALF_OPEN, SLOW_BODIES);
    ready.store(true, Ordering::SeqCst);
    let mut last_byte = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        for slot in &mut half_open {
            if slot.as_mut().is_none_or(finished) {
                *slot = open(&address, half_open_head.as_bytes());
                opened_idle += 1;
            }
        }
        let trickle = last_byte.elapsed() >= Duration::from_secs(1);
        for slot in &mut slow {
            if slot.as_mut().is_none_or(finished) {
                *slot = open(&address, slow_head.as_bytes());
                opened_slow += 1;
            } else if trickle {
                if let Some(s) = slot.as_mut() {
                    let _ = s.write_all(b" ");
                }
            }
        }
        if trickle {
            last_byte = Instant::now();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (opened_idle, opened_slow)
}

#[test]
fn ordinary_traffic_is_served_under_slowloris_and_slow_bodies() {
    // The test's own side needs files too: 1,064 attackers and the workers.
    let files = rlimit::increase_nofile_limit(u64::MAX).unwrap();
    assert!(
        files >= 2048,
        "open-file limit {files}: too low for this test"
    );
    let (_serve, address) = start();
    let base = format!("http://{address}");
    let stop = Arc::new(AtomicBool::new(false));
    let ready = Arc::new(AtomicBool::new(false));
    let attacker = {
        let (address, stop, ready) = (address.clone(), stop.clone(), ready.clone());
        std::thread::spawn(move || attack(address, stop, ready))
    };
    while !ready.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));

    let targets: Vec<(String, Vec<(&str, &str)>)> = vec![
        (format!("{base}/"), vec![]),
        (format!("{base}/app.js"), vec![]),
        (
            format!("{base}/v1/{P}/cloudservers/{WIN2048}/os-server-password"),
            vec![("X-Auth-Token", "demo-token-admin")],
        ),
        (
            format!("{base}/v2.1/{P}/servers/{WIN2048}"),
            vec![("X-Auth-Token", "demo-token-admin")],
        ),
        (
            format!("{base}/proxy/ecs/v1/{P}/cloudservers/{WIN2048}/os-server-password"),
            vec![("X-Auth-Token", "demo-token-admin")],
        ),
    ];
    let total = (RATE * SECONDS) as usize;
    let next = Arc::new(AtomicUsize::new(0));
    let results = Arc::new(Mutex::new(Vec::with_capacity(total)));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (next, results, failures, targets) = (
                next.clone(),
                results.clone(),
                failures.clone(),
                targets.clone(),
            );
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(10)))
                    .build()
                    .into();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= total {
                        return;
                    }
                    // Open-loop: request i is due at i / RATE seconds; latency counts from then.
                    let due = started + Duration::from_micros(i as u64 * 1_000_000 / RATE);
                    if let Some(wait) = due.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                    let (url, headers) = &targets[i % targets.len()];
                    let mut request = agent.get(url);
                    for (name, value) in headers {
                        request = request.header(*name, *value);
                    }
                    let outcome = request.call().map_err(|e| e.to_string()).and_then(|mut r| {
                        let status = r.status().as_u16();
                        r.body_mut()
                            .read_to_vec()
                            .map_err(|e| e.to_string())
                            .map(|_| status)
                    });
                    let latency = due.elapsed();
                    match outcome {
                        Ok(200) if latency <= LIMIT => {}
                        Ok(status) => failures
                            .lock()
                            .unwrap()
                            .push(format!("{url}: {status} after {latency:?}")),
                        Err(e) => failures
                            .lock()
                            .unwrap()
                            .push(format!("{url}: {e} after {latency:?}")),
                    }
                    results.lock().unwrap().push(latency);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let elapsed = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    let (opened_idle, opened_slow) = attacker.join().unwrap();

    let mut latencies = results.lock().unwrap().clone();
    latencies.sort();
    let failures = failures.lock().unwrap().clone();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    let ok = latencies.len() - failures.len();
    println!(
        "load: {} requests in {:.1} s ({:.0}/s) beside {HALF_OPEN} half-open connections \
         ({opened_idle} opened in all) and {SLOW_BODIES} slow bodies ({opened_slow} opened in all)",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64()
    );
    println!(
        "load: success {ok}/{} ({:.2} %), latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        ok as f64 * 100.0 / latencies.len() as f64,
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3,
    );
    assert_eq!(latencies.len(), total);
    assert!(
        failures.is_empty(),
        "{} of {total} ordinary requests failed or waited over {LIMIT:?}, e.g. {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
}
