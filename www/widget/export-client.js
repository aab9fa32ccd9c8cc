// Exporting passwords from the page: a KeePass KDBX 4 file encrypted with a master password
// (KeePass, KeePassXC and Bitwarden import it), made by the export module in its own worker
// (../export-worker.js); or, after the caller has warned the user, a plain CSV, made there too by
// the same code as the CLI's `--csv`. The worker and the module are fetched on the first export
// only, and the worker is ended after each export, so no password and no master password touches
// the page's own wasm modules or outlives the call.

/** @typedef {import("../pkg/export/ecs_password_export.js").ExportEntry} ExportEntry */
/** @typedef {import("./types.js").CodedError} CodedError */

const WORKER_URL = new URL("../export-worker.js", import.meta.url);

/** The MIME type of a KeePass file (as KeePassXC registers it). */
export const KDBX_TYPE = "application/x-keepass2";

/** An error with a code. @param {string} code @param {string} [message] @returns {CodedError} */
const failure = (code, message = code) => Object.assign(new Error(message), { code });

/**
 * A KeePass KDBX 4 file of `entries` (Argon2id 64 MiB, AES-256), encrypted with `masterPassword`.
 * Takes a second or two (the key derivation is slow on purpose). Rejects with the module's code
 * KDBX_FAILED (an empty master password, entries of the wrong shape: the message says which) or
 * WORKER_FAILED. A `Uint8Array` password (UTF-8) is wiped once sent.
 * @param {ExportEntry[]} entries
 * @param {string} masterPassword
 * @returns {Promise<Blob>}
 */
export function exportKdbx(entries, masterPassword) {
  const master = new TextEncoder().encode(masterPassword);
  return inWorker({ type: "kdbx", entries, masterPassword: master }, [master.buffer], KDBX_TYPE, "KDBX_FAILED");
}

/** The MIME type of the CSV. */
export const CSV_TYPE = "text/csv;charset=utf-8";

/**
 * A plain CSV of `entries` (UTF-8), made by the export module in its worker, the same bytes as the
 * CLI's `--csv` (`ecs_password_export::csv`): RFC 4180, a header (title, username, password, url,
 * notes), every cell quoted; a name or other cell that starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return gets a `'` in front (OWASP's "CSV Injection" advice); passwords are written
 * exactly. The passwords are NOT encrypted: call only after the user has confirmed a warning that
 * says so. Rejects with UNKNOWN (entries of the wrong shape) or WORKER_FAILED. A `Uint8Array`
 * password (UTF-8) is wiped once sent.
 * @param {ExportEntry[]} entries
 * @returns {Promise<Blob>}
 */
export function exportCsv(entries) {
  return inWorker({ type: "csv", entries }, [], CSV_TYPE, "UNKNOWN");
}

/**
 * Sends `message` (with `entries`) to a new export worker, then ends it: the file's bytes as a Blob
 * of `type`, or the worker's error. The entries' `Uint8Array` passwords are transferred (and wiped
 * there); `transfer` holds the message's other buffers. `code` is the code of a message that cannot
 * be sent.
 * @param {{ type: "kdbx" | "csv", entries: ExportEntry[], masterPassword?: Uint8Array }} message
 * @param {Transferable[]} transfer @param {string} type @param {string} code
 * @returns {Promise<Blob>}
 */
function inWorker(message, transfer, type, code) {
  const wipe = () => { for (const buffer of transfer) if (buffer instanceof ArrayBuffer && buffer.byteLength > 0) new Uint8Array(buffer).fill(0); };
  /** @type {Worker} */
  let worker;
  try {
    worker = new Worker(WORKER_URL, { type: "module", name: "ecs-password-export" });
  } catch {
    wipe();
    return Promise.reject(failure("WORKER_FAILED"));
  }
  for (const entry of message.entries ?? []) {
    if (entry?.password instanceof Uint8Array) transfer.push(entry.password.buffer);
  }
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      worker.terminate();
      if (data?.error) reject(Object.assign(failure(data.error.code, data.error.message), { messageId: data.error.messageId, args: data.error.args }));
      else resolve(new Blob([data.bytes], { type }));
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      worker.terminate();
      reject(failure("WORKER_FAILED"));
    };
    try {
      worker.postMessage({ id: 1, ...message }, transfer);
    } catch (error) {
      worker.terminate();
      wipe();
      reject(failure(code, String(/** @type {any} */ (error)?.message ?? "")));
    }
  });
}
