// The pure state of <ecs-password-fleet> (www/widget/fleet-state.js), with the core's own
// decisions through the release build's bindings as the oracles: the OS guess, the key-pair match
// (against the fingerprints ssh-keygen printed for the fixtures) and the diagnosis of a missing
// password; the views the element renders; and that every catalogue has every text it shows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync, matchKeyPair, guessOs, diagnoseMissingPassword } from "../../pkg/cloud/ecs_password_cloud.js";
import { initSync as initKeys, inspectKey } from "../../pkg/keys/ecs_password_keys.js";
import { readText } from "./fixtures.mjs";
import * as F from "../../www/widget/fleet-state.js";
import en from "../../www/i18n/en.js";
import zh from "../../www/i18n/zh.js";

initSync({ module: readFileSync(new URL("../../pkg/cloud/ecs_password_cloud_bg.wasm", import.meta.url)) });
initKeys({ module: readFileSync(new URL("../../pkg/keys/ecs_password_keys_bg.wasm", import.meta.url)) });

const NOW = Date.now();
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
const SERVERS = [
  { id: "s1", name: "win-2048", status: "ACTIVE", keyName: "kp2048", osType: "Windows", tags: ["env=prod"], enterpriseProjectId: "ep-finance", launchedAt: iso(NOW - 3600_000) },
  { id: "s2", name: "win-4096", status: "ACTIVE", keyName: "kp4096", osType: "Windows", tags: ["env=prod"], launchedAt: iso(NOW - 3600_000) },
  { id: "s3", name: "win-booting", status: "ACTIVE", keyName: "kp2048", osType: "Windows", tags: ["env=test"], launchedAt: iso(NOW - 60_000) },
  { id: "s4", name: "linux-web", status: "ACTIVE", keyName: "kp2048", osType: "Linux", tags: ["env=prod"] },
  { id: "s5", name: "win-nokey", status: "ACTIVE", osType: "Windows" },
  { id: "s1", name: "win-2048 again (a page that moved)" },
];
const fingerprints = (name) => readText(name).split("\n");
const KP2048 = { name: "kp2048", fingerprint: fingerprints("rsa2048.fingerprints.txt")[1] };
const KP4096 = { name: "kp4096", fingerprint: fingerprints("rsa4096.fingerprints.txt")[0] };
const key2048 = { id: "k1", info: inspectKey(readText("rsa2048.pkcs1.pem")) };
const key4096 = { id: "k2", info: inspectKey(readText("rsa4096.openssh")) };
const other = { id: "k3", info: inspectKey(readText("other2048.pkcs1.pem")) };
const listed = () => F.listed(F.listing(F.initial()), SERVERS, guessOs);

test("the list: one row per server in list order, the core's OS guess, tags kept", () => {
  const s = listed();
  assert.equal(s.phase, "listed");
  assert.deepEqual(s.order, ["s1", "s2", "s3", "s4", "s5"], "a server listed twice is one row");
  assert.equal(s.rows.s1.server.name, "win-2048");
  assert.deepEqual(SERVERS.slice(0, 5).map((x) => s.rows[x.id].os), SERVERS.slice(0, 5).map((x) => guessOs(x.osType ?? null)));
  assert.deepEqual(s.rows.s1.tags, ["env=prod"]);
  assert.ok(Object.isFrozen(s) && Object.isFrozen(s.rows) && Object.isFrozen(s.rows.s1), "the state is frozen");
  assert.deepEqual(s.selected, []);
});

test("choosing: all Windows servers, a filter by name, tag or enterprise project, by hand", () => {
  let s = listed();
  const all = { text: "", windowsOnly: false };
  assert.deepEqual(F.shown(s, all), s.order);
  assert.deepEqual(F.shown(s, { text: "", windowsOnly: true }), ["s1", "s2", "s3", "s5"], "Linux left out");
  assert.deepEqual(F.shown(s, { text: "  BOOT ", windowsOnly: false }), ["s3"], "part of a name, any case, trimmed");
  assert.deepEqual(F.shown(s, { text: "env=prod", windowsOnly: true }), ["s1", "s2"], "a tag");
  assert.deepEqual(F.shown(s, { text: "s5", windowsOnly: false }), ["s5"], "an id");
  assert.deepEqual(F.shown(s, { text: "nothing like it", windowsOnly: false }), []);
  s = F.select(s, F.shown(s, { text: "", windowsOnly: true }), true);
  assert.deepEqual(s.selected, ["s1", "s2", "s3", "s5"]);
  s = F.select(s, ["s2", "unknown"], false);
  assert.deepEqual(s.selected, ["s1", "s3", "s5"], "an unknown id changes nothing");
  s = F.select(s, ["s4", "s2"], true);
  assert.deepEqual(s.selected, ["s1", "s2", "s3", "s4", "s5"], "list order, whatever the order chosen in");
});

