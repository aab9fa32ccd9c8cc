// ecs-password-widget/export (widget/export-client.js): a KeePass KDBX 4 file of passwords made in
// its own worker (export-worker.js, with pkg/export/ fetched on the first call only), and a plain
// CSV for after a warning.
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

/** The CSV's columns, in order. */
export declare const CSV_COLUMNS: readonly ["title", "username", "password", "url", "notes"];

/** One RFC 4180 cell, quoted; with `guard` (the default; not for passwords) a leading = + - @ tab or CR gets a ' in front (OWASP CSV injection). */
export declare function csvCell(value: unknown, options?: { guard?: boolean }): string;

/** A plain, UNENCRYPTED CSV of `entries`: only after the user confirmed a warning. */
export declare function exportCsv(entries: ExportEntry[]): Blob;
