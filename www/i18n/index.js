// Message catalogs and a tiny formatter: t(lang, key, {name: value}).
import en from "./en.js";
import zh from "./zh.js";

export const catalogs = { en, zh };
export const languages = Object.keys(catalogs);

/** "zh" for any Chinese browser language, else "en". */
export function pickLanguage(preferred = globalThis.navigator?.languages ?? [globalThis.navigator?.language ?? "en"]) {
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (base in catalogs) return base;
  }
  return "en";
}

/** The message `key` in `lang` (falling back to English), with {name} placeholders filled. */
export function t(lang, key, params = {}) {
  const text = catalogs[lang]?.[key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}
