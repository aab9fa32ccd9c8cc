// The release build in pkg/ (optimised by wasm-opt), both modules loaded in Node the way a page
// loads them: every key format decrypts, errors carry codes, inputs are wiped, the .d.ts files
// declare the API, and each module holds only its half.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as keys from "../../pkg/keys/ecs_password_keys.js";
import * as cloud from "../../pkg/cloud/ecs_password_cloud.js";
import { read, readText, manifest, rsaKeys, PASSPHRASE, PASSWORD, ciphertext } from "./fixtures.mjs";
import { message } from "./messages.mjs";

keys.initSync({ module: readFileSync(new URL("../../pkg/keys/ecs_password_keys_bg.wasm", import.meta.url)) });
cloud.initSync({ module: readFileSync(new URL("../../pkg/cloud/ecs_password_cloud_bg.wasm", import.meta.url)) });
const { decryptPassword, inspectKey, errorCodes } = keys;
const { checkPermission, explainAccess, permissionTable, checkNova } = cloud;

test("the key module holds keys only, the cloud module no key code", () => {
  for (const name of ["decryptPassword", "inspectKey", "UnlockedKey", "errorCodes"]) {
    assert.equal(typeof keys[name], "function", name);
    assert.equal(name in cloud, false, name);
  }
  for (const name of ["callApi", "waitForPassword", "checkPermission", "explainAccess", "checkNova", "chooseFamily", "matchKeyPair"]) {
    assert.equal(typeof cloud[name], "function", name);
    assert.equal(name in keys, false, name);
  }
});

test("every RSA key format decrypts with the release build", () => {
  assert.ok(rsaKeys.length >= 28);
  for (const key of rsaKeys) {
    const bytes = new Uint8Array(read(key.file));
    const password = decryptPassword(bytes, ciphertext(key.bits), key.encrypted ? PASSPHRASE : undefined);
    assert.equal(password, PASSWORD, key.file);
    assert.ok(bytes.every((b) => b === 0), `${key.file}: the key array was not wiped`);
  }
});

test("inspectKey reports format, size and fingerprints", () => {
  const [sha256, md5] = readText("rsa4096.fingerprints.txt").split("\n");
  const info = inspectKey(readText("rsa4096.openssh"));
  assert.deepEqual(
    { algorithm: info.algorithm, bits: info.bits, format: info.format, encrypted: info.encrypted },
    { algorithm: "rsa", bits: 4096, format: "openssh", encrypted: false },
  );
  assert.equal(info.fingerprintSha256, sha256);
  assert.equal(info.fingerprintMd5, md5);
  // What the declarations promise for an absent value (`string | null`) is what arrives.
  assert.equal(typeof inspectKey(readText("rsa2048.openssh")).comment, "string", "OpenSSH files carry a comment");
  assert.equal(inspectKey(readText("rsa2048.pkcs1.pem")).comment, null, "a PEM key has none");
});

test("errors are EcsPasswordErrors with stable codes", () => {
  const nonRsa = manifest.filter((k) => k.algorithm !== "rsa");
  assert.ok(nonRsa.length >= 8);
  for (const key of nonRsa) {
    assert.throws(() => decryptPassword(read(key.file), ciphertext(2048)), { name: "EcsPasswordError", code: "KEY_NOT_RSA" }, key.file);
  }
  const cases = [
    ["PASSPHRASE_REQUIRED", () => decryptPassword(readText("rsa2048.ppk2-encrypted"), ciphertext(2048))],
    ["WRONG_PASSPHRASE", () => decryptPassword(readText("rsa2048.ppk2-encrypted"), ciphertext(2048), "wrong passphrase")],
    ["WRONG_KEY", () => decryptPassword(readText("other2048.pkcs1.pem"), ciphertext(2048))],
    ["WRONG_KEY", () => decryptPassword(readText("rsa2048.pkcs8.pem"), ciphertext(3072))],
    ["CIPHERTEXT_MALFORMED", () => decryptPassword(readText("rsa2048.pkcs8.pem"), ciphertext(2048).slice(0, 100))],
    ["PASSWORD_NOT_AVAILABLE", () => decryptPassword(readText("rsa2048.pkcs8.pem"), '{"password": ""}')],
    ["PLAINTEXT_INVALID", () => decryptPassword(readText("rsa2048.pkcs8.pem"), readText("rsa2048-invalid-utf8.ciphertext.b64"))],
    ["KEY_FORMAT_UNSUPPORTED", () => inspectKey(readText("certificate.pem"))],
    ["KEY_MALFORMED", () => inspectKey(readText("published/horizon.fake-key.pem"))],
  ];
  for (const [code, call] of cases) {
    assert.throws(call, (e) => e instanceof Error && e.code === code && !e.message.includes(PASSPHRASE), code);
  }
  // The core's list (ErrorCode::ALL), each once: every code thrown above is in it.
  const codes = errorCodes();
  assert.equal(new Set(codes).size, codes.length, "a code listed twice");
  for (const [code] of cases) assert.ok(codes.includes(code), code);
});

