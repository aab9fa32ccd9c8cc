// The decrypt page as `ecs-password serve` delivers it (its real CSP and headers), in headless
// Chromium: the page loads the release wasm, decrypts, and breaks no policy.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "./chromium.mjs";
import { readText, PASSWORD } from "./fixtures.mjs";
import { startServe } from "./serve.mjs";

test("the page works under the server's own CSP", async () => {
  const serve = await startServe();
  try {
    const url = `${serve.url}/`;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems = [];
      page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
      page.on("pageerror", (e) => problems.push(String(e)));
      const response = await page.goto(`${url}decrypt.html`);
      assert.match(response.headers()["content-security-policy"], /frame-ancestors 'none'/);
      await page.fill("#key-text", readText("rsa4096.pkcs8.pem"));
      await page.fill("#ciphertext", readText("rsa4096.ciphertext.b64"));
      await page.click("#decrypt");
      await page.waitForSelector("#result:not([hidden])");
      await page.click("#reveal");
      assert.equal(await page.textContent("#password"), PASSWORD);
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
  } finally {
    await serve.close();
  }
});
