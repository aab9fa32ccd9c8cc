// The key fixtures (tests/fixtures/manifest.json) and their expected results, for the JS tests.
import { readFileSync } from "node:fs";

const DIR = new URL("../fixtures/", import.meta.url);
export const read = (name) => readFileSync(new URL(name, DIR));
export const readText = (name) => readFileSync(new URL(name, DIR), "utf8");
export const manifest = JSON.parse(readText("manifest.json"));
export const PASSPHRASE = readText("passphrase.txt");
export const PASSWORD = readText("password.txt");
/** RSA keys whose ciphertexts are fixtures (other2048 is the "wrong key"). */
export const rsaKeys = manifest.filter((k) => k.algorithm === "rsa" && k.file.startsWith("rsa"));
export const ciphertext = (bits) => readText(`rsa${bits}.ciphertext.b64`);
