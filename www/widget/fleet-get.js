// Getting (and clearing) one server's password for the fleet view: the family from the user's
// permissions (the core's chooseFamily, familyAfterRefusal once), the key pair read once per name,
// the loaded key picked by fingerprint (the core's matchKeyPair), and for an empty answer the
// core's diagnosis: never (the cause), or not yet, then waited for apart from the lanes (a wait
// holds no lane) with a countdown. Holds what a row needs later: its ciphertext (not a secret
// without the key) and the family that gave it. The lanes are fleet-lanes.js's; the element
// (fleet.js) runs them.
import { chooseFamily, familyAfterRefusal, matchKeyPair, diagnoseMissingPassword, waitForPassword } from "../pkg/cloud/ecs_password_cloud.js";
import * as F from "./fleet-state.js";
import { recommended } from "./state.js";
import { send } from "./cloud.js";

/** @typedef {import("./types.js").FleetState} FleetState */
/** @typedef {import("./types.js").FleetRow} FleetRow */
/** @typedef {import("./types.js").RowProblem} RowProblem */
/** @typedef {import("./types.js").KeyPair} KeyPair */
/** @typedef {import("./worker-client.js").DecryptWorker} DecryptWorker */
/** @typedef {import("../pkg/cloud/ecs_password_cloud.js").ApiAuth} ApiAuth */
/** @typedef {import("../pkg/cloud/ecs_password_cloud.js").FamilyChoice} FamilyChoice */

/** An error's fields for a row (never a secret: the module's errors hold none). @param {any} e @returns {RowProblem} */
export const problemOf = (e) => ({
  code: e?.code ?? "UNKNOWN", status: e?.status, cloudCode: e?.cloudCode ?? null, cloudMessage: e?.cloudMessage ?? null, requestId: e?.requestId ?? null,
  messageId: e?.messageId, args: e?.args, custom: e?.custom,
});

/**
 * Runs `attempt` with the family chosen; once more with the core's next choice when it says a
 * refusal is worth it (v1 refused while the permissions are unknown: v2.1).
 * @template T
 * @param {FamilyChoice} choice
 * @param {(choice: FamilyChoice) => Promise<T>} attempt
 * @returns {Promise<{ value: T, choice: FamilyChoice }>}
 */
export async function withFallback(choice, attempt) {
  try {
    return { value: await attempt(choice), choice };
  } catch (error) {
    const code = /** @type {any} */ (error)?.code;
    const next = typeof code === "string" ? familyAfterRefusal(choice, code) : null;
    if (!next) throw error;
    return { value: await attempt(next), choice: next };
  }
}

/**
 * @typedef {object} GetHost what getting needs of the element
 * @property {() => FleetState} state
 * @property {(state: FleetState) => void} setState
 * @property {(id: string) => void} touch a row changed
 * @property {() => void} settled a wait ended (the summary follows)
 * @property {(family: string, server?: string) => import("../pkg/cloud/ecs_password_cloud.js").ApiTarget} target
 * @property {() => Promise<ApiAuth>} auth
 * @property {() => string} requested the `family` attribute
 * @property {(row: FleetRow) => import("./types.js").Access | null} explain the permission engine's view of a server
 * @property {() => number} pollSeconds
 * @property {DecryptWorker} worker
 */

export class FleetGetter {
  /** @type {GetHost} */
  #host;
  /** Per server: the encrypted password and the family that gave it. @type {Map<string, { ciphertext: string, family: string }>} */
  #found = new Map();
  /** Servers whose stored password this view cleared: their empty answers mean "cleared". @type {Set<string>} */
  #cleared = new Set();
  /** Key pairs by name, each read once per list. @type {Map<string, Promise<KeyPair | null>>} */
  #keyPairs = new Map();
  /** @type {AbortController | null} the waits for passwords not posted yet */
  #waits = null;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  #ticker = undefined;

  /** @param {GetHost} host */
  constructor(host) {
    this.#host = host;
  }

