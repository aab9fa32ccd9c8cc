// What others deploy works from any base URL (scripts/bundle.sh): the static bundle of the pages
// (target/bundle/) served under a sub-path by a plain static server that knows nothing of the app,
// and the npm package of the widget (target/npm/ecs-password-widget/) served under another one
// and imported by a host page of its own. The cloud is `ecs-password serve`'s emulated cloud,
// reached through a forwarded prefix under the same sub-path (as a reverse proxy would), so the
// browser talks to one origin; every request it makes must stay under the sub-paths: nothing at
// the root (`/pkg/...`, `/_proxy`, `/demo`). And `ecs-password serve` itself behind a reverse
// proxy's sub-path finds its own routes (the demo, `_proxy`, the emulated cloud) under it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStaticServer } from "./static-server.mjs";
import { startServe, ROOT } from "./serve.mjs";
import { launchChromium } from "./chromium.mjs";
import { read, readText, PASSPHRASE, PASSWORD } from "./fixtures.mjs";
import en from "../../www/i18n/en.js";

const SUB = "/some/sub/path/";
const PACKAGE = `${ROOT}target/npm/ecs-password-widget/`;
const HOST = "/console/app/"; // the host page of the package's test
const VENDOR = "/assets/vendor/ecs-password-widget/"; // where that host serves the package
const BEHIND = "/tools/ecs/"; // ecs-password serve itself, behind the server as a reverse proxy

let cloud, server, browser, demo, hostDir;
before(async () => {
  execFileSync(`${ROOT}scripts/bundle.sh`, { stdio: ["ignore", "ignore", "inherit"] });
  cloud = await startServe();
  demo = await (await fetch(`${cloud.url}/demo`)).json();
  hostDir = mkdtempSync(join(tmpdir(), "ecs-password-host-"));
  server = await startStaticServer({
    mounts: [
      [`${SUB}cloud/`, { upstream: cloud.url }],
      [SUB, `${ROOT}target/bundle`],
      [`${HOST}cloud/`, { upstream: cloud.url }],
      [HOST, hostDir],
      [VENDOR, PACKAGE],
      [BEHIND, { upstream: cloud.url }],
    ],
  });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await cloud?.close();
  if (hostDir) rmSync(hostDir, { recursive: true, force: true });
});

const admin = () => demo.principals.find((p) => p.name === "admin");
const win2048 = () => demo.servers.find((s) => s.name === "win-2048");

/** A page that records every URL it and its workers ask for, and its errors. */
async function openPage() {
  const page = await browser.newPage();
  /** @type {string[]} */
  const urls = [];
  const record = (request) => urls.push(request.url());
  page.on("request", record);
  page.on("worker", (worker) => urls.push(worker.url()));
  page.context().on("request", record);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  return { page, urls, errors };
}

/** Every URL the browser asked for, and every path the server was asked, is under one of `prefixes`. */
function assertUnder(urls, paths, prefixes) {
  const under = (path) => prefixes.some((p) => path.startsWith(p));
  const outside = urls.filter((u) => !u.startsWith(server.url) || !under(new URL(u).pathname));
  assert.deepEqual(outside, [], `asked outside ${prefixes.join(", ")}`);
  assert.deepEqual(paths.filter((p) => !under(p)), [], `the server was asked outside ${prefixes.join(", ")}`);
}

/** The SHA-256 of `text` in hex, by the page (the password is compared by its digest only). */
const digestIn = (page, text) => page.evaluate(async (t) => {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(t)));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}, text);

test("the bundle holds the pages, both modules and a README, and no type declarations", () => {
  for (const file of ["index.html", "decrypt.html", "embed-example.html", "app.js", "decrypt-worker.js", "ecs-password-widget.js",
    "widget/element.js", "i18n/en.js", "pkg/keys/ecs_password_keys.js", "pkg/keys/ecs_password_keys_bg.wasm",
    "pkg/cloud/ecs_password_cloud.js", "pkg/cloud/ecs_password_cloud_bg.wasm", "README.md"]) {
    assert.ok(existsSync(`${ROOT}target/bundle/${file}`), file);
  }
  const listing = execFileSync("find", [`${ROOT}target/bundle`, "-name", "*.d.ts"], { encoding: "utf8" });
  assert.equal(listing, "");
});

