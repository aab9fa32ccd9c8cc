// What <ecs-password> sends and to where: the target of a call (endpoint, family, project,
// server, the proxy's upstream), the credentials, and the permission engine's view of the user.
import { callApi, explainAccess, checkNova, checkKps } from "../pkg/cloud/ecs_password_cloud.js";
import { failure } from "./worker-client.js";
import { siteUrl, siteHref } from "./site.js";

/** @typedef {import("../pkg/cloud/ecs_password_cloud.js").ApiTarget} ApiTarget */
/** @typedef {import("../pkg/cloud/ecs_password_cloud.js").ApiAuth} ApiAuth */
/** @typedef {import("../pkg/cloud/ecs_password_cloud.js").ApiCall} ApiCall */
/** @typedef {import("./types.js").Access} Access */

/**
 * The cloud endpoint behind a same-origin proxy path (`ecs-password serve --upstream
 * PREFIX=URL`), as GET /_proxy lists it: what AK/SK requests must be signed for, since the cloud
 * checks a signature against its own host and path. Null for a direct endpoint, or when the page
 * is not served by ecs-password serve (tokens still work; AK/SK then needs the `upstream`
 * attribute). `/_proxy` and its prefixes are under the page's base (site.js).
 * @param {string} endpointUrl
 * @returns {Promise<string | null>}
 */
export async function proxyUpstream(endpointUrl) {
  const endpoint = new URL(endpointUrl, globalThis.location.href);
  const where = (endpoint.origin + endpoint.pathname).replace(/\/$/, "");
  if (endpoint.origin !== globalThis.location.origin || where === siteHref("/")) return null;
  try {
    const answer = await fetch(siteUrl("/_proxy"), { headers: { accept: "application/json" } });
    if (!answer.ok) return null;
    /** @type {{ upstreams?: Array<{ prefix: string, upstream: string }> }} */
    const { upstreams = [] } = await answer.json();
    return upstreams.find((u) => siteHref(u.prefix) === where)?.upstream ?? null;
  } catch {
    return null;
  }
}

/**
 * The `endpoint` attribute as an absolute URL without a trailing slash (default: this origin).
 * @param {string | null} attribute
 */
export function endpointUrl(attribute) {
  return new URL(attribute || globalThis.location.origin, globalThis.location.href).href.replace(/\/$/, "");
}

/**
 * @param {{ endpoint: string, family: string, server: string, project: string, upstream: string | null }} where
 * @returns {ApiTarget}
 */
export function target({ endpoint, family, server, project, upstream }) {
  /** @type {ApiTarget} */
  const out = { endpoint, family: /** @type {ApiTarget["family"]} */ (family), serverId: server };
  if (upstream && family !== "nova") out.upstream = upstream;
  if (family !== "nova") out.projectId = project;
  return out;
}

/**
 * The credentials from the callback, else the property; NO_CREDENTIALS without usable ones.
 * @param {(() => Promise<ApiAuth> | ApiAuth) | null} callback
 * @param {ApiAuth | null} value
 * @returns {Promise<ApiAuth>}
 */
export async function credentials(callback, value) {
  /** @type {any} */
  const auth = callback ? await callback() : value;
  if (!auth || !(auth.token || (auth.accessKey && auth.secretKey))) throw failure("NO_CREDENTIALS");
  return auth;
}

/**
 * @param {ApiTarget} where
 * @param {ApiCall} call
 * @param {ApiAuth} auth
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<any>}
 */
export const send = (where, call, auth, signal) => callApi(where, call, auth, { signal });

/**
 * The permission engine's view, per operation, or null when the host gave no permissions.
 * @param {{ requested: string, project: string, server: string, grants: object | null, novaRoles: string[] | null,
 *           enterpriseProject: string | null | undefined, region: string | null, domainId: string | null }} facts
 * @returns {Access | null}
 */
export function explain({ requested, project, server, grants, novaRoles, enterpriseProject, region, domainId }) {
  if (requested === "nova") {
    if (!novaRoles) return null;
    /** @param {string} method @param {string} operation */
    const decide = (method, operation) => {
      const d = checkNova(`${method} /v2.1/servers/${server}/os-server-password`, { roles: novaRoles, tokenProject: project, serverProject: project });
      return { operation, allowed: d.decision === "allow", recommended: "nova", explanation: d.explanation };
    };
    return { get: decide("GET", "get"), clear: decide("DELETE", "clear") };
  }
  if (!grants) return null;
  /** @type {import("../pkg/cloud/ecs_password_cloud.js").AccessOptions} */
  const options = {};
  if (enterpriseProject) options.serverEnterpriseProject = enterpriseProject;
  if (region) options.region = region;
  if (domainId) options.domainId = domainId;
  /** @type {Access} */
  const out = {};
  for (const a of explainAccess(/** @type {any} */ (grants), project, server, options)) out[a.operation] = a;
  return out;
}

/**
 * Where KPS calls go: the `kps-endpoint` attribute (an absolute URL, or a same-origin path such as
 * the demo's /kms or a `serve --upstream` proxy prefix), the project, and the KPS endpoint behind
 * a proxy path (what AK/SK requests are signed for).
 * @param {{ endpoint: string, project: string, upstream: string | null }} where
 * @returns {import("../pkg/cloud/ecs_password_cloud.js").KpsTarget}
 */
export function kpsTarget({ endpoint, project, upstream }) {
  /** @type {import("../pkg/cloud/ecs_password_cloud.js").KpsTarget} */
  const out = { endpoint, projectId: project };
  if (upstream) out.upstream = upstream;
  return out;
}

/**
 * What the permission engine says about exporting the key pair's hosted private key
 * (`kps:domainKeypairs:exportpk` and its dependency `kms:cmk:decryptDataKey`), or null when the
 * host gave no grants (the cloud decides).
 * @param {{ grants: object | null, project: string, keyPair: string, region: string | null, domainId: string | null }} facts
 * @returns {import("./types.js").HostedKey["decision"]}
 */
export function explainHosted({ grants, project, keyPair, region, domainId }) {
  if (!grants) return null;
  /** @type {import("../pkg/cloud/ecs_password_cloud.js").AccessOptions} */
  const options = {};
  if (region) options.region = region;
  if (domainId) options.domainId = domainId;
  const d = checkKps(/** @type {any} */ (grants), "export", project, keyPair, options);
  return { allowed: d.decision === "allow", missing: d.missing, explanation: d.explanation };
}
