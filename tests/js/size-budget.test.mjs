// The size budget: everything the standalone page transfers (gzip -9 of each static file it and its
// workers fetch, the wasm package included) must stay within bench/budget.json. The benchmark
// prints the same figure; docs/performance.md says where the bytes go.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "./chromium.mjs";
import { startServe } from "./serve.mjs";
import { pageWeight, budget } from "./page-weight.mjs";

test("the page stays within its size budget", async () => {
  const serve = await startServe();
  const browser = await launchChromium();
  try {
    const { assets, totalGzipBytes } = await pageWeight(browser, `${serve.url}/`);
    const limit = budget().pageGzipBytes;
    const list = assets.map((a) => `${a.path} ${a.gzipBytes}`).join(", ");
    console.log(`page: ${totalGzipBytes} bytes gzip (budget ${limit}): ${list}`);
    assert.ok(assets.some((a) => a.path === "/pkg/ecs_password_bg.wasm"), "the wasm module is counted");
    assert.ok(assets.some((a) => a.path === "/" || a.path.endsWith(".html")), "the page is counted");
    assert.ok(totalGzipBytes <= limit, `the page transfers ${totalGzipBytes} bytes gzip, over the budget of ${limit}: ${list}`);
  } finally {
    await browser.close();
    await serve.close();
  }
});
