//! `ecs-password get` for many servers: `--all`, `--name GLOB`, several `--server`, or ids from
//! standard input. One sign-in and one unlocked key; up to `--parallel` servers asked at once by
//! threads sharing one connection pool; one JSON line per server as each finishes; `--wait` only
//! where the diagnosis (`ecs_password::api::diagnosis`) says the password may still come, with
//! waiting servers queued by when they are due rather than holding a thread. Passwords can go to
//! a KeePass file (`--kdbx`) or, explicitly, to a plain CSV (`crate::export`).

use crate::cloud::{connect, looks_like_id, GetArgs, Session, MAX_SERVER_PAGES};
use crate::export::{Entry, Exports};
use crate::hosted::HostedKeys;
use crate::http_transport::UreqTransport;
use crate::output::{self, CliError};
use ecs_password::api::choice::{guess_os, FamilyChoice};
use ecs_password::api::client::{Client, Transport};
use ecs_password::api::diagnosis::{diagnose, Diagnosis, Facts};
use ecs_password::api::password_rules::OsType;
use ecs_password::api::request::{Call, PageCursor, Target};
use ecs_password::api::response::{Answer, KeyPair, ServerDetails};
use ecs_password::api::retry::{PasswordWait, PollPolicy, WaitStep};
use ecs_password::message::{render, Lang};
use ecs_password::permission::{ApiFamily, Operation};
use ecs_password::{decrypt_password, ErrorCode, PrivateKey};
use serde_json::{json, Value};
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::io::Read;
use std::process::ExitCode;
use std::sync::{mpsc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// The most servers one run takes (a project's list is read in pages of [`PAGE`]).
pub const MAX_SERVERS: usize = 10_000;

/// Servers per page of the list: a real server's JSON is 2 to 4 KB, so a page stays well under
/// the 4 MiB an answer may have.
const PAGE: u32 = 200;

/// The most read from standard input for `--server -` (ids and names, one a line).
const STDIN_CAP: u64 = 1 << 20;

/// Whether `get` works on many servers (the fleet form) rather than one as before.
pub fn wanted(args: &GetArgs) -> bool {
    args.all
        || args.name.is_some()
        || args.server.len() != 1
        || args.server.iter().any(|s| s == "-")
        || args.kdbx.is_some()
        || args.csv.is_some()
}

/// One server to ask: its id and what is known of it so far.
struct Job {
    /// Where it came from in the selection (for a stable tie-break in the queue).
    seq: usize,
    id: String,
    name: Option<String>,
    details: Option<ServerDetails>,
    /// The family, once a refusal of v1 moved it to v2.1.
    family: Option<ApiFamily>,
    /// Set once it is being waited for.
    wait: Option<PasswordWait>,
}

/// How one server ended.
enum Outcome {
    Password(Zeroizing<String>),
    Ciphertext(String),
    Diagnosed(Diagnosis),
    Failed(CliError),
}

/// A finished server, for the printer.
struct Done {
    id: Option<String>,
    name: Option<String>,
    outcome: Outcome,
}

/// `get` for many servers: exit 0 when every one gave its password, else 1 (a summary on
/// standard error either way).
pub fn run(args: &GetArgs) -> ExitCode {
    // An error before the first server (sign-in, list, files) is one error, as for any command.
    let out = output::Output {
        json: args.conn.json,
    };
    match prepare(args) {
        Ok(prepared) => finish(args, prepared),
        Err(e) => out.fail(&e),
    }
}

/// Everything before the first password request: the selection, the exports, the key, the
/// sign-in and the list.
struct Prepared {
    session: Session,
    key: Option<PrivateKey>,
    hosted: Option<HostedKeys>,
    exports: Exports,
    jobs: Vec<Job>,
    /// Selections that named no single server (a name with no or several servers).
    unresolved: Vec<Done>,
}

fn prepare(args: &GetArgs) -> Result<Prepared, CliError> {
    let glob = args
        .name
        .as_deref()
        .map(|pattern| {
            globset::Glob::new(pattern)
                .map(|g| g.compile_matcher())
                .map_err(|e| {
                    CliError::usage(format!(
                        "--name {}: not a glob pattern ({}).",
                        output::printable(pattern),
                        e.kind()
                    ))
                })
        })
        .transpose()?;
    let wanted = selection(&args.server)?;
    // Files and secrets first: a missing master password should not cost a round trip.
    let exports = Exports::open(args)?;
    let key = args
        .key
        .as_ref()
        .map(|path| crate::load_key(path, args.passphrase_file.as_deref()))
        .transpose()?;
    let mut session = connect(&args.conn)?;
    let hosted = args.hosted_keys(&session)?;
    // Unlike one --server with a token and an endpoint (taken as an id, as it always was), many
    // servers are looked up by name too: there is no older form to keep.
    let needs_list = args.all || glob.is_some() || wanted.iter().any(|w| !looks_like_id(w));
    let listed = if needs_list {
        list_all(&mut session.client, &session.target)?
    } else {
        Vec::new()
    };
    let mut jobs = Vec::new();
    let mut unresolved = Vec::new();
    let push = |jobs: &mut Vec<Job>, details: Option<ServerDetails>, id: String| {
        if jobs.iter().any(|j: &Job| j.id == id) {
            return;
        }
        let name = details.as_ref().map(|d| d.name.clone());
        jobs.push(Job {
            seq: jobs.len(),
            id,
            name,
            details,
            family: None,
            wait: None,
        });
    };
    if args.all || glob.is_some() {
        for server in listed {
            if glob.as_ref().is_none_or(|g| g.is_match(&server.name)) {
                let id = server.id.clone();
                push(&mut jobs, Some(server), id);
            }
        }
    } else {
        for wanted in wanted {
            if looks_like_id(&wanted) {
                let details = listed.iter().find(|s| s.id == wanted).cloned();
                push(&mut jobs, details, wanted);
                continue;
            }
            let by_id = listed.iter().find(|s| s.id == wanted);
            let named: Vec<&ServerDetails> = match by_id {
                Some(one) => vec![one],
                None => listed.iter().filter(|s| s.name == wanted).collect(),
            };
            match named.as_slice() {
                [one] => push(&mut jobs, Some((*one).clone()), one.id.clone()),
                [] => unresolved.push(Done {
                    id: None,
                    name: Some(wanted.clone()),
                    outcome: Outcome::Failed(CliError::new(
                        ErrorCode::ServerNotFound.as_str(),
                        format!(
                            "No server has the id or name \"{}\" in this project.",
                            output::printable(&wanted)
                        ),
                    )),
                }),
                several => unresolved.push(Done {
                    id: None,
                    name: Some(wanted.clone()),
                    outcome: Outcome::Failed(CliError::new(
                        "SERVER_AMBIGUOUS",
                        format!(
                            "{} servers are called \"{}\": give one of their ids instead: {}.",
                            several.len(),
                            output::printable(&wanted),
                            several
                                .iter()
                                .map(|s| s.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )),
                }),
            }
        }
    }
    if jobs.is_empty() && unresolved.is_empty() {
        return Err(CliError::new(
            ErrorCode::ServerNotFound.as_str(),
            match &args.name {
                Some(pattern) => format!(
                    "No server of this project has a name that matches \"{}\".",
                    output::printable(pattern)
                ),
                None => "This project has no servers (that these credentials may list).".into(),
            },
        ));
    }
    if jobs.len() + unresolved.len() > MAX_SERVERS {
        return Err(CliError::usage(format!(
            "{} servers selected: one run takes at most {MAX_SERVERS}; select fewer (--name).",
            jobs.len() + unresolved.len()
        )));
    }
    Ok(Prepared {
        session,
        key,
        hosted,
        exports,
        jobs,
        unresolved,
    })
}

/// The `--server` values, with `-` replaced by the lines of standard input (blank lines and
/// `#` comments skipped).
fn selection(servers: &[String]) -> Result<Vec<String>, CliError> {
    let mut wanted = Vec::new();
    for server in servers {
        if server != "-" {
            wanted.push(server.clone());
            continue;
        }
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(STDIN_CAP + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                CliError::unreadable("server list", std::path::Path::new("standard input"), &e)
            })?;
        if bytes.len() as u64 > STDIN_CAP {
            return Err(CliError::too_large(
                "server list",
                std::path::Path::new("standard input"),
                STDIN_CAP,
            ));
        }
        let text = String::from_utf8_lossy(&bytes);
        wanted.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_owned),
        );
    }
    if wanted.len() > MAX_SERVERS {
        return Err(CliError::usage(format!(
            "{} servers given: one run takes at most {MAX_SERVERS}.",
            wanted.len()
        )));
    }
    Ok(wanted)
}

