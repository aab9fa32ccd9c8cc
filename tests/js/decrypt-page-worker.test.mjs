// The offline decrypt page decrypts in the widget's decryption worker, never on its own thread:
// the page's thread instantiates no WebAssembly and fetches nothing of the wasm package, a
// worker does the work and is ended once the password is out, and the texts are the widget's
// catalogue's.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startStaticServer } from "./static-server.mjs";
import { launchChromium } from "./chromium.mjs";
import { read, readText, PASSPHRASE, PASSWORD } from "./fixtures.mjs";
import { readFileSync } from "node:fs";
import en from "../../www/i18n/en.js";
import zh from "../../www/i18n/zh.js";
import { message } from "./messages.mjs";

const ROOT = new URL("../../", import.meta.url);
const WWW = new URL("www/", ROOT);

let server, browser;
before(async () => {
  server = await startStaticServer();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The page, with every WebAssembly entry point of its own thread counted (workers have theirs). */
async function openPage() {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  const workers = [];
  page.on("worker", (w) => workers.push({ url: w.url(), closed: false, worker: w }));
  page.on("worker", (w) => w.on("close", () => { workers.find((x) => x.worker === w).closed = true; }));
  await page.addInitScript(() => {
    const calls = [];
    globalThis.__wasmCalls = calls;
    const wasm = globalThis.WebAssembly;
    for (const name of ["instantiate", "instantiateStreaming", "compile", "compileStreaming", "validate"]) {
      const original = wasm[name];
      wasm[name] = function (...args) {
        calls.push(name);
        return original.apply(this, args);
      };
    }
    for (const name of ["Module", "Instance"]) {
      const Original = wasm[name];
      wasm[name] = new Proxy(Original, { construct(target, args) { calls.push(name); return Reflect.construct(target, args); } });
    }
  });
  await page.goto(`${server.url}/decrypt.html`);
  await page.waitForFunction(() => document.readyState === "complete");
  return { page, problems, workers };
}

/**
 * What the page's own thread did: its WebAssembly calls, and whether the wasm binary was fetched
 * in its timeline (Chromium lists a dedicated worker's module scripts there too, not its fetches).
 */
const mainThread = (page) => page.evaluate(() => ({
  wasmCalls: globalThis.__wasmCalls,
  wasmFetched: performance.getEntriesByType("resource").some((e) => new URL(e.name).pathname.endsWith(".wasm")),
}));

/** The modules `entry` imports (or re-exports), statically or dynamically, and theirs: paths in the repository. */
function moduleGraph(entry) {
  const seen = new Set();
  const visit = (url) => {
    if (seen.has(url.pathname)) return;
    seen.add(url.pathname);
    if (!url.pathname.startsWith(WWW.pathname)) return; // pkg/: not followed, only named
    const source = readFileSync(url, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    for (const [, spec] of source.matchAll(/(?:\b(?:import|export)\b[^"'`()]*?\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'`]([^"'`]+)["'`]/g)) {
      const next = spec.startsWith("/") ? new URL(`..${spec}`, WWW) : new URL(spec.replace(/\$\{[^}]*\}/, "en"), url);
      // As served: www/ is the root and pkg/ beside its files (www/pkg/... is the repository's pkg/).
      visit(next.pathname.startsWith(`${WWW.pathname}pkg/`) ? new URL(next.pathname.slice(WWW.pathname.length), ROOT) : next);
    }
  };
  visit(new URL(entry, WWW));
  return [...seen].map((p) => p.slice(ROOT.pathname.length));
}

test("the page's module graph does not import the wasm package; the worker's does", () => {
  // pkg/fluent/ is the catalogues' renderer (@fluent/bundle), no wasm.
  const wasmPackage = (/** @type {string[]} */ graph) => graph.filter((p) => p.startsWith("pkg/") && !p.startsWith("pkg/fluent/"));
  const page = moduleGraph("decrypt-page.js");
  assert.ok(page.includes("www/widget/worker-client.js"), page.join(" "));
  assert.ok(page.includes("pkg/fluent/index.js"), page.join(" "));
  assert.deepEqual(wasmPackage(page), [], page.join(" "));
  // The worker loads the key module only; the widget's own thread the cloud module only (it calls
  // the API there; the key stays in the worker).
  const worker = moduleGraph("decrypt-worker.js");
  assert.deepEqual(worker.filter((p) => p.startsWith("pkg/")), ["pkg/keys/ecs_password_keys.js"], worker.join(" "));
  const widget = moduleGraph("ecs-password-widget.js");
  assert.deepEqual(wasmPackage(widget), ["pkg/cloud/ecs_password_cloud.js"], widget.join(" "));
});

test("the page decrypts in the worker, and its own thread never runs the wasm module", async () => {
  const { page, problems, workers } = await openPage();
  await page.setInputFiles("#key-file", { name: "id_rsa", mimeType: "application/octet-stream", buffer: read("rsa2048.openssh-aes256ctr") });
  await page.waitForFunction((text) => document.getElementById("key-info").textContent === text, en["key.passphraseNeeded"]);
  await page.fill("#passphrase", PASSPHRASE);
  await page.fill("#ciphertext", readText("rsa2048.ciphertext.b64"));
  await page.click("#decrypt");
  await page.waitForSelector("#result:not([hidden])");
  assert.equal(await page.textContent("#status"), en["get.done"]);
  assert.match(await page.textContent("#key-info"), /^RSA 2048-bit, OpenSSH, passphrase-protected, SHA256:/);
  assert.equal(await page.textContent("#reveal"), en["result.show"]);
  assert.ok(!(await page.content()).includes(PASSWORD), "the password is in the DOM before Show");
  await page.click("#reveal");
  assert.equal(await page.textContent("#password"), PASSWORD);
  assert.equal(await page.textContent("#reveal"), en["result.hide"]);

  assert.deepEqual(await mainThread(page), { wasmCalls: [], wasmFetched: false });
  assert.ok(workers.length >= 1 && workers.every((w) => new URL(w.url).pathname === "/decrypt-worker.js"), JSON.stringify(workers.map((w) => w.url)));
  // Each worker is wiped and ended once its answer is in: no key stays behind in the page. Its
  // close event follows asynchronously: wait for it (as long as Playwright's own waits), not 2.5 s.
  await Promise.race([
    Promise.all(workers.map((w) => w.closed || new Promise((resolve) => w.worker.once("close", resolve)))),
    new Promise((resolve) => setTimeout(resolve, 30_000).unref()),
  ]);
  assert.deepEqual(workers.map((w) => w.closed), workers.map(() => true), "a worker outlived its answer");
  assert.deepEqual(problems, []);
  await page.close();
});

test("the worker's errors reach the page with their own message from the catalogue and the stable code", async () => {
  const { page } = await openPage();
  await page.fill("#key-text", readText("other2048.pkcs1.pem"));
  await page.fill("#ciphertext", readText("rsa2048.ciphertext.b64"));
  await page.click("#decrypt");
  await page.waitForSelector("#error:not([hidden])");
  assert.equal(await page.getAttribute("#error", "data-code"), "WRONG_KEY");
  assert.equal(await page.textContent("#error"), `${message("en", "key-wrong")} (WRONG_KEY)`);

  // The specific message, with the sizes the core found: not the code's generic text.
  await page.fill("#ciphertext", readText("rsa4096.ciphertext.b64"));
  await page.click("#decrypt");
  const sizes = `${message("en", "key-wrong-size", { ciphertext_bits: 4096, key_bits: 2048 })} (WRONG_KEY)`;
  await page.waitForFunction((text) => document.getElementById("error").textContent === text, sizes);
  assert.match(sizes, /4096.*2048/);

  await page.fill("#key-text", readText("rsa2048.pkcs1.pem"));
  await page.fill("#ciphertext", "not base64!");
  await page.click("#decrypt");
  await page.waitForFunction(() => document.getElementById("error").dataset.code === "CIPHERTEXT_MALFORMED");
  assert.deepEqual((await mainThread(page)).wasmCalls, []);
  await page.close();
});

test("the page speaks the browser's language, every text from the catalogs", async () => {
  const zhBrowser = await launchChromium({ locale: "zh-CN" });
  try {
    const page = await zhBrowser.newPage();
    await page.goto(`${server.url}/decrypt.html`);
    await page.waitForFunction(() => document.documentElement.lang === "zh");
    const keys = await page.evaluate(() => [...document.querySelectorAll("[data-t]")].map((el) => [el.dataset.t, el.textContent]));
    assert.ok(keys.length >= 10);
    for (const [key, text] of keys) assert.equal(text, zh[key], key);
    assert.equal(await page.title(), zh["offline.title"]);
    await page.fill("#key-text", readText("ed25519.openssh"));
    await page.fill("#ciphertext", readText("rsa2048.ciphertext.b64"));
    await page.click("#decrypt");
    await page.waitForSelector("#error:not([hidden])");
    assert.equal(await page.textContent("#error"), `${message("zh", "key-not-rsa", { key_type: "Ed25519" })} (KEY_NOT_RSA)`);
    // Key errors have Chinese: a 4096-bit ciphertext and a 2048-bit key, in the page's language.
    await page.fill("#key-text", readText("other2048.pkcs1.pem"));
    await page.fill("#ciphertext", readText("rsa4096.ciphertext.b64"));
    await page.click("#decrypt");
    const sizes = `${message("zh", "key-wrong-size", { ciphertext_bits: 4096, key_bits: 2048 })} (WRONG_KEY)`;
    await page.waitForFunction((text) => document.getElementById("error").textContent === text, sizes);
    assert.match(sizes, /4096.*2048/);
  } finally {
    await zhBrowser.close();
  }
  // The page's HTML carries the English catalog's texts, as the fallback before the module runs.
  const html = readFileSync(new URL("decrypt.html", WWW), "utf8");
  for (const [, key, text] of html.matchAll(/data-t="([^"]+)"[^>]*>([^<]*)</g)) assert.equal(text, en[key], `decrypt.html's ${key}`);
});
