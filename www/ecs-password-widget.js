// <ecs-password>: get, clear and reset a Windows server's password, embeddable in any console.
//
//   <script type="module" src="/ecs-password-widget.js"></script>
//   <ecs-password endpoint="/proxy/ecs" project="…" server="…" family="auto" lang="en"></ecs-password>
//   el.credentials = { token } | { accessKey, secretKey, securityToken };   // never an attribute
//   el.getCredentials = async () => ({ token });                            // or a callback
//   el.grants = { grants: [...] };   // optional: the user's IAM grants, to explain access up front
//
// The private key goes into a Web Worker (decrypt-worker.js) and never comes back out; only its
// public facts and the decrypted password do. Events (bubbling, composed; no secret in detail):
// ecs-password-retrieved, ecs-password-cleared, ecs-password-reset, ecs-password-error.
import init, {
  callApi, waitForPassword, explainAccess, checkNova, checkNewPassword, generateNewPassword,
} from "../pkg/ecs_password.js";
import { t, pickLanguage, loadLanguage } from "./i18n/index.js";

// The module needs WebAssembly SIMD (Chrome and Edge 91, Firefox 89, Safari 16.4 and later):
// an older browser gets a message that says so rather than a compile error.
const wasmReady = init().catch(() => {
  throw Object.assign(new Error("BROWSER_UNSUPPORTED"), { code: "BROWSER_UNSUPPORTED" });
});
wasmReady.catch(() => {}); // reported where it is awaited
const STYLE_URL = new URL("./ecs-password-widget.css", import.meta.url).href;
const WORKER_URL = new URL("./decrypt-worker.js", import.meta.url);
const CLIPBOARD_CLEAR_MS = 30_000;
const FORMAT_NAMES = {
  "pkcs1-pem": "PKCS#1 PEM", "pkcs1-der": "PKCS#1 DER", "pkcs8-pem": "PKCS#8 PEM", "pkcs8-der": "PKCS#8 DER",
  "pkcs8-encrypted-pem": "PKCS#8 PEM (encrypted)", "pkcs8-encrypted-der": "PKCS#8 DER (encrypted)",
  "openssl-legacy-pem": "OpenSSL PEM (legacy encryption)", openssh: "OpenSSH", ppk2: "PuTTY .ppk v2", ppk3: "PuTTY .ppk v3",
};
const OPERATIONS = ["get", "clear", "reset"];

const TEMPLATE = `
<section class="ecs" part="root" aria-labelledby="title">
  <h2 id="title" class="title"></h2>
  <p id="idle" class="notice"></p>
  <p id="live" class="status" role="status" aria-live="polite"></p>
  <div id="alert" class="alert" role="alert" tabindex="-1" hidden><p id="alert-text"></p><p id="alert-detail" class="detail"></p></div>
  <div id="body" hidden>
    <section id="server-section" class="card" aria-labelledby="server-h">
      <h3 id="server-h" data-t="server.heading"></h3>
      <dl id="server-facts" class="facts"></dl>
      <p id="server-note" class="notice" hidden></p>
    </section>
    <section id="access-section" class="card" aria-labelledby="access-h">
      <h3 id="access-h" data-t="access.heading"></h3>
      <ul id="access-list" class="access"></ul>
      <p id="family-note" class="detail"></p>
    </section>
    <section id="key-section" class="card" aria-labelledby="key-h">
      <h3 id="key-h" data-t="key.heading"></h3>
      <div id="drop" class="drop">
        <label for="key-file" data-t="key.drop"></label>
        <input id="key-file" type="file" data-t-label="key.file">
      </div>
      <label for="key-text" data-t="key.paste"></label>
      <textarea id="key-text" rows="4" spellcheck="false" autocomplete="off" autocapitalize="off" placeholder="-----BEGIN RSA PRIVATE KEY-----"></textarea>
      <button id="use-pasted" type="button" class="secondary" data-t="key.usePasted"></button>
      <div id="passphrase-box" hidden>
        <p id="passphrase-help" data-t="key.passphraseNeeded"></p>
        <label for="passphrase" data-t="key.passphrase"></label>
        <div class="row"><input id="passphrase" type="password" autocomplete="off" aria-describedby="passphrase-help">
        <button id="unlock" type="button" data-t="key.unlock"></button></div>
      </div>
      <p id="key-progress" class="progress" hidden><progress></progress> <span id="key-progress-text"></span></p>
      <div id="key-facts" hidden>
        <p id="key-summary"></p>
        <p class="detail"><span data-t="key.fingerprint"></span>: <code id="key-fp"></code></p>
        <p id="key-match"></p>
        <button id="forget-key" type="button" class="secondary" data-t="key.forget"></button>
      </div>
    </section>
    <section id="actions" class="card actions" aria-label="actions">
      <div class="row">
        <button id="get" type="button" data-t="get.button" disabled></button>
        <button id="get-anyway" type="button" class="secondary" data-t="get.anyway" hidden></button>
        <button id="clear" type="button" class="danger" data-t="clear.button" hidden></button>
      </div>
      <p id="wait" class="wait" hidden><span id="wait-text"></span> <button id="cancel" type="button" class="secondary" data-t="get.cancel"></button></p>
    </section>
    <section id="result" class="card result" aria-labelledby="result-h" hidden>
      <h3 id="result-h" data-t="result.heading"></h3>
      <p><output id="password" class="password" data-state="hidden"></output></p>
      <div class="row">
        <button id="reveal" type="button" aria-pressed="false" aria-controls="password"></button>
        <button id="copy" type="button" class="secondary" data-t="result.copy"></button>
        <button id="close" type="button" class="secondary" data-t="result.close"></button>
      </div>
    </section>
    <section id="reset-section" class="card" aria-labelledby="reset-h" hidden>
      <h3 id="reset-h" data-t="reset.heading"></h3>
      <p id="reset-note" class="notice" hidden></p>
      <form id="reset-form" novalidate hidden>
        <label for="new-password" data-t="reset.new"></label>
        <div class="row">
          <input id="new-password" type="password" autocomplete="new-password" spellcheck="false" aria-describedby="rules">
          <button id="generate" type="button" class="secondary" data-t="reset.generate"></button>
        </div>
        <label class="inline"><input id="show-new" type="checkbox"> <span data-t="reset.showNew"></span></label>
        <div id="rules" class="rules" aria-live="polite"></div>
        <button id="reset-submit" type="submit" class="danger" data-t="reset.submit"></button>
      </form>
    </section>
  </div>
  <dialog id="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-text">
    <h3 id="confirm-title"></h3>
    <p id="confirm-text"></p>
    <div class="row">
      <button id="confirm-ok" type="button" class="danger"></button>
      <button id="confirm-cancel" type="button" class="secondary" data-t="clear.cancel"></button>
    </div>
  </dialog>
</section>`;

