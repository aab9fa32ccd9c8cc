// The wasm API client (release build) in Node with a stubbed global fetch: every operation on
// every family, auth headers (AK/SK behind a proxy too), error details, retries (never for a reset), time limits,
// cancellation, waiting for a password, and the new-password rules.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createHash, createHmac } from "node:crypto";
import { initSync, callApi, waitForPassword, checkNewPassword, generateNewPassword } from "../../pkg/cloud/ecs_password_cloud.js";
import { message } from "./messages.mjs";

initSync({ module: readFileSync(new URL("../../pkg/cloud/ecs_password_cloud_bg.wasm", import.meta.url)) });

const seen = [];
let script = [];
beforeEach(() => {
  seen.length = 0;
  script = [];
});

/** Answers from `script` (a function per call); records every request. */
globalThis.fetch = async (request) => {
  const body = request.method === "PUT" ? await request.text() : "";
  seen.push({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body });
  const next = script.shift();
  if (!next) throw new Error("unexpected request");
  return next(request);
};
const json = (status, body, headers = {}) => () =>
  new Response(body === null ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

const target = (family) => ({
  endpoint: family === "nova" ? "https://nova.example.com:8774/v2.1" : "https://ecs.example.com",
  family, projectId: "p1", serverId: "s1",
});
const auth = { token: "tok" };
const fast = { retry: { baseDelayMs: 1, maxDelayMs: 50, timeoutMs: 2000 } };

test("every operation on every family builds the right request", async () => {
  const prefix = { v1: "https://ecs.example.com/v1/p1/cloudservers/s1", v2: "https://ecs.example.com/v2/p1/servers/s1", "v2.1": "https://ecs.example.com/v2.1/p1/servers/s1", nova: "https://nova.example.com:8774/v2.1/servers/s1" };
  for (const family of ["v1", "v2", "v2.1", "nova"]) {
    script = [json(200, { password: "QUJD" }), json(204, null)];
    assert.deepEqual(await callApi(target(family), { kind: "password", operation: "get" }, auth), { kind: "ciphertext", ciphertext: "QUJD" });
    assert.deepEqual(await callApi(target(family), { kind: "password", operation: "clear" }, auth), { kind: "done" });
    assert.deepEqual(seen.map((r) => `${r.method} ${r.url}`), [`GET ${prefix[family]}/os-server-password`, `DELETE ${prefix[family]}/os-server-password`]);
    assert.equal(seen[0].headers["x-auth-token"], "tok");
    seen.length = 0;
  }
  for (const family of ["v1", "v2.1"]) {
    script = [json(204, null)];
    await callApi(target(family), { kind: "password", operation: "reset", newPassword: "Xy7!abcd-EF", checkComplexity: true }, auth);
    const body = JSON.parse(seen[0].body);
    assert.equal(body["reset-password"].new_password, "Xy7!abcd-EF");
    assert.equal(body["reset-password"].is_check_password, family === "v1" ? true : undefined);
    seen.length = 0;
  }
  script = [json(200, { resetpwd_flag: "True" })];
  assert.deepEqual(await callApi(target("v1"), { kind: "password", operation: "reset-flag" }, auth), { kind: "resetFlag", supported: true });
  for (const family of ["v2", "v2.1", "nova"]) {
    await assert.rejects(callApi(target(family), { kind: "password", operation: "reset-flag" }, auth), { code: "OPERATION_UNSUPPORTED" });
  }
  script = [json(200, { server: { id: "s1", name: "win", key_name: "kp", metadata: { os_type: "Windows" }, enterprise_project_id: "ep1" } }),
    json(200, { keypair: { name: "kp", public_key: "ssh-rsa AAAA", fingerprint: "c2:38" } }),
    json(200, { count: 3, servers: [{ id: "a" }, { id: "b" }] })];
  const server = await callApi(target("v1"), { kind: "serverDetails" }, auth);
  assert.deepEqual([server.kind, server.keyName, server.osType, server.enterpriseProjectId], ["server", "kp", "Windows", "ep1"]);
  const keyPair = await callApi(target("v1"), { kind: "keyPair", name: "kp" }, auth);
  assert.equal(keyPair.fingerprint, "c2:38");
  const page = await callApi(target("v1"), { kind: "listServers", limit: 2 }, auth);
  assert.deepEqual(page.next, { offset: 2 });
  assert.equal(seen.at(-1).url, "https://ecs.example.com/v1/p1/cloudservers/detail?limit=2&offset=1");
});

test("AK/SK requests are signed", async () => {
  script = [json(200, { password: "QUJD" })];
  await callApi(target("v1"), { kind: "password", operation: "get" }, { accessKey: "AK1", secretKey: "SK1", securityToken: "sts" });
  const h = seen[0].headers;
  assert.match(h.authorization, /^SDK-HMAC-SHA256 Access=AK1, SignedHeaders=[a-z;-]+, Signature=[0-9a-f]{64}$/);
  assert.equal(h["x-project-id"], "p1");
  assert.equal(h["x-security-token"], "sts");
  assert.match(h["x-sdk-date"], /^\d{8}T\d{6}Z$/);
  assert.ok(!JSON.stringify(h).includes("SK1"));
});

test("behind a proxy, AK/SK requests go to the proxy and are signed for the upstream", async () => {
  script = [json(200, { password: "QUJD" })];
  const behind = { ...target("v1"), endpoint: "http://127.0.0.1:8080/proxy/ecs", upstream: "https://ecs.example.com" };
  await callApi(behind, { kind: "password", operation: "get" }, { accessKey: "AK1", secretKey: "SK1" });
  const { url, headers: h } = seen[0];
  assert.equal(url, "http://127.0.0.1:8080/proxy/ecs/v1/p1/cloudservers/s1/os-server-password");
  // Checked here as the cloud checks it: its own host, the path without the proxy's prefix.
  const signed = h.authorization.match(/SignedHeaders=([^,]+)/)[1];
  assert.equal(signed, "accept;host;x-project-id;x-sdk-date");
  const lines = signed.split(";").map((n) => `${n}:${n === "host" ? "ecs.example.com" : h[n]}`);
  const canonical = ["GET", "/v1/p1/cloudservers/s1/os-server-password/", "", ...lines, "", signed,
    createHash("sha256").update("").digest("hex")].join("\n");
  const toSign = `SDK-HMAC-SHA256\n${h["x-sdk-date"]}\n${createHash("sha256").update(canonical).digest("hex")}`;
  assert.equal(h.authorization.match(/Signature=([0-9a-f]{64})$/)[1], createHmac("sha256", "SK1").update(toSign).digest("hex"));
  await assert.rejects(callApi({ ...behind, upstream: "http://ecs.example.com" }, { kind: "password", operation: "get" }, auth), { code: "ENDPOINT_INVALID" });
  // A token needs no upstream: the request is the same with or without it.
  script = [json(200, { password: "QUJD" }), json(200, { password: "QUJD" })];
  await callApi(behind, { kind: "password", operation: "get" }, auth);
  await callApi({ ...behind, upstream: undefined }, { kind: "password", operation: "get" }, auth);
  assert.deepEqual(seen[1], seen[2]);
});

test("errors carry our code, the cloud's details and their message as data, with Chinese text", async () => {
  script = [json(404, { error: { code: "Ecs.0114", message: "Instance[s9] could not be found." } }, { "x-request-id": "req-9" })];
  await assert.rejects(callApi(target("v1"), { kind: "password", operation: "get" }, auth), (e) => {
    assert.equal(e.name, "EcsPasswordError");
    assert.deepEqual([e.code, e.status, e.cloudCode, e.requestId], ["SERVER_NOT_FOUND", 404, "Ecs.0114", "req-9"]);
    // The cloud's answer around our reason, both as data: no words in the module.
    assert.equal(e.message, "SERVER_NOT_FOUND: cloud-answer-coded");
    assert.deepEqual([e.messageId, e.args.reason.messageId, e.args.status, e.args.cloud_code], ["cloud-answer-coded", "cloud-server-not-found", 404, "Ecs.0114"]);
    assert.match(message("zh", e.messageId, e.args), /找不到.*404.*Ecs\.0114/);
    return true;
  });
  script = [json(200, { password: "" })];
  await assert.rejects(callApi(target("v2.1"), { kind: "password", operation: "get" }, auth), { code: "PASSWORD_NOT_AVAILABLE" });
  script = [json(403, { error: { code: "Pdp.0001", message: "Policy doesn't allow" } })];
  await assert.rejects(callApi(target("v1"), { kind: "password", operation: "clear" }, auth), { code: "FORBIDDEN", cloudCode: "Pdp.0001" });
  await assert.rejects(callApi({ ...target("v1"), endpoint: "http://ecs.example.com" }, { kind: "password", operation: "get" }, auth), { code: "ENDPOINT_INVALID" });
  await assert.rejects(callApi({ ...target("v1"), serverId: "../s2" }, { kind: "password", operation: "get" }, auth), { code: "ID_INVALID" });
  script = [() => { throw new TypeError("Failed to fetch"); }, () => { throw new TypeError("Failed to fetch"); }];
  await assert.rejects(callApi(target("v1"), { kind: "password", operation: "get" }, auth, { retry: { maxAttempts: 2, baseDelayMs: 1 } }), { code: "NETWORK_ERROR" });
});

test("reads are retried; a reset never is", async () => {
  script = [json(503, {}), json(429, {}, { "retry-after": "0" }), json(200, { password: "QUJD" })];
  assert.equal((await callApi(target("v1"), { kind: "password", operation: "get" }, auth, fast)).ciphertext, "QUJD");
  assert.equal(seen.length, 3);
  seen.length = 0;
  script = [json(503, {})];
  await assert.rejects(callApi(target("v1"), { kind: "password", operation: "reset", newPassword: "Xy7!abcd-EF" }, auth, fast), { code: "CLOUD_UNAVAILABLE" });
  assert.equal(seen.length, 1);
});

test("a try that takes too long is aborted", async () => {
  const hang = (request) => new Promise((_, reject) => request.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
  script = [hang, hang];
  await assert.rejects(callApi(target("v1"), { kind: "password", operation: "get" }, auth, { retry: { maxAttempts: 2, baseDelayMs: 1, timeoutMs: 50 } }), { code: "TIMEOUT" });
  assert.equal(seen.length, 2);
});

test("waiting for a password, with a countdown and cancel", async () => {
  script = [json(200, { password: "" }), json(200, { password: "" }), json(200, { password: "QUJD" })];
  const waits = [];
  const ciphertext = await waitForPassword(target("v1"), auth, { intervalMs: 20, limitMs: 5000, onWait: (ms) => waits.push(ms) });
  assert.equal(ciphertext, "QUJD");
  assert.deepEqual(waits, [20, 20]);

  script = Array(50).fill(json(200, { password: "" }));
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(waitForPassword(target("v1"), auth, { intervalMs: 1000, signal: controller.signal }), { code: "CANCELLED" });

  script = Array(50).fill(json(200, { password: "" }));
  await assert.rejects(waitForPassword(target("v1"), auth, { intervalMs: 10, limitMs: 30 }), { code: "PASSWORD_NOT_AVAILABLE" });
});

test("new-password rules and generator", () => {
  const rules = { api: "v1", os: "windows" };
  assert.deepEqual(checkNewPassword("Xy7!abcd-EF", rules), []);
  const broken = checkNewPassword("admin", rules).map((r) => r.rule);
  assert.ok(broken.includes("TOO_SHORT") && broken.includes("TOO_FEW_KINDS"), broken.join());
  const invalid = checkNewPassword("Abcdefg1$", rules).find((r) => r.rule === "INVALID_CHARACTER");
  assert.deepEqual(invalid?.message, { messageId: "rules-invalid-character", args: { char: "'$'", specials: "!@%-_=+[]:./?" } });
  assert.match(message("zh", invalid.message.messageId, invalid.message.args), /不允许的字符 '\$'/);
  for (const api of ["v1", "v2.1"]) for (const os of ["windows", "linux"]) {
    for (let i = 0; i < 50; i++) {
      const p = generateNewPassword({ api, os }, 14);
      assert.equal(p.length, 14);
      assert.deepEqual(checkNewPassword(p, { api, os }), [], p);
    }
  }
});
