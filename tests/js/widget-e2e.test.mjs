// End-to-end tests of <ecs-password> and the standalone page, in headless Chromium, against
// `ecs-password serve` and its emulated cloud (the debug binary, on a free port), in English and
// Chinese: every demo key format, a wrong key, a wrong passphrase, no permission, a password not
// posted yet then posted, clear, reset, the embedded example and the standalone page; keyboard
// only; axe-core. An audit records every request of every page (and its worker) and fails if
// one carries key material. Screenshots go to target/screenshots/.
//
// ECS_PASSWORD_BIN chooses the binary; ECS_PASSWORD_E2E_URL points at an already-running serve.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { launchChromium } from "./chromium.mjs";
import { startServe } from "./serve.mjs";
import en from "../../www/i18n/en.js";
import zh from "../../www/i18n/zh.js";
import { message } from "./messages.mjs";

const root = new URL("../..", import.meta.url).pathname;
const binary = process.env.ECS_PASSWORD_BIN ?? `${root}target/debug/ecs-password`; // for the CLI oracle
const SHOTS = join(root, "target/screenshots");
const AXE = readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8");
const CATALOGS = { en, zh };

let serve; // ecs-password serve (unless ECS_PASSWORD_E2E_URL)
let base; // http://127.0.0.1:PORT
let demo; // GET /demo
const contexts = {}; // lang -> browser context
const requests = []; // every request of every page: {lang, url, method, headers, body}
const consoleLines = []; // every console message and page error
const needles = new Map(); // secret text -> where it comes from
const passwords = new Set(); // every password the widget decrypted
const axeResults = [];
const keyFiles = new Map(); // href -> Buffer

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  if (process.env.ECS_PASSWORD_E2E_URL) {
    base = process.env.ECS_PASSWORD_E2E_URL.replace(/\/$/, "");
  } else {
    // Booting servers post only when a test says so (POST /_emulator/servers/{id}/post).
    serve = await startServe(["--post-delay", "3600"]);
    base = serve.url;
  }
  const answer = await fetch(`${base}/demo`);
  assert.equal(answer.status, 200, "GET /demo: the e2e tests need serve's demo mode");
  demo = await answer.json();
  for (const pair of demo.keyPairs) {
    for (const d of pair.downloads) {
      const bytes = Buffer.from(await (await fetch(new URL(d.href, base))).arrayBuffer());
      keyFiles.set(d.href, bytes);
      addNeedles(bytes, d.href);
      if (d.passphrase) {
        needles.set(d.passphrase, `passphrase of ${d.href}`);
        needles.set(encodeURIComponent(d.passphrase), `passphrase of ${d.href}`);
      }
    }
  }
  for (const lang of ["en", "zh"]) {
    const context = await launchChromium({ locale: lang === "zh" ? "zh-CN" : "en-US" });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
    context.on("request", (r) => requests.push({ lang, url: r.url(), method: r.method(), headers: r.headers(), body: r.postData() }));
    contexts[lang] = context;
  }
});

after(async () => {
  for (const context of Object.values(contexts)) await context.close();
  await serve?.close();
});

/** Base64 lines of PEM/OpenSSH/PuTTY text, and base64 chunks of binary (DER) files. */
function addNeedles(bytes, source) {
  const text = bytes.toString("latin1");
  if (/BEGIN|PuTTY-User-Key-File/.test(text)) {
    for (const line of text.split(/\r?\n/)) {
      const body = line.trim();
      if (/^[A-Za-z0-9+/=]{24,}$/.test(body)) needles.set(body.slice(0, 24), `a line of ${source}`);
    }
  } else {
    const b64 = bytes.toString("base64");
    for (let i = 0; i + 24 <= b64.length; i += 24) needles.set(b64.slice(i, i + 24), `DER base64 of ${source}`);
    const hex = bytes.toString("hex");
    needles.set(hex.slice(0, 48), `DER hex of ${source}`);
  }
}

const serverNamed = (name) => {
  const s = demo.servers.find((x) => x.name === name);
  assert.ok(s, `demo server ${name}`);
  return s;
};
const pairNamed = (name) => demo.keyPairs.find((p) => p.name === name);
const principal = (name) => demo.principals.find((p) => p.name === name);
const t = (lang, key, params = {}) => (CATALOGS[lang][key] ?? en[key]).replace(/\{(\w+)\}/g, (w, n) => (n in params ? String(params[n]) : w));

async function resetEmulator() {
  const r = await fetch(`${base}/_emulator/reset`, { method: "POST", headers: { "X-Emulator-Control": "1" } });
  assert.ok(r.ok, `POST /_emulator/reset: ${r.status}`);
}

async function openPage(lang, path = "/", initScript = null) {
  const page = await contexts[lang].newPage();
  if (initScript) await page.addInitScript(initScript);
  page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => consoleLines.push(`pageerror: ${e}`));
  page.on("console", (m) => m.type() === "error" && !/status of 40[134]/.test(m.text()) && page.errors.push(m.text()));
  page.on("pageerror", (e) => page.errors.push(String(e)));
  page.errors = [];
  await page.goto(`${base}${path}`);
  await page.waitForFunction(() => document.readyState === "complete");
  await page.evaluate(() => {
    window.__events = [];
    for (const name of ["ecs-password-retrieved", "ecs-password-cleared", "ecs-password-reset", "ecs-password-error"]) {
      document.addEventListener(name, (e) => window.__events.push({ name, detail: JSON.parse(JSON.stringify(e.detail)) }));
    }
  });
  return page;
}

const w = (page, selector) => page.locator("ecs-password").locator(selector);

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function axe(page, label) {
  const errorsBefore = page.errors?.length ?? 0;
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map((n) => n.target) }));
  });
  // axe-core itself adds a <style> for some checks, which the page's CSP rightly blocks.
  await page.waitForTimeout(100);
  if (page.errors) page.errors.splice(errorsBefore, Infinity, ...page.errors.slice(errorsBefore).filter((e) => !e.startsWith("Applying inline style violates")));
  axeResults.push({ label, violations: result });
  writeFileSync(join(SHOTS, "axe-results.json"), JSON.stringify(axeResults, null, 2));
  const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad, [], `axe on ${label}`);
}