test("(a) the offline decrypt page decrypts under the sub-path, in its worker", async () => {
  const before = server.requests.length;
  const { page, urls, errors } = await openPage();
  await page.goto(`${server.url}${SUB}decrypt.html`);
  await page.setInputFiles("#key-file", { name: "id_rsa", mimeType: "application/octet-stream", buffer: read("rsa2048.openssh-aes256ctr") });
  await page.waitForFunction((text) => document.getElementById("key-info").textContent === text, en["key.passphraseNeeded"]);
  await page.fill("#passphrase", PASSPHRASE);
  await page.fill("#ciphertext", readText("rsa2048.ciphertext.b64"));
  await page.click("#decrypt");
  await page.waitForSelector("#result:not([hidden])");
  assert.match(await page.textContent("#key-info"), /^RSA 2048-bit, OpenSSH, passphrase-protected, SHA256:/);
  await page.click("#reveal");
  assert.equal(await page.textContent("#password"), PASSWORD);
  assert.ok(urls.includes(`${server.url}${SUB}decrypt-worker.js`), urls.join(" "));
  assert.ok(urls.includes(`${server.url}${SUB}pkg/keys/ecs_password_keys_bg.wasm`), urls.join(" "));
  assertUnder(urls, server.requests.slice(before).map((r) => r.path), [SUB]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("(b) the standalone page signs in with a token, and the widget loads a key and gets the password", async () => {
  const before = server.requests.length;
  const { page, urls, errors } = await openPage();
  // A plain static server: no demo (GET demo answers 404), no proxy routes (GET _proxy: 404).
  await page.goto(`${server.url}${SUB}`, { waitUntil: "networkidle" });
  assert.equal(await page.isVisible("#demo"), false);
  await page.check('input[name="method"][value="token"]');
  await page.fill("#token", admin().token);
  await page.fill("#endpoint", `${server.url}${SUB}cloud`);
  await page.fill("#project", demo.project.id);
  await page.selectOption("#family", "v1");
  await page.click("#signin-submit");
  await page.waitForFunction(() => document.getElementById("server-select").options.length > 1);
  await page.selectOption("#server-select", win2048().id);
  const widget = (selector) => page.locator("ecs-password").locator(selector);
  await page.waitForFunction(() => document.querySelector("ecs-password")?.shadowRoot.querySelector(".ecs").dataset.ready === "ready");
  await widget("#key-text").fill(readText("rsa2048.pkcs8.pem"));
  await widget("#use-pasted").click();
  await widget("#key-facts").waitFor({ state: "visible" });
  assert.match(await widget("#key-summary").textContent(), /RSA 2048/);
  assert.equal(await widget("#key-match").getAttribute("data-match"), "match");
  await widget("#get").click();
  await widget("#result").waitFor({ state: "visible" });
  await widget("#reveal").click();
  const password = (await widget("#password").textContent()).trim();
  const state = await (await cloud.control("state")).json();
  assert.equal(await digestIn(page, password), state.servers.find((s) => s.id === win2048().id).passwordSha256);

  assert.ok(urls.includes(`${server.url}${SUB}pkg/cloud/ecs_password_cloud_bg.wasm`), urls.join(" "));
  assert.ok(urls.includes(`${server.url}${SUB}decrypt-worker.js`), urls.join(" "));
  // serve's routes were asked under the sub-path (and were not there).
  const paths = server.requests.slice(before).map((r) => r.path);
  assert.ok(paths.includes(`${SUB}demo`) && paths.includes(`${SUB}_proxy`), paths.join(" "));
  assertUnder(urls, paths, [SUB]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("(c) the embedding example says it needs the demo cloud, and asks nothing outside the sub-path", async () => {
  const before = server.requests.length;
  const { page, urls, errors } = await openPage();
  await page.goto(`${server.url}${SUB}embed-example.html`);
  await page.waitForFunction(() => /needs the demo cloud/.test(document.getElementById("events").textContent ?? ""));
  await page.locator("ecs-password").locator(".ecs").waitFor({ state: "attached" });
  assertUnder(urls, server.requests.slice(before).map((r) => r.path), [SUB]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("(d) ecs-password serve behind a reverse proxy's sub-path: the demo, the page and the embedding example", async () => {
  const before = server.requests.length;
  const { page, urls, errors } = await openPage();
  await page.goto(`${server.url}${BEHIND}`);
  await page.click('button[data-principal="admin"]');
  await page.waitForFunction(() => document.getElementById("server-select").options.length > 1);
  await page.selectOption("#server-select", win2048().id);
  const widget = (selector) => page.locator("ecs-password").locator(selector);
  await page.waitForFunction(() => document.querySelector("ecs-password")?.shadowRoot.querySelector(".ecs").dataset.ready === "ready");
  await widget("#key-text").fill(readText("rsa2048.pkcs8.pem"));
  await widget("#use-pasted").click();
  await widget("#key-facts").waitFor({ state: "visible" });
  assert.equal(await widget("#key-match").getAttribute("data-match"), "match");
  // The demo's key downloads are linked under the sub-path too.
  const hrefs = await page.evaluate(() => [...document.querySelectorAll("#demo-keys a")].map((a) => a.href));
  assert.ok(hrefs.length > 0 && hrefs.every((h) => h.startsWith(`${server.url}${BEHIND}demo/keys/`)), hrefs.join(" "));

  await page.goto(`${server.url}${BEHIND}embed-example.html`);
  await page.waitForFunction((id) => [...document.getElementById("server").options].some((o) => o.value === id), win2048().id);
  await page.selectOption("#server", win2048().id);
  await page.waitForFunction(() => document.querySelector("ecs-password")?.shadowRoot.querySelector(".ecs").dataset.ready === "ready");
  assert.equal(await widget("#alert").isVisible(), false);
  const paths = server.requests.slice(before).map((r) => r.path);
  assert.ok(paths.includes(`${BEHIND}demo`) && paths.includes(`${BEHIND}_proxy`), paths.join(" "));
  assertUnder(urls, paths, [BEHIND]);
  assert.deepEqual(errors, []);
  await page.close();
});

/** The package's package.json. */
const packageJson = () => JSON.parse(readFileSync(`${PACKAGE}package.json`, "utf8"));

/** Every file an `exports` entry names (conditions and all). @param {unknown} entry @returns {string[]} */
const targets = (entry) => (typeof entry === "string" ? [entry] : Object.values(/** @type {object} */ (entry)).flatMap(targets));

test("the npm package: its exports name files that are there and that npm packs", () => {
  const pkg = packageJson();
  const cargo = readFileSync(`${ROOT}Cargo.toml`, "utf8").split("[workspace.package]")[1].match(/^version\s*=\s*"([^"]+)"/m)[1];
  assert.equal(pkg.name, "ecs-password-widget");
  assert.equal(pkg.version, cargo);
  assert.equal(pkg.type, "module");
  for (const key of [".", "./define", "./element", "./worker", "./keys", "./keys.wasm", "./cloud", "./cloud.wasm", "./export", "./export.wasm", "./export-client", "./export-worker", "./i18n", "./i18n/en", "./i18n/zh"]) {
    assert.ok(key in pkg.exports, `exports ${key}`);
  }
  for (const key of [".", "./define", "./element", "./keys", "./cloud", "./export", "./export-client"]) assert.ok(pkg.exports[key].types?.endsWith(".d.ts"), `${key} has types`);
  const packed = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: PACKAGE, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false" },
  }))[0].files.map((f) => f.path);
  const named = [...new Set([...Object.values(pkg.exports).flatMap(targets), pkg.types])];
  for (const target of named) {
    assert.match(target, /^\.\//, target);
    const file = target.slice(2);
    assert.ok(existsSync(`${PACKAGE}${file}`) && statSync(`${PACKAGE}${file}`).isFile(), `${target} is a file`);
    assert.ok(packed.includes(file), `npm packs ${target}`);
  }
  for (const file of ["README.md", "package.json", "widget/site.js", "ecs-password-widget.css"]) assert.ok(packed.includes(file), `npm packs ${file}`);
  assert.ok(!packed.some((f) => f.includes("types-check")), "the type check stays home");
});

test("the npm package, served under a sub-path of its own, works in a host page that imports it", async () => {
  const server2048 = win2048();
  // The host's own page and module (no inline script: the CSP forbids it).
  writeFileSync(join(hostDir, "index.html"), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host console</title><link rel="icon" href="favicon.svg">
<script type="module" src="host.js"></script></head>
<body><ecs-password id="ecs" family="v1"></ecs-password></body></html>
`);
  writeFileSync(join(hostDir, "favicon.svg"), readFileSync(`${ROOT}www/favicon.svg`));
  writeFileSync(join(hostDir, "host.js"), `import { EcsPasswordElement, define } from "${VENDOR}ecs-password-widget.js";
define();
const el = document.getElementById("ecs");
if (!(el instanceof EcsPasswordElement)) throw new Error("not upgraded");
el.credentials = { token: ${JSON.stringify(admin().token)} };
el.setAttribute("endpoint", new URL("cloud", document.baseURI).href);
el.setAttribute("project", ${JSON.stringify(demo.project.id)});
el.setAttribute("server", ${JSON.stringify(server2048.id)});
`);
  const before = server.requests.length;
  const { page, urls, errors } = await openPage();
  await page.goto(`${server.url}${HOST}`);
  const widget = (selector) => page.locator("ecs-password").locator(selector);
  await page.waitForFunction(() => document.querySelector("ecs-password")?.shadowRoot.querySelector(".ecs").dataset.ready === "ready");
  await widget("#key-text").fill(readText("rsa2048.pkcs8.pem"));
  await widget("#use-pasted").click();
  await widget("#key-facts").waitFor({ state: "visible" });
  assert.match(await widget("#key-summary").textContent(), /RSA 2048/);
  assert.equal(await widget("#key-match").getAttribute("data-match"), "match");
  for (const file of ["decrypt-worker.js", "pkg/keys/ecs_password_keys_bg.wasm", "pkg/cloud/ecs_password_cloud_bg.wasm", "ecs-password-widget.css", "i18n/en.js"]) {
    assert.ok(urls.includes(`${server.url}${VENDOR}${file}`), `${file} from the package: ${urls.join(" ")}`);
  }
  assertUnder(urls, server.requests.slice(before).map((r) => r.path), [HOST, VENDOR]);
  assert.deepEqual(errors, []);
  await page.close();
});
