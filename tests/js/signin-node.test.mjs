// The cloud module's sign-in (the release build, in Node) against `ecs-password serve`'s emulated
// Keystone (/identity) and Huawei IAM (/v3): password, password then MFA code with the receipt,
// password and code together, application credential, token rescoped to a project, the projects
// of a token, the catalog's endpoint per family, and errors with their codes. The TOTP codes are
// computed here with Node's HMAC, independently of the emulator's.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createHmac } from "node:crypto";
import * as cloud from "../../pkg/cloud/ecs_password_cloud.js";
import { startServe } from "./serve.mjs";

cloud.initSync({ module: readFileSync(new URL("../../pkg/cloud/ecs_password_cloud_bg.wasm", import.meta.url)) });
const { signIn, listProjects, apiEndpoint, cloudRegions, callApi } = cloud;

/** @type {{ url: string, close: () => Promise<unknown> }} */
let serve;
/** @type {any} GET /demo */
let demo;

before(async () => {
  serve = await startServe();
  demo = await (await fetch(`${serve.url}/demo`)).json();
});
after(() => serve?.close());

/** @param {string} name */
const principal = (name) => demo.principals.find((/** @type {any} */ p) => p.name === name);
const keystone = () => `${serve.url}/identity`;

/** RFC 6238 (SHA-1, 30 s, 6 digits) of a base32 secret. @param {string} secret */
function totp(secret) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bits = [...secret.replace(/=+$/, "")].map((ch) => alphabet.indexOf(ch).toString(2).padStart(5, "0")).join("");
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/** @param {Promise<unknown>} promise */
async function codeOf(promise) {
  try {
    await promise;
  } catch (/** @type {any} */ e) {
    assert.equal(e.name, "EcsPasswordError");
    return e.code;
  }
  return assert.fail("expected an error");
}

test("Keystone password sign-in: a token for the user's one project, its roles, and Nova's endpoint in the catalog", async () => {
  const user = { name: "admin", domainName: demo.domainName };
  const result = /** @type {any} */ (await signIn(keystone(), { method: "password", user, password: principal("admin").password }, null));
  assert.equal(result.kind, "signedIn");
  assert.match(result.token, /^gAAAAAB/);
  assert.equal(result.project.id, demo.project.id, "the one project was chosen for the user");
  assert.equal(result.project.name, demo.project.name);
  // The user's roles in the project, with the ones they imply (member implies reader).
  for (const role of [...principal("admin").novaRoles, "reader"]) assert.ok(result.roles.includes(role), `${role} in ${result.roles}`);
  assert.ok(result.expiresUnix > Date.now() / 1000 + 600);
  const where = apiEndpoint(result.catalog, { family: "auto" });
  assert.deepEqual(where, { family: "nova", endpoint: `${serve.url}/compute/v2.1/${demo.project.id}` });
  assert.equal(await codeOf((async () => apiEndpoint(result.catalog, { family: "auto", region: "nowhere" }))()), "ENDPOINT_NOT_FOUND");
  // The token works on Nova: the password of the demo's 2048-bit server.
  const answer = /** @type {any} */ (await callApi({ endpoint: where.endpoint, family: "nova", serverId: demo.servers[0].id }, { kind: "password", operation: "get" }, { token: result.token }));
  assert.equal(answer.kind, "ciphertext");
  const projects = /** @type {any[]} */ (await listProjects(keystone(), result.token));
  assert.deepEqual(projects.map((p) => p.id), [demo.project.id]);
});

test("a user with MFA: the password gets a receipt, the code with the receipt gets the token", async () => {
  const reader = principal("reader");
  const user = { name: "reader", domainName: demo.domainName };
  const first = /** @type {any} */ (await signIn(keystone(), { method: "password", user, password: reader.password }, null));
  assert.equal(first.kind, "needPasscode");
  assert.match(first.receipt, /^[0-9a-f]{32,}$/);
  assert.equal(await codeOf(signIn(keystone(), { method: "totp", user, passcode: "000000" }, null, { receipt: first.receipt })), "AUTH_FAILED");
  const second = /** @type {any} */ (await signIn(keystone(), { method: "totp", user, passcode: totp(reader.totpSecret) }, null, { receipt: first.receipt }));
  assert.equal(second.kind, "signedIn");
  // Both factors, and the token method of the rescope to the user's one project.
  assert.deepEqual(second.methods.sort(), ["password", "token", "totp"]);
  assert.equal(second.project.id, demo.project.id);
  assert.deepEqual(second.roles, ["reader"]);
  // Password and code in one request (Huawei IAM's way) work as well.
  const both = /** @type {any} */ (await signIn(keystone(), { method: "password", user, password: reader.password, passcode: totp(reader.totpSecret) }, { projectName: demo.project.name, domainName: demo.domainName }));
  assert.equal(both.kind, "signedIn");
  assert.equal(both.project.id, demo.project.id);
});

