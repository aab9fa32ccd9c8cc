// @ts-nocheck -- callbacks evaluated in the page, on untyped DOM (see tsconfig.json); ESLint checks this file.
/* global $q -- the page-side element finder that drivers.mjs injects into every evaluated script */
// The end-to-end flows of the page and the widget, written once against the driver interface of
// drivers.mjs and run in Chromium, Firefox ESR and WebKit (e2e.mjs): sign-in (demo, token, AK/SK),
// every demo key format by file and by paste, a wrong key, a wrong then right passphrase, a
// password not posted yet, get, clear, reset, the offline page, the embedded example and keyboard
// use; then the key audit over every request the recording proxy saw, and the storage checks.
// The Chromium-only extras (screenshots, axe, Chinese, clipboard) stay in widget-e2e.test.mjs.
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import en from "../../../www/i18n/en.js";
import { message } from "../messages.mjs";
import { readText, PASSWORD } from "../fixtures.mjs";

const W = (selector) => `ecs-password >>> ${selector}`;
const sha256 = (text) => createHash("sha256").update(text).digest("hex");

/** The current RFC 6238 code of a base32 secret (Node's HMAC: independent of the page's). */
function totp(secret, now = Date.now()) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bits = [...secret.replace(/=+$/, "")].map((ch) => alphabet.indexOf(ch).toString(2).padStart(5, "0")).join("");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 30000)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/** What every flow shares: the driver, the recorded requests and the demo (GET /demo). */
/** `base` is what the browser opens (the recorder); the test's own requests go to `serve` directly. */
export async function context(driver, base, serve) {
  const demo = await (await fetch(`${serve.url}/demo`)).json();
  const keyFiles = new Map();
  for (const pair of demo.keyPairs) {
    for (const d of pair.downloads) keyFiles.set(d.href, Buffer.from(await (await fetch(new URL(d.href, serve.url))).arrayBuffer()));
  }
  const control = serve.control;
  return { driver, base, control, demo, keyFiles, passwords: new Set(), errors: [] };
}

// ---- page-side reads, the same in every engine ----------------------------------------------------

const text = (c, s) => c.driver.evaluate((sel) => $q(sel)?.textContent ?? null, s);
const attr = (c, s, name) => c.driver.evaluate((sel, n) => $q(sel)?.getAttribute(n) ?? null, s, name);
const value = (c, s) => c.driver.evaluate((sel) => $q(sel)?.value ?? null, s);
const visible = (c, s) => c.driver.evaluate((sel) => {
  const el = $q(sel);
  return !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
}, s);
/** The focused element inside shadow roots, as "tag#id". */
const focused = (c) => c.driver.evaluate(() => {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el ? `${el.tagName.toLowerCase()}#${el.id}${el.dataset?.principal ? `[${el.dataset.principal}]` : ""}` : "";
});

/** Polls `fn(...args)` in the page until it is truthy. */
async function until(c, what, fn, args = [], timeout = 30_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const got = await c.driver.evaluate(fn, ...args);
    if (got) return got;
    if (Date.now() > end) assert.fail(`${c.driver.name}: timed out after ${timeout} ms waiting for ${what}`);
    await sleep(50);
  }
}
const untilVisible = (c, s, timeout) => until(c, `${s} visible`, (sel) => {
  const el = $q(sel);
  return !!el && el.getClientRects().length > 0;
}, [s], timeout);
const untilHidden = (c, s, timeout) => until(c, `${s} hidden`, (sel) => {
  const el = $q(sel);
  return !el || el.getClientRects().length === 0;
}, [s], timeout);
const untilText = (c, s, expected, timeout) => until(c, `${s} to say ${expected}`, (sel, t) => $q(sel)?.textContent === t, [s, expected], timeout);
const untilReady = (c) => until(c, "the widget ready", () => ["ready", "error"].includes($q("ecs-password >>> .ecs")?.dataset.ready));

async function click(c, s) {
  await untilVisible(c, s);
  await c.driver.click(s);
}

