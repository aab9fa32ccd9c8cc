// The decryption worker of <ecs-password> and of the offline page (widget/worker-client.js is the
// page's side): the private key's bytes (and its passphrase) come in,
// stay here, and only public facts (type, size, fingerprints, public key) and the decrypted
// password go out. The page reads the key file only to hand it over (transferred, so the page's
// copy is detached). The key is unlocked once (`UnlockedKey`: no second run of a slow passphrase
// derivation when a password is polled for), after which neither the file's bytes nor the
// passphrase are kept. "wipe" frees the key (the module zeroes freed memory); the page then
// terminates this worker.
//
// Messages in:  {id, type: "load", key: ArrayBuffer, passphrase?: string} -> {id, info} | {id, error}
//               {id, type: "unlock", passphrase: string}        -> {id, info} | {id, error}
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
  return { code: error?.code ?? "UNKNOWN", message: String(error?.message ?? "") };
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