/// Every server of the project, page after page.
fn list_all(
    client: &mut Client<UreqTransport>,
    target: &Target,
) -> Result<Vec<ServerDetails>, CliError> {
    let mut cursor: Option<PageCursor> = None;
    let mut servers = Vec::new();
    let pages = MAX_SERVERS.div_ceil(PAGE as usize).max(MAX_SERVER_PAGES);
    for _ in 0..pages {
        let page = match client.call(
            target,
            &Call::ListServers {
                limit: PAGE,
                cursor: cursor.clone(),
            },
        )? {
            Answer::Servers(page) => page,
            _ => return Err(CliError::from(ErrorCode::ResponseInvalid)),
        };
        let empty = page.servers.is_empty();
        servers.extend(page.servers);
        match page.next {
            Some(_) if servers.len() >= MAX_SERVERS => {
                return Err(CliError::usage(format!(
                    "This project has more than {MAX_SERVERS} servers, the most one run reads: give their ids with --server (or - and standard input) in several runs."
                )))
            }
            Some(next) if !empty => cursor = Some(next),
            _ => break,
        }
    }
    Ok(servers)
}

/// Why `target`'s server has no password: its details (`known`, else asked for), its key pair
/// (from `cache`, else asked for), now. `None` when the details cannot be read.
pub fn diagnose_server(
    client: &mut Client<UreqTransport>,
    target: &Target,
    known: Option<&ServerDetails>,
    cache: Option<&Mutex<HashMap<String, Option<KeyPair>>>>,
) -> Option<Diagnosis> {
    let fetched;
    let server = match known {
        Some(server) => server,
        None => match client.call(target, &Call::ServerDetails) {
            Ok(Answer::Server(server)) => {
                fetched = server;
                &fetched
            }
            _ => return None,
        },
    };
    let key_pair = match server.key_name.as_deref() {
        Some(name) if !name.is_empty() && guess_os(server.os_type.as_deref()) != OsType::Linux => {
            key_pair(client, target, name, cache)
        }
        _ => None,
    };
    Some(diagnose(&Facts {
        server,
        key_pair: key_pair.as_ref(),
        cleared: false,
        now_unix: client.transport.now_unix(),
    }))
}