test("each server gets the loaded key whose fingerprint is its key pair's (the core's match)", () => {
  const keys = [key4096, key2048];
  assert.deepEqual(F.pickKey(keys, KP2048, matchKeyPair), { keyId: "k1", verified: true });
  assert.deepEqual(F.pickKey(keys, KP4096, matchKeyPair), { keyId: "k2", verified: true });
  assert.deepEqual(F.pickKey([key2048, other], KP4096, matchKeyPair), { keyId: null, expected: KP4096.fingerprint }, "not loaded: the pair's fingerprint is named");
  assert.deepEqual(F.pickKey([key2048], { name: "bare" }, matchKeyPair), { keyId: "k1", verified: false }, "a pair with nothing to compare: unverified");
  assert.deepEqual(F.pickKey([key2048], null, matchKeyPair), { keyId: "k1", verified: false }, "no pair read, one key: that key");
  assert.deepEqual(F.pickKey(keys, null, matchKeyPair), { keyId: null, expected: "" }, "no pair read, several keys: none guessed");
  assert.deepEqual(F.pickKey([], KP2048, matchKeyPair), { keyId: null, expected: KP2048.fingerprint });
});

test("keys: added once per id, removed, forgotten", () => {
  let s = F.keyAdded(F.keyAdded(listed(), key2048), key4096);
  s = F.keyAdded(s, { ...key2048, info: other.info });
  assert.deepEqual(s.keys.map((k) => k.id), ["k2", "k1"], "the same id replaces its key");
  assert.deepEqual(F.keyRemoved(s, "k2").keys.map((k) => k.id), ["k1"]);
  assert.deepEqual(F.keysForgotten(s).keys, []);
  assert.deepEqual(F.listing(s).keys, s.keys, "listing again keeps the keys");
});

test("a run: ready, not yet (countdown), never (cause), refused (reason), error (request id)", () => {
  let s = F.select(listed(), ["s1", "s2", "s3", "s4", "s5"], true);
  s = F.started(s);
  assert.equal(s.phase, "running");
  assert.deepEqual(F.summary(s), { ready: 0, notYet: 0, never: 0, refused: 0, error: 0, pending: 5 });
  s = F.asking(s, "s1");
  assert.equal(s.rows.s1.state, "asking");
  s = F.ready(s, "s1", "k1");
  const booting = diagnoseMissingPassword(s.rows.s3.server, KP2048, false);
  assert.equal(booting.canWait, true, "the core says a server booted a minute ago may still post");
  s = F.missing(s, "s3", booting, NOW + 30_000);
  const linux = diagnoseMissingPassword(s.rows.s4.server, null, false);
  assert.equal(linux.canWait, false);
  s = F.missing(s, "s4", linux, NOW + 30_000);
  assert.equal(s.rows.s4.waitUntil, null, "never: no countdown");
  s = F.failed(s, "s2", { code: "FORBIDDEN", cloudCode: "Ecs.0103", requestId: "req-1", explanation: "No policy allows ecs:serverPasswords:get." });
  s = F.failed(s, "s5", { code: "TIMEOUT", cloudCode: null, requestId: null });
  s = F.finished(s);
  assert.deepEqual(F.summary(s), { ready: 1, notYet: 1, never: 1, refused: 1, error: 1, pending: 0 });
  assert.deepEqual(F.retrieved(s), ["s1"]);

  assert.deepEqual(F.stateView(s.rows.s1, NOW), { key: "fleet.state.ready", params: {}, cause: null });
  const wait = F.stateView(s.rows.s3, NOW + 12_500);
  assert.deepEqual([wait.key, wait.params.seconds, wait.cause?.key], ["fleet.state.notYetIn", 18, "fleet.cause.booting"]);
  assert.equal(F.stateView(F.waiting(s, "s3", NOW + 60_000).rows.s3, NOW).params.seconds, 60, "the next ask moves the countdown");
  assert.equal(F.waiting(s, "s1", NOW).rows.s1.waitUntil, null, "only a waiting row has a countdown");
  assert.deepEqual(F.stateView(s.rows.s4, NOW).cause, { key: "get.never.linux", params: {} });
  assert.equal(s.rows.s2.state, "refused");
  assert.equal(s.rows.s2.problem?.requestId, "req-1");
  assert.equal(s.rows.s5.state, "error");
});

