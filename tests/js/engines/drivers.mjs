// @ts-nocheck -- callbacks evaluated in the page, on untyped DOM (see tsconfig.json); ESLint checks this file.
/* global $q -- the page-side element finder that drivers.mjs injects into every evaluated script */
// One small driver interface over three engines, so that the end-to-end flows (flows.mjs) are
// written once: Chromium through playwright-core (CDP), Firefox ESR through puppeteer-core
// (WebDriver BiDi) and WebKitGTK's MiniBrowser through selenium-webdriver (WebDriver classic, the
// WebKitWebDriver of Debian's webkit2gtk-driver, under xvfb-run). All use Debian's browsers.
//
// Selectors are CSS; "a >>> b" looks for b inside a's shadow root (the widget's).
// Every driver has: name, version, goto(url), evaluate(fn, ...args) (fn runs in the page, where
// $q(selector) finds an element), click, fill, check, selectOption, setFile, press(key), close().
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const ENGINES = ["chromium", "firefox", "webkit"];
const FIREFOX = process.env.FIREFOX ?? "/usr/bin/firefox-esr";
const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER ?? "/usr/bin/WebKitWebDriver";
const MINIBROWSER = process.env.MINIBROWSER ?? "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/** Finds `a >>> b` through open shadow roots; runs in the page. */
const RESOLVE = `(selector) => {
  let el = null;
  for (const part of selector.split(" >>> ")) {
    el = (el ? el.shadowRoot : document)?.querySelector(part) ?? null;
    if (!el) return null;
  }
  return el;
}`;
/** The page-side source of `fn(...args)` with $q in scope; a returned promise is awaited by every driver. */
const script = (fn, args) => `(() => { const $q = ${RESOLVE}; return (${fn})(...${JSON.stringify(args)}); })()`;

/** Sets a field's value as a paste would, with the events a page listens to. */
function setValue(el, value) {
  el.focus();
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
  el.dispatchEvent(new Event("change", { bubbles: true, composed: true }));
}
const LONG = 200; // longer text is pasted (setValue), shorter is typed key by key

/** E2E_TRACE=1 logs every driver call and its time to stderr (to find a step that hangs). */
export async function launch(engine) {
  const start = { chromium: launchChromium, firefox: launchFirefox, webkit: launchWebKit }[engine];
  if (!start) throw new Error(`ENGINE must be one of ${ENGINES.join(", ")}, not ${engine}`);
  const driver = await start();
  if (!process.env.E2E_TRACE) return driver;
  return Object.fromEntries(Object.entries(driver).map(([k, f]) => [k, typeof f !== "function" ? f : async (...args) => {
    const t0 = Date.now();
    process.stderr.write(`[${engine}] ${k} ${String(args[0]).slice(0, 100).replace(/\s+/g, " ")}\n`);
    const result = await f(...args);
    process.stderr.write(`[${engine}]   ${Date.now() - t0} ms\n`);
    return result;
  }]));
}

/** Files handed to a file input (the browser reads them lazily), removed when the driver closes. */
const uploads = [];
async function tempFile(name, bytes) {
  const dir = await mkdtemp(join(tmpdir(), "ecs-password-upload-"));
  uploads.push(dir);
  const path = join(dir, name);
  await writeFile(path, bytes, { mode: 0o600 });
  return path;
}
const removeUploads = () => Promise.all(uploads.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));

async function launchChromium() {
  const { launchChromium: start } = await import("../chromium.mjs");
  const context = await start({ locale: "en-US" });
  const page = context.pages()[0] ?? await context.newPage();
  const at = (selector) => page.locator(selector.replaceAll(" >>> ", " >> "));
  return {
    name: "chromium",
    version: `Chromium ${context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent)).match(/Chrome\/([\d.]+)/)[1]}`,
    goto: (url) => page.goto(url).then(() => undefined),
    evaluate: (fn, ...args) => page.evaluate(script(fn, args)),
    click: (selector) => at(selector).click(),
    fill: (selector, text) => at(selector).fill(text),
    check: (selector) => at(selector).check(),
    selectOption: (selector, value) => at(selector).selectOption(value).then(() => undefined),
    setFile: (selector, name, bytes) => at(selector).setInputFiles({ name, mimeType: "application/octet-stream", buffer: bytes }),
    press: (key) => page.keyboard.press(key),
    close: () => context.close(),
  };
}