/// The key pair `name`, once per run: ECS v1 has no key pair API, so it is read through v2.1
/// (same endpoint and project). `None` if it cannot be read (deleted, not allowed).
fn key_pair(
    client: &mut Client<UreqTransport>,
    target: &Target,
    name: &str,
    cache: Option<&Mutex<HashMap<String, Option<KeyPair>>>>,
) -> Option<KeyPair> {
    if let Some(found) = cache.and_then(|c| lock(c).get(name).cloned()) {
        return found;
    }
    let mut on = target.clone();
    if on.family == ApiFamily::V1 {
        on.family = ApiFamily::V21;
    }
    let found = match client.call(&on, &Call::KeyPair(name.to_owned())) {
        Ok(Answer::KeyPair(pair)) => Some(pair),
        _ => None,
    };
    if let Some(cache) = cache {
        lock(cache).insert(name.to_owned(), found.clone());
    }
    found
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A job waiting for its turn: the earliest due first, then selection order.
struct Pending {
    due: Instant,
    job: Job,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Pending {}

impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pending {
    /// Reversed: `BinaryHeap` pops the greatest, and the earliest should come first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.due, other.job.seq).cmp(&(self.due, self.job.seq))
    }
}

/// The jobs not yet finished: due ones are taken by the first free thread; one that waits for
/// its password goes back with the time it is due again, so waiting costs no thread.
struct Queue {
    state: Mutex<(BinaryHeap<Pending>, usize)>,
    changed: Condvar,
}

impl Queue {
    fn new(jobs: Vec<Job>) -> Queue {
        let now = Instant::now();
        let open = jobs.len();
        let heap = jobs
            .into_iter()
            .map(|job| Pending { due: now, job })
            .collect();
        Queue {
            state: Mutex::new((heap, open)),
            changed: Condvar::new(),
        }
    }

    /// The next due job, waiting for it; `None` once every job has finished.
    fn take(&self) -> Option<Job> {
        let mut state = lock(&self.state);
        loop {
            if state.1 == 0 {
                return None;
            }
            let now = Instant::now();
            let due = state.0.peek().map(|p| p.due);
            state = match due {
                Some(due) if due <= now => return state.0.pop().map(|p| p.job),
                Some(due) => {
                    self.changed
                        .wait_timeout(state, due.saturating_duration_since(now))
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                // Every open job is with another thread; one may come back.
                None => self
                    .changed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner),
            };
        }
    }

    /// `job` is due again after `ms`.
    fn again(&self, job: Job, ms: u64) {
        let now = Instant::now();
        let due = now.checked_add(Duration::from_millis(ms)).unwrap_or(now);
        lock(&self.state).0.push(Pending { due, job });
        self.changed.notify_all();
    }

    /// A job has finished.
    fn finished(&self) {
        let mut state = lock(&self.state);
        state.1 = state.1.saturating_sub(1);
        drop(state);
        self.changed.notify_all();
    }
}

/// What every worker shares.
struct Shared<'a> {
    key: Option<&'a PrivateKey>,
    /// `--hosted-key`: each key pair's hosted key, exported on first use.
    hosted: Option<&'a HostedKeys>,
    target: &'a Target,
    choice: FamilyChoice,
    poll: Option<PollPolicy>,
    key_pairs: Mutex<HashMap<String, Option<KeyPair>>>,
    queue: Queue,
}

