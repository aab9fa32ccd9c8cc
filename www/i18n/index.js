// Message catalogs, loaded on demand (only the language in use is fetched), and a tiny formatter:
// t(lang, key, {name: value}). These are the UI's words; the errors' and reasons' are in the Fluent
// catalogues (messages.js), loaded apart, when a message is first shown.

export const languages = ["en", "zh"];
/** @type {Record<string, Record<string, string>>} */
export const catalogs = {};
/** @type {Record<string, Promise<void>>} */
const loading = {};

/** Loads the catalog of `lang` (once); resolves when t() can use it. @param {string} lang */
export function loadLanguage(lang) {
  const code = languages.includes(lang) ? lang : "en";
  loading[code] ??= import(`./${code}.js`).then((m) => { catalogs[code] = m.default; });
  return loading[code];
}

/** "zh" for any Chinese browser language, else "en". */
export function pickLanguage(preferred = globalThis.navigator?.languages ?? [globalThis.navigator?.language ?? "en"]) {
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (languages.includes(base)) return base;
  }
  return "en";
}

/**
 * The message `key` in `lang` (falling back to English if loaded), with {name} placeholders filled.
 * @param {string} lang @param {string} key @param {Record<string, unknown>} [params]
 */
export function t(lang, key, params = {}) {
  const text = catalogs[lang]?.[key] ?? catalogs.en?.[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (/** @type {string} */ whole, /** @type {string} */ name) => (name in params ? String(params[name]) : whole));
}
