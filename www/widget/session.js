// What a host gives an element to reach the cloud as its user, kept in one object per element:
// the credentials (or a callback that refreshes them before each request), the user's IAM grants
// and Keystone (Nova) roles, to decide and explain access before calling; and, from the element's
// attributes, the endpoint a proxy path stands for. Both elements hold one (embedded.js gives the
// host its properties); the credentials are never given back.
import { proxyUpstream, endpointUrl, credentials } from "./cloud.js";

/** @typedef {import("../pkg/cloud/ecs_password_cloud.js").ApiAuth} ApiAuth */

export class CloudSession {
  /** @type {ApiAuth | null} */
  #credentials = null;
  /** @type {(() => Promise<ApiAuth> | ApiAuth) | null} */
  #getCredentials = null;
  /** The user's IAM grants ({grants: [...]}). @type {object | null} */
  #grants = null;
  /** The user's Keystone roles (Nova family). @type {string[] | null} */
  #novaRoles = null;

  /** A copy: the host's object may change after. @param {ApiAuth | null | undefined} value */
  set credentials(value) { this.#credentials = value ? { ...value } : null; }
  /** @param {(() => Promise<ApiAuth> | ApiAuth) | null} callback */
  set getCredentials(callback) { this.#getCredentials = typeof callback === "function" ? callback : null; }
  /** @returns {(() => Promise<ApiAuth> | ApiAuth) | null} */
  get getCredentials() { return this.#getCredentials; }
  /** @param {object | null | undefined} value */
  set grants(value) { this.#grants = value ?? null; }
  /** @returns {object | null} */
  get grants() { return this.#grants; }
  /** @param {string[] | null | undefined} value */
  set novaRoles(value) { this.#novaRoles = Array.isArray(value) ? [...value] : null; }
  /** @returns {string[] | null} */
  get novaRoles() { return this.#novaRoles; }
  get hasCredentials() { return Boolean(this.#credentials || this.#getCredentials); }

  /** The credentials of the next request: the callback's answer (it wins), else those set. */
  auth() { return credentials(this.#getCredentials, this.#credentials); }
}

/**
 * The cloud endpoint that the element's attribute `endpoint` stands for, for AK/SK signatures:
 * the attribute `upstream` when set, else what `serve`'s proxy says of that path (null: none).
 * @param {Element} element @param {string} endpoint an attribute's name @param {string} upstream an attribute's name
 * @returns {Promise<string | null>}
 */
export async function upstreamOf(element, endpoint, upstream) {
  return element.getAttribute(upstream) || proxyUpstream(endpointUrl(element.getAttribute(endpoint)));
}
