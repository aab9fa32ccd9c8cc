// How a key's public facts are worded (the widget and the offline page alike).
import { t } from "../i18n/index.js";

/** @type {Record<string, string>} */
export const FORMAT_NAMES = {
  "pkcs1-pem": "PKCS#1 PEM", "pkcs1-der": "PKCS#1 DER", "pkcs8-pem": "PKCS#8 PEM", "pkcs8-der": "PKCS#8 DER",
  "pkcs8-encrypted-pem": "PKCS#8 PEM (encrypted)", "pkcs8-encrypted-der": "PKCS#8 DER (encrypted)",
  "openssl-legacy-pem": "OpenSSL PEM (legacy encryption)", openssh: "OpenSSH", ppk2: "PuTTY .ppk v2", ppk3: "PuTTY .ppk v3",
};

/**
 * "RSA 2048-bit, OpenSSH, passphrase-protected", in `lang`.
 * @param {string} lang
 * @param {{ bits: number, format: string, encrypted: boolean }} key
 */
export function keySummary(lang, key) {
  return t(lang, "key.facts", {
    bits: key.bits, format: FORMAT_NAMES[key.format] ?? key.format, encrypted: key.encrypted ? t(lang, "key.encrypted") : "",
  });
}
