// The page's side of the decryption worker (../decrypt-worker.js), shared by <ecs-password> and
// the offline page, and by <ecs-password-fleet> with several keys (each named by a key id): the
// key's bytes are transferred in (or, for a key the cloud holds, the worker fetches it itself),
// and only its public facts and decrypted passwords come back. One worker per client, started on
// first use; wipe() has the worker zero every key and then ends it, so the next call starts a
// fresh one.

/** @typedef {import("../pkg/keys/ecs_password_keys.js").KeyInfo} KeyInfo */
/** @typedef {import("./types.js").CodedError} CodedError */

const WORKER_URL = new URL("../decrypt-worker.js", import.meta.url);

/** An error with a code of ours (the module's have one). @param {string} code @param {string} [message] @returns {CodedError} */
export const failure = (code, message = code) => Object.assign(new Error(message), { code });

export class DecryptWorker {
  /** @type {Worker | null} */
  #worker = null;
  /** @type {Map<number, { resolve: (data: any) => void, reject: (error: CodedError) => void }>} */
  #calls = new Map();
  #nextId = 1;

  /**
   * Reads a key (any format the module reads), with its passphrase if it is known already.
   * Rejects with PASSPHRASE_REQUIRED / WRONG_PASSPHRASE while the worker keeps the bytes for unlock().
   * @param {ArrayBuffer} key transferred: the caller's buffer is detached
   * @param {string} [passphrase]
   * @param {string} [keyId] keeps the other keys (without one, this key replaces them all)
   * @returns {Promise<KeyInfo>}
   */
  async load(key, passphrase, keyId) {
    /** @type {Record<string, unknown>} */
    const message = { type: "load", key };
    if (passphrase !== undefined) message.passphrase = passphrase;
    if (keyId !== undefined) message.keyId = keyId;
    return (await this.#call(message, [key])).info;
  }

  /**
   * Unlocks the key that waits for its passphrase.
   * @param {string} passphrase
   * @returns {Promise<KeyInfo>}
   */
  async unlock(passphrase) {
    return (await this.#call({ type: "unlock", passphrase })).info;
  }

  /**
   * Has the worker send KPS's export request (built and authorized by the cloud module's
   * `kpsExportRequest`; it holds no key) and load the private key from the answer: the key exists
   * only in the worker. A refusal rejects with KPS_REFUSED and the answer's `{status, headers,
   * body}` as `answer`, for the cloud module's `kpsExportError`.
   * @param {{ url: string, method: string, headers: Record<string, string>, body: string }} request
   * @param {string} keyPair the key pair asked for (an answer about another is refused)
   * @returns {Promise<KeyInfo>}
   */
  async exportKey(request, keyPair) {
    return (await this.#call({ type: "export", request, keyPair })).info;
  }

  /**
   * Decrypts one encrypted password with the loaded key (or the key `keyId`).
   * @param {string} ciphertext
   * @param {string} [keyId]
   * @returns {Promise<string>}
   */
  async decrypt(ciphertext, keyId) {
    return (await this.#call(keyId === undefined ? { type: "decrypt", ciphertext } : { type: "decrypt", ciphertext, keyId })).password;
  }

  /**
   * Whether the key `keyId` decrypts `ciphertext` to a password, without the password leaving the
   * worker (rejects with the decryption's error code, e.g. WRONG_KEY).
   * @param {string} ciphertext
   * @param {string} keyId
   * @returns {Promise<boolean>}
   */
  async check(ciphertext, keyId) {
    return (await this.#call({ type: "decrypt", ciphertext, keyId, check: true })).ok;
  }

  /** Has the worker free the key `keyId` (the others stay). @param {string} keyId */
  async forget(keyId) {
    if (!this.#worker) return;
    await this.#call({ type: "forget", keyId });
  }

  /** Has the worker zero its key, then ends it (at once if it is busy); pending calls reject CANCELLED. */
  wipe() {
    const worker = this.#worker;
    if (!worker) return;
    this.#worker = null;
    worker.onmessage = () => worker.terminate();
    worker.postMessage({ id: this.#nextId++, type: "wipe" });
    setTimeout(() => worker.terminate(), 1000);
    for (const pending of this.#calls.values()) pending.reject(failure("CANCELLED"));
    this.#calls.clear();
  }

  /**
   * @param {object} message
   * @param {Transferable[]} [transfer]
   * @returns {Promise<any>}
   */
  #call(message, transfer = []) {
    let worker = this.#worker;
    if (!worker) {
      try {
        worker = new Worker(WORKER_URL, { type: "module", name: "ecs-password-decrypt" });
      } catch {
        return Promise.reject(failure("WORKER_FAILED"));
      }
      this.#worker = worker;
      worker.onmessage = ({ data }) => {
        const pending = this.#calls.get(data.id);
        if (!pending) return;
        this.#calls.delete(data.id);
        if (data.error) pending.reject(Object.assign(failure(data.error.code, data.error.message), { messageId: data.error.messageId, args: data.error.args }, data.error.answer ? { answer: data.error.answer } : {}));
        else pending.resolve(data);
      };
      worker.onerror = (event) => {
        event.preventDefault?.();
        for (const pending of this.#calls.values()) pending.reject(failure("WORKER_FAILED"));
        this.#calls.clear();
      };
    }
    const id = this.#nextId++;
    const started = worker;
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject });
      started.postMessage({ id, ...message }, transfer);
    });
  }
}
