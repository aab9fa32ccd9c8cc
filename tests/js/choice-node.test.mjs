// The decisions the widget shares with the CLI (src/api/choice.rs), through the release build's
// bindings in Node: the family choice and its fallback, the key-pair match (against the
// fingerprints ssh-keygen printed for the fixture), the OS guess, and clear errors for bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync, chooseFamily, familyAfterRefusal, matchKeyPair, guessOs } from "../../pkg/cloud/ecs_password_cloud.js";
import { initSync as initKeys, inspectKey } from "../../pkg/keys/ecs_password_keys.js";
import { readText } from "./fixtures.mjs";

initSync({ module: readFileSync(new URL("../../pkg/cloud/ecs_password_cloud_bg.wasm", import.meta.url)) });
initKeys({ module: readFileSync(new URL("../../pkg/keys/ecs_password_keys_bg.wasm", import.meta.url)) });

test("the family: requested, else the permissions' recommendation, else v1 with one fallback to v2.1", () => {
  assert.deepEqual({ ...chooseFamily("v2") }, { family: "v2", reason: "requested", resetApi: "v1" });
  assert.deepEqual({ ...chooseFamily("v2.1", null) }, { family: "v2.1", reason: "requested", resetApi: "v2.1" });
  assert.deepEqual({ ...chooseFamily("auto", { get: "v2.1", reset: "v2.1" }) }, { family: "v2.1", reason: "permissions", resetApi: "v2.1" });
  assert.deepEqual({ ...chooseFamily("auto", { get: null, reset: null }) }, { family: "v1", reason: "denied", resetApi: "v1" });
  const unknown = chooseFamily("auto");
  assert.deepEqual({ ...unknown }, { family: "v1", reason: "unknown", resetApi: "v1" });

  const next = familyAfterRefusal(unknown, "FORBIDDEN");
  assert.deepEqual({ ...next }, { family: "v2.1", reason: "fallback", resetApi: "v1" });
  assert.equal(familyAfterRefusal(next, "FORBIDDEN"), null, "one fallback only");
  assert.equal(familyAfterRefusal(unknown, "AUTH_FAILED"), null);
  assert.equal(familyAfterRefusal(unknown, "WORKER_FAILED"), null, "a code the module does not know");
  assert.equal(familyAfterRefusal(chooseFamily("v1"), "FORBIDDEN"), null, "a named family is final");
  assert.equal(familyAfterRefusal(chooseFamily("auto", { get: null }), "FORBIDDEN"), null, "known permissions are final");
});

test("bad input is a TypeError that says what is wrong", () => {
  assert.throws(() => chooseFamily("v3"), (e) => e instanceof TypeError && /family must be auto, v1, v2, v2\.1 or nova, not "v3"/.test(e.message));
  assert.throws(() => chooseFamily("auto", { get: "v9" }), TypeError);
  assert.throws(() => familyAfterRefusal({ family: "v1", reason: "whim", resetApi: "v1" }, "FORBIDDEN"), /choice\.reason "whim"/);
  assert.throws(() => familyAfterRefusal({}, "FORBIDDEN"), /choice\.reason is missing/);
  assert.throws(() => matchKeyPair({}, { name: "kp" }), /key\.publicKeyOpenssh is missing/);
});

test("a key matches its key pair by public key or by the fingerprints ssh-keygen prints", () => {
  const info = inspectKey(readText("rsa4096.openssh"));
  const other = inspectKey(readText("other2048.pkcs1.pem"));
  const [sha256, md5] = readText("rsa4096.fingerprints.txt").split("\n");
  const blob = info.publicKeyOpenssh.split(" ")[1];
  assert.equal(matchKeyPair(info, { name: "kp", publicKey: `ssh-rsa ${blob} Generated-by-Nova` }), "match");
  assert.equal(matchKeyPair(info, { name: "kp", publicKey: other.publicKeyOpenssh, fingerprint: md5 }), "mismatch");
  assert.equal(matchKeyPair(info, { name: "kp", fingerprint: md5 }), "match");
  assert.equal(matchKeyPair(info, { name: "kp", fingerprint: sha256 }), "match");
  assert.equal(matchKeyPair(info, { name: "kp", fingerprint: other.fingerprintMd5 }), "mismatch");
  assert.equal(matchKeyPair(info, { name: "kp" }), "unverified");
});

test("the OS is Linux only when the metadata says so", () => {
  assert.equal(guessOs("Linux"), "linux");
  assert.equal(guessOs("Windows"), "windows");
  assert.equal(guessOs(undefined), "windows");
  assert.equal(guessOs(null), "windows");
});