test("clear all retrieved: a cleared row is never (cleared); forgetting keeps the list", () => {
  let s = F.finished(F.ready(F.started(F.select(listed(), ["s1"], true)), "s1", "k1"));
  const why = diagnoseMissingPassword(s.rows.s1.server, KP2048, true);
  assert.equal(why.cause, "cleared");
  s = F.cleared(s, "s1", why);
  assert.equal(s.rows.s1.state, "never");
  assert.deepEqual(F.stateView(s.rows.s1, NOW).cause, { key: "get.never.cleared", params: {} });
  assert.deepEqual(F.retrieved(s), []);
  s = F.forgotten(F.ready(s, "s1", "k1"));
  assert.equal(s.rows.s1.state, "idle");
  assert.deepEqual(s.order, ["s1", "s2", "s3", "s4", "s5"]);
  assert.equal(F.unasked(F.asking(s, "s2"), "s2").rows.s2.state, "idle");
});

test("a never diagnosis gives its message parameters", () => {
  const noAgent = diagnoseMissingPassword({ id: "x", name: "old", status: "ACTIVE", keyName: "kp", osType: "Windows", launchedAt: iso(NOW - 2 * 3600_000) }, KP2048, false);
  assert.equal(noAgent.cause, "noAgent");
  assert.equal(F.diagnosisParams(noAgent).minutes, Math.floor(noAgent.runningSecs / 60));
  const off = diagnoseMissingPassword({ id: "x", name: "off", status: "SHUTOFF", keyName: "kp", osType: "Windows", launchedAt: iso(NOW - 60_000) }, KP2048, false);
  assert.deepEqual(F.diagnosisParams(off), { status: "SHUTOFF" });
});

test("the export entry of a ready row (export-client.js's shape)", () => {
  const s = listed();
  assert.deepEqual(F.exportEntry(s.rows.s1, "pw"), { title: "win-2048", password: "pw", serverId: "s1" });
});

test("both catalogues have every text the fleet view shows", () => {
  const source = readFileSync(new URL("../../www/widget/fleet.js", import.meta.url), "utf8") +
    readFileSync(new URL("../../www/widget/fleet-template.js", import.meta.url), "utf8") +
    readFileSync(new URL("../../www/widget/fleet-state.js", import.meta.url), "utf8");
  const literal = [...source.matchAll(/"((?:fleet|key|result|get|widget|picker|server|clear|error)\.[\w.]+)"/g)].map((m) => m[1]);
  const dynamic = [
    ...F.OUTCOMES.map((o) => `fleet.summary.${o}`),
    ...["idle", "queued", "asking", "ready", "notYet", "never", "refused", "error"].map((st) => `fleet.state.${st}`),
    ...["building", "booting", "ageUnknown"].map((c) => `fleet.cause.${c}`),
    ...["linux", "noKeyPair", "keyPairNotRsa", "cleared", "notRunning", "noAgent"].map((c) => `get.never.${c}`),
  ];
  const keys = [...new Set([...literal, ...dynamic])].filter((k) => !k.endsWith("."));
  assert.ok(literal.includes("fleet.heading"), "the keys are found in the source");
  for (const key of keys) {
    assert.ok(key in en, `en.js has ${key}`);
    assert.ok(key in zh, `zh.js has ${key}`);
  }
  for (const key of Object.keys(en).filter((k) => k.startsWith("fleet."))) assert.ok(key in zh, `zh.js has ${key}`);
});
