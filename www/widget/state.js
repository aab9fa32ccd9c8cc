// What <ecs-password> knows about its server, the key and the operations under way: one value
// with named phases, changed only by the pure transitions below (each returns a new value), and
// the views the element renders from it. No DOM, no network, no wasm here: the decisions come in
// as arguments, made by the core (chooseFamily, familyAfterRefusal, matchKeyPair, guessOs).

/** @typedef {import("../pkg/cloud/ecs_password_cloud.js").FamilyChoice} FamilyChoice */
/** @typedef {import("../pkg/keys/ecs_password_keys.js").KeyInfo} KeyInfo */
/** @typedef {import("../pkg/cloud/ecs_password_cloud.js").KeyMatch} KeyMatch */
/** @typedef {import("./types.js").WidgetState} WidgetState */
/** @typedef {import("./types.js").Access} Access */

/** A server being opened (or, with `idle`, none to open). @param {string | null} idle @returns {WidgetState} */
export const initial = (idle) => Object.freeze({
  phase: idle ? "idle" : "loading", idle, wasm: false, upstream: null, access: null, choice: null,
  details: null, keyPair: null, reset: "unchecked", key: null, busy: null, hosted: null,
});

/** @param {WidgetState} s @param {Partial<WidgetState>} change @returns {WidgetState} */
const next = (s, change) => Object.freeze({ ...s, ...change });

/** The module is ready: permissions explained, family chosen. @param {WidgetState} s @param {Pick<WidgetState, "upstream" | "access" | "choice">} facts */
export const started = (s, { upstream, access, choice }) => next(s, { wasm: true, upstream, access, choice });

/** @param {WidgetState} s @param {FamilyChoice} choice */
export const chosen = (s, choice) => next(s, { choice });

/** @param {WidgetState} s @param {Access | null} access */
export const explained = (s, access) => next(s, { access });

/** @param {WidgetState} s @param {import("./types.js").ServerDetails} details */
export const withDetails = (s, details) => next(s, { details });

/** @param {WidgetState} s */
export const failed = (s) => next(s, { phase: "error" });

/** @param {WidgetState} s */
export const ready = (s) => next(s, { phase: "ready" });

/** The key pair, and the loaded key against it. @param {WidgetState} s @param {import("./types.js").KeyPair} keyPair @param {(info: KeyInfo) => KeyMatch} match */
export const withKeyPair = (s, keyPair, match) =>
  next(s, { keyPair, key: s.key && { info: s.key.info, match: match(s.key.info), source: s.key.source } });

/** The reset-flag answer (null: it could not be checked). @param {WidgetState} s @param {boolean | null} supported */
export const withResetFlag = (s, supported) =>
  next(s, { reset: supported === null ? "unknown" : supported ? "supported" : "unsupported" });

/** @param {WidgetState} s @param {KeyInfo} info @param {KeyMatch} match @param {"file" | "hosted"} [source] */
export const keyLoaded = (s, info, match, source = "file") => next(s, { key: { info, match, source } });

/** The cloud holds the key pair's private key (KPS), and whether the user may export it. @param {WidgetState} s @param {import("./types.js").HostedKey} hosted */
export const withHosted = (s, hosted) => next(s, { hosted });

/** @param {WidgetState} s */
export const keyForgotten = (s) => next(s, { key: null });

/** @param {WidgetState} s @param {WidgetState["busy"]} busy */
export const busy = (s, busy) => next(s, { busy });

// ---- views ------------------------------------------------------------------------------------

const REASON_TEXT = {
  requested: "access.family", unknown: "access.family", denied: "access.family",
  permissions: "access.familyChosen", fallback: "access.familyFallback",
};

/** The note under the access list: which family, and why. @param {WidgetState} s @returns {{ key: string, params: Record<string, string> } | null} */
export function familyNote(s) {
  if (!s.choice) return null;
  const { family, reason } = s.choice;
  return { key: REASON_TEXT[reason] ?? "access.family", params: reason === "fallback" ? { family, from: "v1", to: family } : { family } };
}

/** The permission engine's recommendations for chooseFamily (null without permissions). @param {Access | null} access */
export const recommended = (access) =>
  access ? { get: access.get?.recommended ?? null, reset: access.reset?.recommended ?? null } : null;

/** The action buttons, hidden and disabled. @param {WidgetState} s @param {boolean} waiting a get is under way */
export function buttons(s, waiting) {
  const getDenied = Boolean(s.access?.get && !s.access.get.allowed);
  const keyReady = Boolean(s.key) && s.key?.match !== "mismatch";
  const blocked = !keyReady || waiting || Boolean(s.busy);
  return {
    get: { hidden: getDenied, disabled: blocked },
    getAnyway: { hidden: !getDenied, disabled: blocked },
    clear: { hidden: !s.details || Boolean(s.access?.clear && !s.access.clear.allowed) || !s.choice, disabled: Boolean(s.busy) },
  };
}

/**
 * The reset section: shown once the reset-flag answer is in (unless the permissions deny a reset,
 * or the family is Nova, which has none); its form only when supported. @param {WidgetState} s
 */
export function resetView(s) {
  const denied = Boolean(s.access?.reset && !s.access.reset.allowed);
  const section = Boolean(s.details) && !denied && s.choice?.family !== "nova" && s.reset !== "unchecked";
  return {
    sectionHidden: !section,
    formHidden: s.reset !== "supported",
    noteHidden: s.reset === "supported",
    noteKey: s.reset === "unsupported" ? "reset.unsupported" : "reset.unknown",
  };
}

/**
 * The offer of the key the cloud holds: shown when KPS hosts the key pair's private key; its
 * button only when the permission engine does not deny the export (the reason is said instead).
 * @param {WidgetState} s @param {boolean} waiting a get is under way
 */
export function hostedView(s, waiting) {
  const h = s.hosted;
  if (!h) return { hidden: true, accessKey: null, decision: "unknown", useHidden: true, useDisabled: true };
  const decision = h.decision ? (h.decision.allowed ? "allow" : "deny") : "unknown";
  return {
    hidden: false,
    accessKey: `hosted.${decision}`,
    decision,
    useHidden: decision === "deny",
    useDisabled: waiting || Boolean(s.busy),
  };
}

/** Whether to ask for reset support: not on Nova, nor when the permissions deny a reset. @param {WidgetState} s */
export const wantsResetFlag = (s) => s.choice?.family !== "nova" && !(s.access?.reset && !s.access.reset.allowed);
