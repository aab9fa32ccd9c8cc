// Serves the standalone decrypt page (www/) and the wasm package (pkg/) on 127.0.0.1:8080 until
// interrupted. A stand-in until `ecs-password serve` exists; used by `scripts/run.sh --page`.
import { startStaticServer } from "../tests/js/static-server.mjs";

const port = Number(process.env.PORT ?? 8080);
const server = await startStaticServer({ port });
console.log(`Decrypt page: ${server.url}/  (demo keys and ciphertexts: ${server.url}/fixtures/)  Ctrl-C to stop.`);
process.on("SIGINT", async () => {
  await server.close();
  process.exit(0);
});