/// One step of a job: finished, or due again after this many milliseconds.
enum Step {
    Done(Outcome),
    Again(u64),
}

fn step(client: &mut Client<UreqTransport>, shared: &Shared<'_>, job: &mut Job) -> Step {
    let mut target = shared.target.clone();
    target.server_id = job.id.clone();
    if let Some(family) = job.family {
        target.family = family;
    }
    let get = Call::Password(Operation::Get, None);
    let mut asked = client.call(&target, &get);
    // The first refusal of v1 (automatic family) is tried once on v2.1, as for one server.
    if job.family.is_none() {
        if let Err(e) = &asked {
            if let Some(next) = shared.choice.after_refusal(e.code()) {
                target.family = next.family;
                asked = client.call(&target, &get);
            }
        }
        job.family = Some(target.family);
    }
    let now_ms = client.transport.now_ms();
    if let Some(wait) = &job.wait {
        match wait.after(asked, now_ms) {
            WaitStep::Posted(ciphertext) => {
                return Step::Done(decrypted(client, shared, &target, job, ciphertext))
            }
            WaitStep::AskAfter(ms) => return Step::Again(ms),
            WaitStep::Fail(e) if e.code() == ErrorCode::PasswordNotAvailable => {
                // The wait is over: why, now.
                return Step::Done(
                    diagnosed(client, shared, &target, job)
                        .map_or(Outcome::Failed(e.into()), Outcome::Diagnosed),
                );
            }
            WaitStep::Fail(e) => return Step::Done(Outcome::Failed(e.into())),
        }
    }
    match asked {
        Ok(Answer::Ciphertext { ciphertext }) => {
            Step::Done(decrypted(client, shared, &target, job, ciphertext))
        }
        Ok(_) => Step::Done(Outcome::Failed(CliError::from(ErrorCode::ResponseInvalid))),
        Err(e) if e.code() == ErrorCode::PasswordNotAvailable => {
            let diagnosis = diagnosed(client, shared, &target, job);
            let wait = match (shared.poll, &diagnosis) {
                (Some(poll), Some(d)) => PasswordWait::for_diagnosis(poll, now_ms, d),
                (Some(poll), None) => Some(PasswordWait::new(poll, now_ms)),
                (None, _) => None,
            };
            match (wait, diagnosis) {
                (Some(wait), _) => {
                    let first = wait.policy().interval_ms;
                    job.wait = Some(wait);
                    Step::Again(first)
                }
                (None, Some(d)) => Step::Done(Outcome::Diagnosed(d)),
                (None, None) => Step::Done(Outcome::Failed(e.into())),
            }
        }
        Err(e) => Step::Done(Outcome::Failed(e.into())),
    }
}

/// The diagnosis of `job`'s server, keeping the details it read (and its name).
fn diagnosed(
    client: &mut Client<UreqTransport>,
    shared: &Shared<'_>,
    target: &Target,
    job: &mut Job,
) -> Option<Diagnosis> {
    if job.details.is_none() {
        if let Ok(Answer::Server(server)) = client.call(target, &Call::ServerDetails) {
            job.name.get_or_insert_with(|| server.name.clone());
            job.details = Some(server);
        }
    }
    let details = job.details.as_ref()?;
    diagnose_server(client, target, Some(details), Some(&shared.key_pairs))
}