// ---- steps ---------------------------------------------------------------------------------------

const serverNamed = (c, name) => c.demo.servers.find((x) => x.name === name) ?? assert.fail(`demo server ${name}`);
const pairNamed = (c, name) => c.demo.keyPairs.find((p) => p.name === name);
const principal = (c, name) => c.demo.principals.find((p) => p.name === name);
const plainKey = (c, server) => pairNamed(c, server.keyName).downloads.find((d) => !d.passphrase && /BEGIN/.test(c.keyFiles.get(d.href).toString("latin1")));

async function resetEmulator(c) {
  const r = await c.control("reset", { method: "POST" });
  assert.ok(r.ok, `POST /_emulator/reset: ${r.status}`);
}

/** The emulated server's state: posted ("pending", "posted", "cleared"), passwordSha256. */
async function serverState(c, serverId) {
  const state = await (await c.control("state")).json();
  return state.servers.find((s) => s.id === serverId);
}
/** The guest's password, by its SHA-256 (the emulator's state is the oracle). */
const postedSha256 = async (c, serverId) => (await serverState(c, serverId)).passwordSha256;

async function openPage(c, path = "/") {
  await c.driver.goto(`${c.base}${path}`);
  await until(c, "the page loaded", () => document.readyState === "complete");
  await c.driver.evaluate(() => {
    window.__events = [];
    window.__violations = [];
    for (const name of ["ecs-password-retrieved", "ecs-password-cleared", "ecs-password-reset", "ecs-password-error"]) {
      document.addEventListener(name, (e) => window.__events.push({ name, detail: JSON.parse(JSON.stringify(e.detail)) }));
    }
    // A CSP the engine enforces differently shows here (in the page and, composed, from the widget).
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    window.addEventListener("error", (e) => window.__violations.push(`error: ${e.message}`));
    window.addEventListener("unhandledrejection", (e) => window.__violations.push(`rejection: ${e.reason}`));
  });
}

async function assertClean(c) {
  assert.deepEqual(await c.driver.evaluate(() => window.__violations), [], `${c.driver.name}: CSP violations or errors`);
}

async function signInDemo(c, who, family) {
  if (family) await c.driver.selectOption("#family", family);
  await click(c, `button[data-principal="${who}"]`);
  await until(c, "the server list", () => document.getElementById("server-select").options.length > 1);
}

async function openServer(c, name, { pollSeconds } = {}) {
  const s = serverNamed(c, name);
  if (pollSeconds) await c.driver.evaluate((n) => document.querySelector("ecs-password").setAttribute("poll-interval", n), String(pollSeconds));
  await c.driver.selectOption("#server-select", s.id);
  await untilReady(c);
  return s;
}

/** Loads a demo download by file input or paste, answers the passphrase prompt, returns the match. */
async function loadKey(c, download, how = "file", passphrase = download.passphrase) {
  if (await visible(c, W("#key-facts"))) {
    await click(c, W("#forget-key"));
    await untilHidden(c, W("#key-facts"));
  }
  const bytes = c.keyFiles.get(download.href);
  if (how === "paste") {
    await c.driver.fill(W("#key-text"), bytes.toString("utf8"));
    await click(c, W("#use-pasted"));
  } else {
    await c.driver.setFile(W("#key-file"), download.href.split("/").pop(), bytes);
  }
  if (passphrase) {
    await untilVisible(c, W("#passphrase-box"));
    assert.equal(await focused(c), "input#passphrase", "focus on the passphrase");
    await c.driver.fill(W("#passphrase"), passphrase);
    await click(c, W("#unlock"));
  }
  await untilVisible(c, W("#key-facts"), 60_000);
  assert.equal(await value(c, W("#key-file")), "", "the file input still holds the key");
  assert.equal(await value(c, W("#key-text")), "", "the key text is still in the page");
  assert.equal(await value(c, W("#passphrase")), "", "the passphrase is still in the page");
  return attr(c, W("#key-match"), "data-match");
}

