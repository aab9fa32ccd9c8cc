// The size budgets: everything a page transfers (gzip -9 of each static file it and its workers
// fetch, the wasm modules it needs included) must stay within bench/budget.json: the standalone
// page (both modules) and the offline decrypt page (the key module only). The export module is
// fetched only when the user exports: it must not be among what either page loads, and its own
// size is printed (not budgeted with the pages). The benchmark prints the same figures;
// docs/performance.md says where the bytes go.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "./chromium.mjs";
import { startServe } from "./serve.mjs";
import { pageWeight, budget, gzipBytes, fileFor, KEYS, BOTH, EXPORT } from "./page-weight.mjs";

for (const [name, path, modules, limitOf] of [
  ["the page", "/", BOTH, (b) => b.pageGzipBytes],
  ["the offline decrypt page", "/decrypt.html", KEYS, (b) => b.offlinePageGzipBytes],
]) {
  test(`${name} stays within its size budget`, async () => {
    const serve = await startServe();
    const browser = await launchChromium();
    try {
      const { assets, totalGzipBytes } = await pageWeight(browser, `${serve.url}${path}`, undefined, modules);
      const limit = limitOf(budget());
      const list = assets.map((a) => `${a.path} ${a.gzipBytes}`).join(", ");
      console.log(`${name}: ${totalGzipBytes} bytes gzip (budget ${limit}): ${list}`);
      for (const m of modules) assert.ok(assets.some((a) => a.path === m), `${m} is counted`);
      assert.ok(!assets.some((a) => EXPORT.includes(a.path) || a.path.startsWith("/pkg/export/")), `nothing of the export module: ${list}`);
      if (path === "/decrypt.html") assert.ok(!assets.some((a) => a.path.startsWith("/pkg/cloud/")), `no cloud module: ${list}`);
      assert.ok(assets.some((a) => a.path === path || a.path.endsWith(".html")), "the page is counted");
      assert.ok(totalGzipBytes <= limit, `${name} transfers ${totalGzipBytes} bytes gzip, over the budget of ${limit}: ${list}`);
    } finally {
      await browser.close();
      await serve.close();
    }
  });
}

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
