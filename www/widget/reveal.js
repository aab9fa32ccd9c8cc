// Showing a password only on request (shared by <ecs-password> and the offline page): hidden, its
// text node is not in the DOM at all, only a mask and a label for screen readers.

/** @typedef {import("./types.js").RevealTexts} RevealTexts */

/**
 * Puts the mask in `output` (the password's text node leaves the DOM).
 * @param {HTMLElement} output
 * @param {string} hiddenLabel
 */
export function renderMask(output, hiddenLabel) {
  const mask = document.createElement("span");
  mask.setAttribute("aria-hidden", "true");
  mask.textContent = "••••••••••••";
  const label = document.createElement("span");
  label.className = "visually-hidden";
  label.textContent = hiddenLabel;
  output.replaceChildren(mask, label);
}

/**
 * @param {HTMLElement} output
 * @param {HTMLElement} button
 * @param {RevealTexts} texts
 */
export function hidePassword(output, button, texts) {
  output.dataset.state = "hidden";
  renderMask(output, texts.hidden);
  button.textContent = texts.show;
  button.setAttribute("aria-pressed", "false");
}

/**
 * @param {HTMLElement} output
 * @param {HTMLElement} button
 * @param {string} password
 * @param {RevealTexts} texts
 */
export function showPassword(output, button, password, texts) {
  output.replaceChildren(document.createTextNode(password));
  output.dataset.state = "shown";
  button.textContent = texts.hide;
  button.setAttribute("aria-pressed", "true");
}

/** @param {HTMLElement} output */
export const isShown = (output) => output.dataset.state === "shown";
