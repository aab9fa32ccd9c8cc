// The offline decrypt page: key and ciphertext in, password out, all inside this browser. The key
// is read and used in the same decryption worker as <ecs-password>'s (never on this page's
// thread), the texts come from the same catalogs (in the browser's language), and reveal and copy
// work as in the widget.
import { t, loadLanguage, pickLanguage } from "./i18n/index.js";
import { DecryptWorker } from "./widget/worker-client.js";
import { PasswordClipboard } from "./widget/clipboard.js";
import { hidePassword, showPassword, isShown } from "./widget/reveal.js";
import { keySummary } from "./widget/key-text.js";
import { errorMessage, loadMessages } from "./i18n/messages.js";

/** @typedef {import("./pkg/keys/ecs_password_keys.js").KeyInfo} KeyInfo */

/** @param {string} id @returns {any} */
const $ = (id) => document.getElementById(id);
const lang = pickLanguage();
/** The page in the browser's language, from the catalogs the widget uses. */
const texts = loadLanguage(lang).then(() => {
  document.documentElement.lang = lang;
  document.title = t(lang, "offline.title");
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(lang, /** @type {HTMLElement} */ (el).dataset.t ?? "");
  for (const el of document.querySelectorAll("[data-t-label]")) el.setAttribute("aria-label", t(lang, /** @type {HTMLElement} */ (el).dataset.tLabel ?? ""));
});
const clipboard = new PasswordClipboard();
/** @type {string | null} the decrypted password, kept only while the result is shown */
let password = null;
/** Each reading of the key, and each decryption, gets a number: an answer for older input is dropped. */
let described = 0;
let decrypted = 0;

/** @param {string} key @param {Record<string, unknown>} [params] */
const say = (key, params) => { $("status").textContent = t(lang, key, params); };

/** The key's bytes, in a buffer of their own (transferred to the worker). */
async function keyBuffer() {
  const file = $("key-file").files[0];
  if (file) return file.arrayBuffer();
  return new TextEncoder().encode($("key-text").value).buffer;
}

function passphrase() {
  const value = $("passphrase").value;
  return value === "" ? undefined : value;
}

/** Shows an error once its message is loaded (with the first error). @param {any} error */
async function showError(error) {
  await loadMessages(lang);
  const box = $("error");
  box.textContent = error?.code ? `${errorMessage(lang, error)} (${error.code})` : String(error?.message || error);
  box.dataset.code = error?.code || "";
  box.hidden = false;
  if (error?.code === "PASSPHRASE_REQUIRED" || error?.code === "WRONG_PASSPHRASE") $("passphrase").focus();
}

const revealTexts = () => ({ hidden: t(lang, "result.hidden"), show: t(lang, "result.show"), hide: t(lang, "result.hide") });
const hide = () => hidePassword($("password"), $("reveal"), revealTexts());

/** @param {KeyInfo} info */
const describe = (info) => `${keySummary(lang, info)}, ${info.fingerprintSha256}`;

/**
 * Runs `use` with the key read in a worker of its own, which is wiped and ended once it is done.
 * @template T
 * @param {(worker: DecryptWorker, info: KeyInfo) => Promise<T>} use
 * @returns {Promise<T>}
 */
async function withKey(use) {
  const worker = new DecryptWorker();
  try {
    return await use(worker, await worker.load(await keyBuffer(), passphrase()));
  } finally {
    worker.wipe();
  }
}

/** Shows the key's public facts; the text is replaced once, so the layout does not jump. */
async function describeKey() {
  const mine = ++described;
  let text = "";
  try {
    await texts;
    text = await withKey(async (_, info) => describe(info));
  } catch (error) {
    if (/** @type {any} */ (error)?.code === "PASSPHRASE_REQUIRED") text = t(lang, "key.passphraseNeeded");
  }
  if (mine === described) $("key-info").textContent = text;
}

$("key-file").addEventListener("change", describeKey);
$("key-text").addEventListener("change", describeKey);
$("passphrase").addEventListener("change", describeKey);
$("decrypt-form").addEventListener("submit", async (/** @type {Event} */ event) => {
  event.preventDefault();
  const mine = ++decrypted;
  $("error").hidden = true;
  $("result").hidden = true;
  password = null;
  await texts;
  hide();
  say("get.decrypting");
  try {
    const ciphertext = $("ciphertext").value;
    const [info, plain] = await withKey(async (worker, info) => [info, await worker.decrypt(ciphertext)]);
    if (mine !== decrypted) return;
    password = plain;
    described++;
    $("key-info").textContent = describe(info);
    $("result").hidden = false;
    say("get.done");
    $("reveal").focus();
  } catch (error) {
    if (mine !== decrypted) return;
    $("status").textContent = "";
    void showError(error);
  }
});

$("reveal").addEventListener("click", () => {
  if (isShown($("password")) || password === null) return hide();
  showPassword($("password"), $("reveal"), password, revealTexts());
});

$("copy").addEventListener("click", async () => {
  if (password === null) return;
  try {
    await clipboard.copy(password, () => say("result.clipboardCleared"));
    say("result.copied");
  } catch {
    void showError({ code: "CLIPBOARD_FAILED" });
  }
});

globalThis.addEventListener("pagehide", () => {
  if (password !== null) void clipboard.clearIfCopied(password);
  password = null;
});
