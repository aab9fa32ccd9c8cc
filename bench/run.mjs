// The benchmark command: `scripts/bench.sh` (builds the release wasm and CLI, then runs this).
// Measures in one run, on this machine:
//  - parse + decrypt per operation, RSA-2048/3072/4096, in headless Chromium: our wasm against
//    JSEncrypt (what Horizon ships) and node-forge; natively, our CLI against `openssl pkeyutl`;
//  - unlocking encrypted keys in the browser against the native tools (ssh-keygen, openssl, puttygen);
//  - cold start of the module, and the bytes the pages transfer (gzip -9) against issue 13's
//    targets: the offline page, before a key is chosen, the full flow (and the first error's cost);
//  - the longest main-thread task during the flows;
//  - a fleet: get + decrypt for 500 servers against the emulated cloud, 16 requests in flight: raw
//    (the cloud module and the worker driven by hand), and through the real <ecs-password-fleet>
//    (list, choose all, one key, Get: until every row of the table says where it stands).
// Writes bench/results/latest.json and latest.md (the table with ratios) and prints the table.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync, chmodSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStaticServer } from "../tests/js/static-server.mjs";
import { launchChromium } from "../tests/js/chromium.mjs";
import { startServe, ROOT } from "../tests/js/serve.mjs";
import { pageWeight, weigh, budget, messagesOnFirstError, KEYS, CLOUD, TARGETS } from "../tests/js/page-weight.mjs";

const FIXTURES = `${ROOT}tests/fixtures/`;
const CLI = process.env.ECS_PASSWORD_BIN ?? `${ROOT}target/release/ecs-password`;
process.env.ECS_PASSWORD_BIN = CLI;
const PASSPHRASE = readFileSync(`${FIXTURES}passphrase.txt`, "utf8");
const PASSWORD = readFileSync(`${FIXTURES}password.txt`, "utf8");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median wall time in ms of `runs` runs of a command (process start included); checks its output. */
function timeCommand(argv, runs, check) {
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(argv[0], argv.slice(1), { encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0 || (check && !check(r.stdout))) {
      throw new Error(`${argv.join(" ")} failed: ${r.status} ${r.stderr}`);
    }
    if (i > 0) times.push(ms); // the first run warms the page cache
  }
  return median(times);
}

