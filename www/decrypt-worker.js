// The decryption worker of <ecs-password>: the private key's bytes (and its passphrase) come in,
// stay here, and only public facts (type, size, fingerprints, public key) and the decrypted
// password go out. The page can read the key file only to hand it over (transferred, so the page's
// copy is detached). "wipe" fills every buffer with zeros; the page then terminates this worker.
//
// Messages in:  {id, type: "load", key: ArrayBuffer}            -> {id, info} | {id, error}
//               {id, type: "unlock", passphrase: string}        -> {id, info} | {id, error}
//               {id, type: "decrypt", ciphertext: string}       -> {id, password} | {id, error}
//               {id, type: "wipe"}                              -> {id, wiped: true}
// Errors carry only {code, message}: the wasm module's messages never contain key material.
import init, { inspectKey, decryptPassword } from "../pkg/ecs_password.js";

const ready = init();
let key = null; // Uint8Array: the key file's bytes
let passphrase = null; // Uint8Array: UTF-8 of the passphrase

function wipe() {
  key?.fill(0);
  passphrase?.fill(0);
  key = null;
  passphrase = null;
}

/** A copy for one wasm call (the module wipes what it is given). */
const copy = (bytes) => (bytes ? new Uint8Array(bytes) : undefined);

function describe(error) {
  return { code: error?.code ?? "UNKNOWN", message: String(error?.message ?? "") };
}

function inspect() {
  const info = inspectKey(copy(key), copy(passphrase));
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
      key = new Uint8Array(data.key);
      self.postMessage({ id, info: inspect() });
    } else if (type === "unlock") {
      passphrase?.fill(0);
      passphrase = new TextEncoder().encode(data.passphrase);
      self.postMessage({ id, info: inspect() });
    } else if (type === "decrypt") {
      if (!key) throw Object.assign(new Error("no key"), { code: "KEY_MALFORMED" });
      self.postMessage({ id, password: decryptPassword(copy(key), data.ciphertext, copy(passphrase)) });
    } else if (type === "wipe") {
      wipe();
      self.postMessage({ id, wiped: true });
    }
  } catch (error) {
    if (type === "unlock") {
      passphrase?.fill(0);
      passphrase = null;
    } else if (type === "load" && error?.code !== "PASSPHRASE_REQUIRED") {
      wipe(); // not a key this tool can use: keep nothing of it
    }
    self.postMessage({ id, error: describe(error) });
  }
};