/** Everything a page shows or holds in form fields, shadow roots included. */
function pageText(page) {
  return page.evaluate(() => {
    const parts = [document.documentElement.outerHTML];
    const walk = (root) => {
      for (const el of root.querySelectorAll("*")) {
        if (typeof el.value === "string") parts.push(el.value);
        if (el.shadowRoot) {
          parts.push(el.shadowRoot.innerHTML);
          walk(el.shadowRoot);
        }
      }
    };
    walk(document);
    return parts.join("\n");
  });
}

async function signInDemo(page, who, family) {
  if (family) await page.selectOption("#family", family);
  await page.click(`button[data-principal="${who}"]`);
  await page.waitForFunction(() => document.getElementById("server-select").options.length > 1);
}

/** Signs in with the admin's token typed into the form (no permissions given: the cloud decides). */
async function signInWithToken(page) {
  await page.check('input[name="method"][value="token"]');
  await page.fill("#token", principal("admin").token);
  await page.fill("#endpoint", base);
  await page.fill("#project", demo.project.id);
  await page.click("#signin-submit");
  await page.waitForFunction(() => document.getElementById("server-select").options.length > 1);
}

async function openServer(page, name, { pollSeconds } = {}) {
  const s = serverNamed(name);
  if (pollSeconds) await page.evaluate((n) => document.querySelector("ecs-password").setAttribute("poll-interval", n), String(pollSeconds));
  const listed = await page.evaluate((id) => [...document.getElementById("server-select").options].some((o) => o.value === id), s.id);
  if (listed) {
    await page.selectOption("#server-select", s.id);
  } else { // not in this user's list (e.g. another enterprise project): by ID
    await page.fill("#server-id", s.id);
    await page.click("#server-open");
  }
  await page.waitForFunction(() => ["ready", "error"].includes(document.querySelector("ecs-password")?.shadowRoot.querySelector(".ecs").dataset.ready));
  return s;
}

/** Loads a demo key download by file picker, paste or drop; answers the passphrase prompt. */
async function loadKey(page, download, how = "file", passphrase = download.passphrase) {
  const bytes = keyFiles.get(download.href);
  const name = download.href.split("/").pop();
  if (how === "paste") {
    await w(page, "#key-text").fill(bytes.toString("utf8"));
    await w(page, "#use-pasted").click();
  } else if (how === "drop") {
    await w(page, "#drop").evaluate((zone, [array, fileName]) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(array)], fileName));
      zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, [[...bytes], name]);
  } else {
    await w(page, "#key-file").setInputFiles({ name, mimeType: "application/octet-stream", buffer: bytes });
  }
  if (passphrase) {
    await w(page, "#passphrase-box").waitFor({ state: "visible" });
    assert.equal(await w(page, "#passphrase").evaluate((el) => el === el.getRootNode().activeElement), true, "focus on the passphrase");
    await w(page, "#passphrase").fill(passphrase);
    await w(page, "#unlock").click();
  }
  await w(page, "#key-facts").waitFor({ state: "visible", timeout: 60_000 });
  assert.equal(await w(page, "#key-file").inputValue(), "", "the file input still holds the key");
  assert.equal(await w(page, "#key-text").inputValue(), "", "the key text is still in the page");
  assert.equal(await w(page, "#passphrase").inputValue(), "", "the passphrase is still in the page");
  return w(page, "#key-match").getAttribute("data-match");
}

/** Gets the password, checks it is out of the DOM until shown and after hiding, returns it. */
async function getPassword(page) {
  await w(page, "#get").click();
  await w(page, "#result").waitFor({ state: "visible", timeout: 120_000 });
  assert.equal(await w(page, "#reveal").evaluate((el) => el === el.getRootNode().activeElement), true, "focus on Show");
  await w(page, "#reveal").click();
  const password = (await w(page, "#password").textContent()).trim();
  assert.ok(password.length >= 8, `a password: ${password.length} characters`);
  passwords.add(password);
  await w(page, "#reveal").click();
  assert.ok(!(await pageText(page)).includes(password), "the password stays in the DOM after Hide");
  return password;
}

/**
 * Loads the encrypted `download` and unlocks it with a wrong passphrase: the alert says
 * WRONG_PASSPHRASE with the core's own message in `lang`, naming the key's container (not the
 * code's generic text).
 */
async function wrongPassphrase(page, lang, download) {
  await w(page, "#key-file").setInputFiles({ name: "key", mimeType: "application/octet-stream", buffer: keyFiles.get(download.href) });
  await w(page, "#passphrase-box").waitFor({ state: "visible" });
  await w(page, "#passphrase").fill("not the passphrase");
  await w(page, "#unlock").click();
  await page.waitForFunction(() => document.querySelector("ecs-password").shadowRoot.getElementById("alert").dataset.code === "WRONG_PASSPHRASE", null, { timeout: 60_000 });
  const text = await w(page, "#alert-text").textContent();
  const formats = ["encrypted PKCS#8 PEM", "OpenSSL encrypted PEM", "OpenSSH", "PuTTY .ppk (version 2)", "PuTTY .ppk (version 3)"];
  assert.ok(formats.some((format) => text === message(lang, "key-wrong-passphrase", { format })), text);
}

async function alertCode(page) {
  await w(page, "#alert").waitFor({ state: "visible" });
  return w(page, "#alert").getAttribute("data-code");
}

/** The password the CLI gets for this server with this key (an independent oracle). */
async function cliPassword(serverId, keyHref, passphrase) {
  const dir = mkdtempSync(join(tmpdir(), "ecs-password-e2e-"));
  const keyFile = join(dir, "key");
  writeFileSync(keyFile, keyFiles.get(keyHref), { mode: 0o600 });
  const args = ["get", "--endpoint", base, "--project", demo.project.id, "--server", serverId, "--key", keyFile, "--json"];
  if (passphrase) {
    writeFileSync(join(dir, "pass"), passphrase, { mode: 0o600 });
    args.push("--passphrase-file", join(dir, "pass"));
  }
  const { stdout } = await promisify(execFile)(binary, args, { env: { ...process.env, OS_TOKEN: principal("admin").token } });
  return JSON.parse(stdout).password;
}

