// The decryption worker of <ecs-password>, <ecs-password-fleet> and the offline page
// (widget/worker-client.js is the page's side): the private keys' bytes (and their passphrases)
// come in, stay here, and only public facts (type, size, fingerprints, public key) and decrypted
// passwords go out. The page reads a key file only to hand it over (transferred, so the page's
// copy is detached). Each key is unlocked once (`UnlockedKey`: no second run of a slow passphrase
// derivation when a password is polled for), after which neither the file's bytes nor the
// passphrase are kept. "wipe" frees every key (the module zeroes freed memory); the page then
// terminates this worker.
//
// Several keys (a fleet): each message may name a key by `keyId` (any string the page chooses).
// Without one, the worker holds one key as before: "load" and "export" replace every key. With
// one, they replace only that key, "decrypt" uses it, and "forget" frees it alone.
//
// A private key the cloud holds (Huawei KPS) arrives here too, and only here: "export" gets the
// export request the page's cloud module built and authorized (no key in it), sends it with this
// worker's own fetch, and loads the key straight from the answer's bytes (wiped once read); a
// refusal goes back as its status, request id and body (error answers hold no key).
//
// Messages in:  {id, type: "load", key: ArrayBuffer, passphrase?: string, keyId?} -> {id, info} | {id, error}
//               {id, type: "unlock", passphrase: string}        -> {id, info} | {id, error}
//               {id, type: "export", request: {url, method, headers, body}, keyPair: string, keyId?}
//                                                               -> {id, info} | {id, error: {code, message, answer?}}
//               {id, type: "decrypt", ciphertext: string, keyId?, check?: true}
//                                                               -> {id, password} (check: {id, ok: true}) | {id, error}
//               {id, type: "forget", keyId}                     -> {id, forgotten: true}
//               {id, type: "wipe"}                              -> {id, wiped: true}
// Errors carry only {code, message}: the wasm module's messages never contain key material.
import init, { UnlockedKey } from "./pkg/keys/ecs_password_keys.js";

const ready = init();
/** @type {Map<string, UnlockedKey>} the keys read (and unlocked), by key id ("" without one) */
const keys = new Map();
/** @type {Uint8Array | null} the bytes of a key that waits for its passphrase */
let locked = null;
/** The id the locked key will have. */
let lockedId = "";

function dropLocked() {
  locked?.fill(0);
  locked = null;
}

/** @param {string} keyId */
function forget(keyId) {
  keys.get(keyId)?.free();
  keys.delete(keyId);
}

function wipe() {
  for (const key of keys.values()) key.free();
  keys.clear();
  dropLocked();
}

/**
 * Makes room for the key `keyId`: without an id, every key goes (one key at a time, as before);
 * with one, only that key and a key that waited for its passphrase.
 * @param {string} keyId
 */
function replace(keyId) {
  if (keyId === "") wipe();
  else { forget(keyId); dropLocked(); }
}

/** @param {any} data */
const keyIdOf = (data) => (typeof data.keyId === "string" ? data.keyId : "");

/**
 * A copy for one wasm call (the module wipes what it is given).
 * @param {Uint8Array} bytes
 */
const copy = (bytes) => new Uint8Array(bytes);

/** @param {any} error */
function describe(error) {
  // The module's message as data ({messageId, args}: names and sizes, never a secret).
  const out = { code: error?.code ?? "UNKNOWN", message: String(error?.message ?? ""), messageId: error?.messageId, args: error?.args };
  return error?.answer ? { ...out, answer: error.answer } : out;
}

/** The largest answer read (as the cloud module's transport). */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
/** How long the export may take. */
const EXPORT_TIMEOUT_MS = 30_000;

/** @param {string} code @param {string} [message] @param {object} [more] */
const coded = (code, message = code, more = {}) => Object.assign(new Error(message), { code }, more);

/**
 * Sends KPS's export request and loads the private key from the answer's bytes; the bytes are
 * wiped by the key module, and nothing of the answer leaves this worker but the key's public facts.
 * @param {{ url: string, method: string, headers: Record<string, string>, body: string }} request
 * @param {string} keyPair
 * @returns {Promise<UnlockedKey>}
 */