/** An error with a code of ours (the wasm module's errors already have one). */
const failure = (code) => Object.assign(new Error(code), { code });

/**
 * The cloud endpoint behind a same-origin proxy path (`ecs-password serve --upstream
 * PREFIX=URL`), as GET /_proxy lists it: what AK/SK requests must be signed for, since the cloud
 * checks a signature against its own host and path. Null for a direct endpoint, or when the page
 * is not served by ecs-password serve (tokens still work; AK/SK then needs the `upstream`
 * attribute).
 */
export async function proxyUpstream(endpointUrl) {
  const endpoint = new URL(endpointUrl, globalThis.location.href);
  if (endpoint.origin !== globalThis.location.origin || endpoint.pathname === "/") return null;
  try {
    const answer = await fetch(new URL("/_proxy", globalThis.location.href), { headers: { accept: "application/json" } });
    if (!answer.ok) return null;
    const { upstreams = [] } = await answer.json();
    const path = endpoint.pathname.replace(/\/$/, "");
    return upstreams.find((u) => u.prefix === path)?.upstream ?? null;
  } catch {
    return null;
  }
}

export class EcsPasswordElement extends HTMLElement {
  static observedAttributes = ["endpoint", "upstream", "project", "server", "family", "lang", "region", "domain-id", "enterprise-project", "poll-interval"];

  /** Registers the element; a second call (or another copy of this script) changes nothing. */
  static define(tag = "ecs-password", registry = globalThis.customElements) {
    if (!registry.get(tag)) registry.define(tag, this);
    return registry.get(tag);
  }

  #credentials = null;
  #getCredentials = null;
  #grants = null;
  #novaRoles = null;
  #root;
  #$ = {};
  #generation = 0;
  #calls = null; // AbortController of the current server's calls
  #waiting = null; // AbortController of the wait for a posted password
  #worker = null;
  #workerCalls = new Map();
  #nextId = 1;
  #reloadQueued = false;
  #state = {};
  #password = null; // the decrypted password, only while the result is shown
  #clipboardTimer = null;
  #countdown = null;
  #status = null;
  #problem = null;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open", delegatesFocus: false });
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = STYLE_URL;
    const holder = document.createElement("template");
    holder.innerHTML = TEMPLATE;
    this.#root.append(link, holder.content);
    for (const el of this.#root.querySelectorAll("[id]")) this.#$[el.id.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = el;
    this.#wire();
  }

