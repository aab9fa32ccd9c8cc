// The messages of errors and reasons: the catalogues locales/<lang>/ecs-password.ftl (Project
// Fluent), the same files the CLI renders, served as pkg/locales/ and rendered here with
// @fluent/bundle (pkg/fluent/). The wasm modules hand over data, {messageId, args}; the words
// are only in the catalogues. Both are fetched on first use only (a flow without an error, a
// broken rule or a permission explanation fetches neither): whoever shows a message awaits
// loadMessages(lang), or asks messagesReady, so that the user never sees a bare code first.
import { languages } from "./index.js";

/**
 * A message as the core gives it: its catalogue id and its arguments (names, numbers, messages,
 * and lists `{listType: "conjunction" | "disjunction", items}`).
 * @typedef {{ messageId: string, args?: Record<string, unknown> }} MessageData
 */

/** The largest catalogue read (each is about 30 KB). */
const MAX_CATALOGUE_BYTES = 512 * 1024;
/** How deep messages nest (a role in a list in a clause in a sentence: Nova's reasons); the
 *  bound keeps a loop out. The CLI's renderer (src/message.rs) has the same. */
const MAX_DEPTH = 16;

/** @typedef {typeof import("../pkg/fluent/index.js")} Fluent */
/** @typedef {import("../pkg/fluent/index.js").FluentBundle} FluentBundle */

/** @type {Record<string, FluentBundle>} */
const bundles = {};
/** @type {Record<string, Promise<void>>} */
const loading = {};
/** The languages whose load has settled (loaded, or failed: then the texts fall back). @type {Set<string>} */
const settled = new Set();
/** @type {Promise<Fluent> | null} */
let fluentLoading = null;
/** @type {Fluent | null} the renderer, once loaded */
let fluent = null;

/** The renderer, @fluent/bundle, imported on first use (again after a failure). */
function loadFluent() {
  fluentLoading ??= import("../pkg/fluent/index.js").then(
    (m) => (fluent = m),
    (error) => { fluentLoading = null; throw error; },
  );
  return fluentLoading;
}

/** The catalogue's text, read to at most MAX_CATALOGUE_BYTES. @param {Response} answer */
async function boundedText(answer) {
  if (!answer.ok || !answer.body) throw new Error(`catalogue: HTTP ${answer.status}`);
  const reader = answer.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_CATALOGUE_BYTES) {
      await reader.cancel();
      throw new Error("catalogue: too large");
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(await new Blob(chunks).arrayBuffer());
}

/** Loads one catalogue (once), with the renderer. @param {string} lang */
function loadCatalogue(lang) {
  loading[lang] ??= Promise.all([loadFluent(), fetch(new URL(`../pkg/locales/${lang}/ecs-password.ftl`, import.meta.url)).then(boundedText)])
    .then(([{ FluentBundle, FluentResource }, text]) => {
      const bundle = new FluentBundle(lang, { useIsolating: false });
      bundle.addResource(new FluentResource(text));
      bundles[lang] = bundle;
    })
    .catch(() => { delete loading[lang]; });
  return loading[lang];
}

/**
 * Loads the renderer and the catalogue of `lang` ("en" or "zh"), and English, the fallback of a
 * text the other catalogue lacks. Never rejects: without a catalogue the texts fall back to
 * English, then to the error's code (a failed load is tried again next time).
 * @param {string} lang
 */
export async function loadMessages(lang) {
  await Promise.all([...new Set([languages.includes(lang) ? lang : "en", "en"])].map(loadCatalogue));
  settled.add(lang);
}

/** Whether the messages of `lang` can be shown now (their load has settled). @param {string} lang */
export const hasMessages = (lang) => settled.has(lang);

/**
 * Whether the messages of `lang` can be shown now; if not, loads them and then calls `later`
 * (which renders again). What shows a message asks first and shows nothing until then.
 * @param {string} lang @param {() => void} later
 */
export function messagesReady(lang, later) {
  if (hasMessages(lang)) return true;
  void loadMessages(lang).then(later);
  return false;
}

/**
 * One argument as text: a nested message rendered in the same language, a list joined as the
 * language joins it (the CLI joins the same way, by CLDR's rules).
 * @param {string} lang @param {unknown} value @param {number} depth @returns {string}
 */
function argText(lang, value, depth) {
  if (value && typeof value === "object" && "messageId" in value) {
    const nested = /** @type {MessageData} */ (value);
    return (depth < MAX_DEPTH && render(lang, nested, depth + 1)) || String(nested.messageId);
  }
  if (value && typeof value === "object" && "items" in value && Array.isArray(value.items)) {
    if (depth >= MAX_DEPTH) return "";
    const type = "listType" in value && value.listType === "disjunction" ? "disjunction" : "conjunction";
    const items = value.items.map((item) => argText(lang, item, depth + 1));
    return new Intl.ListFormat(lang, { type }).format(items);
  }
  return String(value);
}

/**
 * The arguments for Fluent: numbers without grouping (as the CLI writes them: "4096-bit"),
 * nested messages and lists rendered first in the same language.
 * @param {string} lang @param {Record<string, unknown>} args @param {number} depth
 */
function fluentArgs(lang, args, depth) {
  /** @type {Record<string, string | import("../pkg/fluent/index.js").FluentNumber>} */
  const out = {};
  for (const [name, value] of Object.entries(args)) {
    out[name] = typeof value === "number" && fluent
      ? new fluent.FluentNumber(value, { useGrouping: false })
      : argText(lang, value, depth);
  }
  return out;
}

/** @param {string} lang @param {MessageData} message @param {number} depth @returns {string | null} */
function render(lang, message, depth) {
  for (const l of [lang, "en"]) {
    const bundle = bundles[l];
    const pattern = bundle?.getMessage(String(message.messageId))?.value;
    if (bundle && pattern) return bundle.formatPattern(pattern, fluentArgs(l, message.args ?? {}, depth), []);
  }
  return null;
}

/**
 * The message in `lang` (else in English), or null when no loaded catalogue has it.
 * @param {string} lang @param {MessageData} message
 */
export function renderMessage(lang, message) {
  return render(lang, message, 0);
}

/** The id of an error code's generic message: WRONG_KEY -> error-wrong-key. @param {string} code */
export const codeMessageId = (code) => `error-${code.toLowerCase().replaceAll("_", "-")}`;

/**
 * What to tell the user about an error of the modules, in `lang`: its own message (e.g. "the
 * password was encrypted to a 4096-bit RSA key, and this key is 2048-bit"), else its code's
 * generic one, else its code.
 * @param {string} lang
 * @param {{ code?: string, messageId?: string, args?: Record<string, unknown> }} error
 */
export function errorMessage(lang, error) {
  const code = error.code ?? "UNKNOWN";
  return (error.messageId && renderMessage(lang, { messageId: error.messageId, args: error.args }))
    || renderMessage(lang, { messageId: codeMessageId(code) })
    || renderMessage(lang, { messageId: "error-unknown" })
    || code;
}
