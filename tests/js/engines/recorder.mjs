// A recording reverse proxy in front of `ecs-password serve`: the browser under test talks only to
// it, and it keeps every request it forwards (method, URL, headers, body). The key audit reads
// this record, so it works the same in every engine (WebDriver classic has no network events) and
// sees what reached the wire, the page's worker included.
import { createServer, request as forward } from "node:http";

/** Starts the proxy for `target` (http://127.0.0.1:PORT); resolves to { url, requests, close }. */
export async function startRecorder(target) {
  const upstream = new URL(target);
  const requests = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method, url: req.url, headers: req.headers, body: body.toString("latin1") });
      // Host is passed on as the browser sent it: AK/SK signatures cover it.
      const out = forward({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      });
      out.on("error", (e) => res.destroy(e));
      out.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  return {
    url: `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}
