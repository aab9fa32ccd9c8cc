// The browser's exports (www/widget/export-client.js, www/export-worker.js, the export module
// pkg/export/) in real Chromium: the KeePass file it makes is opened by pykeepass, an
// implementation independent of the Rust `keepass` crate (tests/oracle/read_kdbx.py), with the
// master password, and refused with another; the CSV is byte for byte the shared fixture that the
// CLI's writer is held to (export/tests/csv-entries.json, export/tests/csv.rs), and Python's csv
// module reads it back; the module is fetched only when an export is asked for, by the worker, and
// never instantiated on the page's own thread.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStaticServer } from "./static-server.mjs";
import { launchChromium } from "./chromium.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;
const PYTHON = join(ROOT, ".venv/bin/python");
const MASTER = "correct horse 电池 staple";

const ENTRIES = [
  { title: "win-2048", username: "Administrator", password: "Pa$$w0rd!", url: "https://console.example/ecs/1", notes: "first", serverId: "7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d01" },
  { title: "服务器-北京", username: "Administrator", password: "密码-Ünïcødé-🔑", url: "https://console.example/ecs/2", notes: "第二台", serverId: "7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d02" },
  { title: "db \"quoted\", <xml> & more", username: "admin", password: "=cmd|' /C calc'!A0", url: "", notes: "line one\nline two", serverId: "7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d03" },
];

