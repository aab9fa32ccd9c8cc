// End-to-end tests of <ecs-password-fleet> on the standalone page, in headless Chromium, against
// `ecs-password serve` and its demo cloud, in English and Chinese. The oracle is the CLI's own
// fleet (`ecs-password get --all --key`, the same core over another transport): for every server,
// the view must say what the CLI says (a password, and the same one; never or not yet with the
// same cause; the same error code). Also: choosing every Windows server, a filter by tag, by hand;
// reveal and copy one row (by keyboard), clear all retrieved with one confirmation, a user whose
// policy refuses, axe-core, and no key material in any request.
//
// ECS_PASSWORD_BIN chooses the binary.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { launchChromium } from "./chromium.mjs";
import { startServe, ROOT } from "./serve.mjs";
import en from "../../www/i18n/en.js";
import zh from "../../www/i18n/zh.js";

const binary = process.env.ECS_PASSWORD_BIN ?? `${ROOT}target/debug/ecs-password`;
const SHOTS = join(ROOT, "target/screenshots");
const AXE = readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
const CATALOGS = { en, zh };
const t = (lang, key, params = {}) => (CATALOGS[lang][key] ?? en[key]).replace(/\{(\w+)\}/g, (w, n) => (n in params ? String(params[n]) : w));

let serve;
let demo;
const contexts = {};
const requests = [];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  serve = await startServe(["--post-delay", "3600"]); // win-booting stays "not yet"
  demo = await (await fetch(`${serve.url}/demo`)).json();
  for (const lang of ["en", "zh"]) {
    const context = await launchChromium({ locale: lang === "zh" ? "zh-CN" : "en-US" });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: serve.url });
    context.on("request", (r) => requests.push({ url: r.url(), headers: r.headers(), body: r.postData() }));
    contexts[lang] = context;
  }
});

after(async () => {
  for (const context of Object.values(contexts)) await context.close();
  await serve?.close();
});

const KEY_PAIR = "demo-rsa2048";
const keyDownload = () => demo.keyPairs.find((p) => p.name === KEY_PAIR).downloads.find((d) => !d.passphrase && /pkcs1/.test(d.href));
const principal = (name) => demo.principals.find((p) => p.name === name);

/** The CLI's fleet: one JSON line per server, by server id. */
async function cliFleet(who, keyBytes, extra = []) {
  const dir = mkdtempSync(join(tmpdir(), "ecs-password-fleet-"));
  const keyFile = join(dir, "key");
  writeFileSync(keyFile, keyBytes, { mode: 0o600 });
  const args = ["get", "--endpoint", serve.url, "--project", demo.project.id, "--all", "--key", keyFile, ...extra];
  const run = await promisify(execFile)(binary, args, { env: { ...process.env, OS_TOKEN: principal(who).token } }).catch((e) => e);
  const lines = String(run.stdout).trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  return new Map(lines.map((l) => [l.server.id, l]));
}

/** What the CLI's line says, in the view's terms. */
function expectedOf(line) {
  if ("password" in line) return { state: "ready", code: "", cause: "" };
  if (line.never) return { state: "never", code: "", cause: line.never.cause };
  if (line.notYet) return { state: "notYet", code: "", cause: line.notYet.cause };
  return { state: line.error.code === "FORBIDDEN" ? "refused" : "error", code: line.error.code, cause: "" };
}

const f = (page, selector) => page.locator("ecs-password-fleet").locator(selector);
const row = (page, name) => f(page, `tbody tr[data-id="${demo.servers.find((s) => s.name === name).id}"]`);

async function openPage(lang) {
  const page = await contexts[lang].newPage();
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && !/status of 40[134]/.test(m.text()) && !m.text().startsWith("Applying inline style") && page.errors.push(m.text()));
  await page.goto(`${serve.url}/`);
  await page.evaluate(() => {
    window.__events = [];
    for (const name of ["ecs-password-fleet-done", "ecs-password-cleared", "ecs-password-error"]) {
      document.addEventListener(name, (e) => window.__events.push({ name, detail: JSON.parse(JSON.stringify(e.detail)) }));
    }
  });
  return page;
}

async function signInAndOpen(page, who, family = null) {
  if (family) await page.selectOption("#family", family);
  await page.click(`button[data-principal="${who}"]`);
  await page.click("#fleet-open");
  await page.waitForFunction(() => ["listed", "error"].includes(document.querySelector("ecs-password-fleet")?.shadowRoot?.querySelector(".ecs")?.dataset.phase ?? ""));
}

async function loadKey(page) {
  const d = keyDownload();
  const bytes = Buffer.from(await (await fetch(new URL(d.href, serve.url))).arrayBuffer());
  await f(page, "#key-file").setInputFiles({ name: d.href.split("/").pop(), mimeType: "application/octet-stream", buffer: bytes });
  await f(page, "#key-list li").first().waitFor();
  assert.equal(await f(page, "#key-file").inputValue(), "", "the file input still holds the key");
  return bytes;
}

