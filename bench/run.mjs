// The benchmark command: `node bench/run.mjs` (after `scripts/build-wasm.sh`), or `scripts/bench.sh`.
// Measures, in one headless Chromium run, parse + decrypt per operation for RSA-2048/3072/4096 with
// our release wasm, JSEncrypt (what OpenStack Horizon ships) and node-forge, plus the module's size.
// Writes bench/results/latest.json and bench/results/latest.md, and prints the table.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { startStaticServer } from "../tests/js/static-server.mjs";
import { launchChromium } from "../tests/js/chromium.mjs";

const root = new URL("../", import.meta.url);
const server = await startStaticServer();
const browser = await launchChromium();
let report;
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.error("page error:", String(e)));
  await page.goto(`${server.url}/bench/index.html`);
  await page.waitForFunction(() => window.benchResult !== undefined, null, { timeout: 300_000 });
  report = await page.evaluate(() => window.benchResult);
} finally {
  await browser.close();
  await server.close();
}
if (report.error) throw new Error(report.error);

const gz = (path) => gzipSync(readFileSync(new URL(path, root)), { level: 9 }).length;
report.size = {
  wasmBytes: readFileSync(new URL("pkg/ecs_password_bg.wasm", root)).length,
  wasmGzipBytes: gz("pkg/ecs_password_bg.wasm"),
  glueGzipBytes: gz("pkg/ecs_password.js"),
  jsencryptGzipBytes: gz("node_modules/jsencrypt/bin/jsencrypt.min.js"),
  forgeGzipBytes: gz("node_modules/node-forge/dist/forge.min.js"),
};
report.date = new Date().toISOString();

const ms = (x) => x.toFixed(2);
const lines = [
  `Parse + decrypt, ms per operation (median of 5 rounds), headless ${report.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? "Chromium"}:`,
  "",
  "| RSA | ecs-password (wasm) | JSEncrypt 3.5.4 | node-forge 1.4.3 | JSEncrypt / wasm | forge / wasm |",
  "|---|---|---|---|---|---|",
  ...report.results.map((r) => `| ${r.bits} | ${ms(r.wasm)} | ${ms(r.jsencrypt)} | ${ms(r.forge)} | ${(r.jsencrypt / r.wasm).toFixed(1)}× | ${(r.forge / r.wasm).toFixed(1)}× |`),
  "",
  `Size, gzip -9: wasm ${(report.size.wasmGzipBytes / 1024).toFixed(1)} KiB (${(report.size.wasmBytes / 1024).toFixed(1)} KiB raw) + JS glue ${(report.size.glueGzipBytes / 1024).toFixed(1)} KiB; ` +
    `jsencrypt.min.js ${(report.size.jsencryptGzipBytes / 1024).toFixed(1)} KiB; forge.min.js ${(report.size.forgeGzipBytes / 1024).toFixed(1)} KiB.`,
  `Cold start (fetch + compile + instantiate the module): ${ms(report.coldStartMs)} ms.`,
];
const markdown = lines.join("\n");
mkdirSync(new URL("bench/results/", root), { recursive: true });
writeFileSync(new URL("bench/results/latest.json", root), JSON.stringify(report, null, 2) + "\n");
writeFileSync(new URL("bench/results/latest.md", root), markdown + "\n");
console.log(markdown);