  // Credentials and permissions: properties only, never attributes.
  set credentials(value) {
    this.#credentials = value ? { ...value } : null;
    this.#queueReload();
  }
  get credentials() { return undefined; }
  get hasCredentials() { return Boolean(this.#credentials || this.#getCredentials); }
  set getCredentials(callback) {
    this.#getCredentials = typeof callback === "function" ? callback : null;
    this.#queueReload();
  }
  get getCredentials() { return this.#getCredentials; }
  /** The signed-in user's IAM grants ({grants: [...]}), to explain access before calling. */
  set grants(value) { this.#grants = value ?? null; this.#queueReload(); }
  get grants() { return this.#grants; }
  /** The user's Keystone roles (Nova family), to explain access before calling. */
  set novaRoles(value) { this.#novaRoles = Array.isArray(value) ? [...value] : null; this.#queueReload(); }
  get novaRoles() { return this.#novaRoles; }

  get lang() { return this.getAttribute("lang") || pickLanguage([this.closest("[lang]")?.getAttribute("lang") ?? "", ...(navigator.languages ?? [])].filter(Boolean)); }
  set lang(value) { this.setAttribute("lang", value); }

  connectedCallback() {
    this.#queueReload();
    globalThis.addEventListener("pagehide", this.#onPageHide);
  }
  disconnectedCallback() {
    globalThis.removeEventListener("pagehide", this.#onPageHide);
    this.close({ quiet: true });
  }
  attributeChangedCallback(name, old, value) {
    if (old === value) return;
    if (name === "lang") return void loadLanguage(this.lang).then(() => this.#translate());
    if (name === "poll-interval") return;
    this.#queueReload();
  }

  #onPageHide = () => this.close({ quiet: true });

  /** Forgets the key (worker wiped and terminated), the password, and the inputs. */
  close({ quiet = false } = {}) {
    this.#waiting?.abort();
    this.#waiting = null;
    this.#wipeKey();
    this.#hideResult();
    // Only after a copy: reading the clipboard makes Safari and Firefox show the user a Paste prompt.
    if (this.#password !== null && this.#clipboardTimer !== null) this.#clearClipboardIfOurs(this.#password);
    this.#password = null;
    this.#$.result.hidden = true;
    this.#$.keyText.value = "";
    this.#$.passphrase.value = "";
    this.#$.newPassword.value = "";
    this.#renderRules();
    if (!quiet) this.#say("result.closed");
  }

  // ---- wiring -------------------------------------------------------------------------------

  #wire() {
    const $ = this.#$;
    $.keyFile.addEventListener("change", () => {
      const file = $.keyFile.files[0];
      if (file) this.#loadKeyFile(file);
    });
    $.drop.addEventListener("dragover", (e) => { e.preventDefault(); $.drop.classList.add("over"); });
    $.drop.addEventListener("dragleave", () => $.drop.classList.remove("over"));
    $.drop.addEventListener("drop", (e) => {
      e.preventDefault();
      $.drop.classList.remove("over");
      const file = e.dataTransfer?.files?.[0];
      if (file) return this.#loadKeyFile(file);
      const text = e.dataTransfer?.getData("text/plain");
      if (text) this.#loadKey(new TextEncoder().encode(text).buffer);
    });
    $.usePasted.addEventListener("click", () => {
      const text = $.keyText.value;
      $.keyText.value = "";
      if (text.trim()) this.#loadKey(new TextEncoder().encode(text).buffer);
    });
    $.unlock.addEventListener("click", () => this.#unlock());
    $.passphrase.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); this.#unlock(); } });
    $.forgetKey.addEventListener("click", () => { this.#wipeKey(); this.#say("result.closed"); $.keyFile.focus(); });
    $.get.addEventListener("click", () => this.#getPassword());
    $.getAnyway.addEventListener("click", () => this.#getPassword());
    $.cancel.addEventListener("click", () => this.#waiting?.abort());
    $.reveal.addEventListener("click", () => ($.password.dataset.state === "shown" ? this.#hideResult() : this.#showPassword()));
    $.copy.addEventListener("click", () => this.#copy());
    $.close.addEventListener("click", () => { this.close(); $.keyFile.focus(); });
    $.clear.addEventListener("click", () => this.#clearPassword());
    $.newPassword.addEventListener("input", () => this.#renderRules());
    $.showNew.addEventListener("change", () => { $.newPassword.type = $.showNew.checked ? "text" : "password"; });
    $.generate.addEventListener("click", () => this.#generate());
    $.resetForm.addEventListener("submit", (e) => { e.preventDefault(); this.#resetPassword(); });
    $.confirmCancel.addEventListener("click", () => $.confirm.close("cancel"));
    $.confirmOk.addEventListener("click", () => $.confirm.close("ok"));
  }

  // ---- text -----------------------------------------------------------------------------------

  #t(key, params) { return t(this.lang, key, params); }

  #translate() {
    const lang = this.lang;
    this.#root.querySelector(".ecs").setAttribute("lang", lang);
    for (const el of this.#root.querySelectorAll("[data-t]")) el.textContent = t(lang, el.dataset.t);
    for (const el of this.#root.querySelectorAll("[data-t-label]")) el.setAttribute("aria-label", t(lang, el.dataset.tLabel));
    this.#render();
  }

  /** Announces a status in the live region (kept as a key so that a language switch re-renders it). */
  #say(key, params) {
    this.#status = key ? { key, params } : null;
    this.#$.live.textContent = key ? this.#t(key, params) : "";
  }

  #fail(error, operation) {
    const code = error?.code ?? "UNKNOWN";
    this.#problem = { code, operation, status: error?.status, cloudCode: error?.cloudCode ?? null, requestId: error?.requestId ?? null, message: error?.message, messageZh: error?.messageZh, custom: error?.custom };
    this.#renderProblem();
    this.#say(null);
    this.dispatchEvent(new CustomEvent("ecs-password-error", {
      bubbles: true, composed: true,
      detail: { code, operation, server: this.getAttribute("server"), status: error?.status ?? null, cloudCode: this.#problem.cloudCode, requestId: this.#problem.requestId },
    }));
  }

  #clearProblem() {
    this.#problem = null;
    this.#$.alert.hidden = true;
    this.#$.alert.removeAttribute("data-code");
  }

  #renderProblem() {
    const p = this.#problem;
    const { alert, alertText, alertDetail } = this.#$;
    if (!p) return void (alert.hidden = true);
    let text = p.custom ? this.#t(p.custom.key, p.custom.params) : this.#t(`error.${p.code}`);
    if (text === `error.${p.code}`) text = (this.lang === "zh" && p.messageZh) || p.message || this.#t("error.UNKNOWN");
    alertText.textContent = text;
    const detail = [];
    if (p.cloudCode) detail.push(this.#t("error.cloud", { code: p.cloudCode }));
    if (p.requestId) detail.push(this.#t("error.requestId", { id: p.requestId }));
    alertDetail.textContent = detail.join(" · ");
    alertDetail.hidden = detail.length === 0;
    alert.dataset.code = p.code;
    alert.hidden = false;
  }

  /** Re-renders everything that depends on state and language. */
  #render() {
    const $ = this.#$;
    const s = this.#state;
    const server = this.getAttribute("server");
    $.title.textContent = this.#t("widget.label", { server: s.details?.name ?? server ?? "" });
    if (this.#status) $.live.textContent = this.#t(this.#status.key, this.#status.params);
    this.#renderProblem();
    $.reveal.textContent = this.#t($.password.dataset.state === "shown" ? "result.hide" : "result.show");
    if ($.password.dataset.state !== "shown") this.#renderHidden();
    this.#renderServer();
    this.#renderAccess();
    this.#renderKey();
    this.#renderRules();
    this.#renderReset();
    this.#renderButtons();
  }

  #renderServer() {
    const { details, detailsError } = this.#state;
    const facts = this.#$.serverFacts;
    facts.replaceChildren();
    const add = (label, value) => {
      const dt = document.createElement("dt");
      dt.textContent = this.#t(label);
      const dd = document.createElement("dd");
      dd.textContent = value;
      facts.append(dt, dd);
    };
    add("server.id", this.getAttribute("server") ?? "");
    if (details) {
      add("server.name", details.name);
      if (details.osType) add("server.os", details.osType);
      add("server.keyPair", details.keyName ?? this.#t("server.keyPair.none"));
      if (details.status) add("server.status", details.status);
    } else if (!detailsError) {
      add("server.name", this.#t("server.loading"));
    }
    const note = this.#$.serverNote;
    const linux = /linux/i.test(details?.osType ?? "");
    note.hidden = !(details && (linux || !details.keyName));
    note.textContent = linux ? this.#t("server.linux") : this.#t("server.noKey");
  }

  #renderAccess() {
    const { access, family, familyReason } = this.#state;
    const list = this.#$.accessList;
    list.replaceChildren();
    const zh = this.lang === "zh";
    if (!access) {
      const li = document.createElement("li");
      li.dataset.decision = "unknown";
      li.textContent = this.#t("access.unknown");
      list.append(li);
    } else {
      for (const op of OPERATIONS) {
        const a = access[op];
        if (!a) continue;
        const li = document.createElement("li");
        li.dataset.operation = op;
        li.dataset.decision = a.allowed ? "allow" : "deny";
        const head = document.createElement("strong");
        head.textContent = `${this.#t(`access.op.${op}`)}: ${this.#t(a.allowed ? "access.allow" : "access.deny")}`;
        const why = document.createElement("span");
        why.className = "detail";
        why.textContent = zh ? a.explanationZh : a.explanation;
        li.append(head, " ", why);
        list.append(li);
      }
    }
    this.#$.familyNote.textContent = family ? this.#t(familyReason ?? "access.family", { family, ...(this.#state.familyParams ?? {}) }) : "";
  }

  #renderKey() {
    const { key, keyPair } = this.#state;
    const $ = this.#$;
    $.keyFacts.hidden = !key;
    if (!key) return;
    $.keySummary.textContent = this.#t("key.facts", {
      bits: key.bits, format: FORMAT_NAMES[key.format] ?? key.format, encrypted: key.encrypted ? this.#t("key.encrypted") : "",
    });
    $.keyFp.textContent = `${key.fingerprintSha256}  ${key.fingerprintMd5}`;
    const match = this.#state.keyMatch;
    $.keyMatch.dataset.match = match;
    $.keyMatch.className = match === "mismatch" ? "bad" : match === "match" ? "good" : "detail";
    $.keyMatch.textContent = match === "match" ? this.#t("key.matches", { name: keyPair.name })
      : match === "mismatch" ? this.#t("key.mismatch", { name: keyPair.name, expected: keyPair.fingerprint ?? keyPair.name })
        : this.#t("key.unverified");
  }

  #renderButtons() {
    const $ = this.#$;
    const s = this.#state;
    const getAccess = s.access?.get;
    const denied = getAccess && !getAccess.allowed;
    const keyReady = Boolean(s.key) && s.keyMatch !== "mismatch";
    $.get.hidden = Boolean(denied);
    $.get.disabled = !keyReady || Boolean(this.#waiting) || Boolean(s.busy);
    $.getAnyway.hidden = !denied;
    $.getAnyway.disabled = !keyReady || Boolean(this.#waiting) || Boolean(s.busy);
    const clearAccess = s.access?.clear;
    $.clear.hidden = !s.details || Boolean(clearAccess && !clearAccess.allowed) || s.family === undefined;
    $.clear.disabled = Boolean(s.busy);
  }

  #renderReset() {
    const s = this.#state;
    const $ = this.#$;
    const resetAccess = s.access?.reset;
    const deniedByAccess = resetAccess && !resetAccess.allowed;
    const show = Boolean(s.details) && !deniedByAccess && s.family !== "nova" && s.resetFlag !== undefined;
    $.resetSection.hidden = !show;
    $.resetForm.hidden = s.resetFlag !== true;
    $.resetNote.hidden = s.resetFlag === true;
    $.resetNote.textContent = this.#t(s.resetFlag === false ? "reset.unsupported" : "reset.unknown");
  }

  #resetRules() {
    const os = /linux/i.test(this.#state.details?.osType ?? "") ? "linux" : "windows";
    return { api: this.#state.resetApi ?? "v1", os };
  }

  #renderRules() {
    const $ = this.#$;
    const value = $.newPassword.value;
    $.rules.replaceChildren();
    if (!value || !this.#state.wasm) return;
    const broken = checkNewPassword(value, this.#resetRules());
    const list = document.createElement("ul");
    for (const rule of broken) {
      const li = document.createElement("li");
      li.dataset.rule = rule.rule;
      li.textContent = this.lang === "zh" ? rule.messageZh : rule.message;
      list.append(li);
    }
    if (broken.length === 0) {
      const ok = document.createElement("p");
      ok.className = "good";
      ok.textContent = this.#t("reset.ok");
      $.rules.append(ok);
    } else {
      $.rules.append(list);
    }
    $.rules.dataset.broken = String(broken.length);
    $.newPassword.setAttribute("aria-invalid", String(broken.length > 0));
  }

  // ---- loading a server -----------------------------------------------------------------------

  #queueReload() {
    if (this.#reloadQueued) return;
    this.#reloadQueued = true;
    queueMicrotask(() => {
      this.#reloadQueued = false;
      if (this.isConnected) this.#reload();
    });
  }

  #endpoint() {
    const value = this.getAttribute("endpoint") || globalThis.location.origin;
    return new URL(value, globalThis.location.href).href.replace(/\/$/, "");
  }

  /** The `upstream` attribute, else what the serving proxy lists for `endpoint` (see proxyUpstream). */
  async #findUpstream() {
    return this.getAttribute("upstream") || proxyUpstream(this.#endpoint());
  }

  #target(family = this.#state.family) {
    const target = { endpoint: this.#endpoint(), family, serverId: this.getAttribute("server") ?? "" };
    if (this.#state.upstream && family !== "nova") target.upstream = this.#state.upstream;
    if (family !== "nova") target.projectId = this.getAttribute("project") ?? "";
    return target;
  }

  async #auth() {
    const value = this.#getCredentials ? await this.#getCredentials() : this.#credentials;
    if (!value || !(value.token || (value.accessKey && value.secretKey))) throw failure("NO_CREDENTIALS");
    return value;
  }

  async #call(call, family = this.#state.family, signal = this.#calls?.signal) {
    return callApi(this.#target(family), call, await this.#auth(), { signal });
  }

  /** The permission engine's view, per operation, or null when the host gave no permissions. */
  #explain() {
    const project = this.getAttribute("project") ?? "";
    const server = this.getAttribute("server") ?? "";
    const requested = this.getAttribute("family") || "auto";
    if (requested === "nova") {
      if (!this.#novaRoles) return null;
      const decide = (method, op) => {
        const d = checkNova(`${method} /v2.1/servers/${server}/os-server-password`, { roles: this.#novaRoles, tokenProject: project, serverProject: project });
        return { operation: op, allowed: d.decision === "allow", recommended: "nova", explanation: d.explanation, explanationZh: d.explanationZh };
      };
      return { get: decide("GET", "get"), clear: decide("DELETE", "clear") };
    }
    if (!this.#grants) return null;
    const options = {};
    const ep = this.getAttribute("enterprise-project") ?? this.#state.details?.enterpriseProjectId;
    if (ep) options.serverEnterpriseProject = ep;
    if (this.getAttribute("region")) options.region = this.getAttribute("region");
    if (this.getAttribute("domain-id")) options.domainId = this.getAttribute("domain-id");
    const out = {};
    for (const a of explainAccess(this.#grants, project, server, options)) out[a.operation] = a;
    return out;
  }

  #chooseFamily() {
    const requested = this.getAttribute("family") || "auto";
    const s = this.#state;
    if (requested !== "auto") {
      s.family = requested;
      s.familyReason = "access.family";
    } else if (s.access?.get?.recommended) {
      s.family = s.access.get.recommended;
      s.familyReason = "access.familyChosen";
    } else {
      s.family = "v1";
      s.familyReason = "access.family";
    }
    const resetRec = s.access?.reset?.recommended;
    s.resetApi = resetRec === "v2.1" ? "v2.1" : s.family === "v2.1" && !s.access ? "v2.1" : "v1";
  }

  async #reload() {
    const generation = ++this.#generation;
    await loadLanguage(this.lang);
    if (generation !== this.#generation) return;
    this.#translate();
    this.#calls?.abort();
    this.#calls = new AbortController();
    this.close({ quiet: true });
    this.#state = {};
    this.#clearProblem();
    this.#say(null);
    const $ = this.#$;
    const server = this.getAttribute("server");
    const idle = !server ? "widget.noServer" : !this.hasCredentials ? "widget.noCredentials" : null;
    $.idle.hidden = !idle;
    $.idle.textContent = idle ? this.#t(idle) : "";
    $.body.hidden = Boolean(idle);
    const root = this.#root.querySelector(".ecs");
    root.dataset.ready = idle ? "idle" : "loading";
    this.#render();
    if (idle) return;
    const stale = () => generation !== this.#generation;
    try {
      await wasmReady;
      this.#state.upstream = await this.#findUpstream();
      if (stale()) return;
      this.#state.wasm = true;
      this.#state.access = this.#explain();
      this.#chooseFamily();
      this.#render();
      this.#say("server.loading");
      this.#state.details = await this.#withFallback(() => this.#call({ kind: "serverDetails" }));
      if (stale()) return;
      if (this.#grants && this.#state.details.enterpriseProjectId && !this.getAttribute("enterprise-project")) {
        this.#state.access = this.#explain();
        if ((this.getAttribute("family") || "auto") === "auto" && !this.#state.familyFellBack) this.#chooseFamily();
      }
      this.#say(null);
      this.#render();
      await Promise.all([this.#loadKeyPair(stale), this.#loadResetFlag(stale)]);
      if (!stale()) root.dataset.ready = "ready";
    } catch (error) {
      if (stale()) return;
      this.#state.detailsError = true;
      this.#render();
      if (error?.code !== "CANCELLED") this.#fail(error, "serverDetails");
      root.dataset.ready = "error";
    }
  }

  /** Runs `attempt`; in automatic mode with unknown permissions, a refusal of v1 retries on v2.1. */
  async #withFallback(attempt) {
    try {
      return await attempt();
    } catch (error) {
      const s = this.#state;
      const auto = (this.getAttribute("family") || "auto") === "auto";
      if (!(auto && !s.access && s.family === "v1" && error?.code === "FORBIDDEN")) throw error;
      s.family = "v2.1";
      s.familyFellBack = true;
      s.familyReason = "access.familyFallback";
      s.familyParams = { from: "v1", to: "v2.1" };
      this.#render();
      return attempt();
    }
  }

  async #loadKeyPair(stale) {
    const name = this.#state.details?.keyName;
    if (!name) return;
    try {
      const keyPair = await this.#call({ kind: "keyPair", name });
      if (stale()) return;
      this.#state.keyPair = keyPair;
      this.#matchKey();
      this.#render();
    } catch (error) {
      if (!stale() && error?.code !== "CANCELLED") this.#state.keyPairError = error?.code;
    }
  }

  async #loadResetFlag(stale) {
    const s = this.#state;
    if (s.family === "nova" || (s.access?.reset && !s.access.reset.allowed)) return;
    try {
      const answer = await this.#call({ kind: "password", operation: "reset-flag" }, "v1");
      if (stale()) return;
      s.resetFlag = answer.supported;
    } catch (error) {
      if (stale() || error?.code === "CANCELLED") return;
      s.resetFlag = null; // unknown
    }
    this.#render();
  }

  // ---- the key --------------------------------------------------------------------------------

  #workerCall(message, transfer = []) {
    if (!this.#worker) {
      try {
        this.#worker = new Worker(WORKER_URL, { type: "module", name: "ecs-password-decrypt" });
      } catch {
        return Promise.reject(failure("WORKER_FAILED"));
      }
      this.#worker.onmessage = ({ data }) => {
        const pending = this.#workerCalls.get(data.id);
        if (!pending) return;
        this.#workerCalls.delete(data.id);
        if (data.error) pending.reject(Object.assign(new Error(data.error.message), { code: data.error.code }));
        else pending.resolve(data);
      };
      this.#worker.onerror = (event) => {
        event.preventDefault?.();
        for (const pending of this.#workerCalls.values()) pending.reject(failure("WORKER_FAILED"));
        this.#workerCalls.clear();
      };
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#workerCalls.set(id, { resolve, reject });
      this.#worker.postMessage({ id, ...message }, transfer);
    });
  }

  #wipeKey() {
    if (this.#worker) {
      const worker = this.#worker;
      this.#worker = null;
      const id = this.#nextId++;
      // The worker zeroes its buffers first; it is terminated right after (or at once if it is busy).
      worker.onmessage = () => worker.terminate();
      worker.postMessage({ id, type: "wipe" });
      setTimeout(() => worker.terminate(), 1000);
      for (const pending of this.#workerCalls.values()) pending.reject(failure("CANCELLED"));
      this.#workerCalls.clear();
    }
    this.#state.key = null;
    this.#state.keyMatch = undefined;
    this.#$.passphraseBox.hidden = true;
    this.#$.passphrase.value = "";
    this.#$.keyFile.value = "";
    this.#renderKey();
    this.#renderButtons();
  }

  async #loadKeyFile(file) {
    const bytes = await file.arrayBuffer();
    this.#$.keyFile.value = "";
    return this.#loadKey(bytes);
  }

  async #loadKey(buffer) {
    this.#wipeKey();
    this.#clearProblem();
    this.#say("key.reading");
    await this.#keyStep(() => this.#workerCall({ type: "load", key: buffer }, [buffer]), "key");
  }

  async #unlock() {
    const $ = this.#$;
    const passphrase = $.passphrase.value;
    $.passphrase.value = "";
    if (!passphrase) return $.passphrase.focus();
    this.#clearProblem();
    await this.#keyStep(() => this.#workerCall({ type: "unlock", passphrase }), "passphrase");
  }

  /** Runs a worker step that ends in key facts, with progress for slow unlocks (bcrypt, scrypt, Argon2). */
  async #keyStep(step, operation) {
    const $ = this.#$;
    const started = Date.now();
    const tick = () => {
      $.keyProgress.hidden = false;
      $.keyProgressText.textContent = this.#t("key.unlocking", { seconds: Math.floor((Date.now() - started) / 1000) });
    };
    const timer = setInterval(tick, 250);
    this.#state.busy = true;
    this.#renderButtons();
    let info;
    try {
      ({ info } = await step());
    } catch (error) {
      if (error?.code === "CANCELLED") return;
      this.#say(null);
      if (error?.code === "PASSPHRASE_REQUIRED" || error?.code === "WRONG_PASSPHRASE") {
        $.passphraseBox.hidden = false;
        if (error.code === "WRONG_PASSPHRASE") this.#fail(error, operation);
        else this.#say("key.passphraseNeeded");
        $.passphrase.focus();
      } else {
        this.#fail(error, operation);
      }
      return;
    } finally {
      clearInterval(timer);
      $.keyProgress.hidden = true;
      this.#state.busy = false;
      this.#renderButtons();
    }
    this.#state.key = info;
    $.passphraseBox.hidden = true;
    this.#matchKey();
    this.#render();
    if (this.#state.keyMatch === "mismatch") {
      const { name, fingerprint } = this.#state.keyPair;
      this.#fail({ code: "WRONG_KEY", custom: { key: "key.mismatch", params: { name, expected: fingerprint ?? name } } }, operation);
      $.keyFile.focus();
    } else {
      this.#say("key.loaded");
      ($.get.hidden ? $.getAnyway : $.get).focus();
    }
  }

  /** Compares the key's public key with the server's key pair: a wrong key is named before decrypting. */
  #matchKey() {
    const { key, keyPair } = this.#state;
    if (!key) return;
    if (!keyPair) return void (this.#state.keyMatch = "unverified");
    const blob = (openssh) => String(openssh ?? "").trim().split(/\s+/)[1];
    let same;
    if (keyPair.publicKey) same = blob(keyPair.publicKey) === blob(key.publicKeyOpenssh);
    else if (keyPair.fingerprint) same = [key.fingerprintMd5, key.fingerprintSha256].includes(keyPair.fingerprint);
    this.#state.keyMatch = same === undefined ? "unverified" : same ? "match" : "mismatch";
  }

  // ---- getting the password -------------------------------------------------------------------

  async #getPassword() {
    const $ = this.#$;
    this.#clearProblem();
    this.#hideResult();
    this.#password = null;
    $.result.hidden = true;
    this.#waiting = new AbortController();
    this.#renderButtons();
    const signal = this.#waiting.signal;
    let operation = "get";
    try {
      this.#say("get.fetching");
      let ciphertext;
      try {
        const answer = await this.#withFallback(() => this.#call({ kind: "password", operation: "get" }, this.#state.family, signal));
        ciphertext = answer.ciphertext;
      } catch (error) {
        if (error?.code !== "PASSWORD_NOT_AVAILABLE") throw error;
        ciphertext = await this.#waitForPosting(signal);
      }
      operation = "decrypt";
      this.#say("get.decrypting");
      const { password } = await this.#workerCall({ type: "decrypt", ciphertext });
      this.#password = password;
      $.result.hidden = false;
      this.#hideResult();
      this.#say("get.done");
      $.reveal.focus();
      this.dispatchEvent(new CustomEvent("ecs-password-retrieved", {
        bubbles: true, composed: true, detail: { server: this.getAttribute("server"), family: this.#state.family },
      }));
    } catch (error) {
      if (error?.code === "CANCELLED" && signal.aborted) this.#say("get.cancelled");
      else this.#fail(error, operation);
    } finally {
      this.#stopCountdown();
      this.#waiting = null;
      this.#renderButtons();
    }
  }

  async #waitForPosting(signal) {
    const $ = this.#$;
    const seconds = Number(this.getAttribute("poll-interval")) || 30;
    $.wait.hidden = false;
    $.cancel.focus();
    const onWait = (ms) => this.#startCountdown(ms);
    this.#startCountdown(seconds * 1000);
    return waitForPassword(this.#target(), await this.#auth(), { intervalMs: seconds * 1000, signal, onWait });
  }

  #startCountdown(ms) {
    clearInterval(this.#countdown);
    const until = Date.now() + ms;
    const show = () => {
      const seconds = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      this.#$.waitText.textContent = this.#t("get.notPosted", { seconds });
    };
    show();
    if (this.#status?.key !== "get.notPosted") this.#say("get.notPosted", { seconds: Math.ceil(ms / 1000) });
    this.#countdown = setInterval(show, 1000);
  }

  #stopCountdown() {
    clearInterval(this.#countdown);
    this.#countdown = null;
    this.#$.wait.hidden = true;
  }

  // ---- the result -----------------------------------------------------------------------------

  #renderHidden() {
    const out = this.#$.password;
    const mask = document.createElement("span");
    mask.setAttribute("aria-hidden", "true");
    mask.textContent = "••••••••••••";
    const label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = this.#t("result.hidden");
    out.replaceChildren(mask, label);
  }

  /** Hides the password: its text node leaves the DOM. */
  #hideResult() {
    const $ = this.#$;
    $.password.dataset.state = "hidden";
    this.#renderHidden();
    $.reveal.textContent = this.#t("result.show");
    $.reveal.setAttribute("aria-pressed", "false");
  }

  #showPassword() {
    const $ = this.#$;
    if (this.#password === null) return;
    $.password.replaceChildren(document.createTextNode(this.#password));
    $.password.dataset.state = "shown";
    $.reveal.textContent = this.#t("result.hide");
    $.reveal.setAttribute("aria-pressed", "true");
  }

  async #copy() {
    if (this.#password === null) return;
    const copied = this.#password;
    try {
      await navigator.clipboard.writeText(copied);
    } catch {
      return this.#fail({ code: "CLIPBOARD_FAILED" }, "copy");
    }
    this.#say("result.copied");
    clearTimeout(this.#clipboardTimer);
    this.#clipboardTimer = setTimeout(() => this.#clearClipboardIfOurs(copied, true), CLIPBOARD_CLEAR_MS);
  }

  async #clearClipboardIfOurs(value, announce = false) {
    clearTimeout(this.#clipboardTimer);
    this.#clipboardTimer = null;
    try {
      if ((await navigator.clipboard.readText()) === value) {
        await navigator.clipboard.writeText("");
        if (announce) this.#say("result.clipboardCleared");
      }
    } catch { /* no focus or no permission to read: nothing we can clear */ }
  }

  // ---- clear and reset ------------------------------------------------------------------------

  #confirm(titleKey, textKey, okKey) {
    const $ = this.#$;
    const server = this.#state.details?.name ?? this.getAttribute("server");
    $.confirmTitle.textContent = this.#t(titleKey, { server });
    $.confirmText.textContent = this.#t(textKey, { server });
    $.confirmOk.textContent = this.#t(okKey);
    $.confirm.returnValue = "";
    const opener = this.#root.activeElement;
    $.confirm.showModal();
    $.confirmCancel.focus();
    return new Promise((resolve) => {
      $.confirm.addEventListener("close", () => {
        opener?.focus?.();
        resolve($.confirm.returnValue === "ok");
      }, { once: true });
    });
  }

  async #clearPassword() {
    if (!(await this.#confirm("clear.confirmTitle", "clear.confirmText", "clear.confirm"))) return;
    this.#clearProblem();
    this.#state.busy = true;
    this.#renderButtons();
    try {
      await this.#withFallback(() => this.#call({ kind: "password", operation: "clear" }));
      this.#say("clear.done");
      this.dispatchEvent(new CustomEvent("ecs-password-cleared", {
        bubbles: true, composed: true, detail: { server: this.getAttribute("server"), family: this.#state.family },
      }));
    } catch (error) {
      this.#fail(error, "clear");
    } finally {
      this.#state.busy = false;
      this.#renderButtons();
    }
  }

  #generate() {
    const $ = this.#$;
    $.newPassword.value = generateNewPassword(this.#resetRules(), 16);
    $.showNew.checked = true;
    $.newPassword.type = "text";
    this.#renderRules();
    $.newPassword.focus();
  }

  async #resetPassword() {
    const $ = this.#$;
    const newPassword = $.newPassword.value;
    this.#renderRules();
    if (!newPassword || checkNewPassword(newPassword, this.#resetRules()).length > 0) return $.newPassword.focus();
    if (!(await this.#confirm("reset.heading", "reset.confirm", "reset.submit"))) return;
    this.#clearProblem();
    this.#state.busy = true;
    try {
      await this.#call({ kind: "password", operation: "reset", newPassword }, this.#state.resetApi);
      $.newPassword.value = "";
      $.showNew.checked = false;
      $.newPassword.type = "password";
      this.#renderRules();
      this.#say("reset.done");
      this.dispatchEvent(new CustomEvent("ecs-password-reset", {
        bubbles: true, composed: true, detail: { server: this.getAttribute("server"), family: this.#state.resetApi },
      }));
    } catch (error) {
      this.#fail(error, "reset");
      $.newPassword.focus();
    } finally {
      this.#state.busy = false;
    }
  }
}

/** Registers <ecs-password> (again: harmless). */
export function define(tag = "ecs-password", registry = globalThis.customElements) {
  return EcsPasswordElement.define(tag, registry);
}

define();
