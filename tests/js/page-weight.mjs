// What the standalone page transfers: every same-origin static file the page (and its workers)
// fetches while it loads and while `flow` runs, gzip -9 sizes from the files on disk (what a
// gzip-serving host sends, whatever this server negotiates), plus the wasm package, which every
// flow needs. Shared by the size budget test and the benchmark.
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

export const gzipBytes = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

/** The budget in bytes (gzip), from bench/budget.json. */
export const budget = () => JSON.parse(readFileSync(`${ROOT}bench/budget.json`, "utf8"));

/**
 * Opens `url` in a new page of `browser`, runs `flow(page)` if given, and returns
 * `{ assets: [{ path, gzipBytes, rawBytes }], totalGzipBytes }`.
 */
export async function pageWeight(browser, url, flow) {
  const page = await browser.newPage();
  const origin = new URL(url).origin;
  const seen = new Set(["/pkg/ecs_password.js", "/pkg/ecs_password_bg.wasm"]);
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