async function launchFirefox() {
  const { default: puppeteer } = await import("puppeteer-core");
  const browser = await puppeteer.launch({
    browser: "firefox",
    protocol: "webDriverBiDi",
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: { "intl.accept_languages": "en-US", "intl.locale.requested": "en-US" },
  });
  const page = (await browser.pages())[0] ?? await browser.newPage();
  const handle = async (selector) => {
    const el = await page.evaluateHandle(script((s) => $q(s), [selector]));
    const element = el.asElement();
    if (!element) throw new Error(`no element ${selector}`);
    return element;
  };
  return {
    name: "firefox",
    version: await browser.version(),
    goto: (url) => page.goto(url).then(() => undefined),
    evaluate: (fn, ...args) => page.evaluate(script(fn, args)),
    click: async (selector) => (await handle(selector)).click(),
    fill: async (selector, text) => {
      const el = await handle(selector);
      if (text.length > LONG) return el.evaluate(setValue, text);
      await el.evaluate((e) => { e.value = ""; });
      await el.type(text);
    },
    check: async (selector) => (await handle(selector)).click(),
    selectOption: async (selector, value) => (await handle(selector)).evaluate(setValue, value),
    setFile: async (selector, name, bytes) => (await handle(selector)).uploadFile(await tempFile(name, bytes)),
    press: async (key) => {
      if (key !== "Enter") return page.keyboard.press(key);
      // Firefox 140's BiDi key actions reach the page (trusted keydown and keypress, keyCode 13)
      // but a focused <button> never runs its activation behaviour: no click, which a real Enter
      // gives. So if no click followed, the driver clicks the focused button, as Enter would.
      await page.evaluate(() => {
        window.__enterClicked = false;
        document.addEventListener("click", () => { window.__enterClicked = true; }, { capture: true, once: true });
      });
      await page.keyboard.press(key);
      await sleep(50);
      await page.evaluate(() => {
        let el = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        if (!window.__enterClicked && el?.tagName === "BUTTON") el.click();
      });
    },
    close: () => browser.close().finally(removeUploads),
  };
}

/**
 * The IPv4 ports the processes of a group listen on (Linux /proc): WebKitWebDriver given --port=0
 * picks a free one itself but does not say which. (A port chosen here and closed again could be
 * taken by another process before the driver bound it.)
 */
async function listeningPorts(group) {
  const inodes = new Set();
  for (const pid of (await readdir("/proc")).filter((name) => /^\d+$/.test(name))) {
    try {
      // pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its parenthesis.
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) !== group) continue;
      for (const fd of await readdir(`/proc/${pid}/fd`)) {
        const socket = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/fd/${fd}`));
        if (socket) inodes.add(socket[1]);
      }
    } catch { /* gone, or not readable */ }
  }
  // sl local_address rem_address st ... inode: st 0A is LISTEN; the port is the address's hex tail.
  return (await readFile("/proc/net/tcp", "utf8")).split("\n").slice(1).map((line) => line.trim().split(/\s+/))
    .filter((f) => f[3] === "0A" && inodes.has(f[9])).map((f) => parseInt(f[1].split(":")[1], 16));
}

async function launchWebKit() {
  const { Builder, Key } = await import("selenium-webdriver");
  // MiniBrowser has no headless mode: it gets a virtual X display unless one is there.
  const command = process.env.DISPLAY ? [WEBKIT_DRIVER] : ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", WEBKIT_DRIVER];
  // WebKitGTK takes navigator.language from LANG ("C" under C.UTF-8). GTK warns when the C library
  // has no en_US locale, harmlessly.
  const child = spawn(command[0], [...command.slice(1), "--port=0"], {
    detached: true, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, LANG: "en_US.UTF-8" },
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  // Xvfb, the driver and MiniBrowser go with this process, however it ends.
  const killGroup = () => { try { process.kill(-child.pid, "SIGTERM"); } catch { /* gone */ } };
  process.once("exit", killGroup);
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]]) process.once(signal, () => { killGroup(); process.exit(code); });
  const stop = async () => {
    if (child.exitCode !== null) return;
    killGroup();
    await exited;
  };
  let server;
  const deadline = Date.now() + 20_000;
  while (!server) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${child.exitCode}`);
    for (const port of await listeningPorts(child.pid)) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/status`)).ok) server = `http://127.0.0.1:${port}`;
      } catch { /* not answering yet */ }
    }
    if (server) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error("WebKitWebDriver did not start in 20 s");
    }
    await sleep(100);
  }
  let driver;
  try {
    driver = await new Builder().usingServer(server).withCapabilities({
      browserName: "MiniBrowser",
      "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] },
    }).build();
  } catch (e) {
    await stop();
    throw e;
  }
  await driver.manage().setTimeouts({ script: 120_000 });
  const handle = async (selector) => {
    const el = await driver.executeScript(`return ${script((s) => $q(s), [selector])}`);
    if (!el) throw new Error(`no element ${selector}`);
    return el;
  };
  const keys = { Tab: Key.TAB, Enter: Key.ENTER, Escape: Key.ESCAPE, ArrowDown: Key.ARROW_DOWN };
  const capabilities = await driver.getCapabilities();
  return {
    name: "webkit",
    version: `WebKitGTK ${capabilities.get("browserVersion")} (MiniBrowser)`,
    goto: (url) => driver.get(url),
    evaluate: (fn, ...args) => driver.executeScript(`return ${script(fn, args)}`),
    click: async (selector) => (await handle(selector)).click(),
    fill: async (selector, text) => {
      const el = await handle(selector);
      if (text.length > LONG) return driver.executeScript(`(${setValue})(arguments[0], arguments[1])`, el, text);
      await el.clear();
      await el.sendKeys(text);
    },
    check: async (selector) => (await handle(selector)).click(),
    selectOption: async (selector, value) => driver.executeScript(`(${setValue})(arguments[0], arguments[1])`, await handle(selector), value),
    setFile: async (selector, name, bytes) => (await handle(selector)).sendKeys(await tempFile(name, bytes)),
    press: (key) => driver.actions().sendKeys(keys[key] ?? key).perform(),
    close: async () => {
      try { await driver.quit(); } finally { await stop(); await removeUploads(); }
    },
  };
}
