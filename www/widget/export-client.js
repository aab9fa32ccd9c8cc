// Exporting passwords from the page: a KeePass KDBX 4 file encrypted with a master password
// (KeePass, KeePassXC and Bitwarden import it), made by the export module in its own worker
// (../export-worker.js); or, after the caller has warned the user, a plain CSV. The worker and the
// module are fetched on the first exportKdbx() only, and the worker is ended after each export,
// so no password and no master password touches the page's own wasm modules or outlives the call.

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
  /** @type {Worker} */
  let worker;
  try {
    worker = new Worker(WORKER_URL, { type: "module", name: "ecs-password-export" });
  } catch {
    return Promise.reject(failure("WORKER_FAILED"));
  }
  const master = new TextEncoder().encode(masterPassword);
  /** @type {Transferable[]} */
  const transfer = [master.buffer];
  for (const entry of entries ?? []) {
    if (entry?.password instanceof Uint8Array) transfer.push(entry.password.buffer);
  }
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      worker.terminate();
      if (data?.error) reject(Object.assign(failure(data.error.code, data.error.message), { messageId: data.error.messageId, args: data.error.args }));
      else resolve(new Blob([data.bytes], { type: KDBX_TYPE }));
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      worker.terminate();
      reject(failure("WORKER_FAILED"));
    };
    try {
      worker.postMessage({ id: 1, type: "kdbx", entries, masterPassword: master }, transfer);
    } catch (error) {
      worker.terminate();
      master.fill(0);
      reject(failure("KDBX_FAILED", String(/** @type {any} */ (error)?.message ?? "")));
    }
  });
}

/** The CSV's columns, in order: what password managers map on import. */
export const CSV_COLUMNS = /** @type {const} */ (["title", "username", "password", "url", "notes"]);

/**
 * A cell as RFC 4180 writes it (always quoted, `"` doubled). With `guard`, a cell that starts with
 * `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'` in front, as OWASP's "CSV Injection"
 * advice says, so that a spreadsheet does not run a server's name as a formula. Passwords are
 * written exactly (`guard` false): password managers import the cell as it is, and a `'` would
 * change the password. The CLI's `--csv` writes the same file (`cli/src/export.rs`, docs/fleet.md).
 * @param {unknown} value
 * @param {{ guard?: boolean }} [options]
 */
export function csvCell(value, { guard = true } = {}) {
  const text = value == null ? "" : String(value);
  const guarded = guard && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${guarded.replaceAll('"', '""')}"`;
}

/**
 * A plain CSV of `entries` (RFC 4180: a header, every cell quoted, CRLF line ends; UTF-8). The
 * passwords are NOT encrypted: call only after the user has confirmed a warning that says so.
 * @param {ExportEntry[]} entries
 * @returns {Blob}
 */
export function exportCsv(entries) {
  const rows = [CSV_COLUMNS.map((column) => csvCell(column)).join(",")];
  for (const entry of entries) {
    rows.push(CSV_COLUMNS.map((column) => {
      const value = entry[column];
      return csvCell(value instanceof Uint8Array ? new TextDecoder().decode(value) : value, { guard: column !== "password" });
    }).join(","));
  }
  return new Blob([rows.join("\r\n"), "\r\n"], { type: "text/csv;charset=utf-8" });
}
