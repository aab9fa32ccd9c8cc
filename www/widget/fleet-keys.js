// The fleet view's keys: read from files (chosen or dropped, several at once) or pasted, unlocked
// with a passphrase when they have one, each held in the decryption worker under its own id (the
// page keeps only its public facts: fleet-state.js's keys), listed with a "Forget" button each.
import * as F from "./fleet-state.js";
import { keySummary } from "./key-text.js";

/** @typedef {import("./types.js").FleetState} FleetState */
/** @typedef {import("./worker-client.js").DecryptWorker} DecryptWorker */
/** @typedef {import("../pkg/keys/ecs_password_keys.js").KeyInfo} KeyInfo */

/**
 * @typedef {object} KeysHost what the keys need of the element
 * @property {DecryptWorker} worker
 * @property {() => FleetState} state
 * @property {(state: FleetState) => void} setState
 * @property {() => string} lang
 * @property {(key: string, params?: Record<string, unknown>) => string} t
 * @property {(key: string, params?: Record<string, unknown>) => void} say
 * @property {(error: unknown, operation: string) => void} fail
 * @property {() => void} clearProblem
 * @property {() => void} changed the keys changed (the controls follow)
 * @property {(keyId: string) => void} forgotten the rows of a forgotten key lose their password
 */

export class FleetKeys {
  /** @type {Record<string, any>} */
  #$;
  /** @type {KeysHost} */
  #host;
  #next = 1;

  /** @param {Record<string, any>} $ the template's elements @param {KeysHost} host */
  constructor($, host) {
    this.#$ = $;
    this.#host = host;
    $.keyFile.addEventListener("change", async () => {
      const files = [...$.keyFile.files];
      $.keyFile.value = "";
      for (const file of files) if (!(await this.#load(await file.arrayBuffer()))) break;
    });
    $.drop.addEventListener("dragover", (/** @type {DragEvent} */ e) => { e.preventDefault(); $.drop.classList.add("over"); });
    $.drop.addEventListener("dragleave", () => $.drop.classList.remove("over"));
    $.drop.addEventListener("drop", async (/** @type {DragEvent} */ e) => {
      e.preventDefault();
      $.drop.classList.remove("over");
      for (const file of [...(e.dataTransfer?.files ?? [])]) if (!(await this.#load(await file.arrayBuffer()))) break;
    });
    $.usePasted.addEventListener("click", () => {
      const text = $.keyText.value;
      $.keyText.value = "";
      if (text.trim()) void this.#load(new TextEncoder().encode(text).buffer);
    });
    $.unlock.addEventListener("click", () => this.#unlock());
    $.passphrase.addEventListener("keydown", (/** @type {KeyboardEvent} */ e) => { if (e.key === "Enter") { e.preventDefault(); void this.#unlock(); } });
    $.keyList.addEventListener("click", (/** @type {Event} */ e) => {
      const button = /** @type {HTMLElement} */ (e.target).closest("button[data-key]");
      if (button) void this.#forget(/** @type {HTMLElement} */ (button).dataset.key ?? "");
    });
  }

  /** Empties the key inputs (the worker's keys are wiped by the element). */
  clearInputs() {
    this.#$.keyText.value = "";
    this.#$.passphrase.value = "";
    this.#$.passphraseBox.hidden = true;
  }

  /** The list of loaded keys: summary, SHA-256 fingerprint, "Forget". */
  render() {
    const { t } = this.#host;
    const list = this.#$.keyList;
    list.replaceChildren();
    for (const key of this.#host.state().keys) {
      const li = document.createElement("li");
      li.dataset.fingerprint = key.info.fingerprintMd5;
      const text = document.createElement("span");
      text.textContent = keySummary(this.#host.lang(), key.info);
      const fp = document.createElement("code");
      fp.textContent = key.info.fingerprintSha256;
      const forget = document.createElement("button");
      forget.type = "button";
      forget.className = "secondary";
      forget.dataset.key = key.id;
      forget.textContent = t("key.forget");
      forget.setAttribute("aria-label", `${t("key.forget")}: ${key.info.fingerprintSha256}`);
      li.append(text, " ", fp, " ", forget);
      list.append(li);
    }
  }

  /** Reads a key into the worker under a new id; false when it failed or waits for its passphrase. @param {ArrayBuffer} buffer */
  async #load(buffer) {
    this.#host.clearProblem();
    this.#host.say("key.reading");
    const keyId = `k${this.#next++}`;
    return this.#step(() => this.#host.worker.load(buffer, undefined, keyId), keyId, "key");
  }

  async #unlock() {
    const $ = this.#$;
    const passphrase = $.passphrase.value;
    $.passphrase.value = "";
    if (!passphrase) return $.passphrase.focus();
    const keyId = $.passphraseBox.dataset.key ?? "";
    await this.#step(() => this.#host.worker.unlock(passphrase), keyId, "passphrase");
  }

  /**
   * @param {() => Promise<KeyInfo>} step
   * @param {string} keyId
   * @param {string} operation
   */
  async #step(step, keyId, operation) {
    const $ = this.#$;
    const host = this.#host;
    try {
      const info = await step();
      $.passphraseBox.hidden = true;
      if (host.state().keys.some((k) => k.info.fingerprintSha256 === info.fingerprintSha256)) {
        void host.worker.forget(keyId); // the same key twice: one is enough
      } else {
        host.setState(F.keyAdded(host.state(), { id: keyId, info }));
      }
      host.say("fleet.keyLoaded", { count: host.state().keys.length });
      this.render();
      host.changed();
      return true;
    } catch (error) {
      const code = /** @type {any} */ (error)?.code;
      if (code === "CANCELLED") return false;
      if (code === "PASSPHRASE_REQUIRED" || code === "WRONG_PASSPHRASE") {
        $.passphraseBox.hidden = false;
        $.passphraseBox.dataset.key = keyId;
        $.passphraseHelp.textContent = host.t("key.passphraseNeeded");
        if (code === "WRONG_PASSPHRASE") host.fail(error, operation);
        else host.say("key.passphraseNeeded");
        $.passphrase.focus();
      } else {
        host.fail(error, operation);
      }
      return false;
    }
  }

  /** @param {string} keyId */
  async #forget(keyId) {
    const host = this.#host;
    await host.worker.forget(keyId);
    host.setState(F.keyRemoved(host.state(), keyId));
    host.forgotten(keyId);
    host.say("result.closed");
    this.render();
    host.changed();
    this.#$.keyFile.focus();
  }
}
