// What the standalone page transfers: every same-origin static file the page (and its workers)
// fetches while it loads and while `flow` runs, gzip -9 (and brotli 11) sizes from the files on
// disk (what a compressing host sends, whatever this server negotiates), plus the wasm modules
// `modules` names (a worker's fetches are not always reported): `KEYS` for the offline page,
// `BOTH` for the widget, `CLOUD` for what loads before a key is chosen. Shared by the size budget
// test and the benchmark, with the targets of issue 13 (`TARGETS`).
import { readFileSync, existsSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { ROOT } from "./serve.mjs";

/** Where a same-origin URL path is served from, or null for API answers and the demo's data. */
export function fileFor(path) {
  if (/^\/(v1|v2|v2\.1|compute|demo|_emulator)(\/|$)/.test(path)) return null;
  if (path.startsWith("/pkg/")) return `${ROOT}${path.slice(1)}`;
  const file = `${ROOT}www${path.endsWith("/") ? `${path}index.html` : path}`;
  return existsSync(file) ? file : null;
}

/** The key module and the worker that loads it (started on the first key: a page load does not fetch them). */
export const KEYS = ["/decrypt-worker.js", "/pkg/keys/ecs_password_keys.js", "/pkg/keys/ecs_password_keys_bg.wasm"];
export const CLOUD = ["/pkg/cloud/ecs_password_cloud.js", "/pkg/cloud/ecs_password_cloud_bg.wasm"];
export const BOTH = [...KEYS, ...CLOUD];
/** The export module and its worker: fetched only when the user exports, never while a page loads. */
export const EXPORT = ["/export-worker.js", "/pkg/export/ecs_password_export.js", "/pkg/export/ecs_password_export_bg.wasm"];

/**
 * The messages of errors and reasons (the Fluent catalogues, pkg/locales/, and their renderer,
 * pkg/fluent/): fetched only when the first error, broken rule or explanation is shown.
 * @param {string} path
 */
export const isMessages = (path) => path.startsWith("/pkg/locales/") || path.startsWith("/pkg/fluent/");

/** The modules `/pkg/fluent/index.js` imports, itself included (followed through relative `from "./x.js"`). */
function fluentModules() {
  const found = new Set(["index.js"]);
  for (const file of found) {
    const source = readFileSync(`${ROOT}pkg/fluent/${file}`, "utf8");
    for (const [, name] of source.matchAll(/\bfrom\s*["']\.\/([^"']+)["']/g)) found.add(name);
  }
  return [...found].map((f) => `/pkg/fluent/${f}`);
}

/** What the first error of a page in `lang` fetches: the renderer's modules and the catalogue(s). @param {string} lang */
export const messagesOnFirstError = (lang) => [...fluentModules(), ...new Set([lang, "en"].map((l) => `/pkg/locales/${l}/ecs-password.ftl`))];

/** The size targets of issue 13, in bytes gzip -9 (docs/performance.md, "The size of the page"). */
export const TARGETS = { offlinePage: 150_000, widgetFlow: 300_000, beforeKey: 200_000 };

export const gzipBytes = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
export const brotliBytes = (file) => brotliCompressSync(readFileSync(file), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/**
 * The sizes of the files behind same-origin `paths` (API answers and the demo's data left out),
 * largest first, with their totals. `brotli` adds brotli 11 sizes (slower).
 * @param {Iterable<string>} paths @param {{ brotli?: boolean }} [options]
 */
export function weigh(paths, { brotli = false } = {}) {
  const assets = [...new Set(paths)]
    .map((path) => ({ path, file: fileFor(path) }))
    .filter(/** @returns {a is { path: string, file: string }} */ (a) => a.file !== null)
    .map(({ path, file }) => ({ path, gzipBytes: gzipBytes(file), rawBytes: readFileSync(file).length, ...(brotli ? { brotliBytes: brotliBytes(file) } : {}) }))
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
  return {
    assets,
    totalGzipBytes: assets.reduce((s, a) => s + a.gzipBytes, 0),
    ...(brotli ? { totalBrotliBytes: assets.reduce((s, a) => s + (a.brotliBytes ?? 0), 0) } : {}),
  };
}

/** The budget in bytes (gzip), from bench/budget.json. */
export const budget = () => JSON.parse(readFileSync(`${ROOT}bench/budget.json`, "utf8"));

/**
 * Opens `url` in a new page of `browser`, runs `flow(page)` if given, and returns
 * `{ assets: [{ path, gzipBytes, rawBytes, brotliBytes? }], totalGzipBytes, totalBrotliBytes? }`.
 * @param {import("playwright-core").Browser | import("playwright-core").BrowserContext} browser @param {string} url
 * @param {(page: import("playwright-core").Page) => Promise<void>} [flow] @param {string[]} [modules]
 * @param {{ brotli?: boolean }} [options]
 */
export async function pageWeight(browser, url, flow, modules = BOTH, options = {}) {
  const page = await browser.newPage();
  const origin = new URL(url).origin;
  const seen = new Set(modules);
  const record = (request) => {
    const u = new URL(request.url());
    if (u.origin === origin) seen.add(u.pathname);
  };
  page.on("request", record);
  page.context().on("request", record);
  await page.goto(url, { waitUntil: "networkidle" });
  if (flow) await flow(page);
  await page.close();
  return weigh(seen, options);
}
