// The release build in headless Chromium: the wasm API on every fixture inside a real page, and
// the standalone page driven as a user would, under the page's CSP, with an audit of every
// request the page makes (no key material may leave it).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { startStaticServer } from "./static-server.mjs";
import { launchChromium } from "./chromium.mjs";
import { manifest, rsaKeys, read, readText, PASSPHRASE, PASSWORD } from "./fixtures.mjs";

const ARTIFACTS = new URL("../artifacts/", import.meta.url);
let server, browser;

before(async () => {
  server = await startStaticServer();
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh page that records console errors (CSP violations among them) and every request. */
async function openPage() {
  const page = await browser.newPage();
  const consoleErrors = [];
  const requests = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  page.on("request", (r) => requests.push({ url: r.url(), method: r.method(), body: r.postData() }));
  await page.goto(`${server.url}/decrypt.html`);
  await page.waitForFunction(() => document.readyState === "complete");
  return { page, consoleErrors, requests };
}

test("the wasm API decrypts every fixture inside Chromium", async () => {
  const { page, consoleErrors } = await openPage();
  const results = await page.evaluate(async (keys) => {
    const wasm = await import("/pkg/keys/ecs_password_keys.js");
    await wasm.default();
    const text = async (name) => (await fetch(`/fixtures/${name}`)).text();
    const passphrase = await text("passphrase.txt");
    const out = [];
    for (const key of keys) {
      const bytes = new Uint8Array(await (await fetch(`/fixtures/${key.file}`)).arrayBuffer());
      const ciphertext = await text(key.algorithm === "rsa" ? `rsa${key.bits ?? 2048}.ciphertext.b64` : "rsa2048.ciphertext.b64");
      try {
        out.push({ file: key.file, password: wasm.decryptPassword(bytes, ciphertext, key.encrypted ? passphrase : undefined), wiped: bytes.every((b) => b === 0) });
      } catch (e) {
        out.push({ file: key.file, code: e.code, name: e.name });
      }
    }
    return out;
  }, manifest.filter((k) => k.file.startsWith("rsa") || k.algorithm !== "rsa"));
  for (const r of results) {
    const key = manifest.find((k) => k.file === r.file);
    if (key.algorithm === "rsa") {
      assert.equal(r.password, PASSWORD, `${r.file}: ${r.code}`);
      assert.ok(r.wiped, `${r.file}: the key array was not wiped`);
    } else {
      assert.deepEqual([r.name, r.code], ["EcsPasswordError", "KEY_NOT_RSA"], r.file);
    }
  }
  assert.equal(results.filter((r) => r.password).length, rsaKeys.length);
  assert.deepEqual(consoleErrors, []);
  await page.close();
});

test("the page decrypts a passphrase-protected OpenSSH key and shows the password only on request", async () => {
  const { page, consoleErrors, requests } = await openPage();
  await page.setInputFiles("#key-file", { name: "id_rsa", mimeType: "application/octet-stream", buffer: read("rsa2048.openssh-aes256ctr") });
  await page.waitForFunction(() => document.getElementById("key-info").textContent.includes("passphrase"));
  await page.fill("#ciphertext", readText("rsa2048.ciphertext-wrapped.b64"));

  await page.click("#decrypt");
  await page.waitForSelector("#error:not([hidden])");
  assert.equal(await page.getAttribute("#error", "data-code"), "PASSPHRASE_REQUIRED");

  await page.fill("#passphrase", "wrong passphrase");
  await page.click("#decrypt");
  await page.waitForFunction(() => document.getElementById("error").dataset.code === "WRONG_PASSPHRASE");

  await page.fill("#passphrase", PASSPHRASE);
  await page.click("#decrypt");
  await page.waitForSelector("#result:not([hidden])");
  assert.ok(!(await page.content()).includes(PASSWORD), "the password is in the DOM before Show");
  await page.screenshot({ path: new URL("decrypt-page-hidden.png", ARTIFACTS).pathname });
  await page.click("#reveal");
  assert.equal(await page.textContent("#password"), PASSWORD);
  await page.screenshot({ path: new URL("decrypt-page-shown.png", ARTIFACTS).pathname });
  await page.click("#reveal");
  assert.ok(!(await page.content()).includes(PASSWORD), "the password stays in the DOM after Hide");

  // Audit: the page fetched only its own static files (the messages' catalogue and renderer among
  // them), sent no bodies, and no URL carries key text.
  const keyText = readText("rsa2048.openssh-aes256ctr").split("\n")[1].slice(0, 24);
  for (const r of requests) {
    assert.equal(r.method, "GET", r.url);
    assert.equal(r.body ?? null, null, r.url);
    assert.ok(!r.url.includes(keyText) && !r.url.includes(encodeURIComponent(PASSPHRASE)), r.url);
    assert.match(new URL(r.url).pathname, /^\/(decrypt\.html|style\.css|favicon\.svg|decrypt-page\.js|decrypt-worker\.js|widget\/[a-z-]+\.js|i18n\/[a-z]+\.js|pkg\/keys\/ecs_password_keys(_bg\.wasm|\.js)|pkg\/fluent\/[a-z]+\.js|pkg\/locales\/[a-z]+\/ecs-password\.ftl)$/, r.url);
  }
  assert.deepEqual(consoleErrors, []);
  await page.close();
});

test("the page names a wrong key and a non-RSA key", async () => {
  const { page } = await openPage();
  await page.fill("#key-text", readText("other2048.pkcs1.pem"));
  await page.fill("#ciphertext", readText("rsa2048.ciphertext.b64"));
  await page.click("#decrypt");
  await page.waitForSelector("#error:not([hidden])");
  assert.equal(await page.getAttribute("#error", "data-code"), "WRONG_KEY");
  await page.screenshot({ path: new URL("decrypt-page-wrong-key.png", ARTIFACTS).pathname });

  await page.fill("#key-text", readText("ed25519.openssh"));
  await page.click("#decrypt");
  await page.waitForFunction(() => document.getElementById("error").dataset.code === "KEY_NOT_RSA");
  assert.match(await page.textContent("#error"), /Ed25519/);
  await page.close();
});
