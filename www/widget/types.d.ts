// The widget's types, for the type check only (tsc reads this; no page fetches it, so the
// shipped modules carry short JSDoc references instead of these declarations).
import type { FamilyChoice, KeyInfo, KeyMatch, PasswordDiagnosis } from "../pkg/cloud/ecs_password_cloud.js";

/**
 * "idle": no server or no credentials (`idle` says which); "loading": the server's details, key
 * pair and reset support are being read; "ready": all read; "error": the details failed.
 */
export type ServerPhase = "idle" | "loading" | "ready" | "error";

/**
 * Whether the server can be reset: "unchecked" (not asked, or not applicable: the section is
 * hidden), "unknown" (the check failed), "supported", "unsupported" (no one-click reset plug-in).
 */
export type ResetPhase = "unchecked" | "unknown" | "supported" | "unsupported";

/** What the user may do, per operation (get, clear, reset), from the permission engine. */
export type Access = {
  [operation: string]: ({ allowed: boolean; recommended?: string | null } & Explained) | undefined;
};

/** The permission engine's explanation: a message as data, rendered in the view's language. */
export interface Explained {
  explanation: import("../i18n/messages.js").MessageData;
}

export interface ServerDetails {
  id?: string;
  name: string;
  status?: string;
  keyName?: string;
  osType?: string;
  enterpriseProjectId?: string;
  /** When it was created and first booted (RFC 3339), for the diagnosis of a missing password. */
  created?: string;
  launchedAt?: string;
  /** Its tags (ECS v1: `key=value`), for choosing servers in a fleet. */
  tags?: string[];
}

export interface KeyPair {
  name: string;
  publicKey?: string;
  fingerprint?: string;
}

/** A key read by the worker: its public facts, and what it is against the server's key pair. */
export interface LoadedKey {
  info: KeyInfo;
  match: KeyMatch;
  /** A key file the user gave, or the key the cloud holds (exported into the worker). */
  source: "file" | "hosted";
}

/** The key pair's private key is hosted by the cloud (KPS); what the permission engine says. */
export interface HostedKey {
  keyPair: string;
  /** Null when the user's grants are not known: the cloud decides. */
  decision: ({ allowed: boolean; missing: string[] } & Explained) | null;
}

/** Everything the element knows about its server, the key and what is under way. */
export interface WidgetState {
  readonly phase: ServerPhase;
  /** The catalogue key of why the widget is idle. */
  readonly idle: string | null;
  /** The module is ready: the password rules can be checked. */
  readonly wasm: boolean;
  /** The cloud endpoint behind a proxy path, which AK/SK requests are signed for. */
  readonly upstream: string | null;
  /** Null: the host gave no permissions. */
  readonly access: Access | null;
  /** Null until the module is ready. */
  readonly choice: FamilyChoice | null;
  readonly details: ServerDetails | null;
  readonly keyPair: KeyPair | null;
  readonly reset: ResetPhase;
  readonly key: LoadedKey | null;
  /** An operation that disables the buttons. */
  readonly busy: null | "key" | "clear" | "reset" | "hosted";
  /** Null unless the cloud holds the key pair's private key. */
  readonly hosted: HostedKey | null;
}

/** What the alert shows, from an error of the module, of the worker, or of the widget itself. */
export interface Problem {
  code: string;
  operation: string;
  status?: number;
  cloudCode: string | null;
  requestId: string | null;
  /** The module's own message, as data (rendered in the widget's language). */
  messageId?: string;
  args?: Record<string, unknown>;
  custom?: { key: string; params: Record<string, unknown> };
}

/** An error with a stable code (the module's, or one of the widget's own). */
export type CodedError = Error & { code: string };

/** The texts of the reveal button and of the mask. */
export interface RevealTexts {
  hidden: string;
  show: string;
  hide: string;
}

/** A key the fleet's worker holds: its id there and its public facts. */
export interface FleetKey {
  id: string;
  info: KeyInfo;
}

/** Why a row has no password: the cloud's error (its code, and a refusal's explanation). */
export interface RowProblem {
  code: string;
  status?: number;
  cloudCode: string | null;
  /** The cloud's own message (a refusal names the action it lacks). */
  cloudMessage?: string | null;
  requestId: string | null;
  /** The module's own message, as data (rendered in the view's language). */
  messageId?: string;
  args?: Record<string, unknown>;
  /** The permission engine's explanation of a refusal (when the user's grants are known). */
  explanation?: Explained["explanation"];
  /** A message of the widget's own instead of the code's (WRONG_KEY names the key pair). */
  custom?: { key: string; params: Record<string, unknown> };
}

/** One server of <ecs-password-fleet> and where its password stands. */
export interface FleetRow {
  readonly id: string;
  readonly server: ServerDetails;
  /** The core's guess from the os_type metadata. */
  readonly os: "windows" | "linux";
  readonly tags: readonly string[];
  /**
   * "idle": not asked; "queued", "asking": in a run; "ready": the password is there and a loaded
   * key decrypts it; "notYet": not posted yet (waiting helps); "never": the diagnosis says it will
   * not come (or it was cleared); "refused": the cloud said FORBIDDEN; "error": anything else.
   */
  readonly state: "idle" | "queued" | "asking" | "ready" | "notYet" | "never" | "refused" | "error";
  /** The loaded key that decrypts it (ready rows). */
  readonly keyId: string | null;
  readonly diagnosis: PasswordDiagnosis | null;
  readonly problem: RowProblem | null;
  /** When the next ask of a waiting row is due (ms since the epoch). */
  readonly waitUntil: number | null;
}

/** Everything <ecs-password-fleet> knows. */
export interface FleetState {
  readonly phase: "idle" | "listing" | "listed" | "error" | "running" | "done";
  readonly rows: Readonly<Record<string, FleetRow>>;
  /** Row ids in list order. */
  readonly order: readonly string[];
  /** The chosen ids, in list order. */
  readonly selected: readonly string[];
  readonly keys: readonly FleetKey[];
}
