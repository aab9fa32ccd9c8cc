// Signing in for the standalone page: what the user typed goes to the cloud module's signIn (the
// core's sign-in flow over fetch), and what comes back becomes a session: a token, its project,
// roles and expiry, and where the password APIs are (the catalog's endpoint, reached through a
// same-origin proxy route where `ecs-password serve` has one). Nothing here is stored anywhere.
import { signIn, listProjects, apiEndpoint } from "./pkg/cloud/ecs_password_cloud.js";
import { siteUrl, siteHref } from "./widget/site.js";

/** @typedef {import("./pkg/cloud/ecs_password_cloud.js").SignInResult} SignInResult */
/** @typedef {import("./pkg/cloud/ecs_password_cloud.js").SignInCredentials} SignInCredentials */
/** @typedef {import("./pkg/cloud/ecs_password_cloud.js").SignInScope} SignInScope */
/** @typedef {import("./pkg/cloud/ecs_password_cloud.js").SignInProject} SignInProject */
/** @typedef {Extract<SignInResult, { kind: "signedIn" }>} SignedIn */
/** @typedef {{ kind: string, region: string | null, identity: string, identityUpstream: string, compute: string | null, computeUpstream: string | null, kps?: string | null, kpsUpstream?: string | null }} CloudPreset */
/** @typedef {{ upstreams: Array<{ prefix: string, upstream: string }>, cloud: CloudPreset | null }} ProxyInfo */

/** What `serve` says about its proxy routes and the cloud it serves (`GET /_proxy`, under the page's base). */
export async function proxyInfo() {
  /** @type {ProxyInfo} */
  const none = { upstreams: [], cloud: null };
  try {
    const answer = await fetch(siteUrl("/_proxy"), { headers: { accept: "application/json" } });
    if (!answer.ok) return none;
    const body = await answer.json();
    return { upstreams: Array.isArray(body?.upstreams) ? body.upstreams : [], cloud: body?.cloud ?? null };
  } catch {
    return none;
  }
}

/**
 * `url` as this page reaches it: under the proxy route whose upstream it lies below (the cloud
 * sends no CORS headers; the route's prefix under the page's base), else unchanged.
 * @param {string} url @param {ProxyInfo["upstreams"]} upstreams
 */
export function throughProxy(url, upstreams) {
  const trimmed = url.replace(/\/$/, "");
  for (const { prefix, upstream } of upstreams) {
    const base = upstream.replace(/\/$/, "");
    if (trimmed === base || trimmed.startsWith(`${base}/`)) return siteHref(prefix) + trimmed.slice(base.length);
  }
  return trimmed;
}

/** An absolute URL for what the user typed (a same-origin path such as /identity is allowed). @param {string} text */
const absolute = (text) => new URL(text, location.href).href.replace(/\/$/, "");

/**
 * One sign-in step: the first request, or the one after an MFA code or a project choice.
 * @param {string} authUrl @param {SignInCredentials} credentials @param {SignInScope} scope
 * @param {{ receipt?: string }} [options]
 * @returns {Promise<SignInResult>}
 */
export function signInStep(authUrl, credentials, scope, options = {}) {
  return signIn(absolute(authUrl), credentials, scope, options);
}

/**
 * The session of a token: where the password APIs are (by the family asked for, `auto` when the
 * catalog decides) and what the widget needs.
 * @param {SignedIn} signed @param {{ authUrl: string, family: string, region: string, who: string }} asked
 * @param {ProxyInfo} proxy
 */
export function sessionOf(signed, asked, proxy) {
  const found = apiEndpoint(signed.catalog, { family: /** @type {any} */ (asked.family), ...(asked.region ? { region: asked.region } : {}) });
  const family = found.family ?? "auto";
  return {
    credentials: { token: signed.token },
    endpoint: throughProxy(found.endpoint, proxy.upstreams),
    project: signed.project?.id ?? "",
    projectName: signed.project?.name ?? "",
    family,
    grants: null,
    // Keystone's role names are what Nova's policy checks; IAM's roles are not Nova's.
    novaRoles: family === "nova" ? signed.roles : null,
    who: signed.user?.name || asked.who,
    region: asked.region || null,
    domainId: signed.userDomain?.id || null,
    authUrl: asked.authUrl,
    expiresUnix: signed.expiresUnix,
    user: asked.who,
  };
}

/** The projects the token may use, for the switcher. @param {string} authUrl @param {string} token */
export async function projectsOf(authUrl, token) {
  const list = /** @type {SignInProject[]} */ (await listProjects(absolute(authUrl), token));
  return list.filter((p) => p.enabled);
}

/**
 * Whole seconds left before `expiresUnix`, and whether to ask for a new sign-in now: five minutes
 * before the end, so that waiting for a password (minutes) does not fail half-way.
 * @param {number} expiresUnix @param {number} [now]
 */
export function expiry(expiresUnix, now = Date.now() / 1000) {
  const left = Math.floor(expiresUnix - now);
  return { left, renew: left < 300, over: left <= 0 };
}
