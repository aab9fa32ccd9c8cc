// Runs inside headless Chromium (bench/run.mjs opens this page). For each key size it times
// "parse the key + decrypt the password" per operation, for our wasm module and for the
// JavaScript libraries users have today, on the same inputs in the same page.
import init, { decryptPassword, inspectKey } from "/pkg/keys/ecs_password_keys.js";

const text = async (path) => (await fetch(path)).text();

/** The encrypted key files timed for unlocking (bench/run.mjs times the native tools on the same files). */
const UNLOCKS = [
  ["OpenSSH, bcrypt-pbkdf (16 rounds)", "rsa2048.openssh-aes256ctr"],
  ["PKCS#8, PBKDF2-SHA256", "rsa2048.pkcs8-pbkdf2-sha256-aes256cbc.pem"],
  ["PKCS#8, scrypt", "rsa2048.pkcs8-scrypt-aes256cbc.pem"],
  ["PuTTY .ppk v3, Argon2id", "rsa2048.ppk3-encrypted"],
];

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
  // Unlocking passphrase-protected keys: the key derivation dominates (bcrypt-pbkdf, PBKDF2,
  // scrypt, Argon2), so one call each, median of 3 after a warm-up.
  const passphrase = await text("/fixtures/passphrase.txt");
  const unlocks = [];
  for (const [name, file] of UNLOCKS) {
    const key = await text(`/fixtures/${file}`);
    const expected = inspectKey(key, passphrase).fingerprintSha256;
    unlocks.push({ name, file, wasm: time(() => inspectKey(key, passphrase).fingerprintSha256, expected, 1, 3) });
  }
  return { coldStartMs, userAgent: navigator.userAgent, results, unlocks };
}

run().then(
  (r) => { window.benchResult = r; /** @type {HTMLElement} */ (document.getElementById("state")).textContent = "done"; },
  (e) => { window.benchResult = { error: String(e) }; /** @type {HTMLElement} */ (document.getElementById("state")).textContent = "failed"; },
);