let server, browser, dir;
before(async () => {
  assert.ok(existsSync(PYTHON), `${PYTHON} is missing: scripts/setup.sh makes it (pykeepass reads the KeePass file)`);
  server = await startStaticServer();
  browser = await launchChromium();
  dir = await mkdtemp(join(tmpdir(), "ecs-password-export-"));
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A page of the site (its CSP), with every request of the page and its workers logged. */
async function openPage() {
  const page = await browser.newPage();
  const requests = [];
  const problems = [];
  browser.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.addInitScript(() => {
    const calls = [];
    globalThis.__wasmCalls = calls;
    for (const name of ["instantiate", "instantiateStreaming", "compile", "compileStreaming"]) {
      const original = WebAssembly[name];
      WebAssembly[name] = function (...args) {
        calls.push(name);
        return original.apply(this, args);
      };
    }
  });
  await page.goto(`${server.url}/decrypt.html`);
  await page.waitForFunction(() => document.readyState === "complete");
  return { page, requests, problems };
}

/** Opens `bytes` with pykeepass and the master password in `master`. */
async function readKdbx(bytes, master, name) {
  const file = join(dir, `${name}.kdbx`);
  const password = join(dir, `${name}.master`);
  await writeFile(file, bytes);
  await writeFile(password, `${master}\n`, { mode: 0o600 });
  return JSON.parse(execFileSync(PYTHON, [join(ROOT, "tests/oracle/read_kdbx.py"), file, password], { encoding: "utf8" }));
}

test("exportKdbx makes a KDBX 4 file that pykeepass opens with the master password, and only with it", async () => {
  const { page, requests, problems } = await openPage();
  const exportFetched = () => requests.filter((u) => u.includes("/pkg/export/") || u.endsWith("/export-worker.js"));
  // Loading the client module costs nothing: no worker, no module, until the first call.
  await page.evaluate(async () => { await import("/widget/export-client.js"); });
  assert.deepEqual(exportFetched(), [], "nothing of the export module is fetched before the first call");

  const started = Date.now();
  const result = await page.evaluate(async ({ entries, master }) => {
    const { exportKdbx, KDBX_TYPE } = await import("/widget/export-client.js");
    const blob = await exportKdbx(entries, master);
    return { type: blob.type, expectedType: KDBX_TYPE, bytes: Array.from(new Uint8Array(await blob.arrayBuffer())), wasmCalls: globalThis.__wasmCalls };
  }, { entries: ENTRIES, master: MASTER });
  const elapsed = Date.now() - started;
  console.log(`# exportKdbx of ${ENTRIES.length} entries (Argon2id 64 MiB) in Chromium: ${elapsed} ms, file ${result.bytes.length} bytes`);
  assert.equal(result.type, result.expectedType);
  assert.deepEqual(result.wasmCalls, [], "the page's own thread instantiates no WebAssembly: the worker does");
  const fetched = exportFetched();
  assert.ok(fetched.some((u) => u.endsWith("/export-worker.js")), `the worker is fetched on use: ${fetched}`);
  assert.ok(fetched.some((u) => u.endsWith("/pkg/export/ecs_password_export_bg.wasm")), `the module is fetched on use: ${fetched}`);
  assert.deepEqual(problems, []);

  const bytes = Uint8Array.from(result.bytes);
  assert.deepEqual([...bytes.subarray(0, 4)], [0x03, 0xd9, 0xa2, 0x9a], "the KeePass signature");
  const file = await readKdbx(bytes, MASTER, "three");
  assert.equal(file.version[0], 4, JSON.stringify(file));
  assert.equal(file.kdf, "argon2id");
  assert.equal(file.wrongPasswordRefused, true, "another master password does not open it");
  assert.deepEqual(file.entries, ENTRIES.map((e) => ({
    title: e.title, username: e.username, password: e.password, serverId: e.serverId,
    // KeePass has no empty URL field: an empty one is left out.
    url: e.url || null, notes: e.notes,
  })));
  await page.close();
});

test("exportKdbx refuses an empty master password and entries of the wrong shape with KDBX_FAILED", async () => {
  const { page } = await openPage();
  const outcome = await page.evaluate(async ({ entries }) => {
    const { exportKdbx } = await import("/widget/export-client.js");
    const codes = [];
    for (const [list, master] of [[entries, ""], [[{ title: "a", username: "b" }], "m"], [[{ title: 1, username: "b", password: "p" }], "m"], ["not a list", "m"]]) {
      try {
        await exportKdbx(/** @type {any} */ (list), master);
        codes.push({ code: "none" });
      } catch (error) {
        codes.push({ code: error.code, message: error.message, messageId: error.messageId });
      }
    }
    return codes;
  }, { entries: ENTRIES });
  assert.deepEqual(outcome.map((o) => o.code), ["KDBX_FAILED", "KDBX_FAILED", "KDBX_FAILED", "KDBX_FAILED"], JSON.stringify(outcome));
  // The core's refusal comes as data, rendered by the page from the catalogues.
  assert.equal(outcome[0].messageId, "kdbx-master-empty");
  assert.match(outcome[1].message, /entries\[0\]\.password is missing/);
  assert.match(outcome[2].message, /entries\[0\]\.title must be a string/);
  for (const o of outcome) assert.ok(!o.message.includes(ENTRIES[0].password), "no password in an error");
  await page.close();
});

test("a Uint8Array password and master password go in and are wiped on the page's side (transferred)", async () => {
  const { page } = await openPage();
  const result = await page.evaluate(async () => {
    const { exportKdbx } = await import("/widget/export-client.js");
    const password = new TextEncoder().encode("bytes-密码");
    const blob = await exportKdbx([{ title: "t", username: "u", password }], "m");
    return { size: blob.size, detached: password.byteLength === 0, bytes: Array.from(new Uint8Array(await blob.arrayBuffer())) };
  });
  assert.ok(result.detached, "the page's array is transferred to the worker, not copied");
  const file = await readKdbx(Uint8Array.from(result.bytes), "m", "bytes");
  assert.equal(file.entries[0].password, "bytes-密码");
  await page.close();
});

/** The rows of `text` as Python's csv module reads them (newline="" as its documentation says). */
function csvRows(text) {
  const script = "import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline='')))))";
  return JSON.parse(execFileSync("python3", ["-c", script], { input: text, encoding: "utf8" }));
}

test("exportCsv writes the CLI's bytes for the shared fixture, in the worker, passwords as text or bytes", async () => {
  const fixture = JSON.parse(await readFile(join(ROOT, "export/tests/csv-entries.json"), "utf8"));
  const { page, requests, problems } = await openPage();
  const result = await page.evaluate(async ({ entries }) => {
    const { exportCsv, CSV_TYPE } = await import("/widget/export-client.js");
    const read = async (/** @type {Blob} */ blob) => ({ type: blob.type, bytes: Array.from(new Uint8Array(await blob.arrayBuffer())) });
    const asText = await read(await exportCsv(entries));
    const passwords = entries.map((e) => new TextEncoder().encode(e.password));
    const asBytes = await read(await exportCsv(entries.map((e, i) => ({ ...e, password: passwords[i] }))));
    return { expectedType: CSV_TYPE, asText, asBytes, detached: passwords.every((p) => p.byteLength === 0), wasmCalls: globalThis.__wasmCalls };
  }, { entries: fixture.entries });
  const want = [...Buffer.from(fixture.csv, "utf8")];
  assert.equal(result.asText.type, result.expectedType);
  assert.deepEqual(result.asText.bytes, want, "the same bytes as the CLI's --csv (export/tests/csv.rs)");
  assert.deepEqual(result.asBytes.bytes, want, "a Uint8Array password writes the same cell");
  assert.ok(result.detached, "Uint8Array passwords are transferred to the worker, not copied");
  assert.deepEqual(result.wasmCalls, [], "the page's own thread instantiates no WebAssembly: the worker does");
  assert.ok(requests.some((u) => u.endsWith("/pkg/export/ecs_password_export_bg.wasm")), "the module is fetched on use");
  assert.deepEqual(problems, []);

  const guard = (/** @type {string | null} */ v) => (v && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v ?? "");
  const rows = csvRows(Buffer.from(result.asText.bytes).toString("utf8"));
  assert.deepEqual(rows[0], ["title", "username", "password", "url", "notes"]);
  assert.deepEqual(rows.slice(1), fixture.entries.map((e) => [guard(e.title), guard(e.username), e.password, guard(e.url), guard(e.notes)]));
  await page.close();
});

test("exportCsv refuses entries of the wrong shape (UNKNOWN), with no password in the error", async () => {
  const { page } = await openPage();
  const outcome = await page.evaluate(async () => {
    const { exportCsv } = await import("/widget/export-client.js");
    const codes = [];
    for (const list of [[{ title: "a", username: "b" }], [{ title: 1, username: "b", password: "=secret" }], "not a list"]) {
      try {
        await exportCsv(/** @type {any} */ (list));
        codes.push({ code: "none" });
      } catch (error) {
        codes.push({ code: error.code, message: error.message });
      }
    }
    return codes;
  });
  assert.deepEqual(outcome.map((o) => o.code), ["UNKNOWN", "UNKNOWN", "UNKNOWN"], JSON.stringify(outcome));
  assert.match(outcome[0].message, /entries\[0\]\.password is missing/);
  assert.match(outcome[1].message, /entries\[0\]\.title must be a string/);
  for (const o of outcome) assert.ok(!o.message.includes("=secret"), "no password in an error");
  await page.close();
});
