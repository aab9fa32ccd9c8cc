// The end-to-end flows (flows.mjs) in one engine: ENGINE=chromium|firefox|webkit. The browser
// opens the page through a recording proxy (recorder.mjs) in front of `ecs-password serve` and its
// emulated cloud; the last test audits every request it saw and what the page stored.
// scripts/test.sh runs it once per engine and prints the count of each.
//
//   ENGINE=firefox node --test tests/js/engines/e2e.mjs
import { test, before, after } from "node:test";
import { launch, ENGINES } from "./drivers.mjs";
import { flows, audit, context } from "./flows.mjs";
import { startRecorder } from "./recorder.mjs";
import { startServe } from "../serve.mjs";

const engine = process.env.ENGINE ?? "";
if (!ENGINES.includes(engine)) throw new Error(`set ENGINE to one of ${ENGINES.join(", ")}`);

let serve, recorder, driver, c;
before(async () => {
  // Booting servers post only when a test says so (POST /_emulator/servers/{id}/post).
  // The browser reaches serve through the recorder, on another port: its Host is allowed.
  serve = await startServe(["--post-delay", "3600", "--allowed-host", "127.0.0.1"]);
  recorder = await startRecorder(serve.url);
  driver = await launch(engine);
  console.log(`# engine ${engine}: ${driver.version}`);
  c = await context(driver, recorder.url, serve);
});

after(async () => {
  // A hung engine must not hold the run: give it 20 s to quit (drivers.mjs kills WebKit's group on exit).
  await Promise.race([driver?.close(), new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
  await recorder?.close();
  await serve?.close();
  // A driver request left hanging keeps a socket open; it must not keep this process alive.
  setTimeout(() => process.exit(), 5_000).unref();
});

// A step that hangs (an engine waiting on a prompt) fails its test instead of the whole run.
const timeout = 240_000;
for (const [name, flow] of flows) test(`${engine}: ${name}`, { timeout }, () => flow(c));
test(`${engine}: audit: no request carried key material, a passphrase, a password or a secret key; nothing stored`, { timeout }, () => audit(c, recorder.requests));
