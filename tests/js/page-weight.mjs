// What the standalone page transfers: every same-origin static file the page (and its workers)
// fetches while it loads and while `flow` runs, gzip -9 sizes from the files on disk (what a
// gzip-serving host sends, whatever this server negotiates), plus the wasm modules `modules` names
// (a worker's fetches are not always reported): `KEYS` for the offline page, `BOTH` for the widget. Shared by the size budget test and the benchmark.
import { readFileSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { ROOT } from "./serve.mjs";

/** Where a same-origin URL path is served from, or null for API answers and the demo's data. */
export function fileFor(path) {
  if (/^\/(v1|v2|v2\.1|compute|demo|_emulator)(\/|$)/.test(path)) return null;
  if (path.startsWith("/pkg/")) return `${ROOT}${path.slice(1)}`;
  const file = `${ROOT}www${path.endsWith("/") ? `${path}index.html` : path}`;
  return existsSync(file) ? file : null;
}

export const KEYS = ["/pkg/keys/ecs_password_keys.js", "/pkg/keys/ecs_password_keys_bg.wasm"];
export const CLOUD = ["/pkg/cloud/ecs_password_cloud.js", "/pkg/cloud/ecs_password_cloud_bg.wasm"];
export const BOTH = [...KEYS, ...CLOUD];
/** The export module and its worker: fetched only when the user exports, never while a page loads. */
export const EXPORT = ["/export-worker.js", "/pkg/export/ecs_password_export.js", "/pkg/export/ecs_password_export_bg.wasm"];

export const gzipBytes = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

/** The budget in bytes (gzip), from bench/budget.json. */
export const budget = () => JSON.parse(readFileSync(`${ROOT}bench/budget.json`, "utf8"));

/**
 * Opens `url` in a new page of `browser`, runs `flow(page)` if given, and returns
 * `{ assets: [{ path, gzipBytes, rawBytes }], totalGzipBytes }`.
 * @param {import("playwright-core").Browser | import("playwright-core").BrowserContext} browser @param {string} url
 * @param {(page: import("playwright-core").Page) => Promise<void>} [flow] @param {string[]} [modules]
 */
export async function pageWeight(browser, url, flow, modules = BOTH) {
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
  const assets = [...seen]
    .map((path) => ({ path, file: fileFor(path) }))
    .filter(/** @returns {a is { path: string, file: string }} */ (a) => a.file !== null)
    .map(({ path, file }) => ({ path, gzipBytes: gzipBytes(file), rawBytes: readFileSync(file).length }))
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
  return { assets, totalGzipBytes: assets.reduce((s, a) => s + a.gzipBytes, 0) };
}