// ---- tests ------------------------------------------------------------------------------------

test("the message catalogs cover every error code in both languages, the errors' from the served Fluent catalogues", async () => {
  const page = await openPage("en");
  const texts = await page.evaluate(async () => {
    const wasm = await import("/pkg/keys/ecs_password_keys.js");
    await wasm.default();
    const { loadMessages, renderMessage, codeMessageId } = await import("/i18n/messages.js");
    const out = {};
    for (const lang of ["en", "zh"]) {
      await loadMessages(lang);
      out[lang] = Object.fromEntries(wasm.errorCodes().map((code) => [code, renderMessage(lang, { messageId: codeMessageId(code) })]));
    }
    return out;
  });
  const codes = Object.keys(texts.en);
  assert.ok(codes.includes("WRONG_KEY") && codes.includes("FORBIDDEN"), codes.join());
  for (const code of codes) {
    const id = `error-${code.toLowerCase().replaceAll("_", "-")}`;
    for (const lang of ["en", "zh"]) assert.equal(texts[lang][code], message(lang, id), `${lang}: ${code}`);
    assert.notEqual(texts.zh[code], texts.en[code], `${code} has Chinese`);
  }
  for (const lang of ["en", "zh"]) assert.deepEqual(Object.keys(CATALOGS[lang]).sort(), Object.keys(en).sort(), `${lang}: same keys as en`);
  await page.close();
});

