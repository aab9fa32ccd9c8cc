// The decrypt page as `ecs-password serve` delivers it (its real CSP and headers), in headless
// Chromium: the page loads the release wasm, decrypts, and breaks no policy.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { launchChromium } from "./chromium.mjs";
import { readText, PASSWORD } from "./fixtures.mjs";

const root = new URL("../..", import.meta.url).pathname;
const binary = process.env.ECS_PASSWORD_BIN ?? `${root}target/debug/ecs-password`;

test("the page works under the server's own CSP", async () => {
  const server = spawn(binary, ["serve", "--listen", "127.0.0.1:0", "--root", root], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const line = await new Promise((resolve, reject) => {
      createInterface({ input: server.stdout }).once("line", resolve);
      server.once("exit", (code) => reject(new Error(`serve exited with ${code}`)));
    });
    const url = line.match(/http:\/\/[^ ]+/)[0];
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
    server.kill();
  }
});