test("application credential, and a token rescoped to a project by id", async () => {
  const admin = principal("admin");
  const credential = admin.applicationCredentials[0];
  const result = /** @type {any} */ (await signIn(keystone(), { method: "applicationCredential", id: credential.id, secret: credential.secret }, null));
  assert.equal(result.kind, "signedIn");
  assert.equal(result.project.id, demo.project.id);
  const rescoped = /** @type {any} */ (await signIn(keystone(), { method: "token", token: result.token }, { projectId: demo.project.id }));
  assert.equal(rescoped.kind, "signedIn");
  assert.notEqual(rescoped.token, result.token);
  assert.equal(await codeOf(signIn(keystone(), { method: "applicationCredential", id: credential.id, secret: "wrong" }, null)), "AUTH_FAILED");
});

test("Huawei IAM: the region's project by name, and the ECS host from the catalog", async () => {
  const admin = principal("admin");
  const user = { name: "admin", domainName: demo.domainName };
  const result = /** @type {any} */ (await signIn(`${serve.url}/v3`, { method: "password", user, password: admin.password }, { projectName: demo.project.name }));
  assert.equal(result.kind, "signedIn");
  assert.match(result.token, /^MIIE/);
  assert.deepEqual(apiEndpoint(result.catalog, {}), { family: null, endpoint: serve.url });
  assert.deepEqual(apiEndpoint(result.catalog, { family: "nova" }), { family: "nova", endpoint: `${serve.url}/v2.1/${demo.project.id}` });
});

test("errors: a wrong password, an unknown user, bad arguments, an identity service that is not there", async () => {
  const user = { name: "admin", domainName: demo.domainName };
  assert.equal(await codeOf(signIn(keystone(), { method: "password", user, password: "wrong" }, null)), "AUTH_FAILED");
  assert.equal(await codeOf(signIn(keystone(), { method: "password", user: { name: "nobody-here", domainName: demo.domainName }, password: "x" }, null)), "AUTH_FAILED");
  assert.equal(await codeOf(signIn("http://example.com/identity", { method: "token", token: "t" }, null)), "ENDPOINT_INVALID", "plain http outside loopback");
  await assert.rejects(signIn(keystone(), /** @type {any} */ ({ method: "password", user: {}, password: "x" }), null), TypeError);
  const closed = `http://127.0.0.1:9/identity`;
  assert.equal(await codeOf(signIn(closed, { method: "token", token: "t" }, null)), "NETWORK_ERROR");
});

test("the region table lists Huawei Cloud and OTC regions with their endpoints", () => {
  const regions = /** @type {any[]} */ (cloudRegions());
  const eude = regions.find((r) => r.cloud === "otc" && r.region === "eu-de");
  assert.deepEqual(eude, { cloud: "otc", region: "eu-de", ecs: "https://ecs.eu-de.otc.t-systems.com", iam: "https://iam.eu-de.otc.t-systems.com" });
  assert.ok(regions.filter((r) => r.cloud === "huaweicloud").length >= 10);
});

test("an access key pair's project, found from the region as Huawei's SDKs do", async () => {
  const admin = principal("admin");
  const keys = { accessKey: admin.accessKey, secretKey: admin.secretKey };
  assert.equal(await cloud.projectForRegion(`${serve.url}/v3`, demo.region, keys), demo.project.id);
  assert.equal(await codeOf(cloud.projectForRegion(`${serve.url}/v3`, "xx-nowhere-1", keys)), "PROJECT_NOT_FOUND");
  assert.equal(await codeOf(cloud.projectForRegion(`${serve.url}/v3`, demo.region, { ...keys, secretKey: "wrong" })), "AUTH_FAILED");
});
