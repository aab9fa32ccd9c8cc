// The size budgets: everything a page transfers in a flow without an error (gzip -9 of each static
// file it and its workers fetch, the wasm modules it needs included) must stay within
// bench/budget.json: the standalone page (both modules) and the offline decrypt page (the key
// module only). The messages of errors and reasons (the Fluent catalogue and @fluent/bundle) are
// fetched on the first error only: no page loads them up front, and their cost is printed apart.
// So is the export module's, fetched only when the user exports. Each figure is printed against
// its target of issue 13 (TARGETS); the benchmark prints the same; docs/performance.md says where
// the bytes go and what meeting the targets would take.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "./chromium.mjs";
import { startServe } from "./serve.mjs";
import { pageWeight, weigh, budget, gzipBytes, fileFor, isMessages, messagesOnFirstError, KEYS, CLOUD, BOTH, EXPORT, TARGETS } from "./page-weight.mjs";

const list = (assets) => assets.map((a) => `${a.path} ${a.gzipBytes}`).join(", ");
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const against = (bytes, target) => `${kb(bytes)} gzip against the target of ${kb(target)}: ${bytes <= target ? "met" : "missed"}`;

/** Runs `use(url, browser)` against a fresh `serve` and Chromium. */
async function withBrowser(use) {
  const serve = await startServe();
  const browser = await launchChromium();
  try {
    await use(serve.url, browser);
  } finally {
    await browser.close();
    await serve.close();
  }
}

for (const [name, path, modules, limitOf, target] of [
  ["the page", "/", BOTH, (b) => b.pageGzipBytes, TARGETS.widgetFlow],
  ["the offline decrypt page", "/decrypt.html", KEYS, (b) => b.offlinePageGzipBytes, TARGETS.offlinePage],
]) {
  test(`${name}, without an error, stays within its size budget and fetches no messages`, () => withBrowser(async (url, browser) => {
    const { assets, totalGzipBytes, totalBrotliBytes } = await pageWeight(browser, `${url}${path}`, undefined, modules, { brotli: true });
    const limit = limitOf(budget());
    console.log(`${name}: ${totalGzipBytes} bytes gzip, ${totalBrotliBytes} brotli 11 (budget ${limit}; ${against(totalGzipBytes, target)}): ${list(assets)}`);
    for (const m of modules) assert.ok(assets.some((a) => a.path === m), `${m} is counted`);
    assert.deepEqual(assets.filter((a) => isMessages(a.path)).map((a) => a.path), [], "the messages wait for the first error");
    assert.ok(!assets.some((a) => EXPORT.includes(a.path) || a.path.startsWith("/pkg/export/")), `nothing of the export module: ${list(assets)}`);
    if (path === "/decrypt.html") assert.ok(!assets.some((a) => a.path.startsWith("/pkg/cloud/")), `no cloud module: ${list(assets)}`);
    assert.ok(assets.some((a) => a.path === path || a.path.endsWith(".html")), "the page is counted");
    assert.ok(totalGzipBytes <= limit, `${name} transfers ${totalGzipBytes} bytes gzip, over the budget of ${limit}: ${list(assets)}`);
  }));
}

test("before a key is chosen the page holds the cloud module, not the key module", () => withBrowser(async (url, browser) => {
  const before = await pageWeight(browser, `${url}/`, undefined, CLOUD, { brotli: true });
  assert.deepEqual(before.assets.filter((a) => KEYS.includes(a.path)).map((a) => a.path), [], "the key module waits for a key");
  const keys = weigh(KEYS, { brotli: true });
  console.log(`before a key is chosen: ${before.totalGzipBytes} bytes gzip, ${before.totalBrotliBytes} brotli 11 (${against(before.totalGzipBytes, TARGETS.beforeKey)}); ` +
    `with the key module fetched in parallel with sign-in: ${before.totalGzipBytes + keys.totalGzipBytes} gzip, ${before.totalBrotliBytes + (keys.totalBrotliBytes ?? 0)} brotli 11: ${list(before.assets)}`);
  for (const m of CLOUD) assert.ok(before.assets.some((a) => a.path === m), `${m} is counted`);
}));

test("on the first error the page fetches the messages, and only them: their cost", () => withBrowser(async (url, browser) => {
  const page = await browser.newPage();
  const seen = [];
  page.on("request", (request) => {
    const u = new URL(request.url());
    if (u.origin === new URL(url).origin) seen.push(u.pathname);
  });
  await page.goto(`${url}/decrypt.html`, { waitUntil: "networkidle" });
  const loaded = seen.length;
  await page.fill("#key-text", "not a key");
  await page.fill("#ciphertext", "AAAA");
  await page.click("#decrypt");
  await page.waitForFunction(() => !document.getElementById("error").hidden);
  await page.waitForLoadState("networkidle");
  const code = await page.getAttribute("#error", "data-code");
  const text = await page.textContent("#error");
  assert.ok(code && text && text !== `${code} (${code})`, `the error's own words, not its code: ${text}`);
  // The worker that reads the key, and its modules, are the flow's; the rest is the error's.
  const after = seen.slice(loaded).filter((p) => !KEYS.includes(p) && !/^\/(widget|i18n)\//.test(p));
  const messages = weigh(after.filter(isMessages), { brotli: true });
  assert.deepEqual(after.filter((p) => !isMessages(p)), [], "nothing else on the error");
  assert.deepEqual(new Set(after.filter(isMessages)), new Set(messagesOnFirstError("en")), "the renderer and the English catalogue, as the benchmark counts them");
  console.log(`on the first error (English): ${messages.totalGzipBytes} bytes gzip, ${messages.totalBrotliBytes} brotli 11: ${list(messages.assets)}`);
  await page.close();
}));

test("the export module, fetched on use only: its size", () => {
  const sizes = EXPORT.map((path) => {
    const file = fileFor(path);
    assert.ok(file, `${path} is built (scripts/build-wasm.sh)`);
    return { path, gzipBytes: gzipBytes(file) };
  });
  const total = sizes.reduce((s, a) => s + a.gzipBytes, 0);
  console.log(`the export module on first use: ${total} bytes gzip: ${sizes.map((a) => `${a.path} ${a.gzipBytes}`).join(", ")}`);
  assert.ok(sizes.every((a) => a.gzipBytes > 0));
});