test("not posted yet, then posted: countdown, cancel, and the password once the guest posts it (both languages at once)", async () => {
  await resetEmulator(); // the booting server's clock starts again: it posts when told to
  const booting = serverNamed("win-booting");
  const key = pairNamed(booting.keyName).downloads.find((d) => !d.passphrase);
  const pages = await Promise.all(["en", "zh"].map(async (lang) => {
    const page = await openPage(lang);
    await signInDemo(page, "admin");
    await openServer(page, "win-booting", { pollSeconds: 2 });
    assert.equal(await loadKey(page, key), "match");
    await w(page, "#get").click();
    await w(page, "#wait").waitFor({ state: "visible" });
    assert.equal(await w(page, "#cancel").evaluate((el) => el === el.getRootNode().activeElement), true, "focus on Stop waiting");
    assert.match(await w(page, "#wait-text").textContent(), lang === "zh" ? /尚未上报密码.*\d+ 秒后/ : /not posted its password yet.*in \d+ s/);
    await shot(page, `${lang}-not-posted-yet`);
    await axe(page, `${lang} waiting for the password`);
    await w(page, "#cancel").click();
    await w(page, "#wait").waitFor({ state: "hidden" });
    assert.equal(await w(page, "#live").textContent(), t(lang, "get.cancelled"));
    assert.equal(await w(page, "#result").isVisible(), false);
    await w(page, "#get").click(); // wait again, this time until the guest posts
    await w(page, "#wait").waitFor({ state: "visible" });
    return { lang, page };
  }));
  const posted = await fetch(`${base}/_emulator/servers/${booting.id}/post`, { method: "POST", headers: { "X-Emulator-Control": "1" } });
  assert.equal(posted.status, 204);
  const expected = await cliPassword(booting.id, key.href, null);
  for (const { page } of pages) {
    assert.equal(await getPassword(page), expected);
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

for (const lang of ["en", "zh"]) {
  test(`${lang}: the page speaks the browser's language, signs in on the demo cloud and decrypts with every demo key format`, async () => {
    await resetEmulator();
    const page = await openPage(lang);
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    assert.equal(await page.textContent("h1"), t(lang, "page.heading"));
    await shot(page, `${lang}-start`);
    await axe(page, `${lang} start page`);
    await signInDemo(page, "admin");
    const expected = new Map();
    let first = true;
    for (const pair of demo.keyPairs.filter((p) => demo.servers.some((s) => s.keyName === p.name && s.postsPasswordAt && Date.parse(s.postsPasswordAt) <= Date.now() && s.name !== "win-booting"))) {
      const target = demo.servers.find((s) => s.keyName === pair.name && s.name !== "win-booting" && s.os === "windows");
      await openServer(page, target.name);
      if (first) {
        await shot(page, `${lang}-server-permissions`);
        first = false;
      }
      for (const [i, download] of pair.downloads.entries()) {
        const binaryFile = !/BEGIN|PuTTY/.test(keyFiles.get(download.href).toString("latin1"));
        const how = binaryFile ? (i % 2 ? "drop" : "file") : ["file", "paste", "drop"][i % 3];
        const match = await loadKey(page, download, how);
        assert.equal(match, "match", `${download.format}: key facts matched with the key pair`);
        const summary = await w(page, "#key-summary").textContent();
        assert.match(summary, new RegExp(String(pair.bits)), `${download.format}: ${summary}`);
        if (download.passphrase && i < 4) await shot(page, `${lang}-key-loaded-${pair.bits}`);
        const password = await getPassword(page);
        if (!expected.has(target.id)) expected.set(target.id, await cliPassword(target.id, download.href, download.passphrase));
        assert.equal(password, expected.get(target.id), `${download.format} (${how})`);
      }
      await w(page, "#reveal").click();
      await shot(page, `${lang}-password-shown-${pair.bits}`);
      await w(page, "#reveal").click();
      await shot(page, `${lang}-password-hidden-${pair.bits}`);
    }
    assert.ok(expected.size >= 2, "both demo key pairs were used");
    const events = await page.evaluate(() => window.__events);
    assert.ok(events.some((e) => e.name === "ecs-password-retrieved"));
    await axe(page, `${lang} password retrieved`);
    // Switch language and theme on the fly.
    const other = lang === "en" ? "zh" : "en";
    await page.selectOption("#lang-select", other);
    await page.waitForFunction((text) => document.querySelector("ecs-password").shadowRoot.getElementById("get").textContent === text, t(other, "get.button"));
    assert.equal(await page.textContent("h1"), t(other, "page.heading"));
    await page.click("#theme");
    await page.click("#theme");
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    await shot(page, `${lang}-switched-to-${other}-dark`);
    await axe(page, `${lang} page switched to ${other}, dark`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test(`${lang}: a wrong key is named before decrypting, and a wrong passphrase is told apart`, async () => {
    const page = await openPage(lang);
    await signInDemo(page, "admin");
    await openServer(page, "win-2048");
    const unrelated = pairNamed("unrelated").downloads[0];
    assert.equal(await loadKey(page, unrelated, "paste"), "mismatch");
    assert.equal(await alertCode(page), "WRONG_KEY");
    assert.equal(await w(page, "#get").isDisabled(), true);
    const keyPair = pairNamed(serverNamed("win-2048").keyName);
    assert.ok((await w(page, "#alert-text").textContent()).includes(keyPair.name));
    await shot(page, `${lang}-wrong-key`);
    await axe(page, `${lang} wrong key`);

    const encrypted = keyPair.downloads.find((d) => d.passphrase);
    assert.ok(encrypted, "the demo offers a passphrase-protected key");
    await wrongPassphrase(page, lang, encrypted);
    assert.equal(await w(page, "#passphrase").evaluate((el) => el === el.getRootNode().activeElement), true, "focus back on the passphrase");
    await shot(page, `${lang}-wrong-passphrase`);
    await w(page, "#passphrase").fill(encrypted.passphrase);
    await w(page, "#unlock").click();
    await w(page, "#key-facts").waitFor({ state: "visible", timeout: 60_000 });
    assert.equal(await w(page, "#alert").isVisible(), false);
    assert.equal(await w(page, "#key-match").getAttribute("data-match"), "match");
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test(`${lang}: no permission is shown first with its reason, and the cloud's refusal has its request id`, async () => {
    const page = await openPage(lang);
    await signInDemo(page, "nobody");
    const s = await openServer(page, "win-2048");
    const denied = w(page, '#access-list li[data-operation="get"]');
    assert.equal(await denied.getAttribute("data-decision"), "deny");
    assert.ok((await denied.textContent()).includes(t(lang, "access.deny")));
    // The engine's reason, rendered from the catalogue in the page's language.
    const everyFamily = { listType: "conjunction", items: ["v1", "v2.1", "v2"] };
    assert.ok((await denied.textContent()).includes(message(lang, "iam-operation-denied", { operation: "get", denied: everyFamily })), await denied.textContent());
    assert.equal(await w(page, "#get").isVisible(), false);
    assert.equal(await w(page, "#get-anyway").isVisible(), true);
    assert.equal(await w(page, "#clear").isVisible(), false);
    assert.equal(await w(page, "#reset-section").isVisible(), false);
    await loadKey(page, pairNamed(s.keyName).downloads.find((d) => !d.passphrase));
    await w(page, "#get-anyway").click();
    await page.waitForFunction(() => document.querySelector("ecs-password").shadowRoot.getElementById("alert").dataset.code === "FORBIDDEN");
    // The core's own message for IAM's refusal, with the cloud's status and code.
    const refusal = { reason: { messageId: "cloud-pdp-denied" }, status: 403, cloud_code: "Pdp.0001" };
    assert.equal(await w(page, "#alert-text").textContent(), message(lang, "cloud-answer-coded", refusal));
    const detail = await w(page, "#alert-detail").textContent();
    assert.ok(detail.includes(t(lang, "error.requestId", { id: "" }).trim()), detail);
    const events = await page.evaluate(() => window.__events.filter((e) => e.name === "ecs-password-error"));
    const forbidden = events.find((e) => e.detail.code === "FORBIDDEN" && e.detail.operation === "get");
    assert.ok(forbidden?.detail.requestId, JSON.stringify(events));
    assert.ok(detail.includes(forbidden.detail.requestId));
    await shot(page, `${lang}-no-permission`);
    await axe(page, `${lang} no permission`);

    // A read-only user may get but neither clear nor reset.
    await page.click("#signout");
    await signInDemo(page, "reader");
    await openServer(page, "win-2048");
    assert.equal(await w(page, '#access-list li[data-operation="get"]').getAttribute("data-decision"), "allow");
    assert.equal(await w(page, '#access-list li[data-operation="clear"]').getAttribute("data-decision"), "deny");
    assert.equal(await w(page, "#clear").isVisible(), false);
    assert.equal(await w(page, "#reset-section").isVisible(), false);
    await page.close();
  });

  test(`${lang}: clear with confirmation, then the password is gone`, async () => {
    await resetEmulator();
    const page = await openPage(lang);
    await signInDemo(page, "admin");
    const s = await openServer(page, "win-4096", { pollSeconds: 30 });
    await loadKey(page, pairNamed(s.keyName).downloads.find((d) => !d.passphrase));
    await getPassword(page);
    await w(page, "#clear").click();
    await w(page, "#confirm").waitFor({ state: "visible" });
    await shot(page, `${lang}-clear-confirm`);
    await axe(page, `${lang} clear confirmation`);
    await w(page, "#confirm-cancel").click();
    assert.equal(await w(page, "#confirm").isVisible(), false);
    assert.equal(await page.evaluate(() => window.__events.some((e) => e.name === "ecs-password-cleared")), false);
    await w(page, "#clear").click();
    await w(page, "#confirm-ok").click();
    await page.waitForFunction((text) => document.querySelector("ecs-password").shadowRoot.getElementById("live").textContent === text, t(lang, "clear.done"));
    const cleared = await page.evaluate(() => window.__events.find((e) => e.name === "ecs-password-cleared"));
    assert.deepEqual(cleared.detail, { server: s.id, family: cleared.detail.family });
    // Cleared here: never again by itself (reset instead), said at once, without polling.
    await w(page, "#get").click();
    assert.equal(await alertCode(page), "PASSWORD_NOT_AVAILABLE");
    assert.ok((await w(page, "#alert").textContent()).includes(t(lang, "get.never.cleared")));
    assert.equal(await w(page, "#wait").isVisible(), false, "no countdown for a cleared password");
    await shot(page, `${lang}-cleared-never`);
    await resetEmulator();
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test(`${lang}: reset with the generator and live rule feedback, only where the reset flag allows`, async () => {
    await resetEmulator();
    const page = await openPage(lang);
    await signInDemo(page, "admin");
    await openServer(page, "win-booting");
    await w(page, "#reset-note").waitFor({ state: "visible" });
    assert.equal(await w(page, "#reset-note").textContent(), t(lang, "reset.unsupported"));
    assert.equal(await w(page, "#reset-form").isVisible(), false);

    const s = await openServer(page, "win-2048");
    await loadKey(page, pairNamed(s.keyName).downloads.find((d) => !d.passphrase));
    const before = await getPassword(page);
    await w(page, "#reset-form").waitFor({ state: "visible" });
    await w(page, "#new-password").fill("short");
    assert.ok(Number(await w(page, "#rules").getAttribute("data-broken")) > 0);
    assert.equal(await w(page, "#new-password").getAttribute("aria-invalid"), "true");
    // The core's broken rule, rendered from the catalogue in the widget's language.
    assert.equal(await w(page, '#rules li[data-rule="TOO_SHORT"]').textContent(), message(lang, "rules-too-short", { length: 5, min: 8 }));
    await shot(page, `${lang}-reset-rules`);
    await w(page, "#reset-submit").click();
    assert.equal(await w(page, "#confirm").isVisible(), false, "a password breaking the rules is not sent");
    await w(page, "#generate").click();
    assert.equal(await w(page, "#rules").getAttribute("data-broken"), "0");
    assert.equal(await w(page, "#rules").textContent(), t(lang, "reset.ok"));
    const generated = await w(page, "#new-password").inputValue();
    assert.ok(generated.length >= 12);
    await axe(page, `${lang} reset form`);
    await w(page, "#reset-submit").click();
    await w(page, "#confirm-ok").click();
    await page.waitForFunction((text) => document.querySelector("ecs-password").shadowRoot.getElementById("live").textContent === text, t(lang, "reset.done"));
    assert.equal(await w(page, "#new-password").inputValue(), "");
    const event = await page.evaluate(() => window.__events.find((e) => e.name === "ecs-password-reset"));
    assert.equal(event.detail.server, s.id);
    assert.ok(!JSON.stringify(event).includes(generated));
    await shot(page, `${lang}-reset-done`);
    // Like the real cloud, the guest posts nothing new: the stored ciphertext is the old one.
    assert.equal(await getPassword(page), before);
    await resetEmulator();
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test(`${lang}: the embedded example gets and clears with credentials set by the host, and hears the events`, async () => {
    await resetEmulator();
    const page = await openPage(lang, "/embed-example.html");
    if (lang === "zh") await page.evaluate(() => document.getElementById("ecs").setAttribute("lang", "zh"));
    const s = serverNamed("win-2048");
    await page.selectOption("#server", s.id);
    await page.waitForFunction(() => document.querySelector("ecs-password").shadowRoot.querySelector(".ecs").dataset.ready === "ready");
    assert.equal(await page.evaluate(() => document.querySelector("ecs-password").getAttributeNames().some((n) => /token|cred|key|secret/i.test(n))), false);
    await page.waitForFunction((text) => document.querySelector("ecs-password").shadowRoot.getElementById("get").textContent === text, t(lang, "get.button"));
    await loadKey(page, pairNamed(s.keyName).downloads.find((d) => !d.passphrase));
    const password = await getPassword(page);
    // The host's theme reaches inside the widget through custom properties.
    const accent = await w(page, "#get").evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(accent, "rgb(122, 62, 0)");
    await w(page, "#clear").click();
    await w(page, "#confirm-ok").click();
    await page.waitForSelector('#events li[data-event="ecs-password-cleared"]');
    const log = await page.textContent("#events");
    assert.match(log, /ecs-password-retrieved/);
    assert.ok(!log.includes(password), "an event carried the password");
    await shot(page, `${lang}-embedded`);
    await axe(page, `${lang} embedded example`);
    // Registering again is harmless.
    assert.equal(await page.evaluate(async () => {
      const { define, EcsPasswordElement } = await import("/ecs-password-widget.js");
      define();
      define("ecs-password");
      return customElements.get("ecs-password") === EcsPasswordElement;
    }), true);
    await resetEmulator();
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

for (const lang of ["en", "zh"]) {
  test(`${lang}: signing in by name with an MFA code: each step accessible, in the page's language`, async () => {
    const page = await openPage(lang);
    await page.locator("#signin-username").waitFor({ state: "visible" });
    await axe(page, `${lang} sign-in form`);
    const reader = principal("reader");
    await page.fill("#signin-username", "reader");
    await page.fill("#signin-password", reader.password);
    await page.click("#signin-submit");
    await page.locator("#mfa-code").waitFor({ state: "visible" });
    assert.equal(await page.textContent("#signin-status"), t(lang, "signin.mfa.asked"));
    await shot(page, `${lang}-signin-mfa`);
    await axe(page, `${lang} MFA step`);
    // The demo panel's code comes from the page's own TOTP (WebCrypto); the emulator checks it.
    const shown = await page.textContent('output.demo-totp[data-user="reader"]');
    await page.fill("#mfa-code", /\d{6}/.exec(shown ?? "")?.[0] ?? "");
    await page.click("#signin-submit");
    await page.waitForFunction(() => document.getElementById("server-select").options.length > 1);
    assert.equal(await page.textContent("#signed-in-text"), t(lang, "signin.signedIn", { who: "reader", project: demo.project.name }));
    assert.equal(await page.isVisible("#project-select"), true, "the project list");
    await shot(page, `${lang}-signed-in-by-name`);
    await axe(page, `${lang} signed in by name`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test("en: sign in with a token or AK/SK typed into the form; permissions unknown, the cloud decides", async () => {
  const page = await openPage("en");
  await signInWithToken(page);
  assert.equal(await page.inputValue("#token"), "", "the token stays in the form");
  const s = await openServer(page, "win-4096");
  assert.equal(await w(page, "#access-list li").getAttribute("data-decision"), "unknown");
  assert.equal(await w(page, "#access-list li").textContent(), en["access.unknown"]);
  await loadKey(page, pairNamed(s.keyName).downloads.find((d) => !d.passphrase));
  await getPassword(page);
  await page.click("#signout");

  const admin = principal("admin");
  await page.check('input[name="method"][value="aksk"]');
  await page.fill("#ak", admin.accessKey);
  await page.fill("#sk", admin.secretKey);
  await page.click("#signin-submit");
  await page.waitForFunction(() => document.getElementById("server-select").options.length > 1);
  assert.equal(await page.inputValue("#sk"), "");
  await openServer(page, "win-4096");
  assert.equal(await w(page, "#alert").isVisible(), false);
  await loadKey(page, pairNamed(s.keyName).downloads.find((d) => !d.passphrase));
  await getPassword(page);
  assert.deepEqual(page.errors, []);
  await page.close();
});

for (const lang of ["en", "zh"]) {
  test(`${lang}: a flow without an error fetches no messages; the first error fetches them and shows its own words`, async () => {
    const page = await contexts[lang].newPage();
    // No cache: every fetch is seen (a cached catalogue would hide one).
    const cdp = await contexts[lang].newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    const fetched = [];
    page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
    page.errors = [];
    page.on("pageerror", (e) => page.errors.push(String(e)));
    await page.goto(`${base}/`);
    // Signed in with a token: no grants, so no explanations (they are messages too).
    await signInWithToken(page);
    const s = await openServer(page, "win-2048");
    const keyPair = pairNamed(s.keyName);
    await loadKey(page, keyPair.downloads.find((d) => !d.passphrase));
    await getPassword(page);
    const isMessages = (path) => path.endsWith(".ftl") || path.startsWith("/pkg/fluent/");
    assert.ok(fetched.includes("/pkg/cloud/ecs_password_cloud_bg.wasm"), "the page's fetches are seen");
    assert.deepEqual(fetched.filter(isMessages), [], "no catalogue and no renderer in a flow without an error");

    // The first error is shown only with its words.
    await wrongPassphrase(page, lang, keyPair.downloads.find((d) => d.passphrase));
    for (const path of ["/pkg/fluent/index.js", `/pkg/locales/${lang}/ecs-password.ftl`, "/pkg/locales/en/ecs-password.ftl"]) {
      assert.ok(fetched.includes(path), `${path} fetched on the first error`);
    }
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test("en: an enterprise-project user, and the OpenStack Nova family with Keystone roles", async () => {
  await resetEmulator();
  const page = await openPage("en");
  await signInDemo(page, "finance");
  const finance = serverNamed("win-2048");
  assert.notEqual(finance.enterpriseProjectId, "0", "win-2048 is in an enterprise project");
  await openServer(page, "win-2048");
  assert.equal(await w(page, '#access-list li[data-operation="get"]').getAttribute("data-decision"), "allow");
  assert.match(await w(page, "#family-note").textContent(), /v1/, "enterprise projects are only on v1");
  await loadKey(page, pairNamed(finance.keyName).downloads.find((d) => !d.passphrase));
  await getPassword(page);
  await openServer(page, "win-4096");
  assert.equal(await w(page, '#access-list li[data-operation="get"]').getAttribute("data-decision"), "deny");
  await page.click("#signout");

  await signInDemo(page, "admin", "nova");
  const s = await openServer(page, "win-2048");
  assert.equal(await w(page, '#access-list li[data-operation="get"]').getAttribute("data-decision"), "allow");
  assert.match(await w(page, "#family-note").textContent(), /nova/);
  assert.equal(await w(page, "#reset-section").isVisible(), false, "Nova has no reset");
  await loadKey(page, pairNamed(s.keyName).downloads.find((d) => !d.passphrase));
  assert.equal(await getPassword(page), await cliPassword(s.id, pairNamed(s.keyName).downloads.find((d) => !d.passphrase).href, null));
  await shot(page, "en-nova");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("en: keyboard only, with focus managed and status announced; copy clears the clipboard after 30 s", async () => {
  const page = await contexts.en.newPage();
  page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  await page.clock.install();
  await page.goto(`${base}/`);
  await page.waitForSelector('button[data-principal="admin"]');
  const active = () => page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el ? `${el.tagName.toLowerCase()}#${el.id}${el.dataset?.principal ? `[${el.dataset.principal}]` : ""}` : "";
  });
  async function tabTo(target, limit = 60) {
    for (let i = 0; i < limit; i++) {
      if ((await active()) === target) return;
      await page.keyboard.press("Tab");
    }
    assert.fail(`Tab never reached ${target} (at ${await active()})`);
  }
  await tabTo("button#[admin]");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.getElementById("server-select").options.length > 1);
  await tabTo("select#server-select");
  const s = serverNamed("win-2048");
  const index = await page.evaluate((id) => [...document.getElementById("server-select").options].findIndex((o) => o.value === id), s.id);
  for (let i = 0; i < index; i++) await page.keyboard.press("ArrowDown");
  await page.waitForFunction(() => document.querySelector("ecs-password").shadowRoot.querySelector(".ecs").dataset.ready === "ready");
  await tabTo("textarea#key-text");
  const download = pairNamed(s.keyName).downloads.find((d) => !d.passphrase && /BEGIN/.test(keyFiles.get(d.href).toString("latin1")));
  await page.keyboard.insertText(keyFiles.get(download.href).toString("utf8"));
  await page.keyboard.press("Tab");
  assert.equal(await active(), "button#use-pasted");
  await page.keyboard.press("Enter");
  await w(page, "#key-facts").waitFor({ state: "visible" });
  assert.equal(await active(), "button#get", "focus moves to Get password");
  assert.equal(await w(page, "#live").textContent(), en["key.loaded"]);
  await page.keyboard.press("Enter");
  await w(page, "#result").waitFor({ state: "visible" });
  assert.equal(await active(), "button#reveal", "focus moves to Show");
  assert.equal(await w(page, "#live").textContent(), en["get.done"]);
  await page.keyboard.press("Enter");
  const password = (await w(page, "#password").textContent()).trim();
  passwords.add(password);
  await page.keyboard.press("Tab");
  assert.equal(await active(), "button#copy");
  await page.keyboard.press("Enter");
  await page.waitForFunction((text) => document.querySelector("ecs-password").shadowRoot.getElementById("live").textContent === text, en["result.copied"]);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), password);
  await page.clock.fastForward(31_000);
  await page.waitForFunction(async () => (await navigator.clipboard.readText()) === "");
  await tabTo("button#clear");
  await page.keyboard.press("Enter");
  await w(page, "#confirm").waitFor({ state: "visible" });
  assert.equal(await active(), "button#confirm-cancel", "the dialog opens on Cancel");
  await page.keyboard.press("Escape");
  assert.equal(await w(page, "#confirm").isVisible(), false);
  assert.equal(await active(), "button#clear", "focus returns to the opener");
  await tabTo("button#close");
  await page.keyboard.press("Enter");
  assert.equal(await w(page, "#result").isVisible(), false);
  assert.equal(await w(page, "#key-facts").isVisible(), false);
  assert.ok(!(await pageText(page)).includes(password));
  await page.close();
});

// ---- keys the cloud holds (KPS) ------------------------------------------------------------------

/** Records every fetch the page's own thread makes (init scripts run in pages, not in workers). */
const RECORD_PAGE_FETCHES = () => {
  window.__pageFetches = [];
  const original = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    window.__pageFetches.push(`${init?.method ?? input?.method ?? "GET"} ${new URL(url, location.href).pathname}`);
    return original.apply(this, [input, init]);
  };
};

const EXPORT_PATH = `/kms/v3/${"0605767f5a80d5762fc1c000cf2b3f95"}/keypairs/private-key/export`;

/**
 * Lines of the hosted key's PEM that hold only private material: past the modulus and the public
 * exponent (the first lines), into the private exponent, the primes and the CRT values.
 */
const hostedKeyLines = () => {
  const pem = keyFiles.get("/demo/keys/rsa4096.pkcs1.pem").toString("latin1").split(/\r?\n/).filter((l) => /^[A-Za-z0-9+/=]{60,}$/.test(l));
  return pem.slice(20).map((l) => l.slice(0, 32));
};

/** Every answer of this page and its worker that carries private lines of the hosted key. */
function recordKeyAnswers(lang) {
  const seen = [];
  const exports = [];
  const lines = hostedKeyLines();
  assert.ok(lines.length > 20, "private lines of the hosted key");
  const onResponse = async (response) => {
    const request = response.request();
    const path = new URL(response.url()).pathname;
    if (path === EXPORT_PATH) exports.push({ status: response.status() });
    let body = "";
    try { body = (await response.body()).toString("latin1"); } catch { return; }
    if (path.startsWith("/demo/keys/")) return; // the test's own downloads
    if (lines.some((needle) => body.includes(needle) || body.includes(needle.replace(/\//g, "\\/")))) seen.push(`${request.method()} ${path}`);
  };
  contexts[lang].on("response", onResponse);
  return { seen, exports, stop: () => contexts[lang].off("response", onResponse) };
}

/**
 * The requests the page's own target sends, as Chromium's DevTools protocol sees them: a dedicated
 * worker is a target of its own (PlzDedicatedWorker), so its fetches are not among them.
 */
async function pageTargetRequests(lang, page) {
  const cdp = await contexts[lang].newCDPSession(page);
  const sent = [];
  cdp.on("Network.requestWillBeSent", (e) => sent.push(`${e.request.method} ${new URL(e.request.url).pathname}`));
  await cdp.send("Network.enable");
  return sent;
}

test("en: keys the cloud holds: the admin gets win-4096's password with the hosted key and no key file; the key arrives only in the worker's fetch", async () => {
  await resetEmulator();
  const audit = recordKeyAnswers("en");
  const page = await openPage("en", "/", RECORD_PAGE_FETCHES);
  const pageSent = await pageTargetRequests("en", page);
  await signInDemo(page, "admin");
  const s = await openServer(page, "win-4096");
  await w(page, "#hosted").waitFor({ state: "visible" });
  assert.equal(await w(page, "#hosted-access").getAttribute("data-decision"), "allow");
  const offer = await w(page, "#hosted").textContent();
  assert.match(offer, /demo-rsa4096/);
  assert.match(offer, /kps:domainKeypairs:exportpk, kms:cmk:decryptDataKey/, "the permission it needs is said first");
  assert.equal(await w(page, "#key-facts").isVisible(), false, "no key file was given");
  assert.equal(audit.exports.length, 0, "nothing is exported before the user confirms");
  await shot(page, "en-hosted-offer");
  await axe(page, "en hosted key offered");

  await w(page, "#use-hosted").click();
  await w(page, "#confirm").waitFor({ state: "visible" });
  assert.match(await w(page, "#confirm-text").textContent(), /exported from the Key Pair Service once.*decryption worker/);
  assert.equal(await w(page, "#confirm-cancel").evaluate((el) => el === el.getRootNode().activeElement), true, "the dialog opens on Cancel");
  await shot(page, "en-hosted-confirm");
  await axe(page, "en hosted key confirmation");
  await w(page, "#confirm-ok").click();
  await w(page, "#result").waitFor({ state: "visible", timeout: 120_000 });
  assert.equal(await w(page, "#live").textContent(), en["hosted.done"]);
  assert.equal(await w(page, "#key-facts").isVisible(), false, "the hosted key is forgotten once the password is decrypted");
  await w(page, "#reveal").click();
  const password = (await w(page, "#password").textContent()).trim();
  passwords.add(password);
  const rsa4096 = pairNamed(s.keyName).downloads.find((d) => d.file === "rsa4096.pkcs1.pem");
  assert.equal(password, await cliPassword(s.id, rsa4096.href, null), "the CLI with the key file gets the same password");
  await w(page, "#reveal").click();
  await shot(page, "en-hosted-done");
  const events = await page.evaluate(() => window.__events);
  assert.ok(events.some((e) => e.name === "ecs-password-retrieved"));

  // The audit: exactly one export, sent by the worker (not by the page's thread), and no other
  // answer of the page or its worker carried the private key; nor does the page's DOM.
  await page.waitForTimeout(200);
  audit.stop();
  assert.deepEqual(audit.exports, [{ status: 200 }], "one export");
  assert.ok(pageSent.some((r) => r.startsWith("GET /kms/v3/")), "the page's target read the key pair's details");
  assert.ok(!pageSent.some((r) => r.endsWith("/private-key/export")), `the page's target sent the export: ${pageSent}`);
  const pageFetches = await page.evaluate(() => window.__pageFetches);
  assert.ok(pageFetches.some((f) => f.includes("/kms/v3/")), "the page's thread read the key pair's details from KPS");
  assert.ok(!pageFetches.some((f) => f.endsWith("/private-key/export")), `the page's thread fetched the export: ${pageFetches}`);
  assert.deepEqual(audit.seen, [`POST ${EXPORT_PATH}`], "the private key arrived only in the export's answer");
  const text = await pageText(page);
  for (const needle of hostedKeyLines()) assert.ok(!text.includes(needle), "the page holds a line of the hosted key");
  for (const [needle, source] of needles) if (source.startsWith("a line of")) assert.ok(!text.includes(needle), `the page holds ${source}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("zh: keys the cloud holds: the reader sees the refusal explained before any export; without grants the cloud's refusal names the actions", async () => {
  await resetEmulator();
  const audit = recordKeyAnswers("zh");
  const page = await openPage("zh");
  await signInDemo(page, "reader");
  await openServer(page, "win-4096");
  await w(page, "#hosted").waitFor({ state: "visible" });
  assert.equal(await w(page, "#hosted-access").getAttribute("data-decision"), "deny");
  const why = await w(page, "#hosted-access").textContent();
  assert.match(why, /kps:domainKeypairs:exportpk/);
  assert.match(why, /拒绝：导出密钥对“demo-rsa4096”的托管私钥需要/, why);
  assert.equal(await w(page, "#use-hosted").isVisible(), false, "a denied export is not offered");
  await shot(page, "zh-hosted-denied");
  await axe(page, "zh hosted key denied");
  assert.equal(audit.exports.length, 0, "no export was attempted");

  // The same reader without grants given to the widget: the cloud decides, and refuses.
  await page.evaluate(() => { document.querySelector("ecs-password").grants = null; });
  await page.waitForFunction(() => document.querySelector("ecs-password").shadowRoot.querySelector(".ecs").dataset.ready === "ready");
  await w(page, "#hosted").waitFor({ state: "visible" });
  assert.equal(await w(page, "#hosted-access").getAttribute("data-decision"), "unknown");
  await w(page, "#use-hosted").click();
  await w(page, "#confirm-ok").click();
  assert.equal(await alertCode(page), "FORBIDDEN");
  const alert = await w(page, "#alert").textContent();
  assert.match(alert, /密钥对管理服务拒绝导出私钥.*kps:domainKeypairs:exportpk, kms:cmk:decryptDataKey/);
  assert.match(alert, /Pdp\.0001/);
  assert.equal(await w(page, "#key-facts").isVisible(), false);
  await page.waitForTimeout(200);
  audit.stop();
  assert.deepEqual(audit.exports, [{ status: 403 }]);
  assert.deepEqual(audit.seen, [], "no answer carried the private key");
  const events = await page.evaluate(() => window.__events);
  assert.ok(events.some((e) => e.name === "ecs-password-error" && e.detail.code === "FORBIDDEN" && e.detail.operation === "export"));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("audit: no request carried key material, a passphrase or a password; nothing secret stored or logged", async () => {
  assert.ok(requests.length > 50, `${requests.length} requests recorded`);
  assert.ok(requests.some((r) => new URL(r.url).pathname === "/decrypt-worker.js"), "the worker's own requests are recorded");
  for (const p of passwords) needles.set(p, "a decrypted password");
  for (const pr of demo.principals) needles.set(pr.secretKey, `the secret key of ${pr.name}`);
  assert.ok(needles.size > 20);
  for (const r of requests) {
    assert.equal(new URL(r.url).origin, new URL(base).origin, `a request left the origin: ${r.url}`);
    let decoded = r.url;
    try { decoded = decodeURIComponent(r.url); } catch { /* keep it raw */ }
    const haystack = [r.url, decoded, ...Object.entries(r.headers).flat(), r.body ?? ""].join("\n");
    for (const [needle, source] of needles) {
      assert.ok(!haystack.includes(needle), `${r.method} ${r.url} carries ${source}`);
    }
  }
  for (const line of consoleLines) {
    for (const [needle, source] of needles) assert.ok(!line.includes(needle), `the console showed ${source}`);
    for (const pr of demo.principals) assert.ok(!line.includes(pr.token), "the console showed a token");
  }
  for (const lang of ["en", "zh"]) {
    const page = await openPage(lang);
    await signInDemo(page, "admin");
    const stored = await page.evaluate(async () => ({
      local: localStorage.length, session: sessionStorage.length, cookie: document.cookie,
      idb: (await indexedDB.databases()).length, url: location.href,
    }));
    assert.deepEqual(stored, { local: 0, session: 0, cookie: "", idb: 0, url: `${base}/` });
    const cookies = await contexts[lang].cookies();
    assert.deepEqual(cookies, []);
    await page.close();
  }
});
