// What <ecs-password-fleet> knows: the listed servers (one row each, in list order), which are
// chosen, the loaded keys' public facts, and where each server's password stands. One frozen
// value changed only by the pure transitions below, and the views rendered from it. No DOM, no
// network, no wasm: the decisions (OS, key match, diagnosis) come in as arguments, made by the
// core through the cloud module (guessOs, matchKeyPair, diagnoseMissingPassword).

/** @typedef {import("./types.js").FleetState} FleetState */
/** @typedef {import("./types.js").FleetRow} FleetRow */
/** @typedef {import("./types.js").FleetKey} FleetKey */
/** @typedef {import("./types.js").RowProblem} RowProblem */
/** @typedef {import("./types.js").KeyPair} KeyPair */
/** @typedef {import("../pkg/keys/ecs_password_keys.js").KeyInfo} KeyInfo */
/** @typedef {import("../pkg/cloud/ecs_password_cloud.js").KeyMatch} KeyMatch */
/** @typedef {import("../pkg/cloud/ecs_password_cloud.js").PasswordDiagnosis} PasswordDiagnosis */

/** The row states (`FleetRow["state"]`) a summary counts, in the order it says them. */
export const OUTCOMES = /** @type {const} */ (["ready", "notYet", "never", "refused", "error"]);

/** @returns {FleetState} */
export const initial = () => Object.freeze({ phase: "idle", rows: Object.freeze({}), order: Object.freeze([]), selected: Object.freeze([]), keys: Object.freeze([]) });

/** @param {FleetState} s @param {Partial<FleetState>} change @returns {FleetState} */
const next = (s, change) => Object.freeze({ ...s, ...change });

/** @param {FleetState} s */
export const listing = (s) => next(initial(), { phase: "listing", keys: s.keys });

/** @param {FleetState} s */
export const listFailed = (s) => next(s, { phase: "error" });

/**
 * The project's servers as listed (`callApi`'s `listServers` answers), each with the core's OS
 * guess; a server listed twice (pages that moved) is kept once.
 * @param {FleetState} s
 * @param {Array<import("./types.js").ServerDetails>} servers
 * @param {(osType: string | null) => "windows" | "linux"} guessOs
 * @returns {FleetState}
 */
export function listed(s, servers, guessOs) {
  /** @type {Record<string, FleetRow>} */
  const rows = {};
  const order = [];
  for (const server of servers) {
    const id = server.id;
    if (!id || id in rows) continue;
    order.push(id);
    rows[id] = Object.freeze({
      id, server: Object.freeze({ ...server }), os: guessOs(server.osType ?? null),
      tags: Object.freeze([...(server.tags ?? [])]), state: "idle", keyId: null, diagnosis: null, problem: null, waitUntil: null,
    });
  }
  return next(s, { phase: "listed", rows: Object.freeze(rows), order: Object.freeze(order), selected: Object.freeze([]) });
}

/**
 * Whether a row passes the filter: `text` (trimmed, case-insensitive) is part of its name or id,
 * or of one of its tags (`env=prod`, `env`, `prod`); `windowsOnly` leaves out what the core takes
 * for Linux.
 * @param {FleetRow} row @param {{ text: string, windowsOnly: boolean }} filter
 */
export function matches(row, { text, windowsOnly }) {
  if (windowsOnly && row.os === "linux") return false;
  const needle = text.trim().toLowerCase();
  if (!needle) return true;
  return [row.server.name, row.id, ...row.tags].some((v) => String(v).toLowerCase().includes(needle));
}

/** The ids the filter shows, in list order. @param {FleetState} s @param {{ text: string, windowsOnly: boolean }} filter */
export const shown = (s, filter) => s.order.filter((id) => matches(s.rows[id], filter));

/**
 * Chooses (`on`) or leaves out `ids`; the selection keeps list order.
 * @param {FleetState} s @param {readonly string[]} ids @param {boolean} on
 */
