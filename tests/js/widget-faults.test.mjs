// The widget under the emulator's injected faults (throttling, server errors, latency, dropped
// connections): it gets the password or ends in a clear, specific error, in bounded time, and a
// reset whose answer is lost is not sent again.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "./chromium.mjs";
import { startServe } from "./serve.mjs";
import { readText } from "./fixtures.mjs";

let serve, browser, demo;
before(async () => {
  serve = await startServe();
  browser = await launchChromium();
  demo = await (await fetch(`${serve.url}/demo`)).json();
});
after(async () => {
  await browser?.close();
  await serve?.close();
});

const faults = async (spec) => {
  const r = await serve.control("faults", { method: "PUT", body: JSON.stringify(spec) });
  assert.equal(r.status, 204);
};
const emulatorState = async () => (await serve.control("state")).json();
const inWidget = (page, selector) => page.locator("ecs-password").locator(selector);

/** Signs in as admin, opens win-2048 and loads its key, with no faults yet. */
async function ready(page, requests) {
  page.on("request", (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
  await page.goto(`${serve.url}/`);
  await page.click('button[data-principal="admin"]');
  await page.waitForFunction(() => document.getElementById("server-select").options.length > 1);
  const server = demo.servers.find((s) => s.name === "win-2048");
  await page.selectOption("#server-select", server.id);
  await page.waitForFunction(() => document.querySelector("ecs-password")?.shadowRoot.querySelector(".ecs").dataset.ready === "ready");
  await inWidget(page, "#key-text").fill(readText("rsa2048.pkcs1.pem"));
  await inWidget(page, "#use-pasted").click();
  await inWidget(page, "#key-facts").waitFor({ state: "visible" });
  return server;
}

test("under throttling, server errors and latency the widget gets the password or says why, never hangs", async () => {
  await serve.control("reset", { method: "POST" });
  const page = await browser.newPage();
  const requests = [];
  await ready(page, requests);
  await faults({ throttleRate: 0.4, errorRate: 0.2, retryAfterSeconds: 0, latencyMs: [0, 300], seed: 3 });
  const outcomes = [];
  for (let attempt = 0; attempt < 6 && !outcomes.includes("password"); attempt++) {
    const started = Date.now();
    await inWidget(page, "#get").click();
    const outcome = await Promise.race([
      inWidget(page, "#result").waitFor({ state: "visible", timeout: 60_000 }).then(() => "password"),
      inWidget(page, "#alert").waitFor({ state: "visible", timeout: 60_000 }).then(() => inWidget(page, "#alert").getAttribute("data-code")),
    ]);
    assert.ok(Date.now() - started < 60_000, "bounded time");
    outcomes.push(outcome);
    if (outcome !== "password") {
      assert.ok(["RATE_LIMITED", "CLOUD_UNAVAILABLE", "CLOUD_ERROR"].includes(outcome), `a clear error: ${outcome}`);
      assert.ok((await inWidget(page, "#alert").textContent()).length > 20, "the error is explained");
    }
  }
  assert.ok(outcomes.includes("password"), `the password came through: ${outcomes}`);
  await faults({});
  await page.close();
});

test("a reset whose answer is lost is reported and not sent again", async () => {
  await serve.control("reset", { method: "POST" });
  const page = await browser.newPage();
  const requests = [];
  const server = await ready(page, requests);
  await inWidget(page, "#reset-form").waitFor({ state: "visible" });
  await inWidget(page, "#generate").click();
  await faults({ dropRate: 1 });
  await inWidget(page, "#reset-submit").click();
  await inWidget(page, "#confirm-ok").click();
  await inWidget(page, "#alert").waitFor({ state: "visible", timeout: 60_000 });
  assert.equal(await inWidget(page, "#alert").getAttribute("data-code"), "NETWORK_ERROR");
  await faults({});
  await page.waitForTimeout(500); // a retry, were there one, would be on its way
  const puts = requests.filter((r) => r.startsWith("PUT ") && r.endsWith("/os-reset-password"));
  assert.equal(puts.length, 1, `one reset request: ${puts}`);
  const state = await emulatorState();
  assert.equal(state.servers.find((s) => s.id === server.id).resets, 1, "the reset took effect once");
  await page.close();
});
