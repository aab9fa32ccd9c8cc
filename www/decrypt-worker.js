// The decryption worker of <ecs-password> and of the offline page (widget/worker-client.js is the
// page's side): the private key's bytes (and its passphrase) come in,
// stay here, and only public facts (type, size, fingerprints, public key) and the decrypted
// password go out. The page reads the key file only to hand it over (transferred, so the page's
// copy is detached). The key is unlocked once (`UnlockedKey`: no second run of a slow passphrase
// derivation when a password is polled for), after which neither the file's bytes nor the
// passphrase are kept. "wipe" frees the key (the module zeroes freed memory); the page then
// terminates this worker.
//
// A private key the cloud holds (Huawei KPS) arrives here too, and only here: "export" gets the
// export request the page's cloud module built and authorized (no key in it), sends it with this
// worker's own fetch, and loads the key straight from the answer's bytes (wiped once read); a
// refusal goes back as its status, request id and body (error answers hold no key).
//
// Messages in:  {id, type: "load", key: ArrayBuffer, passphrase?: string} -> {id, info} | {id, error}
//               {id, type: "unlock", passphrase: string}        -> {id, info} | {id, error}
//               {id, type: "export", request: {url, method, headers, body}, keyPair: string}
//                                                               -> {id, info} | {id, error: {code, message, answer?}}
//               {id, type: "decrypt", ciphertext: string}       -> {id, password} | {id, error}
//               {id, type: "wipe"}                              -> {id, wiped: true}
// Errors carry only {code, message}: the wasm module's messages never contain key material.
import init, { UnlockedKey } from "./pkg/keys/ecs_password_keys.js";

const ready = init();
/** @type {UnlockedKey | null} once the key (and its passphrase, if any) is read */
let unlocked = null;
/** @type {Uint8Array | null} the bytes of a key that waits for its passphrase */
let locked = null;

function wipe() {
  unlocked?.free();
  unlocked = null;
  locked?.fill(0);
  locked = null;
}

/**
 * A copy for one wasm call (the module wipes what it is given).
 * @param {Uint8Array} bytes
 */
const copy = (bytes) => new Uint8Array(bytes);

/** @param {any} error */
function describe(error) {
  const out = { code: error?.code ?? "UNKNOWN", message: String(error?.message ?? "") };
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
  try {
    await ready;
    if (type === "load") {
      wipe();
      locked = new Uint8Array(data.key);
      const passphrase = typeof data.passphrase === "string" ? new TextEncoder().encode(data.passphrase) : undefined;
      unlocked = new UnlockedKey(copy(locked), passphrase); // the module wipes `passphrase`
      locked.fill(0);
      locked = null;
      self.postMessage({ id, info: facts(unlocked) });
    } else if (type === "unlock") {
      if (!locked) throw Object.assign(new Error("no key waits for a passphrase"), { code: "KEY_MALFORMED" });
      const passphrase = new TextEncoder().encode(data.passphrase);
      unlocked = new UnlockedKey(copy(locked), passphrase); // the module wipes `passphrase`
      locked.fill(0);
      locked = null;
      self.postMessage({ id, info: facts(unlocked) });
    } else if (type === "export") {
      wipe();
      unlocked = await exportKey(data.request, String(data.keyPair));
      self.postMessage({ id, info: facts(unlocked) });
    } else if (type === "decrypt") {
      if (!unlocked) throw Object.assign(new Error("no key"), { code: "KEY_MALFORMED" });
      self.postMessage({ id, password: unlocked.decrypt(data.ciphertext) });
    } else if (type === "wipe") {
      wipe();
      self.postMessage({ id, wiped: true });
    }
  } catch (error) {
    // A key that needs a passphrase waits for it; anything else this tool cannot use is dropped.
    const waits = locked && ["PASSPHRASE_REQUIRED", "WRONG_PASSPHRASE"].includes(/** @type {any} */ (error)?.code);
    if (!waits && type !== "decrypt") wipe();
    self.postMessage({ id, error: describe(error) });
  }
};