export function select(s, ids, on) {
  const chosen = new Set(s.selected);
  for (const id of ids) if (id in s.rows) (on ? chosen.add(id) : chosen.delete(id));
  return next(s, { selected: Object.freeze(s.order.filter((id) => chosen.has(id))) });
}

/** A key the worker holds, by its id there. @param {FleetState} s @param {FleetKey} key */
export const keyAdded = (s, key) => next(s, { keys: Object.freeze([...s.keys.filter((k) => k.id !== key.id), Object.freeze(key)]) });

/** @param {FleetState} s @param {string} id */
export const keyRemoved = (s, id) => next(s, { keys: Object.freeze(s.keys.filter((k) => k.id !== id)) });

/** @param {FleetState} s */
export const keysForgotten = (s) => next(s, { keys: Object.freeze([]) });

/**
 * The loaded key for a server's key pair: the first whose facts the core matches to the pair; with
 * no pair to check against (it could not be read), the only key loaded, unverified. Otherwise the
 * server's password is for a key that is not loaded: `expected` names the pair's fingerprint.
 * @param {readonly FleetKey[]} keys
 * @param {KeyPair | null} pair
 * @param {(info: KeyInfo, pair: KeyPair) => KeyMatch} match the core's matchKeyPair
 * @returns {{ keyId: string, verified: boolean } | { keyId: null, expected: string }}
 */
export function pickKey(keys, pair, match) {
  if (!pair) return keys.length === 1 ? { keyId: keys[0].id, verified: false } : { keyId: null, expected: "" };
  const results = keys.map((k) => ({ id: k.id, result: match(k.info, pair) }));
  const hit = results.find((r) => r.result === "match") ?? results.find((r) => r.result === "unverified");
  if (hit) return { keyId: hit.id, verified: hit.result === "match" };
  return { keyId: null, expected: pair.fingerprint ?? pair.name };
}

/** @param {FleetState} s @param {string} id @param {Partial<FleetRow>} change */
function row(s, id, change) {
  const old = s.rows[id];
  if (!old) return s;
  return next(s, { rows: Object.freeze({ ...s.rows, [id]: Object.freeze({ ...old, ...change }) }) });
}

/**
 * Changes many rows with one copy of the rows (a row at a time would copy them all each time:
 * 500 rows, 250 000 copies in one task).
 * @param {FleetState} s @param {Iterable<string>} ids @param {Partial<FleetRow>} change @param {Partial<FleetState>} [more]
 */
function rowsChanged(s, ids, change, more = {}) {
  /** @type {Record<string, FleetRow>} */
  const rows = { ...s.rows };
  for (const id of ids) if (rows[id]) rows[id] = Object.freeze({ ...rows[id], ...change });
  return next(s, { ...more, rows: Object.freeze(rows) });
}

const FRESH = { keyId: null, diagnosis: null, problem: null, waitUntil: null };

/** A run starts: every chosen row is queued; the others keep what they had. @param {FleetState} s */
export const started = (s) => rowsChanged(s, s.selected, { state: "queued", ...FRESH }, { phase: "running" });

/** @param {FleetState} s */
export const finished = (s) => next(s, { phase: "done" });

/** Requests under way that are not a run (clearing): the selection and the run are locked. @param {FleetState} s */
export const busy = (s) => next(s, { phase: "running" });

/** A row a stopped run did not finish goes back to not asked. @param {FleetState} s @param {string} id */
export const unasked = (s, id) => row(s, id, { state: "idle", ...FRESH });

/** @param {FleetState} s @param {string} id */
export const asking = (s, id) => row(s, id, { state: "asking", ...FRESH });

/** The password is there and the key `keyId` decrypts it. @param {FleetState} s @param {string} id @param {string} keyId */
export const ready = (s, id, keyId) => row(s, id, { state: "ready", ...FRESH, keyId });

/**
 * No password: "never" when the core's diagnosis says waiting cannot help, else "not yet" with
 * when the next ask is due (ms since the epoch).
 * @param {FleetState} s @param {string} id @param {PasswordDiagnosis} diagnosis @param {number | null} [waitUntil]
 */
