// The embedding contract both elements share (<ecs-password>, <ecs-password-fleet>; docs/widget.md):
// how a host registers one (`define`), gives it the user's credentials, grants and Nova roles
// (properties, never attributes: kept in a CloudSession, session.js) and its language; when the
// element loads again (connected, a property or an observed attribute changed: once per task)
// and when it forgets what it holds (disconnected, the page hidden: `close`). What an element
// does on a load or a change of language is its own: it implements [LOAD] and [TRANSLATE].
import { t, pickLanguage, loadLanguage } from "../i18n/index.js";

/** @typedef {import("../pkg/cloud/ecs_password_cloud.js").ApiAuth} ApiAuth */
/** @typedef {import("./session.js").CloudSession} CloudSession */

const STYLE_URL = new URL("../ecs-password-widget.css", import.meta.url).href;

/** The element's (re)load: what it shows from its attributes and session. */
export const LOAD = Symbol("load");
/** The element's texts in its new language (the language's catalog is loaded). */
export const TRANSLATE = Symbol("translate");

export class EmbeddedElement extends HTMLElement {
  /** The tag `define()` registers by default. */
  static tag = "";
  /** @type {string[]} */
  static observedAttributes = [];
  /** Observed attributes that take effect without a load. @type {readonly string[]} */
  static liveAttributes = /** @type {readonly string[]} */ ([]);

  /**
   * Registers the element; a second call (or another copy of this script) changes nothing.
   * @param {string} [tag]
   * @param {CustomElementRegistry} [registry]
   */
  static define(tag = this.tag, registry = globalThis.customElements) {
    if (!registry.get(tag)) registry.define(tag, this);
    return registry.get(tag);
  }

  /** @type {CloudSession} */
  #session;
  #loadQueued = false;

  /** @param {CloudSession} session the subclass's, which it reads its credentials from */
  constructor(session) {
    super();
    this.#session = session;
  }

  // Credentials and permissions: properties only, never attributes.
  /** @param {ApiAuth | null | undefined} value */
  set credentials(value) { this.#session.credentials = value; this.#queueLoad(); }
  /** @returns {undefined} never given back */
  get credentials() { return undefined; }
  get hasCredentials() { return this.#session.hasCredentials; }
  /** Called before each request, so that the host can refresh its token. @param {(() => Promise<ApiAuth> | ApiAuth) | null} callback */
  set getCredentials(callback) { this.#session.getCredentials = callback; this.#queueLoad(); }
  /** @returns {(() => Promise<ApiAuth> | ApiAuth) | null} */
  get getCredentials() { return this.#session.getCredentials; }
  /** The signed-in user's IAM grants ({grants: [...]}), to choose the family and explain access before calling. @param {object | null | undefined} value */
  set grants(value) { this.#session.grants = value; this.#queueLoad(); }
  /** @returns {object | null} */
  get grants() { return this.#session.grants; }
  /** The user's Keystone roles (Nova family), to decide access before calling. @param {string[] | null | undefined} value */
  set novaRoles(value) { this.#session.novaRoles = value; this.#queueLoad(); }
  /** @returns {string[] | null} */
  get novaRoles() { return this.#session.novaRoles; }

  /** The `lang` attribute, else the nearest `lang` or the browser's language (`en` or `zh`). */
  get lang() { return this.getAttribute("lang") || pickLanguage([this.closest("[lang]")?.getAttribute("lang") ?? "", ...(navigator.languages ?? [])].filter(Boolean)); }
  set lang(value) { this.setAttribute("lang", value); }

  connectedCallback() {
    this.#queueLoad();
    globalThis.addEventListener("pagehide", this.#onPageHide);
  }
  disconnectedCallback() {
    globalThis.removeEventListener("pagehide", this.#onPageHide);
    this.close({ quiet: true });
  }
  /** @param {string} name @param {string | null} old @param {string | null} value */
  attributeChangedCallback(name, old, value) {
    if (old === value) return;
    if (name === "lang") return void loadLanguage(this.lang).then(() => this[TRANSLATE]());
    if (/** @type {typeof EmbeddedElement} */ (this.constructor).liveAttributes.includes(name)) return;
    this.#queueLoad();
  }

  /** Forgets what the element holds (its own: overridden). @param {{ quiet?: boolean }} [options] */
  close(options) { void options; }

  /** Loads again (after the other changes of this task). */
  #queueLoad() {
    if (this.#loadQueued) return;
    this.#loadQueued = true;
    queueMicrotask(() => {
      this.#loadQueued = false;
      if (this.isConnected) this[LOAD]();
    });
  }

  #onPageHide = () => this.close({ quiet: true });

  /** The element's load (its own: overridden). */
  [LOAD]() {}
  /** The element's texts (its own: overridden). */
  [TRANSLATE]() {}
}

/**
 * The element's shadow root with the widget's stylesheet and `template`, and the template's
 * elements by id, camelCased ("key-file" → keyFile).
 * @param {HTMLElement} element @param {string} template
 * @returns {{ root: ShadowRoot, $: Record<string, any> }}
 */
export function mountShadow(element, template) {
  const root = element.attachShadow({ mode: "open", delegatesFocus: false });
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = STYLE_URL;
  const holder = document.createElement("template");
  holder.innerHTML = template;
  root.append(link, holder.content);
  /** @type {Record<string, any>} */
  const $ = {};
  for (const el of root.querySelectorAll("[id]")) $[el.id.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = el;
  return { root, $ };
}

/**
 * The shadow root's fixed texts in `lang` (`data-t`: text, `data-t-label`: `aria-label`), and
 * the `lang` of its section.
 * @param {ShadowRoot} root @param {string} lang
 */
export function translateShadow(root, lang) {
  root.querySelector(".ecs")?.setAttribute("lang", lang);
  for (const el of root.querySelectorAll("[data-t]")) el.textContent = t(lang, /** @type {HTMLElement} */ (el).dataset.t ?? "");
  for (const el of root.querySelectorAll("[data-t-label]")) el.setAttribute("aria-label", t(lang, /** @type {HTMLElement} */ (el).dataset.tLabel ?? ""));
}
