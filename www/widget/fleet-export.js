// The fleet view's "Export…": a dialog (a modal <dialog>: the page behind it is inert, Escape
// closes it, focus goes back where it was) that asks for a master password twice and makes a
// KeePass KDBX 4 file of the ready rows (./export-client.js, its module fetched on the first
// export only), or, only after the user has confirmed a warning that the file is not encrypted, a
// plain CSV. Each password is decrypted again in the decryption worker, handed to the export as
// bytes (transferred to the export worker, which wipes them) and dropped here; the file is offered
// as a download and its object URL revoked soon after.
import { exportKdbx, exportCsv } from "./export-client.js";
import { exportEntry } from "./fleet-state.js";

/** @typedef {import("./types.js").FleetRow} FleetRow */
/** @typedef {import("../pkg/export/ecs_password_export.js").ExportEntry} ExportEntry */

/** A master password shorter than this gets a warning (KeePassXC's advice: warn, allow). */
export const MASTER_MIN = 12;

/**
 * What the dialog says of the master password as typed: the catalogue key of the hint under it
 * (type one, type it again, the two differ, ready), whether it may be used, and whether it is
 * short enough to warn of (a warning, not a refusal).
 * @param {string} master @param {string} again
 * @returns {{ key: string, ok: boolean, weak: boolean }}
 */
export function masterCheck(master, again) {
  const weak = master.length > 0 && [...master].length < MASTER_MIN;
  if (!master) return { key: "fleet.export.master.empty", ok: false, weak };
  if (again !== master) return { key: again ? "fleet.export.master.differ" : "fleet.export.master.again", ok: false, weak };
  return { key: "fleet.export.master.good", ok: true, weak };
}

/**
 * The file's name: `ecs-passwords-<project>-<YYYY-MM-DD>.<ext>` (the project id reduced to
 * characters every file system takes).
 * @param {string} project @param {Date} date @param {"kdbx" | "csv"} ext
 */
export function fileName(project, date, ext) {
  const safe = project.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 64) || "project";
  return `ecs-passwords-${safe}-${date.toISOString().slice(0, 10)}.${ext}`;
}

/**
 * @typedef {object} ExportHost what the dialog needs of the element
 * @property {(key: string, params?: Record<string, unknown>) => string} t
 * @property {() => FleetRow[]} rows the ready rows
 * @property {(id: string) => Promise<string>} decrypt a ready row's password, from the worker
 * @property {() => string} project
 * @property {(key: string, params?: Record<string, unknown>) => void} say the status line
 * @property {(error: unknown, operation: string) => void} fail the view's alert
 */

export class FleetExport {
  /** @type {Record<string, any>} */
  #$;
  /** @type {ExportHost} */
  #host;
  /** @type {ParentNode & Node} where the download link is put for its click */
  #root;
  /** @type {HTMLElement | null} */
  #opener = null;
  #busy = false;

  /**
   * @param {Record<string, any>} $ the template's elements (export, exportForm, exportMaster, ...)
   * @param {ParentNode & Node} root
   * @param {ExportHost} host
   */
  constructor($, root, host) {
    this.#$ = $;
    this.#root = root;
    this.#host = host;
    const dialog = $.export;
    $.exportForm.addEventListener("submit", (/** @type {SubmitEvent} */ e) => {
      e.preventDefault();
      const check = masterCheck($.exportMaster.value, $.exportAgain.value);
      if (!check.ok) return this.#hint(check, true);
      const master = $.exportMaster.value;
      dialog.close("kdbx");
      void this.#run("kdbx", master);
    });
    for (const input of [$.exportMaster, $.exportAgain]) input.addEventListener("input", () => this.#hint(masterCheck($.exportMaster.value, $.exportAgain.value), false));
    $.exportCsvAck.addEventListener("change", () => { $.exportCsv.disabled = !$.exportCsvAck.checked; });
    $.exportCsv.addEventListener("click", () => {
      if (!$.exportCsvAck.checked) return;
      dialog.close("csv");
      void this.#run("csv", "");
    });
    $.exportCancel.addEventListener("click", () => dialog.close("cancel"));
    // Closed any way (Escape too): the typed passwords leave the fields, focus goes back.
    dialog.addEventListener("close", () => {
      $.exportMaster.value = "";
      $.exportAgain.value = "";
      $.exportCsvAck.checked = false;
      $.exportCsv.disabled = true;
      this.#opener?.focus?.();
      this.#opener = null;
    });
  }

  get busy() { return this.#busy; }

  /** Opens the dialog for the ready rows. */
  open() {
    const $ = this.#$;
    const count = this.#host.rows().length;
    if (count === 0 || this.#busy) return;
    $.exportText.textContent = this.#host.t("fleet.export.text", { count });
    this.#hint(masterCheck("", ""), false);
    $.exportCsvBox.open = false;
    $.exportCsv.disabled = true;
    this.#opener = /** @type {HTMLElement | null} */ (/** @type {ShadowRoot} */ (this.#root).activeElement ?? null);
    $.export.returnValue = "";
    $.export.showModal();
    $.exportMaster.focus();
  }

  /** @param {{ key: string, weak: boolean }} check @param {boolean} error */
  #hint({ key, weak }, error) {
    const hint = this.#$.exportHint;
    const t = this.#host.t;
    hint.textContent = weak ? `${t("fleet.export.master.weak", { min: MASTER_MIN })} ${t(key)}` : t(key);
    hint.dataset.key = key;
    hint.dataset.weak = String(weak);
    hint.classList.toggle("error", error);
    if (error) (key === "fleet.export.master.empty" ? this.#$.exportMaster : this.#$.exportAgain).focus();
  }

  /**
   * Decrypts each ready row, makes the file and offers it. The entries' passwords are bytes the
   * export (KeePass file or CSV) transfers to its worker and wipes there.
   * @param {"kdbx" | "csv"} kind @param {string} master
   */
  async #run(kind, master) {
    const host = this.#host;
    const rows = host.rows();
    /** @type {ExportEntry[]} */
    const entries = [];
    this.#busy = true;
    host.say("fleet.export.working", { count: rows.length });
    try {
      const encoder = new TextEncoder();
      for (const r of rows) {
        const password = await host.decrypt(r.id);
        entries.push(exportEntry(r, encoder.encode(password)));
      }
      const blob = kind === "kdbx" ? await exportKdbx(entries, master) : await exportCsv(entries);
      const name = fileName(host.project(), new Date(), kind);
      this.#download(blob, name);
      host.say(kind === "kdbx" ? "fleet.export.done" : "fleet.export.csvDone", { count: rows.length, file: name });
    } catch (error) {
      host.fail(error, "export");
    } finally {
      // Sent ones were transferred (detached, nothing left here); a stop before sending wipes the rest.
      for (const entry of entries) if (entry.password instanceof Uint8Array && entry.password.byteLength > 0) entry.password.fill(0);
      entries.length = 0;
      this.#busy = false;
    }
  }

  /** Offers `blob` as the download `name`; its URL is revoked soon after. @param {Blob} blob @param {string} name */
  #download(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    this.#root.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
