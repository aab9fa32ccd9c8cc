// A minimal static server for the browser tests and the benchmark, on 127.0.0.1 with a random
// port. By default it maps URL prefixes to folders of the repository the way `ecs-password serve`
// lays them out, and sends the same kind of CSP, so that the page is tested under its real
// constraints. Given `mounts`, it is any plain web server instead (it knows nothing of the app):
// folders under URL prefixes, and prefixes forwarded to another server (a reverse proxy's
// `location /prefix/ { proxy_pass http://upstream/; }`).
import { createServer, request as httpRequest } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, isAbsolute, join, normalize, resolve } from "node:path";

const ROOT = resolve(new URL("../..", import.meta.url).pathname);
/** @type {Mount[]} */
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
  ".md": "text/markdown; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * A URL prefix (ending in "/") and what it serves: a folder (absolute, or relative to the
 * repository), or `{ upstream }`, an origin the rest of the path is forwarded to.
 * @typedef {[string, string | { upstream: string }]} Mount
 */

/**
 * Forwards the request to `upstream` with `path` (the prefix stripped), and its answer back.
 * @param {import("node:http").IncomingMessage} req @param {import("node:http").ServerResponse} res
 * @param {string} upstream @param {string} path
 */
function forward(req, res, upstream, path) {
  const target = new URL(path, upstream);
  const headers = { ...req.headers, host: target.host };
  const out = httpRequest(target, { method: req.method, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  out.on("error", () => { if (!res.headersSent) res.writeHead(502); res.end(); });
  req.pipe(out);
}

/** @param {{ port?: number, mounts?: Mount[] }} [options] */
export async function startStaticServer({ port = 0, mounts = MOUNTS } = {}) {
  /** @type {Array<{ method: string | undefined, path: string }>} */
  const requests = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const path = decodeURIComponent(url.pathname);
    requests.push({ method: req.method, path });
    const mount = mounts.find(([prefix]) => path.startsWith(prefix));
    if (!mount) return void res.writeHead(404).end();
    const [prefix, what] = mount;
    if (typeof what !== "string") return forward(req, res, what.upstream, url.pathname.slice(prefix.length - 1) + url.search);
    const folder = isAbsolute(what) ? what : join(ROOT, what);
    let file = normalize(join(folder, path.slice(prefix.length)));
    if (!file.startsWith(folder)) return void res.writeHead(403).end();
    try {
      if (!path.endsWith("/") && (await stat(file)).isDirectory()) {
        return void res.writeHead(301, { location: `${url.pathname}/${url.search}` }).end();
      }
      if (path.endsWith("/")) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[/** @type {keyof TYPES} */ (extname(file))] ?? "application/octet-stream",
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