  /** Whether waits may be under way (the Stop button shows). */
  get waiting() { return this.#waits !== null; }

  /** A run of `ids` starts: earlier waits stop, their earlier answers are dropped. @param {readonly string[]} ids */
  started(ids) {
    this.#waits?.abort();
    this.#waits = new AbortController();
    for (const id of ids) this.#found.delete(id);
  }

  /** Stops every wait. */
  stopWaits() { this.#waits?.abort(); }

  /** Stops every wait and forgets every ciphertext. */
  forget() {
    this.#waits?.abort();
    this.#waits = null;
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.#found.clear();
  }

  /** A new list: what was cleared and the key pairs read are of the old one. */
  reset() {
    this.#cleared.clear();
    this.#keyPairs.clear();
  }

  /** A ready row's ciphertext and family. @param {string} id */
  found(id) { return this.#found.get(id); }

  /** @param {string} id */
  drop(id) { this.#found.delete(id); }

  /** @param {(s: FleetState) => FleetState} change @param {string} id */
  #set(change, id) {
    this.#host.setState(change(this.#host.state()));
    this.#host.touch(id);
  }

  /** The key pair `name`, read once (null when it cannot be read: the match stays unverified). @param {string} name @param {string} server @param {string} family @param {ApiAuth} auth @param {AbortSignal} signal */
  #keyPair(name, server, family, auth, signal) {
    let found = this.#keyPairs.get(name);
    if (!found) {
      found = send(this.#host.target(family, server), { kind: "keyPair", name }, auth, signal).catch(() => null);
      this.#keyPairs.set(name, found);
    }
    return found;
  }

  /**
   * One server: its password (checked against the loaded key that matches its key pair), or why
   * there is none.
   * @param {string} id @param {ApiAuth} auth @param {AbortSignal} signal
   */
  async get(id, auth, signal) {
    const host = this.#host;
    this.#set((s) => F.asking(s, id), id);
    const r = host.state().rows[id];
    const access = host.explain(r);
    let choice = chooseFamily(host.requested(), recommended(access));
    const name = r.server.keyName;
    const pair = name && r.os !== "linux" ? this.#keyPair(name, id, choice.family, auth, signal) : Promise.resolve(null);
    try {
      const got = await withFallback(choice, (c) => send(host.target(c.family, id), { kind: "password", operation: "get" }, auth, signal));
      choice = got.choice;
      await this.#decryptable(id, got.value.ciphertext, choice.family, await pair);
    } catch (error) {
      const e = /** @type {any} */ (error);
      if (e?.code === "CANCELLED" && signal.aborted) return;
      if (e?.code === "PASSWORD_NOT_AVAILABLE") return this.#missing(id, await pair, choice.family);
      const problem = problemOf(e);
      // A refusal's reason: the cloud's own message, and what the permission engine says of the
      // user's grants for this server (when the host gave them).
      if (problem.code === "FORBIDDEN" && access?.get) Object.assign(problem, { explanation: access.get.explanation });
      host.setState(F.failed(host.state(), id, problem));
    }
    host.touch(id);
  }

  /**
   * A ciphertext came: the loaded key whose fingerprint is the key pair's is its key, or the row
   * says which key it needs.
   * @param {string} id @param {string} ciphertext @param {string} family @param {KeyPair | null} pair
   */
  async #decryptable(id, ciphertext, family, pair) {
    const host = this.#host;
    const pick = F.pickKey(host.state().keys, pair, (info, p) => matchKeyPair(info, p));
    if (pick.keyId === null) {
      const custom = pair ? { key: "fleet.noKeyFor", params: { name: pair.name, expected: pick.expected } } : { key: "fleet.whichKey", params: {} };
      host.setState(F.failed(host.state(), id, { code: "WRONG_KEY", cloudCode: null, requestId: null, custom }));
      return;
    }
    // A key the core matched to the key pair decrypts what was encrypted to it: decrypted on
    // reveal or copy. An unverified one (no key pair to compare with) is tried now, in the worker.
    if (!pick.verified) await host.worker.check(ciphertext, pick.keyId);
    this.#found.set(id, { ciphertext, family });
    host.setState(F.ready(host.state(), id, pick.keyId));
  }

  /**
   * No password: the core's diagnosis says never (the cause), or not yet: then it is waited for
   * apart from the lanes (a wait holds no lane), no longer than the diagnosis' window.
   * @param {string} id @param {KeyPair | null} pair @param {string} family
   */
  async #missing(id, pair, family) {
    const host = this.#host;
    const r = host.state().rows[id];
    const why = diagnoseMissingPassword(r.server, pair, this.#cleared.has(id));
    const seconds = host.pollSeconds();
    this.#set((s) => F.missing(s, id, why, Date.now() + seconds * 1000), id);
    if (!why.canWait || !this.#waits) return;
    this.#ticker ??= setInterval(() => this.#tick(), 1000);
    const signal = this.#waits.signal;
    const limit = why.retryAfterSecs == null ? {} : { limitMs: (why.retryAfterSecs + seconds) * 1000 };
    void (async () => {
      try {
        const ciphertext = await waitForPassword(host.target(family, id), await host.auth(), {
          intervalMs: seconds * 1000, signal, ...limit,
          onWait: (/** @type {number} */ ms) => this.#set((s) => F.waiting(s, id, Date.now() + ms), id),
        });
        await this.#decryptable(id, ciphertext, family, pair);
      } catch (error) {
        const e = /** @type {any} */ (error);
        if (e?.code === "CANCELLED") return;
        if (e?.code === "PASSWORD_NOT_AVAILABLE") {
          host.setState(F.missing(host.state(), id, { ...diagnoseMissingPassword(r.server, pair, this.#cleared.has(id)), canWait: false }));
        } else {
          host.setState(F.failed(host.state(), id, problemOf(e)));
        }
      }
      host.touch(id);
      host.settled();
    })();
  }

  /** Re-renders the countdowns every second while a row waits. */
  #tick() {
    const s = this.#host.state();
    const waiting = s.order.filter((id) => s.rows[id].state === "notYet");
    if (waiting.length === 0) {
      clearInterval(this.#ticker);
      this.#ticker = undefined;
      return;
    }
    for (const id of waiting) this.#host.touch(id);
  }

  /**
   * Deletes a server's stored encrypted password on the cloud, in the family that gave it; the
   * row then says "never: cleared". Resolves to that family.
   * @param {string} id @param {ApiAuth} auth @param {AbortSignal} signal
   */
  async clear(id, auth, signal) {
    const host = this.#host;
    const family = this.#found.get(id)?.family ?? chooseFamily(host.requested(), null).family;
    await send(host.target(family, id), { kind: "password", operation: "clear" }, auth, signal);
    this.#cleared.add(id);
    this.#found.delete(id);
    const r = host.state().rows[id];
    const pair = r.server.keyName ? await (this.#keyPairs.get(r.server.keyName) ?? null) : null;
    this.#set((s) => F.cleared(s, id, diagnoseMissingPassword(r.server, pair, true)), id);
    return family;
  }
}