async function runFleet(page) {
  await f(page, "#get").click();
  await page.waitForFunction(() => document.querySelector("ecs-password-fleet")?.shadowRoot?.querySelector(".ecs")?.dataset.phase === "done", null, { timeout: 60_000 });
}

/** Each row as the view shows it: state, error code, cause. */
function rows(page) {
  return f(page, "tbody tr").evaluateAll((trs) => trs.map((tr) => ({
    id: tr.dataset.id, name: tr.querySelector("th .name")?.textContent, hidden: tr.hidden, chosen: tr.querySelector("input").checked,
    state: tr.dataset.state, code: tr.dataset.code ?? "", cause: tr.dataset.cause ?? "", text: tr.querySelector("td.state")?.textContent ?? "",
  })));
}

async function axe(page, label) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target) })));
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad, [], `axe on ${label}`);
}

/** Everything the page shows or holds, shadow roots included. */
const pageText = (page) => page.evaluate(() => {
  const parts = [document.documentElement.outerHTML];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (typeof el.value === "string") parts.push(el.value);
      if (el.shadowRoot) { parts.push(el.shadowRoot.innerHTML); walk(el.shadowRoot); }
    }
  };
  walk(document);
  return parts.join("\n");
});

for (const lang of ["en", "zh"]) {
  test(`${lang}: every Windows server, one key: each password or the precise reason, as the CLI says`, async () => {
    await serve.control("reset", { method: "POST" });
    const page = await openPage(lang);
    await signInAndOpen(page, "admin");
    assert.equal(await f(page, "#title").textContent(), t(lang, "fleet.heading"));
    const windows = demo.servers.filter((s) => s.os === "windows");
    // Windows only (checked by default), then "choose all shown".
    assert.equal(await f(page, "#windows-only").isChecked(), true);
    await f(page, "#select-shown").click();
    let shown = await rows(page);
    assert.deepEqual(shown.filter((r) => r.chosen).map((r) => r.id).sort(), windows.map((s) => s.id).sort(), "every Windows server chosen");
    assert.ok(shown.filter((r) => !windows.some((s) => s.id === r.id)).every((r) => r.hidden && !r.chosen), "the Linux server hidden, not chosen");
    assert.equal(await f(page, "#get").isDisabled(), true, "no key yet: nothing to get with");
    const keyBytes = await loadKey(page);
    assert.equal(await f(page, "#get").textContent(), t(lang, "fleet.get", { count: windows.length }));
    await runFleet(page);
    const cli = await cliFleet("admin", keyBytes);
    shown = await rows(page);
    for (const s of windows) {
      const got = shown.find((r) => r.id === s.id);
      const want = expectedOf(cli.get(s.id));
      assert.deepEqual({ state: got.state, code: got.code, cause: got.cause }, want, `${s.name}: ${got.text}`);
    }
    // What the demo was built to show: ready, wrong key named, not yet with a countdown, never.
    const by = (name) => shown.find((r) => r.name === name);
    assert.equal(by("win-2048").state, "ready");
    assert.equal(by("win-4096").code, "WRONG_KEY");
    assert.match(by("win-4096").text, /demo-rsa4096/, "the key pair to load is named");
    assert.equal(by("win-booting").state, "notYet");
    const countdown = CATALOGS[lang]["fleet.state.notYetIn"].split("{seconds}").map((part) => part.replace(/[.?*+^$[\]{}()|\\]/g, "\\$&")).join("\\d+");
    assert.match(by("win-booting").text, new RegExp(countdown), "a countdown");
    assert.equal(by("win-nokey").cause, "noKeyPair");
    assert.ok(by("win-nokey").text.includes(t(lang, "get.never.noKeyPair")), "the cause, in words");
    const summary = await f(page, "#summary").textContent();
    assert.ok(summary.includes(t(lang, "fleet.summary.ready", { count: 1 })), summary);
    await page.screenshot({ path: join(SHOTS, `${lang}-fleet-done.png`), fullPage: true });
    await axe(page, `${lang} fleet done`);

    // The Linux server by hand, and a filter by tag.
    await f(page, "#windows-only").uncheck();
    await f(page, "#filter").fill("env=test");
    shown = await rows(page);
    assert.deepEqual(shown.filter((r) => !r.hidden).map((r) => r.name).sort(), demo.servers.filter((s) => ["win-booting", "win-nokey"].includes(s.name)).map((s) => s.name).sort(), "the tag filter");
    await f(page, "#filter").fill("");
    await row(page, "linux-web").locator("input").check();
    await runFleet(page);
    const linux = (await rows(page)).find((r) => r.name === "linux-web");
    assert.deepEqual({ state: linux.state, cause: linux.cause }, { state: "never", cause: expectedOf(cli.get(linux.id)).cause });
    assert.ok(linux.text.includes(t(lang, "get.never.linux")));

    // Reveal (by keyboard) and copy one row; the password is out of the DOM once hidden.
    const win = row(page, "win-2048");
    const reveal = win.locator('button[data-action="reveal"]');
    assert.equal(await win.locator("output").textContent().then((x) => x.includes(cli.get(by("win-2048").id).password)), false, "hidden until asked");
    await reveal.focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector("ecs-password-fleet").shadowRoot.querySelector('tr[data-state="ready"] output')?.dataset.state === "shown");
    const password = (await win.locator("output").textContent()).trim();
    assert.equal(password, cli.get(by("win-2048").id).password, "the CLI's password");
    assert.equal(await reveal.getAttribute("aria-pressed"), "true");
    await reveal.click();
    assert.equal(await reveal.getAttribute("aria-pressed"), "false");
    assert.ok(!(await pageText(page)).includes(password), "the password left the DOM");
    await win.locator('button[data-action="copy"]').click();
    await f(page, "#live").filter({ hasText: t(lang, "result.copied") }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), password);

    // Clear all retrieved: one confirmation, then the stored password is gone on the cloud.
    await f(page, "#clear-all").click();
    await f(page, "#confirm").waitFor({ state: "visible" });
    assert.ok((await f(page, "#confirm-text").textContent()).includes(t(lang, "fleet.clearAll.text", { count: 1 })));
    await axe(page, `${lang} clear all confirmation`);
    await f(page, "#confirm-ok").click();
    await f(page, "#live").filter({ hasText: t(lang, "fleet.cleared", { count: 1 }) }).waitFor();
    const cleared = (await rows(page)).find((r) => r.name === "win-2048");
    assert.deepEqual({ state: cleared.state, cause: cleared.cause }, { state: "never", cause: "cleared" });
    assert.equal(await f(page, "#clear-all").isHidden(), true);
    const after = await cliFleet("admin", keyBytes);
    assert.ok(!("password" in after.get(cleared.id)), "the cloud no longer has it");
    const events = await page.evaluate(() => window.__events);
    assert.ok(events.some((e) => e.name === "ecs-password-fleet-done" && e.detail.ready === 1));
    assert.ok(events.some((e) => e.name === "ecs-password-cleared" && e.detail.server === cleared.id));

    // Close and forget: keys and results gone, the list stays.
    await f(page, "#close").click();
    assert.equal(await f(page, "#key-list li").count(), 0);
    assert.ok((await rows(page)).every((r) => r.state === "idle"));
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test("a user whose policy refuses: refused, with the permission engine's reason and the cloud's request id", async () => {
  await serve.control("reset", { method: "POST" });
  const page = await openPage("en");
  // ECS ReadOnlyAccess on v2.1, which needs ecs:serverPasswords:manage (docs/permissions.md).
  await signInAndOpen(page, "reader", "v2.1");
  await f(page, "#select-shown").click();
  const keyBytes = await loadKey(page);
  await runFleet(page);
  const cli = await cliFleet("reader", keyBytes, ["--family", "v2.1"]);
  const chosen = (await rows(page)).filter((x) => x.chosen);
  assert.ok(chosen.length > 0, "reader lists the servers");
  for (const r of chosen) {
    assert.deepEqual({ state: r.state, code: r.code, cause: r.cause }, expectedOf(cli.get(r.id)), `${r.name}: ${r.text}`);
    assert.equal(r.state, "refused");
    assert.match(r.text, /ecs:serverPasswords:manage/, `the permission engine's reason: ${r.text}`);
    assert.ok(r.text.includes(t("en", "error.requestId", { id: "" }).trim()), `the request id: ${r.text}`);
  }
  const summary = await f(page, "#summary").textContent();
  assert.ok(summary.includes(t("en", "fleet.summary.refused", { count: chosen.length })), summary);
  await axe(page, "refused rows");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("no request of any page carries key material", () => {
  const d = keyDownload();
  const pem = readFileSync(join(ROOT, "tests/fixtures/rsa2048.pkcs1.pem"), "utf8");
  const lines = pem.split("\n").filter((l) => /^[A-Za-z0-9+/=]{24,}$/.test(l)).map((l) => l.slice(0, 24));
  assert.ok(lines.length > 10, `needles from ${d.href}`);
  for (const r of requests) {
    const text = `${r.url}\n${JSON.stringify(r.headers)}\n${r.body ?? ""}`;
    for (const needle of lines) assert.ok(!text.includes(needle), `${r.url} carries a line of the key`);
  }
});