/** Everything a page shows or holds in form fields, shadow roots included. */
const pageText = (c) => c.driver.evaluate(() => {
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

/** Gets the password, checks it leaves the DOM on Hide, returns it. */
async function getPassword(c) {
  await click(c, W("#get"));
  await untilVisible(c, W("#result"), 120_000);
  assert.equal(await focused(c), "button#reveal", "focus on Show");
  await click(c, W("#reveal"));
  const password = (await text(c, W("#password"))).trim();
  assert.ok(password.length >= 8, `a password: ${password.length} characters`);
  c.passwords.add(password);
  await click(c, W("#reveal"));
  assert.ok(!(await pageText(c)).includes(password), "the password stays in the DOM after Hide");
  return password;
}

const alertCode = async (c, code) => until(c, `alert ${code}`, (sel, want) => $q(sel)?.dataset.code === want, [W("#alert"), code], 60_000);

// ---- the flows -------------------------------------------------------------------------------------

/** [name, async (c) => {...}] in the order they run. */
/** @type {Array<[string, (c: any) => Promise<void>]>} */
export const flows = [
  ["the offline page decrypts a pasted key and ciphertext under the server's CSP", async (c) => {
    await openPage(c, "/decrypt.html");
    await c.driver.fill("#key-text", readText("rsa4096.pkcs8.pem"));
    await c.driver.fill("#ciphertext", readText("rsa4096.ciphertext.b64"));
    await click(c, "#decrypt");
    await untilVisible(c, "#result", 60_000);
    await click(c, "#reveal");
    assert.equal(await text(c, "#password"), PASSWORD);
    await assertClean(c);
  }],

  ["demo sign-in, then every demo key format by file and every text format by paste", async (c) => {
    await resetEmulator(c);
    await openPage(c);
    assert.equal(await c.driver.evaluate(() => document.documentElement.lang), "en");
    assert.equal(await text(c, "h1"), en["page.heading"]);
    await signInDemo(c, "admin");
    let formats = 0;
    for (const name of ["win-2048", "win-4096"]) {
      const s = await openServer(c, name);
      const expected = await postedSha256(c, s.id);
      for (const download of pairNamed(c, s.keyName).downloads) {
        const textual = /BEGIN|PuTTY|OPENSSH/.test(c.keyFiles.get(download.href).toString("latin1"));
        for (const how of textual ? ["file", "paste"] : ["file"]) {
          assert.equal(await loadKey(c, download, how), "match", `${download.format} by ${how}`);
          assert.match(await text(c, W("#key-summary")), new RegExp(String(pairNamed(c, s.keyName).bits)));
          assert.equal(sha256(await getPassword(c)), expected, `${download.format} by ${how}: the posted password`);
          formats++;
        }
      }
    }
    assert.ok(formats >= 20, `${formats} key loads`);
    assert.ok((await c.driver.evaluate(() => window.__events)).some((e) => e.name === "ecs-password-retrieved"));
    await assertClean(c);
  }],

  ["a wrong key is named before decrypting, and a wrong passphrase is told apart", async (c) => {
    await openPage(c);
    await signInDemo(c, "admin");
    const s = await openServer(c, "win-2048");
    assert.equal(await loadKey(c, pairNamed(c, "unrelated").downloads[0], "paste"), "mismatch");
    await alertCode(c, "WRONG_KEY");
    assert.equal(await c.driver.evaluate((sel) => $q(sel).disabled, W("#get")), true);
    assert.ok((await text(c, W("#alert-text"))).includes(s.keyName));
    await click(c, W("#forget-key"));
    const encrypted = pairNamed(c, s.keyName).downloads.find((d) => d.passphrase);
    await c.driver.setFile(W("#key-file"), "key", c.keyFiles.get(encrypted.href));
    await untilVisible(c, W("#passphrase-box"));
    await c.driver.fill(W("#passphrase"), "not the passphrase");
    await click(c, W("#unlock"));
    await alertCode(c, "WRONG_PASSPHRASE");
    const formats = ["encrypted PKCS#8 PEM", "OpenSSL encrypted PEM", "OpenSSH", "PuTTY .ppk (version 2)", "PuTTY .ppk (version 3)"];
    const wrongPassphrase = await text(c, W("#alert-text"));
    assert.ok(formats.some((format) => wrongPassphrase === message("en", "key-wrong-passphrase", { format })), wrongPassphrase);
    assert.equal(await focused(c), "input#passphrase", "focus back on the passphrase");
    await c.driver.fill(W("#passphrase"), encrypted.passphrase);
    await click(c, W("#unlock"));
    await untilVisible(c, W("#key-facts"), 60_000);
    assert.equal(await visible(c, W("#alert")), false);
    assert.equal(await attr(c, W("#key-match"), "data-match"), "match");
    await assertClean(c);
  }],

  ["not posted yet: countdown, cancel, then the password once the guest posts it", async (c) => {
    await resetEmulator(c);
    const booting = serverNamed(c, "win-booting");
    await openPage(c);
    await signInDemo(c, "admin");
    await openServer(c, "win-booting", { pollSeconds: 1 });
    assert.equal(await loadKey(c, plainKey(c, booting)), "match");
    await click(c, W("#get"));
    await untilVisible(c, W("#wait"));
    assert.equal(await focused(c), "button#cancel", "focus on Stop waiting");
    assert.match(await text(c, W("#wait-text")), /not posted its password yet.*in \d+ s/);
    await click(c, W("#cancel"));
    await untilHidden(c, W("#wait"));
    assert.equal(await text(c, W("#live")), en["get.cancelled"]);
    await click(c, W("#get"));
    await untilVisible(c, W("#wait"));
    assert.equal((await c.control(`servers/${booting.id}/post`, { method: "POST" })).status, 204);
    assert.equal(sha256(await getPassword(c)), await postedSha256(c, booting.id));
    await assertClean(c);
  }],

  ["sign in by user name and password, and with an MFA code when asked; no token or project id typed", async (c) => {
    await resetEmulator(c);
    await openPage(c);
    await untilVisible(c, "#password-fields");
    // The demo fills in the identity service and the account once /demo answers: the user types what they know.
    await until(c, "the demo's identity service", () => document.getElementById("auth-url").value !== "");
    assert.match(await value(c, "#auth-url"), /\/identity$/);
    const admin = principal(c, "admin");
    await c.driver.fill("#signin-username", "admin");
    await c.driver.fill("#signin-password", admin.password);
    await click(c, "#signin-submit");
    await until(c, "the server list", () => document.getElementById("server-select").options.length > 1);
    assert.equal(await value(c, "#signin-password"), "", "the password stays in the form");
    assert.match(await text(c, "#signed-in-text"), new RegExp(c.demo.project.name));
    assert.deepEqual(await c.driver.evaluate(() => [...document.getElementById("project-select").options].map((o) => o.text)), [c.demo.project.name]);
    const s = await openServer(c, "win-2048");
    assert.match(await text(c, W("#family-note")), /nova/, "the catalog's compute endpoint: Nova");
    assert.equal(await attr(c, W('#access-list li[data-operation="get"]'), "data-decision"), "allow", "the token's roles feed Nova's check");
    await loadKey(c, plainKey(c, s));
    assert.equal(sha256(await getPassword(c)), await postedSha256(c, s.id));
    await click(c, "#signout");

    // A user with a virtual MFA device: the password is accepted, then the code is asked for.
    const reader = principal(c, "reader");
    await c.driver.fill("#signin-username", "reader");
    await c.driver.fill("#signin-password", "not-the-password");
    await click(c, "#signin-submit");
    await until(c, "the sign-in error", () => document.getElementById("signin-error").dataset.code === "AUTH_FAILED");
    assert.equal(await value(c, "#signin-username"), "reader", "the user name stays after an error");
    await c.driver.fill("#signin-password", reader.password);
    await click(c, "#signin-submit");
    await untilVisible(c, "#mfa-code");
    assert.equal(await focused(c), "input#mfa-code", "focus on the code");
    await c.driver.fill("#mfa-code", totp(reader.totpSecret));
    await click(c, "#signin-submit");
    await until(c, "the server list", () => document.getElementById("server-select").options.length > 1);
    const r = await openServer(c, "win-4096");
    assert.equal(await attr(c, W('#access-list li[data-operation="get"]'), "data-decision"), "allow");
    assert.equal(await attr(c, W('#access-list li[data-operation="clear"]'), "data-decision"), "deny", "a reader may not clear");
    await loadKey(c, plainKey(c, r));
    assert.equal(sha256(await getPassword(c)), await postedSha256(c, r.id));
    await click(c, "#signout");
    await assertClean(c);
  }],

  ["sign in with a token and with AK/SK typed into the form; clear with confirmation", async (c) => {
    await resetEmulator(c);
    await openPage(c);
    await c.driver.check('input[name="method"][value="token"]');
    await c.driver.fill("#token", principal(c, "admin").token);
    await c.driver.fill("#endpoint", c.base);
    await c.driver.fill("#project", c.demo.project.id);
    await click(c, "#signin-submit");
    await until(c, "the server list", () => document.getElementById("server-select").options.length > 1);
    assert.equal(await value(c, "#token"), "", "the token stays in the form");
    const s = await openServer(c, "win-4096");
    assert.equal(await attr(c, W("#access-list li"), "data-decision"), "unknown");
    await loadKey(c, plainKey(c, s));
    assert.equal(sha256(await getPassword(c)), await postedSha256(c, s.id));
    // After a password was shown, without a copy: signing out must not read the clipboard (WebKit
    // holds the click while its Paste prompt waits for a user who is not there; Firefox shows one).
    await c.driver.evaluate(() => {
      window.__clipboardReads = 0;
      navigator.clipboard.readText = async () => { window.__clipboardReads++; return ""; };
    });
    await click(c, "#signout");
    assert.equal(await c.driver.evaluate(() => window.__clipboardReads), 0, "signing out read the clipboard");

    const admin = principal(c, "admin");
    await c.driver.check('input[name="method"][value="aksk"]');
    await c.driver.fill("#ak", admin.accessKey);
    await c.driver.fill("#sk", admin.secretKey);
    await click(c, "#signin-submit");
    await until(c, "the server list", () => document.getElementById("server-select").options.length > 1);
    assert.equal(await value(c, "#sk"), "");
    await openServer(c, "win-4096", { pollSeconds: 30 });
    await loadKey(c, plainKey(c, s));
    await getPassword(c);
    await click(c, W("#clear"));
    await untilVisible(c, W("#confirm"));
    await click(c, W("#confirm-cancel"));
    await untilHidden(c, W("#confirm"));
    assert.equal(await c.driver.evaluate(() => window.__events.some((e) => e.name === "ecs-password-cleared")), false);
    await click(c, W("#clear"));
    await click(c, W("#confirm-ok"));
    await untilText(c, W("#live"), en["clear.done"]);
    const cleared = await c.driver.evaluate(() => window.__events.find((e) => e.name === "ecs-password-cleared"));
    assert.equal(cleared.detail.server, s.id);
    assert.equal((await serverState(c, s.id)).posted, "cleared", "the cloud holds no password any more");
    // Cleared here: the widget says it will never come by itself (reset instead), and does not poll.
    await click(c, W("#get"));
    await untilVisible(c, W("#alert"));
    assert.equal(await attr(c, W("#alert"), "data-code"), "PASSWORD_NOT_AVAILABLE");
    assert.match(await text(c, W("#alert")), new RegExp(en["get.never.cleared"].slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    assert.equal(await visible(c, W("#wait")), false, "no countdown for a cleared password");
    await resetEmulator(c);
    await assertClean(c);
  }],

  ["reset with the generator and live rule feedback", async (c) => {
    await resetEmulator(c);
    await openPage(c);
    await signInDemo(c, "admin");
    const s = await openServer(c, "win-2048");
    await loadKey(c, plainKey(c, s));
    const before = await getPassword(c);
    await untilVisible(c, W("#reset-form"));
    await c.driver.fill(W("#new-password"), "short");
    assert.ok(Number(await attr(c, W("#rules"), "data-broken")) > 0);
    assert.equal(await attr(c, W("#new-password"), "aria-invalid"), "true");
    await click(c, W("#reset-submit"));
    assert.equal(await visible(c, W("#confirm")), false, "a password breaking the rules is not sent");
    await click(c, W("#generate"));
    assert.equal(await attr(c, W("#rules"), "data-broken"), "0");
    const generated = await value(c, W("#new-password"));
    assert.ok(generated.length >= 12);
    await click(c, W("#reset-submit"));
    await click(c, W("#confirm-ok"));
    await untilText(c, W("#live"), en["reset.done"]);
    assert.equal(await value(c, W("#new-password")), "");
    const event = await c.driver.evaluate(() => window.__events.find((e) => e.name === "ecs-password-reset"));
    assert.equal(event.detail.server, s.id);
    assert.ok(!JSON.stringify(event).includes(generated));
    assert.equal(await getPassword(c), before, "the guest posts nothing new after a reset");
    await resetEmulator(c);
    await assertClean(c);
  }],

  ["the embedded example gets and clears with credentials set by the host", async (c) => {
    await resetEmulator(c);
    await openPage(c, "/embed-example.html");
    const s = serverNamed(c, "win-2048");
    await until(c, "the example's server list", (id) => [...document.getElementById("server").options].some((o) => o.value === id), [s.id]);
    await c.driver.selectOption("#server", s.id);
    await until(c, "the widget ready", () => $q("ecs-password >>> .ecs")?.dataset.ready === "ready");
    assert.equal(await c.driver.evaluate(() => document.querySelector("ecs-password").getAttributeNames().some((n) => /token|cred|key|secret/i.test(n))), false);
    await loadKey(c, plainKey(c, s));
    const password = await getPassword(c);
    assert.equal(await c.driver.evaluate((sel) => getComputedStyle($q(sel)).backgroundColor, W("#get")), "rgb(122, 62, 0)", "the host's theme");
    await click(c, W("#clear"));
    await click(c, W("#confirm-ok"));
    await until(c, "the cleared event in the log", () => !!document.querySelector('#events li[data-event="ecs-password-cleared"]'));
    const log = await text(c, "#events");
    assert.match(log, /ecs-password-retrieved/);
    assert.ok(!log.includes(password), "an event carried the password");
    await resetEmulator(c);
    await assertClean(c);
  }],

  ["keyboard only, with focus managed and status announced", async (c) => {
    await openPage(c);
    const press = (key) => c.driver.press(key);
    async function tabTo(target, limit = 60) {
      for (let i = 0; i < limit; i++) {
        if ((await focused(c)) === target) return;
        await press("Tab");
      }
      assert.fail(`Tab never reached ${target} (at ${await focused(c)})`);
    }
    await until(c, "the demo buttons", () => !!document.querySelector('button[data-principal="admin"]'));
    await tabTo("button#[admin]");
    await press("Enter");
    await until(c, "the server list", () => document.getElementById("server-select").options.length > 1);
    await tabTo("select#server-select");
    const s = serverNamed(c, "win-2048");
    const index = await c.driver.evaluate((id) => [...document.getElementById("server-select").options].findIndex((o) => o.value === id), s.id);
    for (let i = 0; i < index; i++) await press("ArrowDown");
    await untilReady(c);
    await tabTo("textarea#key-text");
    await c.driver.fill(W("#key-text"), c.keyFiles.get(plainKey(c, s).href).toString("utf8"));
    await press("Tab");
    assert.equal(await focused(c), "button#use-pasted");
    await press("Enter");
    await untilVisible(c, W("#key-facts"));
    assert.equal(await focused(c), "button#get", "focus moves to Get password");
    assert.equal(await text(c, W("#live")), en["key.loaded"]);
    await press("Enter");
    await untilVisible(c, W("#result"));
    assert.equal(await focused(c), "button#reveal", "focus moves to Show");
    assert.equal(await text(c, W("#live")), en["get.done"]);
    await press("Enter");
    const password = (await text(c, W("#password"))).trim();
    c.passwords.add(password);
    await tabTo("button#clear");
    await press("Enter");
    await untilVisible(c, W("#confirm"));
    assert.equal(await focused(c), "button#confirm-cancel", "the dialog opens on Cancel");
    await press("Escape");
    await untilHidden(c, W("#confirm"));
    assert.equal(await focused(c), "button#clear", "focus returns to the opener");
    await tabTo("button#close");
    await press("Enter");
    await untilHidden(c, W("#result"));
    assert.equal(await visible(c, W("#key-facts")), false);
    assert.ok(!(await pageText(c)).includes(password));
    await assertClean(c);
  }],
];

/** The key audit over every recorded request, and nothing stored: runs last. */
export async function audit(c, requests) {
  assert.ok(requests.length > 50, `${requests.length} requests recorded`);
  assert.ok(requests.some((r) => r.url === "/decrypt-worker.js"), "the worker was loaded through the recorder");
  assert.ok(requests.some((r) => r.method === "GET" && /os-server-password|\/password/.test(r.url)), "the password requests were recorded");
  const needles = new Map();
  for (const [href, bytes] of c.keyFiles) {
    const t = bytes.toString("latin1");
    if (/BEGIN|PuTTY-User-Key-File/.test(t)) {
      for (const line of t.split(/\r?\n/)) {
        const body = line.trim();
        if (/^[A-Za-z0-9+/=]{24,}$/.test(body)) needles.set(body.slice(0, 24), `a line of ${href}`);
      }
    } else {
      const b64 = bytes.toString("base64");
      for (let i = 0; i + 24 <= b64.length; i += 24) needles.set(b64.slice(i, i + 24), `DER base64 of ${href}`);
      needles.set(bytes.toString("hex").slice(0, 48), `DER hex of ${href}`);
    }
  }
  for (const pair of c.demo.keyPairs) {
    for (const d of pair.downloads.filter((x) => x.passphrase)) {
      needles.set(d.passphrase, "a key passphrase");
      needles.set(encodeURIComponent(d.passphrase), "a key passphrase");
    }
  }
  for (const p of c.passwords) needles.set(p, "a decrypted password");
  for (const pr of c.demo.principals) needles.set(pr.secretKey, `the secret key of ${pr.name}`);
  assert.ok(c.passwords.size >= 2 && needles.size > 20);
  for (const r of requests) {
    // Key downloads are the demo's own files, fetched by the test, never by the page.
    assert.ok(!r.url.startsWith("/demo/keys/"), `the page fetched a key file: ${r.url}`);
    let decoded = r.url;
    try { decoded = decodeURIComponent(r.url); } catch { /* keep it raw */ }
    const haystack = [r.url, decoded, ...Object.entries(r.headers).flat(), r.body].join("\n");
    for (const [needle, source] of needles) assert.ok(!haystack.includes(needle), `${r.method} ${r.url} carries ${source}`);
  }
  await openPage(c);
  await signInDemo(c, "admin");
  const stored = await c.driver.evaluate(async () => ({
    local: localStorage.length, session: sessionStorage.length, cookie: document.cookie,
    idb: typeof indexedDB.databases === "function" ? (await indexedDB.databases()).length : "no indexedDB.databases()",
    caches: typeof caches === "object" ? (await caches.keys()).length : 0,
    url: location.href,
  }));
  assert.deepEqual(stored, { local: 0, session: 0, cookie: "", idb: 0, caches: 0, url: `${c.base}/` });
}
