// A minimal static server for the browser tests and the benchmark, on 127.0.0.1 with a random
// port. It maps URL prefixes to folders of the repository the way `ecs-password serve` lays them
// out, and sends the same kind of CSP, so that the page is tested under its real constraints.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

const ROOT = resolve(new URL("../..", import.meta.url).pathname);
const MOUNTS = [
  ["/pkg/", "pkg"],
  ["/fixtures/", "tests/fixtures"],
  ["/bench/", "bench"],
  ["/vendor/jsencrypt/", "node_modules/jsencrypt/bin"],
  ["/vendor/node-forge/", "node_modules/node-forge/dist"],
  ["/", "www"],
];
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".wasm": "application/wasm",
};
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export async function startStaticServer({ port = 0 } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    requests.push({ method: req.method, path });
    const mount = MOUNTS.find(([prefix]) => path.startsWith(prefix));
    if (!mount) return void res.writeHead(404).end();
    const folder = join(ROOT, mount[1]);
    let file = normalize(join(folder, path.slice(mount[0].length)));
    if (!file.startsWith(folder)) return void res.writeHead(403).end();
    if (path.endsWith("/")) file = join(file, "index.html");
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "content-security-policy": CSP,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "cache-control": "no-store",
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(port, "127.0.0.1", () => ok(undefined)));
  const url = `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}`;
  return { url, requests, close: () => new Promise((ok) => server.close(ok)) };
}
