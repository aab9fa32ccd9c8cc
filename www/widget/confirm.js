// One confirmation dialog, as both elements ask it: a modal <dialog> (the page behind it inert,
// Escape cancels), focus on Cancel first, and back on the opener when it closes.

/**
 * Shows `dialog` and resolves true when it closed with the "ok" return value.
 * @param {HTMLDialogElement} dialog
 * @param {HTMLElement} cancel the button focused first: a confirmation is never one keystroke away
 * @param {Document | ShadowRoot} root where the opener's focus is read
 * @returns {Promise<boolean>}
 */
export function askConfirmation(dialog, cancel, root) {
  dialog.returnValue = "";
  const opener = /** @type {HTMLElement | null} */ (root.activeElement);
  dialog.showModal();
  cancel.focus();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      opener?.focus?.();
      resolve(dialog.returnValue === "ok");
    }, { once: true });
  });
}