// 1. The browser page: decrypt and unlock timings, cold start.
const browser = await launchChromium();
const tmp = mkdtempSync(join(tmpdir(), "ecs-bench-"));
const report = { date: new Date().toISOString() };
try {
  const statics = await startStaticServer();
  try {
    const page = await browser.newPage();
    page.on("pageerror", (e) => console.error("page error:", String(e)));
    await page.goto(`${statics.url}/bench/index.html`);
    await page.waitForFunction(() => window.benchResult !== undefined, null, { timeout: 600_000 });
    Object.assign(report, await page.evaluate(() => window.benchResult));
    if (report.error) throw new Error(report.error);
    await page.close();
  } finally {
    await statics.close();
  }

  // 2. Native: our CLI against openssl, per process.
  for (const row of report.results) {
    const pem = `${FIXTURES}rsa${row.bits}.pkcs1.pem`;
    const b64 = `${FIXTURES}rsa${row.bits}.ciphertext.b64`;
    const bin = join(tmp, `c${row.bits}.bin`);
    writeFileSync(bin, Buffer.from(readFileSync(b64, "utf8"), "base64"));
    row.cli = timeCommand([CLI, "decrypt", "--key", pem, "--ciphertext-file", b64], 15, (out) => out.trim() === PASSWORD);
    row.openssl = timeCommand(["openssl", "pkeyutl", "-decrypt", "-inkey", pem, "-pkeyopt", "rsa_padding_mode:pkcs1", "-in", bin], 15, (out) => out === PASSWORD);
  }

  // 3. Native unlocks of the same files.
  const passFile = join(tmp, "pass.txt");
  writeFileSync(passFile, PASSPHRASE);
  const emptyFile = join(tmp, "empty.txt");
  writeFileSync(emptyFile, "");
  const native = {
    "rsa2048.openssh-aes256ctr": (f) => ["ssh-keygen", "-y", "-P", PASSPHRASE, "-f", f],
    "rsa2048.pkcs8-pbkdf2-sha256-aes256cbc.pem": (f) => ["openssl", "pkey", "-in", f, "-passin", `pass:${PASSPHRASE}`, "-noout"],
    "rsa2048.pkcs8-scrypt-aes256cbc.pem": (f) => ["openssl", "pkey", "-in", f, "-passin", `pass:${PASSPHRASE}`, "-noout"],
    // Exporting the private key makes puttygen decrypt it (-O public-openssh would not: the public
    // half of a .ppk is not encrypted).
    "rsa2048.ppk3-encrypted": (f) => ["puttygen", f, "--old-passphrase", passFile, "--new-passphrase", emptyFile, "-O", "private-openssh", "-o", join(tmp, "out.pem")],
  };
  for (const u of report.unlocks) {
    const file = join(tmp, u.file);
    copyFileSync(`${FIXTURES}${u.file}`, file);
    chmodSync(file, 0o600); // ssh-keygen refuses readable private keys
    const argv = native[u.file](file);
    u.tool = argv[0];
    u.native = timeCommand(argv, 5);
    u.cli = timeCommand([CLI, "key-info", "--key", file, "--passphrase-file", passFile], 5);
  }

  // 4. What the page transfers, and the longest main-thread task while it loads and decrypts.
  const serve = await startServe();
  try {
    const weight = await pageWeight(browser, `${serve.url}/`);
    report.page = { ...weight, budgetGzipBytes: budget().pageGzipBytes };
    // Issue 13's three: the offline page, what loads before a key is chosen, the whole flow.
    report.offlinePage = await pageWeight(browser, `${serve.url}/decrypt.html`, undefined, KEYS);
    report.beforeKey = await pageWeight(browser, `${serve.url}/`, undefined, CLOUD);
    report.messagesOnFirstError = weigh(messagesOnFirstError("en"));
  } finally {
    await serve.close();
  }

  // 4b. The longest main-thread task in each widget flow, on the demo (PerformanceObserver).
  const demoServe = await startServe(["--post-delay", "3600"]);
  try {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      window.__longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
      }).observe({ type: "longtask", buffered: true });
    });
    const inWidget = (selector) => page.locator("ecs-password").locator(selector);
    const flows = [];
    const flow = async (name, run) => {
      await page.evaluate(() => { window.__longest = 0; });
      const t0 = Date.now();
      await run();
      await page.waitForTimeout(100);
      flows.push({ name, ms: Date.now() - t0, longestTaskMs: await page.evaluate(() => window.__longest) });
    };
    await flow("open the page (module load)", async () => {
      await page.goto(`${demoServe.url}/`, { waitUntil: "networkidle" });
    });
    const demo = await (await fetch(`${demoServe.url}/demo`)).json();
    const win = demo.servers.find((s) => s.name === "win-4096");
    await flow("sign in and list servers", async () => {
      await page.click('button[data-principal="admin"]');
      await page.waitForFunction(() => /** @type {HTMLSelectElement} */ (document.getElementById("server-select")).options.length > 1);
    });
    await flow("open a server: permissions, details, key pair", async () => {
      await page.selectOption("#server-select", win.id);
      await page.waitForFunction(() => /** @type {HTMLElement | null | undefined} */ (document.querySelector("ecs-password")?.shadowRoot?.querySelector(".ecs"))?.dataset.ready === "ready");
    });
    await flow("read a 4096-bit key (worker)", async () => {
      await inWidget("#key-text").fill(readFileSync(`${FIXTURES}rsa4096.pkcs1.pem`, "utf8"));
      await inWidget("#use-pasted").click();
      await inWidget("#key-facts").waitFor({ state: "visible" });
    });
    await flow("get and decrypt the password (worker)", async () => {
      await inWidget("#get").click();
      await inWidget("#result").waitFor({ state: "visible" });
    });
    await flow("reset: generate and check a new password", async () => {
      await inWidget("#generate").click();
    });
    await flow("unlock a PuTTY v3 key, Argon2 (worker)", async () => {
      const other = demo.servers.find((s) => s.name === "win-2048");
      await page.selectOption("#server-select", other.id);
      await page.waitForFunction(() => /** @type {HTMLElement | null | undefined} */ (document.querySelector("ecs-password")?.shadowRoot?.querySelector(".ecs"))?.dataset.ready === "ready");
      await inWidget("#key-file").setInputFiles(`${FIXTURES}rsa2048.ppk3-encrypted`);
      await inWidget("#passphrase-box").waitFor({ state: "visible" });
      await inWidget("#passphrase").fill(PASSPHRASE);
      await inWidget("#unlock").click();
      await inWidget("#key-facts").waitFor({ state: "visible", timeout: 60_000 });
    });
    await flow("clear the stored password", async () => {
      await inWidget("#clear").click();
      await inWidget("#confirm-ok").click();
      await page.waitForFunction(() => /cleared|清除/i.test(document.querySelector("ecs-password")?.shadowRoot?.getElementById("live")?.textContent ?? ""));
    });
    report.flows = flows;
    await page.close();
  } finally {
    await demoServe.close();
  }

  // 5. A fleet of 500 servers on the emulated cloud: get + decrypt each, 16 requests in flight.
  const publicKey = spawnSync(CLI, ["key-info", "--key", `${FIXTURES}rsa2048.pkcs1.pem`, "--json"], { encoding: "utf8" });
  const project = "f1ee7000000000000000000000000000";
  const ids = Array.from({ length: 500 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
  const state = {
    region: "bench-1", domainId: "bench", project: { id: project, name: "bench" },
    keyPairs: [{ name: "fleet", publicKey: JSON.parse(publicKey.stdout).publicKeyOpenssh }],
    servers: ids.map((id, i) => ({ id, name: `win-${i}`, os: "windows", keyName: "fleet", postsAfterSeconds: 0 })),
    principals: [{ name: "ops", token: "fleet-token", grants: { grants: [{ policy: "ECS FullAccess", scope: { project } }] } }],
  };
  const stateFile = join(tmp, "fleet.json");
  writeFileSync(stateFile, JSON.stringify(state));
  const fleet = await startServe(["--state", stateFile]);
  try {
    const page = await browser.newPage();
    await page.goto(`${fleet.url}/`);
    report.fleet = await page.evaluate(async ({ ids, project, key, concurrency, workers }) => {
      let longestTaskMs = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longestTaskMs = Math.max(longestTaskMs, e.duration);
      }).observe({ type: "longtask", buffered: false });
      const wasm = await import("/pkg/cloud/ecs_password_cloud.js");
      await wasm.default();
      // The widget's own decryption worker, one per core: the key is unlocked once in each.
      const pool = Array.from({ length: workers }, () => new Worker("/decrypt-worker.js", { type: "module" }));
      const pending = new Map();
      let nextId = 0;
      for (const w of pool) w.onmessage = ({ data }) => { pending.get(data.id)(data); pending.delete(data.id); };
      const ask = (w, message) => new Promise((resolve) => { const id = nextId++; pending.set(id, resolve); w.postMessage({ ...message, id }); });
      await Promise.all(pool.map((w) => ask(w, { type: "load", key: new TextEncoder().encode(key).buffer })));
      const get = async (serverId) => /** @type {{ ciphertext: string }} */ (await wasm.callApi({ endpoint: location.origin, family: "v1", projectId: project, serverId },
        { kind: "password", operation: "get" }, { token: "fleet-token" })).ciphertext;
      const decrypt = (ciphertext, i) => ask(pool[i % pool.length], { type: "decrypt", ciphertext });
      /** Runs `step(serverId, lane)` for every server, `concurrency` at a time; the wall time in ms. */
      const timed = async (step) => {
        const t0 = performance.now();
        let next = 0;
        await Promise.all(Array.from({ length: concurrency }, async (_, lane) => {
          while (next < ids.length) await step(ids[next++], lane);
        }));
        return performance.now() - t0;
      };
      let ok = 0;
      const totalMs = await timed(async (serverId, lane) => {
        if ((await decrypt(await get(serverId), lane)).password?.length > 0) ok++;
      });
      // Where the time goes: the same 500 gets alone, then the 500 decryptions alone.
      const ciphertexts = [];
      const getsOnlyMs = await timed(async (serverId) => { ciphertexts.push(await get(serverId)); });
      const t0 = performance.now();
      await Promise.all(ciphertexts.map(decrypt));
      const decryptsOnlyMs = performance.now() - t0;
      await Promise.all(pool.map((w) => ask(w, { type: "wipe" })));
      pool.forEach((w) => w.terminate());
      await new Promise((r) => setTimeout(r, 50));
      return { servers: ids.length, ok, concurrency, workers, totalMs, perServerMs: totalMs / ids.length, getsOnlyMs, decryptsOnlyMs, longestTaskMs };
    }, { ids, project, key: readFileSync(`${FIXTURES}rsa2048.pkcs1.pem`, "utf8"), concurrency: 16, workers: 2 });
    await page.close();

    // 5b. The same 500 servers through the real <ecs-password-fleet>, as a user drives it.
    const view = await browser.newPage();
    await view.addInitScript(() => {
      window.__longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
      }).observe({ type: "longtask", buffered: true });
    });
    await view.goto(`${fleet.url}/`);
    const inFleet = (selector) => view.locator("ecs-password-fleet").locator(selector);
    const listStart = Date.now();
    await view.evaluate(async ({ project }) => {
      const { defineFleet } = await import("/ecs-password-define.js");
      await defineFleet();
      window.__longest = 0; // the page's own load is measured in section 4b
      const el = /** @type {any} */ (document.createElement("ecs-password-fleet"));
      el.setAttribute("endpoint", location.origin);
      el.setAttribute("project", project);
      el.setAttribute("family", "v1");
      el.setAttribute("parallel", "16");
      el.credentials = { token: "fleet-token" };
      document.body.replaceChildren(el);
    }, { project });
    const phaseIs = (p) => view.waitForFunction((want) => /** @type {HTMLElement | null | undefined} */ (document.querySelector("ecs-password-fleet")?.shadowRoot?.querySelector(".ecs"))?.dataset.phase === want, p, { timeout: 120_000 });
    await phaseIs("listed");
    const listMs = Date.now() - listStart;
    await inFleet("#select-shown").click();
    await inFleet("#key-file").setInputFiles(`${FIXTURES}rsa2048.pkcs1.pem`);
    await inFleet("#key-list li").first().waitFor();
    // The listing's longest task (the table of 500 rows built), then the run's apart.
    const listLongestTaskMs = await view.evaluate(() => window.__longest);
    await view.evaluate(() => {
      window.__longest = 0;
      document.addEventListener("ecs-password-fleet-done", (e) => { window.benchResult = /** @type {CustomEvent} */ (e).detail; }, { once: true });
    });
    const t0 = Date.now();
    await inFleet("#get").click();
    await phaseIs("done");
    const totalMs = Date.now() - t0;
    const done = await view.evaluate(() => ({ detail: window.benchResult, longestTaskMs: window.__longest, ready: document.querySelector("ecs-password-fleet")?.shadowRoot?.querySelectorAll('tr[data-state="ready"]').length }));
    report.fleetView = { servers: ids.length, ok: done.ready, concurrency: 16, listMs, listLongestTaskMs, totalMs, elementMs: done.detail?.ms ?? null, longestTaskMs: done.longestTaskMs };
    await view.close();

    // 5c. The same fleet through the release CLI: `get --all --parallel 16 --key` (sign-in, list,
    // 500 gets on one agent whose pool keeps a connection per thread, 500 decryptions); median of 3.
    const cliEnv = { ...process.env, OS_TOKEN: "fleet-token" };
    for (const name of ["OS_CLOUD", "OS_AUTH_URL", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"]) delete cliEnv[name];
    const cliRuns = [];
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(CLI, ["get", "--endpoint", fleet.url, "--project", project, "--family", "v1", "--all", "--parallel", "16", "--key", `${FIXTURES}rsa2048.pkcs1.pem`], {
        encoding: "utf8", env: cliEnv, maxBuffer: 64 << 20,
      });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      // Each server's password is its own (the emulator makes them): one non-empty one per line.
      const passwords = r.stdout.split("\n").filter((l) => l && typeof JSON.parse(l).password === "string" && JSON.parse(l).password.length > 0).length;
      if (r.status !== 0 || passwords !== ids.length) throw new Error(`the CLI fleet failed (${r.status}, ${passwords} passwords): ${r.stderr}`);
      cliRuns.push(ms);
    }
    report.cliFleet = { servers: ids.length, parallel: 16, runsMs: cliRuns, totalMs: median(cliRuns) };
  } finally {
    await fleet.close();
  }
} finally {
  await browser.close();
}