test("the published TypeScript declarations name the API and every code", () => {
  const dts = readFileSync(new URL("../../pkg/keys/ecs_password_keys.d.ts", import.meta.url), "utf8");
  const cloudDts = readFileSync(new URL("../../pkg/cloud/ecs_password_cloud.d.ts", import.meta.url), "utf8");
  for (const name of ["decryptPassword", "inspectKey", "errorCodes", "interface KeyInfo", "EcsPasswordError"]) {
    assert.ok(dts.includes(name), name);
  }
  for (const name of ["interface KeyInfo", "EcsPasswordError", "checkPermission", "explainAccess", "interface Decision", "interface OperationAccess", "interface KpsDecision", "callApi"]) {
    assert.ok(cloudDts.includes(name), name);
  }
  // The decisions' declarations are derived from the Rust types (tsify): reasons are messages.
  assert.match(cloudDts, /export interface Decision \{[^}]*explanation: MessageData;[^}]*notes: MessageData\[\];/);
  assert.match(cloudDts, /deciding: DecidingStatement \| null;/);
  assert.doesNotMatch(cloudDts, /notesZh/);
  for (const code of errorCodes()) assert.ok(dts.includes(`"${code}"`) && cloudDts.includes(`"${code}"`), code);
  // The declared ErrorCode union is exactly the module's list: no code missing, none left over.
  const union = /export type ErrorCode =([^;]*);/.exec(dts)?.[1] ?? "";
  assert.deepEqual([...union.matchAll(/"([A-Z_]+)"/g)].map((m) => m[1]).sort(), [...errorCodes()].sort());
  // The bindings hand values over JSON-compatible (an absent one is null, never undefined), and
  // an input's absent field is optional: no declared field is a required `… | undefined`.
  for (const name of ["keys/ecs_password_keys", "cloud/ecs_password_cloud", "export/ecs_password_export"]) {
    const text = readFileSync(new URL(`../../pkg/${name}.d.ts`, import.meta.url), "utf8");
    const required = [...text.matchAll(/(?<=^|[{;])\s*(\w+): [^;{}]*\| undefined(?=\s*[;}])/gm)].map((m) => m[1]);
    assert.deepEqual(required, [], `${name}.d.ts: a required field declared "| undefined"`);
  }
  assert.match(dts, /decryptPassword\(key: Uint8Array \| string, ciphertext: string, passphrase\?: Uint8Array \| string\): string/);
});

