// Launches Debian's headless Chromium through playwright-core (no browser download).
import { chromium } from "playwright-core";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** `options` go to launchPersistentContext too (e.g. `{ locale: "zh-CN" }`). */
export async function launchChromium(options = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), "ecs-password-chromium-"));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    ],
    ...options,
  });
}