fn decrypted(
    client: &mut Client<UreqTransport>,
    shared: &Shared<'_>,
    target: &Target,
    job: &mut Job,
    ciphertext: String,
) -> Outcome {
    let result = match (shared.key, shared.hosted) {
        (Some(key), _) => decrypt_password(key, &ciphertext).map_err(CliError::from),
        (None, Some(hosted)) => hosted_password(client, hosted, target, job, &ciphertext),
        (None, None) => return Outcome::Ciphertext(ciphertext),
    };
    result.map_or_else(Outcome::Failed, Outcome::Password)
}

/// Decrypts with the hosted key of the server's key pair (its details read first if unknown).
fn hosted_password(
    client: &mut Client<UreqTransport>,
    hosted: &HostedKeys,
    target: &Target,
    job: &mut Job,
    ciphertext: &str,
) -> Result<Zeroizing<String>, CliError> {
    if job.details.is_none() {
        match client.call(target, &Call::ServerDetails)? {
            Answer::Server(server) => {
                job.name.get_or_insert_with(|| server.name.clone());
                job.details = Some(server);
            }
            _ => return Err(CliError::from(ErrorCode::ResponseInvalid)),
        }
    }
    let key_name = job.details.as_ref().and_then(|d| d.key_name.as_deref());
    let key = hosted.key(client, crate::hosted::key_pair_of(key_name)?)?;
    Ok(decrypt_password(&key, ciphertext)?)
}

/// A worker: takes due jobs until none is left.
fn work(
    mut client: Client<UreqTransport>,
    shared: &Shared<'_>,
    results: &mpsc::Sender<Done>,
    exports: bool,
) {
    while let Some(mut job) = shared.queue.take() {
        // Should this thread die with the job, the others still see it finished (and end).
        let guard = Unfinished(&shared.queue);
        let next = step(&mut client, shared, &mut job);
        std::mem::forget(guard);
        match next {
            Step::Again(ms) => shared.queue.again(job, ms),
            Step::Done(outcome) => {
                // A name is needed for the export's entry title: ask for it if unknown.
                if exports && job.name.is_none() && matches!(outcome, Outcome::Password(_)) {
                    let mut target = shared.target.clone();
                    target.server_id = job.id.clone();
                    target.family = job.family.unwrap_or(target.family);
                    if let Ok(Answer::Server(server)) = client.call(&target, &Call::ServerDetails) {
                        job.name = Some(server.name);
                    }
                }
                let _ = results.send(Done {
                    id: Some(job.id),
                    name: job.name,
                    outcome,
                });
                shared.queue.finished();
            }
        }
    }
}

/// Marks a job finished if dropped (by an unwinding thread) before its step ended.
struct Unfinished<'a>(&'a Queue);

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        self.0.finished();
    }
}

/// Tallies for the summary and the exit status.
#[derive(Default)]
struct Tally {
    passwords: usize,
    not_yet: usize,
    never: usize,
    failed: usize,
}

fn finish(args: &GetArgs, prepared: Prepared) -> ExitCode {
    let Prepared {
        mut session,
        key,
        hosted,
        mut exports,
        jobs,
        unresolved,
    } = prepared;
    let threads = usize::from(args.parallel).min(jobs.len()).max(1);
    let transport = session
        .client
        .transport
        .shared(session.target.endpoint.url(), threads);
    let shared = Shared {
        key: key.as_ref(),
        hosted: hosted.as_ref(),
        target: &session.target,
        choice: session.choice,
        poll: args.wait.map(|minutes| PollPolicy {
            interval_ms: args.poll_interval.saturating_mul(1000),
            limit_ms: minutes.saturating_mul(60_000),
        }),
        key_pairs: Mutex::new(HashMap::new()),
        queue: Queue::new(jobs),
    };
    let mut printer = Printer::new(exports.any());
    for done in unresolved {
        printer.line(&done, &mut exports);
    }
    let (sender, results) = mpsc::channel::<Done>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let client = Client {
                transport: transport.clone(),
                credentials: session.client.credentials.clone(),
                retry: session.client.retry,
            };
            let (shared, sender) = (&shared, sender.clone());
            let any = exports.any();
            scope.spawn(move || work(client, shared, &sender, any));
        }
        drop(sender);
        for done in results {
            printer.line(&done, &mut exports);
        }
    });
    let tally = printer.tally;
    let total = tally.passwords + tally.not_yet + tally.never + tally.failed;
    let mut status = if tally.passwords == total && printer.output_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    };
    match exports.write() {
        Ok(notes) => notes.iter().for_each(|n| output::note(n)),
        Err(e) => {
            output::note(&format!("error[{}]: {}", e.code, e.message));
            status = ExitCode::FAILURE;
        }
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    output::note(&format!(
        "{}: {}, {} not yet, {} never, {}.",
        plural(total, "server", "servers"),
        plural(
            tally.passwords,
            if args.decrypts() {
                "password"
            } else {
                "ciphertext"
            },
            if args.decrypts() {
                "passwords"
            } else {
                "ciphertexts"
            }
        ),
        tally.not_yet,
        tally.never,
        plural(tally.failed, "error", "errors"),
    ));
    status
}

