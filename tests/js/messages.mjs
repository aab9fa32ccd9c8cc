// The Fluent catalogues (locales/<lang>/ecs-password.ftl) rendered in Node with the pinned
// @fluent/bundle, as the widget renders them: what the tests expect a page to show.
import { readFileSync } from "node:fs";
import { FluentBundle, FluentNumber, FluentResource } from "@fluent/bundle/esm/index.js";

const bundles = Object.fromEntries(["en", "zh"].map((lang) => {
  const bundle = new FluentBundle(lang, { useIsolating: false });
  const errors = bundle.addResource(new FluentResource(readFileSync(new URL(`../../locales/${lang}/ecs-password.ftl`, import.meta.url), "utf8")));
  if (errors.length) throw new Error(`${lang} catalogue: ${errors.join("; ")}`);
  return [lang, bundle];
}));

/**
 * The message `id` in `lang` with `args` (numbers without grouping, a {messageId, args} argument
 * rendered first, a {listType, items} list joined by Intl.ListFormat); throws if it has no text or a placeable is not filled.
 * @param {string} lang @param {string} id @param {Record<string, any>} [args]
 * @returns {string}
 */
export function message(lang, id, args = {}) {
  const pattern = bundles[lang].getMessage(id)?.value;
  if (!pattern) throw new Error(`${lang}: no message ${id}`);
  const errors = [];
  const asText = (v) => (typeof v === "object" && "items" in v ? new Intl.ListFormat(lang, { type: v.listType }).format(v.items.map(asText)) : typeof v === "object" ? message(lang, v.messageId, v.args) : String(v));
  const value = (v) => (typeof v === "number" ? new FluentNumber(v, { useGrouping: false }) : asText(v));
  const values = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, value(v)]));
  const text = bundles[lang].formatPattern(pattern, values, errors);
  if (errors.length) throw new Error(`${lang} ${id}: ${errors.join("; ")}`);
  return text;
}

/** The generic message of an error code (WRONG_KEY: error-wrong-key). @param {string} lang @param {string} code */
export const codeMessage = (lang, code) => message(lang, `error-${code.toLowerCase().replaceAll("_", "-")}`);