async function exportKey(request, keyPair) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), EXPORT_TIMEOUT_MS);
  /** @type {Response} */
  let response;
  try {
    response = await fetch(request.url, {
      method: request.method, headers: request.headers, body: request.body,
      redirect: "error", cache: "no-store", credentials: "omit", signal: controller.signal,
    });
  } catch (error) {
    clearTimeout(timer);
    throw controller.signal.aborted ? coded("TIMEOUT") : coded("NETWORK_ERROR", String(/** @type {any} */ (error)?.message ?? ""));
  }
  try {
    if (Number(response.headers.get("content-length") ?? 0) > MAX_ANSWER_BYTES) throw coded("RESPONSE_INVALID", "the answer is larger than 4 MiB");
    if (!response.ok) {
      /** @type {Record<string, string>} */
      const headers = {};
      for (const name of ["x-request-id", "x-openstack-request-id", "content-type"]) {
        const value = response.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      const body = (await response.text()).slice(0, 64 * 1024);
      throw coded("KPS_REFUSED", `HTTP ${response.status}`, { answer: { status: response.status, headers, body } });
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > MAX_ANSWER_BYTES) {
      bytes.fill(0);
      throw coded("RESPONSE_INVALID", "the answer is larger than 4 MiB");
    }
    return UnlockedKey.fromKpsExport(keyPair, bytes); // the module wipes `bytes`
  } catch (error) {
    if (controller.signal.aborted) throw coded("TIMEOUT");
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** @param {UnlockedKey} key */
function facts(key) {
  const info = key.info;
  return {
    algorithm: info.algorithm,
    bits: info.bits,
    format: info.format,
    encrypted: info.encrypted,
    fingerprintSha256: info.fingerprintSha256,
    fingerprintMd5: info.fingerprintMd5,
    publicKeyOpenssh: info.publicKeyOpenssh,
  };
}

self.onmessage = async ({ data }) => {
  const { id, type } = data;
  const keyId = keyIdOf(data);
  try {
    await ready;
    if (type === "load") {
      replace(keyId);
      locked = new Uint8Array(data.key);
      lockedId = keyId;
      const passphrase = typeof data.passphrase === "string" ? new TextEncoder().encode(data.passphrase) : undefined;
      const key = new UnlockedKey(copy(locked), passphrase); // the module wipes `passphrase`
      dropLocked();
      keys.set(keyId, key);
      self.postMessage({ id, info: facts(key) });
    } else if (type === "unlock") {
      if (!locked) throw Object.assign(new Error("no key waits for a passphrase"), { code: "KEY_MALFORMED" });
      const passphrase = new TextEncoder().encode(data.passphrase);
      const key = new UnlockedKey(copy(locked), passphrase); // the module wipes `passphrase`
      dropLocked();
      keys.set(lockedId, key);
      self.postMessage({ id, info: facts(key) });
    } else if (type === "export") {
      replace(keyId);
      const key = await exportKey(data.request, String(data.keyPair));
      keys.set(keyId, key);
      self.postMessage({ id, info: facts(key) });
    } else if (type === "decrypt") {
      const key = keys.get(keyId);
      if (!key) throw Object.assign(new Error("no key"), { code: "KEY_MALFORMED" });
      const password = key.decrypt(data.ciphertext);
      self.postMessage(data.check ? { id, ok: password.length > 0 } : { id, password });
    } else if (type === "forget") {
      forget(keyId);
      self.postMessage({ id, forgotten: true });
    } else if (type === "wipe") {
      wipe();
      self.postMessage({ id, wiped: true });
    }
  } catch (error) {
    // A key that needs a passphrase waits for it; anything else this tool cannot use is dropped
    // (with no key id, every key, as when there was only ever one).
    const waits = locked && ["PASSPHRASE_REQUIRED", "WRONG_PASSPHRASE"].includes(/** @type {any} */ (error)?.code);
    if (!waits) dropLocked();
    if (!waits && keyId === "" && type !== "decrypt") wipe();
    self.postMessage({ id, error: describe(error) });
  }
};
