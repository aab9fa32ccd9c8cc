// ecs-password-widget/export (widget/export-client.js): a KeePass KDBX 4 file of passwords made in
// its own worker (export-worker.js, with pkg/export/ fetched on the first call only), and a plain
// CSV for after a warning, made in the same worker.
import type { ExportEntry } from "./pkg/export/ecs_password_export.js";

export type { ExportEntry };

/** The MIME type of the KeePass file's Blob. */
export declare const KDBX_TYPE: "application/x-keepass2";

/**
 * A KeePass KDBX 4 file (Argon2id 64 MiB, AES-256) of `entries`, encrypted with `masterPassword`.
 * Rejects with `code` KDBX_FAILED (empty master password, entries of the wrong shape) or
 * WORKER_FAILED. Passwords given as `Uint8Array` are transferred to the worker and wiped there.
 */
export declare function exportKdbx(entries: ExportEntry[], masterPassword: string): Promise<Blob>;

/** The MIME type of the CSV's Blob. */
export declare const CSV_TYPE: "text/csv;charset=utf-8";

/**
 * A plain, UNENCRYPTED CSV of `entries`, made in the export worker by the same code as the CLI's
 * `--csv`: RFC 4180, a header (title, username, password, url, notes), every cell quoted; a cell
 * other than the password starting with = + - @ tab or CR gets a ' in front (OWASP CSV injection).
 * Only after the user confirmed a warning. Rejects with `code` UNKNOWN (entries of the wrong
 * shape) or WORKER_FAILED. Passwords given as `Uint8Array` are transferred and wiped there.
 */
export declare function exportCsv(entries: ExportEntry[]): Promise<Blob>;