test("the permission engine in the release build", () => {
  const grants = { grants: [{ policy: "ECS FullAccess", scope: { enterpriseProject: "ep1" } }] };
  const v1 = checkPermission(grants, "GET /v1/p1/cloudservers/s1/os-server-password", { serverEnterpriseProject: "ep1" });
  assert.deepEqual([v1.decision, v1.reason, v1.row, v1.deciding.policy], ["allow", "allow", 3, "ECS FullAccess"]);
  const v21 = checkPermission(JSON.stringify(grants), "GET /v2.1/p1/servers/s1/os-server-password", { serverEnterpriseProject: "ep1" });
  assert.deepEqual([v21.decision, v21.reason], ["deny", "implicit-deny"]);
  // The reason is a message as data; the catalogues give it words in each language.
  assert.equal(v21.explanation.messageId, "iam-implicit-deny-not-applicable");
  assert.equal("explanationZh" in v21, false);
  assert.match(message("en", v21.explanation.messageId, v21.explanation.args),
    /"ECS FullAccess" is granted through enterprise project ep1, and GET \/v2\.1\/\{project_id\}\/servers\/\{server_id\}\/os-server-password does not support enterprise projects \(use the v1 API\)\. Ask your administrator for a policy that allows ecs:serverPasswords:manage \(for example ECS FullAccess\)/);
  assert.match(message("zh", v21.explanation.messageId, v21.explanation.args),
    /“ECS FullAccess”通过企业项目 ep1 授予，而 GET .* 不支持企业项目授权（请使用 v1 接口）。请联系管理员在此项目中授予包含 ecs:serverPasswords:manage 的策略（例如 ECS FullAccess）/);
  assert.match(message("en", v1.explanation.messageId, v1.explanation.args), /^Allowed: "ECS FullAccess" \(statement 1\), granted in enterprise project ep1, allows ecs:cloudServers:get/);
  assert.match(message("zh", v1.explanation.messageId, v1.explanation.args), /^允许：在企业项目 ep1中授予的“ECS FullAccess”（第 1 条语句）允许 ecs:cloudServers:get/);
  const access = explainAccess(grants, "p1", "s1", { serverEnterpriseProject: "ep1" });
  assert.deepEqual(access.map((a) => [a.operation, a.recommended]), [["get", "v1"], ["clear", "v1"], ["reset", "v1"], ["reset-flag", "v1"]]);
  assert.throws(() => checkPermission(grants, "GET /v1/p1/cloudservers/s1"), { code: "NOT_IN_TABLE" });
  assert.throws(() => checkPermission({ grants: [{ policy: "Nope", scope: { project: "p" } }] }, "GET /v1/p1/cloudservers/s1/os-server-password"), { code: "GRANTS_INVALID" });
  const table = permissionTable();
  assert.equal(table.length, 9);
  assert.equal(message("en", table[2].description.messageId), "Obtaining the password for logging in to a Windows ECS");
  assert.equal(message("zh", table[2].description.messageId), "Windows云服务器获取密码");
  const nova = checkNova("DELETE /v2.1/servers/s1/os-server-password", { roles: ["reader"], tokenProject: "p1", serverProject: "p1" });
  assert.deepEqual([nova.decision, nova.operation, nova.overridden], ["deny", "clear", false]);
  // The reason is a message as data, rendered from the catalogues: the missing role, who grants it.
  assert.equal("explanationZh" in nova, false);
  assert.match(message("en", nova.explanation.messageId, nova.explanation.args), /the rule needs the role member in the server's project; you have reader\. Ask an administrator to give you the role member in project p1\./);
  assert.match(message("zh", nova.explanation.messageId, nova.explanation.args), /请联系管理员在项目 p1 中为你分配角色 member/);
  const admin = checkNova("GET /v2.1/servers/s1/os-server-password", { roles: ["admin"], tokenProject: "p1", serverProject: "p9" });
  assert.equal(admin.decision, "allow");
  assert.deepEqual([admin.isAdmin, admin.release], [true, "2025.2"]);
  // Nova 20 (admin_or_owner) lets any token of the project in; "train" names that release.
  const legacy = checkNova("GET /v2.1/servers/s1/os-server-password", { roles: ["observer"], tokenProject: "p1", serverProject: "p1", novaRelease: "train" });
  assert.deepEqual([legacy.decision, legacy.release, legacy.rule], ["allow", "legacy", "os_compute_api:os-server-password"]);
  assert.throws(() => checkNova("GET /v2.1/servers/s1/os-server-password", { roles: [], tokenProject: "p1", serverProject: "p1", novaRelease: "ussuri" }), TypeError);
});