export const missing = (s, id, diagnosis, waitUntil = null) =>
  row(s, id, { state: diagnosis.canWait ? "notYet" : "never", ...FRESH, diagnosis, waitUntil: diagnosis.canWait ? waitUntil : null });

/** The next ask of a waiting row is due at `waitUntil`. @param {FleetState} s @param {string} id @param {number} waitUntil */
export const waiting = (s, id, waitUntil) => (s.rows[id]?.state === "notYet" ? row(s, id, { waitUntil }) : s);

/** The cloud refused (FORBIDDEN) or another error. @param {FleetState} s @param {string} id @param {RowProblem} problem */
export const failed = (s, id, problem) => row(s, id, { state: problem.code === "FORBIDDEN" ? "refused" : "error", ...FRESH, problem });

/** Its stored password was cleared on the cloud (by this view). @param {FleetState} s @param {string} id @param {PasswordDiagnosis} diagnosis */
export const cleared = (s, id, diagnosis) => row(s, id, { state: "never", ...FRESH, diagnosis });

/** Forgets every row's result (the keys stay). @param {FleetState} s */
export const forgotten = (s) =>
  rowsChanged(s, s.order.filter((id) => s.rows[id].state !== "idle"), { state: "idle", ...FRESH }, { phase: s.order.length ? "listed" : s.phase });

// ---- views ------------------------------------------------------------------------------------

/** The ids whose passwords are ready (what "clear all retrieved" clears). @param {FleetState} s */
export const retrieved = (s) => s.order.filter((id) => s.rows[id].state === "ready");

/** How many rows of the run are in each outcome, and how many are still under way. @param {FleetState} s */
export function summary(s) {
  const counts = { ready: 0, notYet: 0, never: 0, refused: 0, error: 0, pending: 0 };
  for (const id of s.order) {
    const state = s.rows[id].state;
    if (state === "queued" || state === "asking") counts.pending++;
    else if (state in counts) counts[/** @type {keyof typeof counts} */ (state)]++;
  }
  return counts;
}

/**
 * The message parameters of a diagnosis (the catalogues' `get.never.*` texts).
 * @param {PasswordDiagnosis} why
 */
export function diagnosisParams(why) {
  /** @type {Record<string, string | number>} */
  const params = {};
  if ("keyType" in why) params.keyType = why.keyType;
  if ("status" in why) params.status = why.status;
  if ("runningSecs" in why) params.minutes = Math.floor(why.runningSecs / 60);
  return params;
}

/**
 * What a row's state cell says: a catalogue key and its parameters (a countdown from `now`), and
 * the detail under it (a cause's text, the refusal's explanation, the request id).
 * @param {FleetRow} r @param {number} now ms since the epoch
 * @returns {{ key: string, params: Record<string, unknown>, cause: { key: string, params: Record<string, unknown> } | null }}
 */
export function stateView(r, now) {
  switch (r.state) {
    case "notYet": {
      const seconds = r.waitUntil === null ? null : Math.max(0, Math.ceil((r.waitUntil - now) / 1000));
      return { key: seconds === null ? "fleet.state.notYet" : "fleet.state.notYetIn", params: { seconds }, cause: r.diagnosis ? { key: `fleet.cause.${r.diagnosis.cause}`, params: diagnosisParams(r.diagnosis) } : null };
    }
    case "never":
      return { key: "fleet.state.never", params: {}, cause: r.diagnosis ? { key: `get.never.${r.diagnosis.cause}`, params: diagnosisParams(r.diagnosis) } : null };
    default:
      return { key: `fleet.state.${r.state}`, params: {}, cause: null };
  }
}

/**
 * The export entry of a ready row, given its password (bytes, which the export wipes, or text):
 * the server's name (its id if it has none) and id; the export module fills in the rest as the
 * CLI does (`Entry::server` in `export/`: the user Administrator, the id in the notes).
 * @param {FleetRow} r @param {string | Uint8Array} password
 */
export const exportEntry = (r, password) => ({
  title: r.server.name || r.id, password, serverId: r.id,
});
