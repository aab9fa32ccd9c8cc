// The standalone page behind `ecs-password serve --upstream`: a second serve (no emulator) proxies
// /proxy/ecs to the emulated cloud, and the page, signed in with an access key pair, lists the
// servers and gets a password through it. AK/SK requests are signed for the cloud behind the
// proxy (found at GET /_proxy), and the browser talks only to the page's own origin. A third serve
// is a one-command deployment for an OpenStack cloud (`--cloud openstack:AUTH_URL`): its users sign
// in by name and password and reach Nova through the route learned from the catalog.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "./chromium.mjs";
import { startServe } from "./serve.mjs";
import { readText } from "./fixtures.mjs";

let cloud, front, openstack, browser;
before(async () => {
  cloud = await startServe();
  front = await startServe(["--no-emulator", "--upstream", `/proxy/ecs=${cloud.url}`]);
  openstack = await startServe(["--no-emulator", "--cloud", `openstack:${cloud.url}/identity/v3`]);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await openstack?.close();
  await front?.close();
  await cloud?.close();
});

test("the page gets a password through the proxy with an access key pair", async () => {
  const demo = await (await fetch(`${cloud.url}/demo`)).json();
  const admin = demo.principals.find((p) => p.name === "admin");
  const server = demo.servers.find((s) => s.name === "win-2048");
  const proxies = await (await fetch(`${front.url}/_proxy`)).json();
  assert.equal(proxies.upstreams[0].prefix, "/proxy/ecs");

  const page = await browser.newPage();
  const origins = new Set();
  page.on("request", (r) => origins.add(new URL(r.url()).origin));
  await page.goto(`${front.url}/`);
  assert.equal(await page.isVisible("#demo"), false, "no demo without the emulator");
  await page.check('input[name="method"][value="aksk"]');
  await page.fill("#ak", admin.accessKey);
  await page.fill("#sk", admin.secretKey);
  await page.fill("#endpoint", "/proxy/ecs");
  await page.fill("#project", demo.project.id);
  await page.selectOption("#family", "v1");
  await page.click("#signin-submit");
  await page.waitForFunction(() => document.getElementById("server-select").options.length > 1);
  await page.selectOption("#server-select", server.id);
  const widget = (selector) => page.locator("ecs-password").locator(selector);
  await page.waitForFunction(() => document.querySelector("ecs-password")?.shadowRoot.querySelector(".ecs").dataset.ready === "ready");
  await widget("#key-text").fill(readText("rsa2048.pkcs8.pem"));
  await widget("#use-pasted").click();
  await widget("#key-facts").waitFor({ state: "visible" });
  assert.equal(await widget("#key-match").getAttribute("data-match"), "match");
  await widget("#get").click();
  await widget("#result").waitFor({ state: "visible" });
  await widget("#reveal").click();
  const password = (await widget("#password").textContent()).trim();
  const digest = await page.evaluate(async (text) => {
    const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
    return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  }, password);
  const state = await (await cloud.control("state")).json();
  assert.equal(digest, state.servers.find((s) => s.id === server.id).passwordSha256);
  assert.deepEqual([...origins], [front.url], "the browser only talks to the page's origin");
  await page.close();
});

test("serve --cloud openstack: the page signs in by name, and Nova is reached through the learned route", async () => {
  const demo = await (await fetch(`${cloud.url}/demo`)).json();
  const admin = demo.principals.find((p) => p.name === "admin");
  const server = demo.servers.find((s) => s.name === "win-2048");
  const page = await browser.newPage();
  const origins = new Set();
  page.on("request", (r) => origins.add(new URL(r.url()).origin));
  await page.goto(`${openstack.url}/`);
  await page.waitForFunction(() => document.getElementById("auth-url").value.endsWith("/proxy/identity"));
  await page.fill("#signin-domain", demo.domainName);
  await page.fill("#signin-username", "admin");
  await page.fill("#signin-password", admin.password);
  await page.click("#signin-submit");
  await page.waitForFunction(() => document.getElementById("server-select").options.length > 1);
  const proxies = await (await fetch(`${openstack.url}/_proxy`)).json();
  assert.equal(proxies.cloud.kind, "openstack");
  assert.deepEqual(proxies.upstreams.filter((u) => u.learned).map((u) => u.prefix), ["/proxy/catalog/0"]);
  await page.selectOption("#server-select", server.id);
  const widget = (selector) => page.locator("ecs-password").locator(selector);
  await page.waitForFunction(() => document.querySelector("ecs-password")?.shadowRoot.querySelector(".ecs").dataset.ready === "ready");
  assert.match(await widget("#family-note").textContent(), /nova/);
  await widget("#key-text").fill(readText("rsa2048.pkcs8.pem"));
  await widget("#use-pasted").click();
  await widget("#key-facts").waitFor({ state: "visible" });
  await widget("#get").click();
  await widget("#result").waitFor({ state: "visible" });
  assert.deepEqual([...origins], [openstack.url], "the browser only talks to the page's origin");
  await page.close();
});