// The table.
const ms = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
const ratio = (a, b) => `${(a / b).toFixed(1)}×`;
const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
const chrome = report.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? "Chromium";
const verdict = (ok) => (ok ? "met" : "**missed**");
const r2048 = report.results.find((r) => r.bits === 2048);
const r4096 = report.results.find((r) => r.bits === 4096);
const worstUnlock = Math.max(...report.unlocks.map((u) => u.wasm / u.native));
const ppk3 = report.unlocks.find((u) => u.file === "rsa2048.ppk3-encrypted");
const longestTask = Math.max(report.fleet.longestTaskMs, report.fleetView.listLongestTaskMs, report.fleetView.longestTaskMs, ...report.flows.map((f) => f.longestTaskMs));
const faster = (r) => r.jsencrypt / r.wasm;
/**
 * The targets, issue 15's first (docs/performance.md, "Targets"). `why` is printed when one is
 * missed: where the time goes, as profiled (docs/performance.md explains it with figures).
 * @type {Array<{ key: string, name: string, figure: string, met: boolean, why?: string }>}
 */
const targets = [
  { key: "decrypt4xJsencrypt", name: "parse + decrypt ≥ 4× faster than JSEncrypt at 2048 and 4096 (issue 15)",
    figure: `${ratio(r2048.jsencrypt, r2048.wasm)}, ${ratio(r4096.jsencrypt, r4096.wasm)}`, met: faster(r2048) >= 4 && faster(r4096) >= 4,
    why: "constant-time CRT exponentiation (crypto-bigint, 32-bit limbs) is most of it; blinding (a constant-time inversion of r) a quarter at 2048, which JSEncrypt does not pay" },
  { key: "argon2Within1_5xPuttygen", name: "PuTTY v3 Argon2 unlock ≤ 1.5× puttygen (issue 15)",
    figure: `${ratio(ppk3.wasm, ppk3.native)}`, met: ppk3.wasm / ppk3.native <= 1.5,
    why: "Argon2's BLAKE2b rounds are 64-bit arithmetic that the argon2 crate leaves to auto-vectorisation; puttygen is native code" },
  { key: "cliFleetUnder2s", name: "500 servers through the CLI ≤ 2 s, connections reused (issue 15)",
    figure: `${ms(report.cliFleet.totalMs)} ms`, met: report.cliFleet.totalMs <= 2000 },
  { key: "decrypt2xJsencrypt", name: "decrypt ≥ 2× faster than JSEncrypt at 2048 and 4096",
    figure: `${ratio(r2048.jsencrypt, r2048.wasm)}, ${ratio(r4096.jsencrypt, r4096.wasm)}`, met: faster(r2048) >= 2 && faster(r4096) >= 2,
    why: "see the 4× line; a median taken while other processes share the cores moves 2-3×" },
  { key: "offlinePageUnder150KB", name: "offline decrypt page ≤ 150 KB gzip (issue 13)", figure: kb(report.offlinePage.totalGzipBytes), met: report.offlinePage.totalGzipBytes <= TARGETS.offlinePage,
    why: "the key module carries every key format, its KDFs and constant-time RSA (docs/performance.md, \"The size of the page\")" },
  { key: "beforeKeyUnder200KB", name: "before a key is chosen ≤ 200 KB gzip (issue 13)", figure: kb(report.beforeKey.totalGzipBytes), met: report.beforeKey.totalGzipBytes <= TARGETS.beforeKey,
    why: "the cloud module: the permission engine (IAM and Nova), the API client, sign-in, with the core's shared serde/JSON code" },
  { key: "widgetFlowUnder300KB", name: "full widget flow ≤ 300 KB gzip (issue 13)", figure: kb(report.page.totalGzipBytes), met: report.page.totalGzipBytes <= TARGETS.widgetFlow,
    why: "both wasm modules; each carries the core's shared code" },
  { key: "unlockWithin2xNative", name: "encrypted-key unlock within 2× of the native tool", figure: `worst ${worstUnlock.toFixed(1)}×`, met: worstUnlock <= 2,
    why: "see the Argon2 line" },
  { key: "noTaskOver50ms", name: "no main-thread task over 50 ms (widget flows, fleet, fleet view)", figure: `${ms(longestTask)} ms`, met: longestTask <= 50,
    why: "page load while other processes share the cores" },
  { key: "fleetUnder5s", name: "500-server fleet in 5 s (widget)", figure: `${ms(report.fleet.totalMs)} ms`,
    met: report.fleet.totalMs <= 5000 && report.fleet.ok === report.fleet.servers, why: "Chromium's fetch and the two workers share the two cores" },
  { key: "fleetViewUnder5s", name: "500 servers in the fleet view <ecs-password-fleet> in 5 s (issue 15)", figure: `${ms(report.fleetView.totalMs)} ms`,
    met: report.fleetView.totalMs <= 5000 && report.fleetView.ok === report.fleetView.servers, why: "the 500 gets share the two cores with the page's rendering of the table" },
];
report.targets = Object.fromEntries(targets.map((t) => [t.key, t.met]));
const lines = [
  `Benchmark of ${report.date}, headless ${chrome}, this machine (${process.arch}).`,
  "",
  "Parse + decrypt, ms per operation (browser: median of 5 rounds; native: median of 15 processes, start-up included):",
  "",
  "| RSA | wasm | JSEncrypt 3.5.4 | node-forge 1.4.3 | JSEncrypt / wasm | forge / wasm | CLI (process) | openssl pkeyutl (process) | openssl / CLI |",
  "|---|---|---|---|---|---|---|---|---|",
  ...report.results.map((r) => `| ${r.bits} | ${ms(r.wasm)} | ${ms(r.jsencrypt)} | ${ms(r.forge)} | ${ratio(r.jsencrypt, r.wasm)} | ${ratio(r.forge, r.wasm)} | ${ms(r.cli)} | ${ms(r.openssl)} | ${ratio(r.openssl, r.cli)} |`),
  "",
  "Unlocking an encrypted RSA-2048 key, ms (browser: median of 3; native: median of 5 processes):",
  "",
  "| Key | wasm (browser) | native tool | tool | wasm / tool | our CLI (native) |",
  "|---|---|---|---|---|---|",
  ...report.unlocks.map((u) => `| ${u.name} | ${ms(u.wasm)} | ${ms(u.native)} | ${u.tool} | ${ratio(u.wasm, u.native)} | ${ms(u.cli)} |`),
  "",
  `Cold start (fetch + compile + instantiate the module): ${ms(report.coldStartMs)} ms.`,
  `The page transfers ${kb(report.page.totalGzipBytes)} gzip -9 (budget in CI: ${kb(report.page.budgetGzipBytes)}): ` +
    report.page.assets.map((a) => `${a.path} ${kb(a.gzipBytes)}`).join(", ") + ". " +
    `Before a key is chosen: ${kb(report.beforeKey.totalGzipBytes)}; the offline page: ${kb(report.offlinePage.totalGzipBytes)}; ` +
    `on the first error, the messages: ${kb(report.messagesOnFirstError.totalGzipBytes)} more.`,
  "The widget's flows on the demo: the longest main-thread task (long tasks are those over 50 ms; 0: none):",
  "",
  "| Flow | wall ms | longest task ms |",
  "|---|---|---|",
  ...report.flows.map((f) => `| ${f.name} | ${f.ms} | ${ms(f.longestTaskMs)} |`),
  "",
  `Fleet: get + decrypt of ${report.fleet.servers} servers on the emulated cloud, ${report.fleet.concurrency} in flight, ${report.fleet.workers} decryption workers: ` +
    `${ms(report.fleet.totalMs)} ms (${ms(report.fleet.perServerMs)} ms per server), ${report.fleet.ok} passwords; the 500 gets alone ${ms(report.fleet.getsOnlyMs)} ms, ` +
    `the 500 decryptions alone ${ms(report.fleet.decryptsOnlyMs)} ms; longest main-thread task ${ms(report.fleet.longestTaskMs)} ms.`,
  `Fleet view: the same ${report.fleetView.servers} servers in <ecs-password-fleet> (list ${ms(report.fleetView.listMs)} ms, longest task ${ms(report.fleetView.listLongestTaskMs)} ms; then Get, ${report.fleetView.concurrency} in flight, one key, ` +
    `until every row says where it stands): ${ms(report.fleetView.totalMs)} ms, ${report.fleetView.ok} passwords ready; longest main-thread task ${ms(report.fleetView.longestTaskMs)} ms.`,
  `CLI fleet: \`get --all --parallel ${report.cliFleet.parallel} --key\` (release build, v1, the same ${report.cliFleet.servers} servers, sign-in, list and decryption included): ` +
    `${ms(report.cliFleet.totalMs)} ms (median of ${report.cliFleet.runsMs.map(ms).join(", ")} ms).`,
  "",
  "| Target | Figure | | Why (when missed) |",
  "|---|---|---|---|",
  ...targets.map((t) => `| ${t.name} | ${t.figure} | ${verdict(t.met)} | ${t.met ? "" : t.why ?? ""} |`),
];
const markdown = lines.join("\n");
mkdirSync(`${ROOT}bench/results/`, { recursive: true });
writeFileSync(`${ROOT}bench/results/latest.json`, JSON.stringify(report, null, 2) + "\n");
writeFileSync(`${ROOT}bench/results/latest.md`, markdown + "\n");
console.log(markdown);
