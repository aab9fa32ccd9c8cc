// The export worker (widget/export-client.js is the page's side): entries with their passwords
// (and for a KeePass file the master password) come in, the KeePass KDBX 4 file's or the CSV's
// bytes go out (transferred). The export module (pkg/export/) is imported on the first message only, so that a page that never
// exports never fetches it; its allocator wipes every freed block, so nothing of a password stays
// in its memory after a call. The page ends this worker after each export.
//
// Messages in:  {id, type: "kdbx", entries: ExportEntry[], masterPassword: Uint8Array}
//               {id, type: "csv", entries: ExportEntry[]}
//                 -> {id, bytes: ArrayBuffer} | {id, error: {code, message, messageId?, args?}}
// Errors carry only {code, message} and the core's message as data (KDBX_FAILED, or UNKNOWN
// for a CSV, for input of the wrong shape too): the module's messages never contain a password.

/** @typedef {import("./pkg/export/ecs_password_export.js").ExportEntry} ExportEntry */

/** @type {Promise<typeof import("./pkg/export/ecs_password_export.js")> | null} */
let exportModule = null;

/** The export module, fetched and instantiated on first use. */
function load() {
  exportModule ??= import("./pkg/export/ecs_password_export.js").then(async (m) => {
    await m.default();
    return m;
  });
  return exportModule;
}

/** @param {any} error @param {string} fallback the code of an error without one */
const describe = (error, fallback) => ({
  code: error?.code ?? fallback,
  message: String(error?.message ?? ""),
  // The module's message as data, rendered by the page from the catalogues (never a password).
  messageId: error?.messageId,
  args: error?.args,
});

self.onmessage = async (/** @type {MessageEvent} */ { data }) => {
  const { id, type } = data ?? {};
  const fallback = type === "csv" ? "UNKNOWN" : "KDBX_FAILED";
  if (type !== "kdbx" && type !== "csv") {
    self.postMessage({ id, error: { code: fallback, message: `unknown message type ${String(type)}` } });
    return;
  }
  /** @type {Uint8Array | undefined} */
  const master = data.masterPassword;
  try {
    const { exportKdbx, exportCsv } = await load();
    // The module wipes the master password's array and every password given as a Uint8Array.
    const bytes = type === "kdbx" ? exportKdbx(data.entries, /** @type {Uint8Array} */ (master)) : exportCsv(data.entries);
    self.postMessage({ id, bytes: bytes.buffer }, { transfer: [bytes.buffer] });
  } catch (error) {
    self.postMessage({ id, error: describe(error, fallback) });
  } finally {
    master?.fill?.(0);
  }
};
