// The export worker (widget/export-client.js is the page's side): entries with their passwords
// and the master password come in, the KeePass KDBX 4 file's bytes go out (transferred). The
// export module (pkg/export/) is imported on the first message only, so that a page that never
// exports never fetches it; its allocator wipes every freed block, so nothing of a password stays
// in its memory after a call. The page ends this worker after each export.
//
// Messages in:  {id, type: "kdbx", entries: ExportEntry[], masterPassword: Uint8Array}
//                 -> {id, bytes: ArrayBuffer} | {id, error: {code, message, messageId?, args?}}
// Errors carry only {code, message} and the core's message as data (KDBX_FAILED for input of the
// wrong shape too): the module's messages never contain a password.

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

/** @param {any} error */
const describe = (error) => ({
  code: error?.code ?? "KDBX_FAILED",
  message: String(error?.message ?? ""),
  // The module's message as data, rendered by the page from the catalogues (never a password).
  messageId: error?.messageId,
  args: error?.args,
});

self.onmessage = async (/** @type {MessageEvent} */ { data }) => {
  const { id, type } = data ?? {};
  if (type !== "kdbx") {
    self.postMessage({ id, error: { code: "KDBX_FAILED", message: `unknown message type ${String(type)}` } });
    return;
  }
  /** @type {Uint8Array} */
  const master = data.masterPassword;
  try {
    const { exportKdbx } = await load();
    // The module wipes the master password's array and every password given as a Uint8Array.
    const bytes = exportKdbx(data.entries, master);
    self.postMessage({ id, bytes: bytes.buffer }, { transfer: [bytes.buffer] });
  } catch (error) {
    self.postMessage({ id, error: describe(error) });
  } finally {
    master?.fill?.(0);
  }
};