/// Prints one JSON line per server and keeps the passwords the exports want.
struct Printer {
    exporting: bool,
    tally: Tally,
    output_ok: bool,
}

impl Printer {
    fn new(exporting: bool) -> Printer {
        Printer {
            exporting,
            tally: Tally::default(),
            output_ok: true,
        }
    }

    fn line(&mut self, done: &Done, exports: &mut Exports) {
        let mut line = json!({ "server": { "id": done.id, "name": done.name } });
        match &done.outcome {
            Outcome::Password(password) => {
                self.tally.passwords += 1;
                if self.exporting {
                    line["exported"] = json!(true);
                    exports.add(Entry {
                        title: done
                            .name
                            .clone()
                            .filter(|n| !n.is_empty())
                            .or_else(|| done.id.clone())
                            .unwrap_or_default(),
                        server_id: done.id.clone().unwrap_or_default(),
                        password: password.clone(),
                    });
                } else {
                    line["password"] = json!(password.as_str());
                }
            }
            Outcome::Ciphertext(ciphertext) => {
                self.tally.passwords += 1;
                line["ciphertext"] = json!(output::printable(ciphertext));
            }
            Outcome::Diagnosed(d) => {
                let mut body = serde_json::to_value(d).unwrap_or(Value::Null);
                let message = d.message();
                body["message"] = json!(render(&message, Lang::En));
                // The message as data beside the English text, as errors have it.
                if let (Ok(Value::Object(data)), Some(b)) =
                    (serde_json::to_value(&message), body.as_object_mut())
                {
                    b.extend(data);
                }
                if d.can_wait {
                    self.tally.not_yet += 1;
                    line["notYet"] = body;
                } else {
                    self.tally.never += 1;
                    line["never"] = body;
                }
            }
            Outcome::Failed(e) => {
                self.tally.failed += 1;
                let mut body = output::error_json(e);
                if let Some(id) = e.cloud.as_ref().and_then(|c| c.request_id.as_deref()) {
                    body["requestId"] = json!(output::printable(id));
                }
                line["error"] = body;
            }
        }
        if self.output_ok {
            if let Err(e) = output::write_line(&line) {
                self.output_ok = false;
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    output::note(&format!(
                        "error[OUTPUT_FAILED]: Cannot write to standard output: {e}."
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(seq: usize) -> Job {
        Job {
            seq,
            id: format!("s{seq}"),
            name: None,
            details: None,
            family: None,
            wait: None,
        }
    }

    #[test]
    fn the_queue_hands_out_due_jobs_in_order_and_ends_when_all_finished() {
        let queue = Queue::new(vec![job(0), job(1)]);
        let first = queue.take().map(|j| j.seq);
        let second = queue.take().map(|j| j.seq);
        assert_eq!((first, second), (Some(0), Some(1)));
        // One comes back due in 30 ms: taking it waits that long.
        let started = Instant::now();
        queue.again(job(1), 30);
        queue.finished();
        assert_eq!(queue.take().map(|j| j.seq), Some(1));
        assert!(started.elapsed() >= Duration::from_millis(30));
        queue.finished();
        assert!(queue.take().is_none());
    }

    #[test]
    fn a_thread_waiting_for_a_job_another_holds_is_woken_when_it_finishes() {
        let queue = Queue::new(vec![job(0)]);
        let held = queue.take();
        assert!(held.is_some());
        std::thread::scope(|s| {
            let waiter = s.spawn(|| queue.take().map(|j| j.seq));
            std::thread::sleep(Duration::from_millis(20));
            queue.finished();
            assert_eq!(waiter.join().ok().flatten(), None);
        });
    }
}
