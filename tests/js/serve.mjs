// Starts `ecs-password serve` (the debug build, or $ECS_PASSWORD_BIN) on a free loopback port with
// the emulated cloud, for the browser tests: they run against the product's own server, CSP and
// cloud, not a stand-in.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export const ROOT = new URL("../..", import.meta.url).pathname;
const binary = process.env.ECS_PASSWORD_BIN ?? `${ROOT}target/debug/ecs-password`;

/** The demo project and servers (see GET /demo). */
export const DEMO = {
  project: "0605767f5a80d5762fc1c000cf2b3f95",
  win2048: "7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d01",
  win4096: "7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d02",
  booting: "7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d03",
  linux: "7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d04",
  nokey: "7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d05",
};

/** `ecs-password serve --listen 127.0.0.1:0 --root <repo> ...args`; resolves to { url, close }. */
export async function startServe(args = []) {
  const child = spawn(binary, ["serve", "--listen", "127.0.0.1:0", "--root", ROOT, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`ecs-password serve exited with ${code}`)));
  });
  const url = line.match(/http:\/\/[^ /]+/)[0];
  return {
    url,
    /**
     * The emulator's test controls (they need the X-Emulator-Control header).
     * @param {string} path
     * @param {RequestInit} [init]
     */
    control: (path, init = {}) =>
      fetch(`${url}/_emulator/${path}`, { ...init, headers: { ...init.headers, "X-Emulator-Control": "1" } }),
    close: () => new Promise(/** @param {(value?: unknown) => void} resolve */ (resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", resolve);
      child.kill();
    }),
  };
}
