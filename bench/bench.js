// Runs inside headless Chromium (bench/run.mjs opens this page). For each key size it times
// "parse the key + decrypt the password" per operation, for our wasm module and for the
// JavaScript libraries users have today, on the same inputs in the same page.
import init, { decryptPassword } from "/pkg/ecs_password.js";

const text = async (path) => (await fetch(path)).text();

/** Median of `rounds` rounds of `iterations` calls, in ms per call; checks every result. */
function time(fn, expected, iterations, rounds = 5) {
  if (fn() !== expected) throw new Error("wrong result");
  const perOp = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) if (fn() !== expected) throw new Error("wrong result");
    perOp.push((performance.now() - start) / iterations);
  }
  perOp.sort((a, b) => a - b);
  return perOp[Math.floor(perOp.length / 2)];
}

async function run() {
  const t0 = performance.now();
  await init();
  const coldStartMs = performance.now() - t0;
  const password = await text("/fixtures/password.txt");
  const results = [];
  for (const bits of [2048, 3072, 4096]) {
    const pem = await text(`/fixtures/rsa${bits}.pkcs1.pem`);
    const ciphertext = await text(`/fixtures/rsa${bits}.ciphertext.b64`);
    const iterations = bits === 2048 ? 20 : bits === 3072 ? 8 : 4;
    const row = { bits, iterations };
    row.wasm = time(() => decryptPassword(pem, ciphertext), password, iterations);
    row.jsencrypt = time(() => {
      const rsa = new window.JSEncrypt();
      rsa.setPrivateKey(pem);
      return rsa.decrypt(ciphertext);
    }, password, iterations);
    row.forge = time(() => {
      const key = window.forge.pki.privateKeyFromPem(pem);
      return key.decrypt(window.forge.util.decode64(ciphertext), "RSAES-PKCS1-V1_5");
    }, password, iterations);
    results.push(row);
  }
  return { coldStartMs, userAgent: navigator.userAgent, results };
}

run().then(
  (r) => { window.benchResult = r; document.getElementById("state").textContent = "done"; },
  (e) => { window.benchResult = { error: String(e) }; document.getElementById("state").textContent = "failed"; },
);
