// The wasm API client (release build) inside Chromium against `ecs-password serve`'s emulated
// cloud: every operation on every family, tokens and AK/SK signed in the page, the cloud's error
// details, and a decrypted password that matches what the emulated guest set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "./chromium.mjs";
import { readText } from "./fixtures.mjs";
import { startServe, DEMO } from "./serve.mjs";

let serve, browser;
before(async () => {
  serve = await startServe();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await serve?.close();
});

test("the wasm API client calls every operation on every family from Chromium", async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(`${serve.url}/`);
  const demo = await (await fetch(`${serve.url}/demo`)).json();
  const admin = demo.principals.find((p) => p.name === "admin");
  const results = await page.evaluate(async ({ demo, admin, ids, key }) => {
    const keys = await import("/pkg/keys/ecs_password_keys.js");
    const wasm = await import("/pkg/cloud/ecs_password_cloud.js");
    await Promise.all([keys.default(), wasm.default()]);
    const base = location.origin;
    const target = (family, serverId = ids.win2048) => family === "nova"
      ? { endpoint: new URL(demo.novaEndpoint, location.href).href, family, serverId }
      : { endpoint: base, family, projectId: demo.project.id, serverId };
    const calls = {
      get: { kind: "password", operation: "get" },
      clear: { kind: "password", operation: "clear" },
      reset: { kind: "password", operation: "reset", newPassword: "Xy7!abcd-EF" },
      "reset-flag": { kind: "password", operation: "reset-flag" },
      details: { kind: "serverDetails" },
    };
    const auths = { token: { token: admin.token }, aksk: { accessKey: admin.accessKey, secretKey: admin.secretKey } };
    const out = {};
    for (const family of ["v1", "v2", "v2.1", "nova"]) {
      for (const [authName, auth] of Object.entries(auths)) {
        if (family === "nova" && authName === "aksk") continue;
        await fetch("/_emulator/servers/" + ids.win2048 + "/post", { method: "POST", headers: { "X-Emulator-Control": "1" } });
        for (const [name, call] of Object.entries(calls)) {
          try {
            out[`${family} ${authName} ${name}`] = (await wasm.callApi(target(family), call, auth)).kind;
          } catch (e) {
            out[`${family} ${authName} ${name}`] = e.code;
          }
        }
      }
    }
    await fetch("/_emulator/reset", { method: "POST", headers: { "X-Emulator-Control": "1" } });
    const auth = auths.aksk;
    const password = keys.decryptPassword(key, await wasm.waitForPassword(target("v1"), auth, { intervalMs: 10 }));
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(password)));
    const hex = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
    const state = await (await fetch("/_emulator/state", { headers: { "X-Emulator-Control": "1" } })).json();
    out.decryptedMatchesGuest = hex === state.servers.find((s) => s.id === ids.win2048).passwordSha256;
    try { await wasm.callApi(target("v1", "00000000-0000-4000-8000-000000000000"), calls.get, auth); } catch (e) { out.missing = [e.code, e.cloudCode, /^[0-9a-f]{32}$/.test(e.requestId)]; }
    try { await wasm.callApi(target("v2.1"), calls.get, { token: "bad" }); } catch (e) { out.badToken = [e.code, e.cloudCode]; }
    try { await wasm.callApi(target("v1"), calls.clear, { token: "demo-token-reader" }); } catch (e) { out.readerClears = [e.code, e.cloudCode]; }
    try { await wasm.callApi(target("v1", ids.booting), calls.get, auth); } catch (e) { out.notPosted = e.code; }
    return out;
  }, { demo, admin, ids: DEMO, key: readText("rsa2048.pkcs8.pem") });
  const expected = {};
  for (const family of ["v1", "v2", "v2.1", "nova"]) {
    for (const authName of family === "nova" ? ["token"] : ["token", "aksk"]) {
      const k = `${family} ${authName}`;
      expected[`${k} get`] = "ciphertext";
      expected[`${k} clear`] = "done";
      expected[`${k} reset`] = ["v1", "v2.1"].includes(family) ? "done" : "OPERATION_UNSUPPORTED";
      expected[`${k} reset-flag`] = family === "v1" ? "resetFlag" : "OPERATION_UNSUPPORTED";
      expected[`${k} details`] = "server";
    }
  }
  expected.decryptedMatchesGuest = true;
  expected.missing = ["SERVER_NOT_FOUND", "Ecs.0114", true];
  expected.badToken = ["AUTH_FAILED", "APIGW.0301"];
  expected.readerClears = ["FORBIDDEN", "Pdp.0001"];
  expected.notPosted = "PASSWORD_NOT_AVAILABLE";
  assert.deepEqual(results, expected);
  assert.deepEqual(problems, []);
  await page.close();
});
