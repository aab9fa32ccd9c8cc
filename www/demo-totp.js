// The current code of a demo user's virtual MFA device (RFC 6238: HMAC-SHA-1 by WebCrypto, 30 s,
// 6 digits), so that the demo's MFA sign-in can be tried without a phone. Demo secrets only: a real
// user's code comes from their own device.

/** The bytes of an RFC 4648 base32 text (padding and case ignored). @param {string} text */
function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of text.toUpperCase().replace(/=+$/, "")) {
    const index = alphabet.indexOf(ch);
    if (index < 0) throw new TypeError("not base32");
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

/**
 * The six-digit code of `secret` (base32) at `now` (ms), and the seconds it stays valid.
 * @param {string} secret @param {number} [now]
 */
export async function totpCode(secret, now = Date.now()) {
  const counter = Math.floor(now / 30000);
  const message = new DataView(new ArrayBuffer(8));
  message.setUint32(0, Math.floor(counter / 2 ** 32));
  message.setUint32(4, counter >>> 0);
  const key = await crypto.subtle.importKey("raw", base32(secret), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
  const offset = mac[mac.length - 1] & 0x0f;
  const number = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return { code: String(number % 1_000_000).padStart(6, "0"), validFor: 30 - Math.floor(now / 1000) % 30 };
}
