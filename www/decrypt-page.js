// The standalone decrypt page: key and ciphertext in, password out, all inside this page.
// The key bytes go to the wasm module as a Uint8Array, which the module wipes after reading.
import init, { decryptPassword, inspectKey } from "/pkg/ecs_password.js";

const $ = (id) => document.getElementById(id);
const ready = init();
let password = null; // the decrypted password, kept only while the result is shown

async function keyBytes() {
  const file = $("key-file").files[0];
  if (file) return new Uint8Array(await file.arrayBuffer());
  return new TextEncoder().encode($("key-text").value);
}

function passphrase() {
  const value = $("passphrase").value;
  return value === "" ? undefined : new TextEncoder().encode(value);
}

function showError(error) {
  const box = $("error");
  box.textContent = error.code ? `${error.message} (${error.code})` : String(error.message || error);
  box.dataset.code = error.code || "";
  box.hidden = false;
  if (error.code === "PASSPHRASE_REQUIRED" || error.code === "WRONG_PASSPHRASE") $("passphrase").focus();
}

function hidePassword() {
  $("password").textContent = "••••••••••••";
  $("password").dataset.state = "hidden";
  $("reveal").textContent = "Show";
  $("reveal").setAttribute("aria-pressed", "false");
}

/** Shows the key's public facts; the text is replaced once, so the layout does not jump. */
async function describeKey() {
  let text = "";
  try {
    await ready;
    const info = inspectKey(await keyBytes(), passphrase());
    text = `RSA ${info.bits}-bit, ${info.format}${info.encrypted ? " (passphrase-protected)" : ""}, ${info.fingerprintSha256}`;
  } catch (error) {
    if (error.code === "PASSPHRASE_REQUIRED") text = "This key needs its passphrase.";
  }
  $("key-info").textContent = text;
}

$("key-file").addEventListener("change", describeKey);
$("key-text").addEventListener("change", describeKey);
$("passphrase").addEventListener("change", describeKey);
$("decrypt-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("error").hidden = true;
  $("result").hidden = true;
  password = null;
  hidePassword();
  $("status").textContent = "Decrypting…";
  try {
    await ready;
    password = decryptPassword(await keyBytes(), $("ciphertext").value, passphrase());
    $("result").hidden = false;
    $("status").textContent = "Password decrypted. Press Show to see it.";
    describeKey();
    $("reveal").focus();
  } catch (error) {
    $("status").textContent = "";
    showError(error);
  }
});

$("reveal").addEventListener("click", () => {
  if ($("password").dataset.state === "shown" || password === null) return hidePassword();
  $("password").textContent = password;
  $("password").dataset.state = "shown";
  $("reveal").textContent = "Hide";
  $("reveal").setAttribute("aria-pressed", "true");
});

$("copy").addEventListener("click", async () => {
  if (password === null) return;
  await navigator.clipboard.writeText(password);
  $("status").textContent = "Copied. The clipboard is cleared in 30 seconds.";
  const copied = password;
  setTimeout(async () => {
    try {
      if ((await navigator.clipboard.readText()) === copied) await navigator.clipboard.writeText("");
    } catch { /* the page lost focus or permission: nothing to clear */ }
  }, 30_000);
});
