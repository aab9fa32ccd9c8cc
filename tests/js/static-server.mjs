// A minimal static server for the browser tests and the benchmark, on 127.0.0.1 with a random
// port. It maps URL prefixes to folders of the repository the way `ecs-password serve` lays them
// out, and sends the same kind of CSP, so that the page is tested under its real constraints.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
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

/**
 * A minimal fake of the ECS password APIs under /fake-cloud (same origin, so no CORS), for the
 * browser tests of the wasm API client: server s1 in project p1 on every family; s9 is missing;
 * the token must be "tok". The full emulator is `ecs-password serve`'s job.
 */
function fakeCloud(req, path, body, res) {
  const send = (status, payload, headers = {}) => {
    res.writeHead(status, { "content-type": "application/json", "x-request-id": `req-${status}`, ...headers });
    res.end(payload === null ? "" : JSON.stringify(payload));
  };
  const rest = path.slice("/fake-cloud".length);
  if (req.headers["x-auth-token"] !== "tok") return send(401, { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information", request_id: "req-auth" });
  const native = !rest.startsWith("/v1/");
  if (rest.includes("/s9")) {
    return native ? send(404, { itemNotFound: { code: 404, message: "Instance s9 could not be found." } })
      : send(404, { error: { code: "Ecs.0114", message: "Instance[s9] could not be found." } });
  }
  const ciphertext = readFileSync(join(ROOT, "tests/fixtures/rsa2048.ciphertext.b64"), "utf8");
  if (rest.endsWith("/s1/os-server-password") && req.method === "GET") return send(200, { password: ciphertext });
  if (rest.endsWith("/s1/os-server-password") && req.method === "DELETE") return send(204, null);
  if (rest.endsWith("/s1/os-reset-password") && req.method === "PUT") {
    const parsed = JSON.parse(body || "{}");
    return parsed["reset-password"]?.new_password ? send(204, null) : send(400, { error: { code: "Ecs.0011", message: "bad body" } });
  }
  if (rest.endsWith("/s1/os-resetpwd-flag")) return send(200, { resetpwd_flag: "True" });
  if (rest.endsWith("/s1")) return send(200, { server: { id: "s1", name: "win-01", key_name: "kp", metadata: { os_type: "Windows" } } });
  return send(404, { itemNotFound: { code: 404, message: "no route" } });
}

export async function startStaticServer({ port = 0 } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requests.push({ method: req.method, path });
    if (path.startsWith("/fake-cloud/")) {
      let body = "";
      for await (const chunk of req) body += chunk;
      return fakeCloud(req, path, body, res);
    }
    const mount = MOUNTS.find(([prefix]) => path.startsWith(prefix));
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
  await new Promise((ok) => server.listen(port, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, requests, close: () => new Promise((ok) => server.close(ok)) };
}
