// Copying a password, and clearing the clipboard afterwards if it still holds that password
// (shared by <ecs-password> and the offline page).

export const CLIPBOARD_CLEAR_MS = 30_000;

/** Copies passwords; the last one copied is cleared from the clipboard after a while. */
export class PasswordClipboard {
  /** @type {ReturnType<typeof setTimeout> | null} */
  #timer = null;

  /**
   * Copies `value`; `onCleared` runs if it is cleared CLIPBOARD_CLEAR_MS later. Rejects when the
   * browser refuses (no focus, no permission).
   * @param {string} value
   * @param {() => void} [onCleared]
   */
  async copy(value, onCleared) {
    await navigator.clipboard.writeText(value);
    this.#stop();
    this.#timer = setTimeout(() => void this.clearIfHolds(value).then((cleared) => cleared && onCleared?.()), CLIPBOARD_CLEAR_MS);
  }

  /**
   * Empties the clipboard if it holds `value` (else leaves it alone); resolves whether it did.
   * @param {string} value
   * @returns {Promise<boolean>}
   */
  async clearIfHolds(value) {
    this.#stop();
    try {
      if ((await navigator.clipboard.readText()) !== value) return false;
      await navigator.clipboard.writeText("");
      return true;
    } catch {
      return false; // no focus or no permission to read: nothing we can clear
    }
  }

  /**
   * Like `clearIfHolds`, but only while a copy of ours is pending: reading the clipboard makes
   * Safari and Firefox show the user a Paste prompt, so nothing is read when nothing was copied.
   * @param {string} value
   * @returns {Promise<boolean>}
   */
  async clearIfCopied(value) {
    if (this.#timer === null) return false;
    return this.clearIfHolds(value);
  }

  #stop() {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
