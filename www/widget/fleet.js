// <ecs-password-fleet>: many servers at once. Lists the project's servers, lets the user choose
// them (all, Windows only, a filter by name, tag or enterprise project, or by hand), holds one or
// more keys in the decryption worker (each server gets the loaded key whose fingerprint is its key
// pair's), asks for every password with a bounded number in flight, and shows a table: ready,
// not yet (with a countdown; waits hold no lane), never (with the cause), refused (with the
// reason), error (with the request id). What it knows is one value (fleet-state.js); the
// decisions (family, fallback, key match, OS, diagnosis) are the core's, through the cloud
// module. A password is decrypted again for each reveal or copy and kept only while shown.
// Registration is apart (../ecs-password-define.js); docs/widget.md has the contract.
import init, { chooseFamily, familyAfterRefusal, matchKeyPair, guessOs, diagnoseMissingPassword, waitForPassword } from "../pkg/cloud/ecs_password_cloud.js";
import { t, pickLanguage, loadLanguage } from "../i18n/index.js";
import { FLEET_TEMPLATE } from "./fleet-template.js";
import * as F from "./fleet-state.js";
import { recommended } from "./state.js";
import { DecryptWorker, failure } from "./worker-client.js";
import { PasswordClipboard } from "./clipboard.js";
import { hidePassword, showPassword, renderMask } from "./reveal.js";
import { keySummary } from "./key-text.js";
import { errorMessage } from "../i18n/messages.js";
import { proxyUpstream, endpointUrl, target, credentials, send, explain } from "./cloud.js";

/** @typedef {import("./types.js").FleetState} FleetState */
/** @typedef {import("./types.js").FleetRow} FleetRow */
/** @typedef {import("./types.js").RowProblem} RowProblem */
/** @typedef {import("./types.js").KeyPair} KeyPair */
/** @typedef {import("../pkg/cloud/ecs_password_cloud.js").ApiAuth} ApiAuth */
/** @typedef {import("../pkg/cloud/ecs_password_cloud.js").FamilyChoice} FamilyChoice */

const wasmReady = init().catch(() => {
  throw failure("BROWSER_UNSUPPORTED");
});
wasmReady.catch(() => {}); // reported where it is awaited
const STYLE_URL = new URL("../ecs-password-widget.css", import.meta.url).href;
/** Servers per page of the list (a page stays well under the 4 MiB an answer may have). */
const PAGE = 200;
/** The most servers one view lists. */
export const MAX_SERVERS = 2000;
/** Requests in flight: the `parallel` attribute, 1 to 16, default 8. */
const PARALLEL = { min: 1, max: 16, default: 8 };

/** An error's fields for a row (never a secret: the module's errors hold none). @param {any} e @returns {RowProblem} */
const problemOf = (e) => ({
  code: e?.code ?? "UNKNOWN", status: e?.status, cloudCode: e?.cloudCode ?? null, cloudMessage: e?.cloudMessage ?? null, requestId: e?.requestId ?? null,
  messageId: e?.messageId, args: e?.args, custom: e?.custom,
});

/** Runs the next step when the page can paint (or at once in a hidden page, where frames stop). @param {() => void} fn */
const soon = (fn) => (document.hidden ? setTimeout(fn, 0) : requestAnimationFrame(fn));

export class EcsPasswordFleetElement extends HTMLElement {
  static observedAttributes = ["endpoint", "upstream", "project", "family", "lang", "region", "domain-id", "poll-interval", "parallel"];

  /**
   * Registers the element; a second call (or another copy of this script) changes nothing.
   * @param {string} [tag]
   * @param {CustomElementRegistry} [registry]
   */
  static define(tag = "ecs-password-fleet", registry = globalThis.customElements) {
    if (!registry.get(tag)) registry.define(tag, this);
    return registry.get(tag);
  }

  /** @type {ApiAuth | null} */
  #credentials = null;
  /** @type {(() => Promise<ApiAuth> | ApiAuth) | null} */
  #getCredentials = null;
  /** @type {object | null} */
  #grants = null;
  /** @type {string[] | null} */
  #novaRoles = null;
  /** @type {ShadowRoot} */
  #root;
  /** @type {Record<string, any>} the template's elements by id, camelCased */
  #$ = {};
  /** @type {FleetState} */
  #state = F.initial();
  #generation = 0;
  #reloadQueued = false;
  #worker = new DecryptWorker();
  #clipboard = new PasswordClipboard();
  #nextKey = 1;
  /** @type {string | null} the endpoint behind a proxy path, for AK/SK signatures */
  #upstream = null;
  /** @type {AbortController | null} the list and the run under way */
  #calls = null;
  /** @type {AbortController | null} the waits for passwords not posted yet */
  #waits = null;
  /** Per server: the encrypted password (not a secret without the key) and the family that gave it. @type {Map<string, { ciphertext: string, family: string }>} */
  #found = new Map();
  /** Servers whose stored password this view cleared: their empty answers mean "cleared". @type {Set<string>} */
  #cleared = new Set();
  /** Key pairs by name, each read once per list. @type {Map<string, Promise<KeyPair | null>>} */
  #keyPairs = new Map();
  /** @type {{ id: string, password: string } | null} the one password on screen */
  #shown = null;
  /** @type {string | null} the last password copied, to clear it from the clipboard on close */
  #copied = null;
  /** @type {{ key: string, params?: Record<string, unknown> } | null} */
  #status = null;
  /** @type {RowProblem | null} the view's own error (the list, a key) */
  #problem = null;
  /** Rows to re-render at the next frame. @type {Set<string>} */
  #dirty = new Set();
  #frameQueued = false;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  #ticker = undefined;
  /** @type {Map<string, HTMLTableRowElement>} */
  #tr = new Map();

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = STYLE_URL;
    const holder = document.createElement("template");
    holder.innerHTML = FLEET_TEMPLATE;
    this.#root.append(link, holder.content);
    for (const el of this.#root.querySelectorAll("[id]")) this.#$[el.id.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = el;
    this.#wire();
  }

  // Credentials and permissions: properties only, never attributes (as <ecs-password>).
  /** @param {ApiAuth | null | undefined} value */
  set credentials(value) { this.#credentials = value ? { ...value } : null; this.#queueReload(); }
  /** @returns {undefined} never given back */
  get credentials() { return undefined; }
  get hasCredentials() { return Boolean(this.#credentials || this.#getCredentials); }
  /** @param {(() => Promise<ApiAuth> | ApiAuth) | null} callback */
  set getCredentials(callback) { this.#getCredentials = typeof callback === "function" ? callback : null; this.#queueReload(); }
  get getCredentials() { return this.#getCredentials; }
  /** The signed-in user's IAM grants, to choose the family and explain a refusal. */
  set grants(value) { this.#grants = value ?? null; this.#queueReload(); }
  get grants() { return this.#grants; }
  /** The user's Keystone roles (Nova family). */
  set novaRoles(value) { this.#novaRoles = Array.isArray(value) ? [...value] : null; this.#queueReload(); }
  get novaRoles() { return this.#novaRoles; }

  get lang() { return this.getAttribute("lang") || pickLanguage([this.closest("[lang]")?.getAttribute("lang") ?? "", ...(navigator.languages ?? [])].filter(Boolean)); }
  set lang(value) { this.setAttribute("lang", value); }

  /** Where each server stands, for hosts and tests (no password, no ciphertext). */
  get summary() { return F.summary(this.#state); }

  connectedCallback() {
    this.#queueReload();
    globalThis.addEventListener("pagehide", this.#onPageHide);
  }
  disconnectedCallback() {
    globalThis.removeEventListener("pagehide", this.#onPageHide);
    this.close({ quiet: true });
  }
  /** @param {string} name @param {string | null} old @param {string | null} value */
  attributeChangedCallback(name, old, value) {
    if (old === value) return;
    if (name === "lang") return void loadLanguage(this.lang).then(() => this.#translate());
    if (name === "poll-interval" || name === "parallel") return;
    this.#queueReload();
  }

  #onPageHide = () => this.close({ quiet: true });

  /**
   * Stops every request and wait, forgets the keys (worker wiped and ended), every password and
   * ciphertext; the list and the selection stay.
   */
  close({ quiet = false } = {}) {
    this.#calls?.abort();
    this.#calls = null;
    this.#waits?.abort();
    this.#waits = null;
    this.#worker.wipe();
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.#hide();
    if (this.#copied !== null) void this.#clipboard.clearIfCopied(this.#copied);
    this.#copied = null;
    this.#found.clear();
    this.#state = F.keysForgotten(F.forgotten(this.#state));
    this.#$.keyText.value = "";
    this.#$.passphrase.value = "";
    this.#$.passphraseBox.hidden = true;
    this.#renderAll();
    if (!quiet) this.#say("fleet.closed");
  }

  // ---- wiring ---------------------------------------------------------------------------------

  #wire() {
    const $ = this.#$;
    $.keyFile.addEventListener("change", async () => {
      const files = [...$.keyFile.files];
      $.keyFile.value = "";
      for (const file of files) if (!(await this.#loadKey(await file.arrayBuffer()))) break;
    });
    $.drop.addEventListener("dragover", (/** @type {DragEvent} */ e) => { e.preventDefault(); $.drop.classList.add("over"); });
    $.drop.addEventListener("dragleave", () => $.drop.classList.remove("over"));
    $.drop.addEventListener("drop", async (/** @type {DragEvent} */ e) => {
      e.preventDefault();
      $.drop.classList.remove("over");
      for (const file of [...(e.dataTransfer?.files ?? [])]) if (!(await this.#loadKey(await file.arrayBuffer()))) break;
    });
    $.usePasted.addEventListener("click", () => {
      const text = $.keyText.value;
      $.keyText.value = "";
      if (text.trim()) this.#loadKey(new TextEncoder().encode(text).buffer);
    });
    $.unlock.addEventListener("click", () => this.#unlock());
    $.passphrase.addEventListener("keydown", (/** @type {KeyboardEvent} */ e) => { if (e.key === "Enter") { e.preventDefault(); this.#unlock(); } });
    $.keyList.addEventListener("click", (/** @type {Event} */ e) => {
      const button = /** @type {HTMLElement} */ (e.target).closest("button[data-key]");
      if (button) this.#forgetKey(/** @type {HTMLElement} */ (button).dataset.key ?? "");
    });
    $.filter.addEventListener("input", () => this.#renderFilter());
    $.windowsOnly.addEventListener("change", () => this.#renderFilter());
    $.selectShown.addEventListener("click", () => this.#select(F.shown(this.#state, this.#filter()), true));
    $.selectNone.addEventListener("click", () => this.#select(this.#state.order, false));
    $.reload.addEventListener("click", () => this.#queueReload());
    $.get.addEventListener("click", () => this.#run());
    $.stop.addEventListener("click", () => { this.#calls?.abort(); this.#waits?.abort(); });
    $.clearAll.addEventListener("click", () => this.#clearAll());
    $.close.addEventListener("click", () => { this.close(); $.keyFile.focus(); });
    $.confirmCancel.addEventListener("click", () => $.confirm.close("cancel"));
    $.confirmOk.addEventListener("click", () => $.confirm.close("ok"));
    $.rows.addEventListener("change", (/** @type {Event} */ e) => {
      const box = /** @type {HTMLInputElement} */ (e.target);
      const id = box.closest("tr")?.dataset.id;
      if (box.type === "checkbox" && id) this.#select([id], box.checked);
    });
    $.rows.addEventListener("click", (/** @type {Event} */ e) => {
      const button = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (e.target).closest("button[data-action]"));
      const id = button?.closest("tr")?.dataset.id;
      if (!button || !id) return;
      if (button.dataset.action === "reveal") this.#reveal(id);
      else if (button.dataset.action === "copy") this.#copy(id);
    });
  }

  // ---- text -----------------------------------------------------------------------------------

  /** @param {string} key @param {Record<string, unknown>} [params] */
  #t(key, params) { return t(this.lang, key, params); }

  get #rootSection() { return /** @type {HTMLElement} */ (this.#root.querySelector(".ecs")); }

  #translate() {
    const lang = this.lang;
    this.#rootSection.setAttribute("lang", lang);
    for (const el of this.#root.querySelectorAll("[data-t]")) el.textContent = t(lang, /** @type {HTMLElement} */ (el).dataset.t ?? "");
    this.#hide();
    this.#buildRows();
    this.#renderAll();
  }

  /** @param {string | null} key @param {Record<string, unknown>} [params] */
  #say(key, params) {
    this.#status = key ? { key, params } : null;
    this.#$.live.textContent = key ? this.#t(key, params) : "";
  }

  /** The view's own error (the list, a key), in the alert. @param {any} error @param {string} operation */
  #fail(error, operation) {
    this.#problem = problemOf(error);
    this.#renderProblem();
    this.#say(null);
    this.dispatchEvent(new CustomEvent("ecs-password-error", {
      bubbles: true, composed: true,
      detail: { code: this.#problem.code, operation, server: null, status: this.#problem.status ?? null, cloudCode: this.#problem.cloudCode, requestId: this.#problem.requestId },
    }));
  }

  #renderProblem() {
    const p = this.#problem;
    const { alert, alertText, alertDetail } = this.#$;
    alert.hidden = !p;
    if (!p) return void alert.removeAttribute("data-code");
    alertText.textContent = p.custom ? this.#t(p.custom.key, p.custom.params) : errorMessage(this.lang, p);
    alertDetail.textContent = this.#details(p).join(" · ");
    alertDetail.hidden = !alertDetail.textContent;
    alert.dataset.code = p.code;
  }

  /** The cloud's code and the request id of a problem. @param {RowProblem} p */
  #details(p) {
    const detail = [];
    if (p.cloudCode) detail.push(this.#t("error.cloud", { code: p.cloudCode }));
    if (p.requestId) detail.push(this.#t("error.requestId", { id: p.requestId }));
    return detail;
  }

  // ---- rendering ------------------------------------------------------------------------------

  /** Re-renders everything (the rows in place: a password on screen stays). */
  #renderAll() {
    if (this.#status) this.#$.live.textContent = this.#t(this.#status.key, this.#status.params);
    this.#renderProblem();
    this.#renderKeys();
    if (this.#tr.size !== this.#state.order.length || this.#state.order.some((id) => !this.#tr.has(id))) this.#buildRows();
    else for (const id of this.#state.order) this.#renderRow(id);
    this.#renderFilter();
    this.#renderControls();
    this.#renderSummary();
  }

  #filter() {
    return { text: this.#$.filter.value, windowsOnly: this.#$.windowsOnly.checked };
  }

  #renderKeys() {
    const list = this.#$.keyList;
    list.replaceChildren();
    for (const key of this.#state.keys) {
      const li = document.createElement("li");
      li.dataset.fingerprint = key.info.fingerprintMd5;
      const text = document.createElement("span");
      text.textContent = keySummary(this.lang, key.info);
      const fp = document.createElement("code");
      fp.textContent = key.info.fingerprintSha256;
      const forget = document.createElement("button");
      forget.type = "button";
      forget.className = "secondary";
      forget.dataset.key = key.id;
      forget.textContent = this.#t("key.forget");
      forget.setAttribute("aria-label", `${this.#t("key.forget")}: ${key.info.fingerprintSha256}`);
      li.append(text, " ", fp, " ", forget);
      list.append(li);
    }
  }

  /** One <tr> per listed server, built when the list (or the language) changes. */
  #buildRows() {
    const body = this.#$.rows;
    this.#tr.clear();
    const rows = [];
    for (const id of this.#state.order) {
      const r = this.#state.rows[id];
      const tr = document.createElement("tr");
      tr.dataset.id = id;
      const choose = document.createElement("td");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.setAttribute("aria-label", this.#t("fleet.choose", { name: r.server.name || id }));
      choose.append(box);
      const name = document.createElement("th");
      name.scope = "row";
      const strong = document.createElement("span");
      strong.className = "name";
      strong.textContent = r.server.name || id;
      const sub = document.createElement("span");
      sub.className = "detail";
      sub.textContent = [id, r.os === "linux" ? "Linux" : r.server.osType ?? "", ...r.tags].filter(Boolean).join(" · ");
      name.append(strong, document.createElement("br"), sub);
      const pair = document.createElement("td");
      pair.textContent = r.server.keyName ?? this.#t("server.keyPair.none");
      const state = document.createElement("td");
      state.className = "state";
      const password = document.createElement("td");
      password.className = "password-cell";
      tr.append(choose, name, pair, state, password);
      this.#tr.set(id, tr);
      rows.push(tr);
      this.#renderRow(id);
    }
    body.replaceChildren(...rows);
  }

  /** @param {string} id */
  #renderRow(id) {
    const tr = this.#tr.get(id);
    const r = this.#state.rows[id];
    if (!tr || !r) return;
    tr.dataset.state = r.state;
    tr.dataset.cause = r.diagnosis?.cause ?? "";
    const [choose, , , state, password] = tr.children;
    /** @type {HTMLInputElement} */ (choose.firstChild).checked = this.#state.selected.includes(id);
    /** @type {HTMLInputElement} */ (choose.firstChild).disabled = this.#state.phase === "running";
    const view = F.stateView(r, Date.now());
    const head = document.createElement("span");
    head.className = "state-text";
    head.textContent = this.#t(view.key, view.params);
    const parts = [];
    if (view.cause) parts.push(this.#t(view.cause.key, view.cause.params));
    if (r.problem) {
      const p = r.problem;
      const zh = this.lang === "zh";
      parts.push(p.custom ? this.#t(p.custom.key, p.custom.params) : errorMessage(this.lang, p));
      if (p.cloudMessage) parts.push(`“${p.cloudMessage}”`);
      const why = zh ? p.explanationZh : p.explanation;
      if (why) parts.push(why);
      parts.push(...this.#details(p));
    }
    const detail = document.createElement("span");
    detail.className = "detail";
    detail.textContent = parts.join(" ");
    if (r.problem) tr.dataset.code = r.problem.code;
    else tr.removeAttribute("data-code");
    state.replaceChildren(head, ...(parts.length ? [document.createElement("br"), detail] : []));
    if (r.state !== "ready") {
      password.replaceChildren();
      return;
    }
    if (password.querySelector("output")) return; // stays as it is (shown or hidden)
    const output = document.createElement("output");
    output.id = `pw-${id}`;
    output.className = "password";
    const reveal = document.createElement("button");
    reveal.type = "button";
    reveal.dataset.action = "reveal";
    reveal.setAttribute("aria-controls", output.id);
    const copy = document.createElement("button");
    copy.type = "button";
    copy.className = "secondary";
    copy.dataset.action = "copy";
    copy.textContent = this.#t("result.copy");
    copy.setAttribute("aria-label", this.#t("fleet.copy", { name: r.server.name || id }));
    password.replaceChildren(output, " ", reveal, " ", copy);
    hidePassword(output, reveal, this.#revealTexts());
    reveal.setAttribute("aria-label", this.#t("fleet.show", { name: r.server.name || id }));
  }

  #renderFilter() {
    const shown = new Set(F.shown(this.#state, this.#filter()));
    for (const [id, tr] of this.#tr) tr.hidden = !shown.has(id);
    this.#renderControls();
  }

  #renderControls() {
    const $ = this.#$;
    const s = this.#state;
    const running = s.phase === "running";
    const shown = F.shown(s, this.#filter()).length;
    $.counts.textContent = s.order.length ? this.#t("fleet.counts", { listed: s.order.length, shown, selected: s.selected.length }) : "";
    $.get.textContent = this.#t("fleet.get", { count: s.selected.length });
    $.get.disabled = running || s.selected.length === 0 || s.keys.length === 0;
    $.get.title = s.keys.length === 0 ? this.#t("fleet.needKey") : "";
    $.stop.hidden = !running && !this.#waits;
    $.clearAll.hidden = F.retrieved(s).length === 0;
    $.clearAll.disabled = running;
    for (const b of [$.selectShown, $.selectNone, $.reload]) b.disabled = running;
  }

  #renderSummary() {
    const s = this.#state;
    const counts = F.summary(s);
    const text = F.OUTCOMES.map((o) => this.#t(`fleet.summary.${o}`, { count: counts[o] })).join(", ");
    this.#$.summary.textContent = s.phase === "done" || (s.phase !== "running" && counts.ready + counts.notYet + counts.never + counts.refused + counts.error > 0)
      ? this.#t("fleet.summary", { counts: text }) : "";
    this.#rootSection.dataset.phase = s.phase;
    this.#rootSection.dataset.pending = String(counts.pending);
  }

  /** Marks rows to re-render at the next frame (a run of 500 costs a few frames, not 500). @param {string} id */
  #touch(id) {
    this.#dirty.add(id);
    if (this.#frameQueued) return;
    this.#frameQueued = true;
    soon(() => {
      this.#frameQueued = false;
      const ids = [...this.#dirty];
      this.#dirty.clear();
      for (const one of ids) this.#renderRow(one);
      this.#renderControls();
      this.#rootSection.dataset.pending = String(F.summary(this.#state).pending);
    });
  }

  /** Re-renders the countdowns every second while a row waits. */
  #tick() {
    const waiting = this.#state.order.filter((id) => this.#state.rows[id].state === "notYet");
    if (waiting.length === 0) {
      clearInterval(this.#ticker);
      this.#ticker = undefined;
      return;
    }
    for (const id of waiting) this.#renderRow(id);
  }

  /** @param {readonly string[]} ids @param {boolean} on */
  #select(ids, on) {
    this.#state = F.select(this.#state, ids, on);
    for (const id of ids) this.#renderRow(id);
    this.#renderControls();
  }

  // ---- listing --------------------------------------------------------------------------------

  #queueReload() {
    if (this.#reloadQueued) return;
    this.#reloadQueued = true;
    queueMicrotask(() => {
      this.#reloadQueued = false;
      if (this.isConnected) this.#reload();
    });
  }

  #requested() { return this.getAttribute("family") || "auto"; }

  /** @param {string} family @param {string} [server] */
  #target(family, server = "") {
    return target({ endpoint: endpointUrl(this.getAttribute("endpoint")), family, server, project: this.getAttribute("project") ?? "", upstream: this.#upstream });
  }

  #auth() { return credentials(this.#getCredentials, this.#credentials); }

  /**
   * Runs `attempt` with the family chosen; once more with the core's next choice when it says a
   * refusal is worth it (v1 refused while the permissions are unknown: v2.1).
   * @template T
   * @param {FamilyChoice} choice
   * @param {(choice: FamilyChoice) => Promise<T>} attempt
   * @returns {Promise<{ value: T, choice: FamilyChoice }>}
   */
  async #withFallback(choice, attempt) {
    try {
      return { value: await attempt(choice), choice };
    } catch (error) {
      const code = /** @type {any} */ (error)?.code;
      const next = typeof code === "string" ? familyAfterRefusal(choice, code) : null;
      if (!next) throw error;
      return { value: await attempt(next), choice: next };
    }
  }

  async #reload() {
    const generation = ++this.#generation;
    await loadLanguage(this.lang);
    if (generation !== this.#generation) return;
    this.close({ quiet: true });
    this.#cleared.clear();
    this.#keyPairs.clear();
    this.#problem = null;
    this.#say(null);
    const idle = !this.hasCredentials ? "widget.noCredentials" : null;
    const $ = this.#$;
    $.idle.hidden = !idle;
    $.idle.textContent = idle ? this.#t(idle) : "";
    $.body.hidden = Boolean(idle);
    this.#state = idle ? F.initial() : F.listing(this.#state);
    this.#translate();
    if (idle) return;
    const calls = new AbortController();
    this.#calls = calls;
    const stale = () => generation !== this.#generation;
    try {
      await wasmReady;
      this.#upstream = this.getAttribute("upstream") || await proxyUpstream(endpointUrl(this.getAttribute("endpoint")));
      if (stale()) return;
      this.#say("fleet.listing");
      const servers = await this.#list(calls.signal);
      if (stale()) return;
      this.#state = F.listed(this.#state, servers, guessOs);
      this.#say(servers.length ? "fleet.listed" : "picker.none", { count: servers.length });
      this.#renderAll();
    } catch (error) {
      if (stale()) return;
      this.#state = F.listFailed(this.#state);
      this.#renderAll();
      if (/** @type {any} */ (error)?.code !== "CANCELLED") this.#fail(error, "listServers");
    } finally {
      if (this.#calls === calls) this.#calls = null;
    }
  }

  /** Every server of the project (pages of PAGE, at most MAX_SERVERS). @param {AbortSignal} signal */
  async #list(signal) {
    const auth = await this.#auth();
    /** @type {any[]} */
    const servers = [];
    /** @type {any} */
    let cursor = null;
    let choice = chooseFamily(this.#requested(), null);
    while (servers.length < MAX_SERVERS) {
      const call = cursor ? { kind: "listServers", limit: PAGE, cursor } : { kind: "listServers", limit: PAGE };
      const { value: page, choice: used } = await this.#withFallback(choice, (c) => send(this.#target(c.family), /** @type {any} */ (call), auth, signal));
      choice = used;
      servers.push(...page.servers);
      if (!page.next || page.servers.length === 0) break;
      cursor = page.next;
    }
    return servers.slice(0, MAX_SERVERS);
  }

  // ---- keys -----------------------------------------------------------------------------------

  /** Reads a key into the worker under a new id; false when it failed or waits for its passphrase. @param {ArrayBuffer} buffer */
  async #loadKey(buffer) {
    this.#problem = null;
    this.#renderProblem();
    this.#say("key.reading");
    const keyId = `k${this.#nextKey++}`;
    return this.#keyStep(() => this.#worker.load(buffer, undefined, keyId), keyId, "key");
  }

  async #unlock() {
    const $ = this.#$;
    const passphrase = $.passphrase.value;
    $.passphrase.value = "";
    if (!passphrase) return $.passphrase.focus();
    const keyId = $.passphraseBox.dataset.key ?? "";
    await this.#keyStep(() => this.#worker.unlock(passphrase), keyId, "passphrase");
  }

  /**
   * @param {() => Promise<import("../pkg/keys/ecs_password_keys.js").KeyInfo>} step
   * @param {string} keyId
   * @param {string} operation
   */
  async #keyStep(step, keyId, operation) {
    const $ = this.#$;
    try {
      const info = await step();
      $.passphraseBox.hidden = true;
      if (this.#state.keys.some((k) => k.info.fingerprintSha256 === info.fingerprintSha256)) {
        void this.#worker.forget(keyId); // the same key twice: one is enough
      } else {
        this.#state = F.keyAdded(this.#state, { id: keyId, info });
      }
      this.#say("fleet.keyLoaded", { count: this.#state.keys.length });
      this.#renderKeys();
      this.#renderControls();
      return true;
    } catch (error) {
      const code = /** @type {any} */ (error)?.code;
      if (code === "CANCELLED") return false;
      if (code === "PASSPHRASE_REQUIRED" || code === "WRONG_PASSPHRASE") {
        $.passphraseBox.hidden = false;
        $.passphraseBox.dataset.key = keyId;
        $.passphraseHelp.textContent = this.#t("key.passphraseNeeded");
        if (code === "WRONG_PASSPHRASE") this.#fail(error, operation);
        else this.#say("key.passphraseNeeded");
        $.passphrase.focus();
      } else {
        this.#fail(error, operation);
      }
      return false;
    }
  }

  /** @param {string} keyId */
  async #forgetKey(keyId) {
    await this.#worker.forget(keyId);
    this.#state = F.keyRemoved(this.#state, keyId);
    // Passwords that only this key decrypts cannot be shown any more.
    for (const id of this.#state.order) {
      if (this.#state.rows[id].keyId === keyId) {
        if (this.#shown?.id === id) this.#hide();
        this.#found.delete(id);
        this.#state = F.failed(this.#state, id, { code: "WRONG_KEY", cloudCode: null, requestId: null, custom: { key: "fleet.keyForgotten", params: {} } });
        this.#renderRow(id);
      }
    }
    this.#say("result.closed");
    this.#renderKeys();
    this.#renderControls();
    this.#$.keyFile.focus();
  }

  /** The key pair `name`, read once (null when it cannot be read: the match stays unverified). @param {string} name @param {FleetRow} r @param {string} family @param {ApiAuth} auth @param {AbortSignal} signal */
  #keyPair(name, r, family, auth, signal) {
    let found = this.#keyPairs.get(name);
    if (!found) {
      found = send(this.#target(family, r.id), { kind: "keyPair", name }, auth, signal).catch(() => null);
      this.#keyPairs.set(name, found);
    }
    return found;
  }

  // ---- getting the passwords ------------------------------------------------------------------

  /** The permission engine's view of one server, or null without the user's permissions. @param {FleetRow} r */
  #explain(r) {
    return explain({
      requested: this.#requested(), project: this.getAttribute("project") ?? "", server: r.id, grants: this.#grants, novaRoles: this.#novaRoles,
      enterpriseProject: r.server.enterpriseProjectId, region: this.getAttribute("region"), domainId: this.getAttribute("domain-id"),
    });
  }

  #parallel() {
    const n = Number(this.getAttribute("parallel"));
    return Number.isInteger(n) && n >= PARALLEL.min ? Math.min(n, PARALLEL.max) : PARALLEL.default;
  }

  async #run() {
    const ids = [...this.#state.selected];
    if (ids.length === 0 || this.#state.keys.length === 0 || this.#state.phase === "running") return;
    this.#waits?.abort();
    this.#hide();
    for (const id of ids) this.#found.delete(id);
    const calls = new AbortController();
    this.#calls?.abort();
    this.#calls = calls;
    this.#waits = new AbortController();
    this.#problem = null;
    this.#state = F.started(this.#state);
    this.#renderAll();
    this.#say("fleet.running", { count: ids.length });
    const started = performance.now();
    try {
      const auth = await this.#auth();
      const queue = [...ids];
      const lane = async () => {
        for (let id = queue.shift(); id !== undefined && !calls.signal.aborted; id = queue.shift()) await this.#one(id, auth, calls.signal);
      };
      await Promise.all(Array.from({ length: Math.min(this.#parallel(), ids.length) }, lane));
    } catch (error) {
      this.#fail(error, "get");
    }
    if (this.#calls === calls) this.#calls = null;
    // Rows a stop left queued are not asked.
    for (const id of ids) if (["queued", "asking"].includes(this.#state.rows[id]?.state)) this.#state = F.unasked(this.#state, id);
    this.#state = F.finished(this.#state);
    this.#renderAll();
    const counts = F.summary(this.#state);
    this.#say("fleet.done", { counts: F.OUTCOMES.map((o) => this.#t(`fleet.summary.${o}`, { count: counts[o] })).join(", ") });
    this.dispatchEvent(new CustomEvent("ecs-password-fleet-done", {
      bubbles: true, composed: true, detail: { ...counts, servers: ids.length, ms: Math.round(performance.now() - started) },
    }));
  }

  /**
   * One server: its password (checked against the loaded key that matches its key pair), or why
   * there is none.
   * @param {string} id @param {ApiAuth} auth @param {AbortSignal} signal
   */
  async #one(id, auth, signal) {
    this.#state = F.asking(this.#state, id);
    this.#touch(id);
    const r = this.#state.rows[id];
    const access = this.#explain(r);
    let choice = chooseFamily(this.#requested(), recommended(access));
    const name = r.server.keyName;
    const pair = name && r.os !== "linux" ? this.#keyPair(name, r, choice.family, auth, signal) : Promise.resolve(null);
    try {
      const got = await this.#withFallback(choice, (c) => send(this.#target(c.family, id), { kind: "password", operation: "get" }, auth, signal));
      choice = got.choice;
      await this.#decryptable(id, got.value.ciphertext, choice.family, await pair);
    } catch (error) {
      const e = /** @type {any} */ (error);
      if (e?.code === "CANCELLED" && signal.aborted) return;
      if (e?.code === "PASSWORD_NOT_AVAILABLE") return this.#missing(id, await pair, choice.family);
      const problem = problemOf(e);
      // A refusal's reason: the cloud's own message, and what the permission engine says of the
      // user's grants for this server (when the host gave them).
      if (problem.code === "FORBIDDEN" && access?.get) Object.assign(problem, { explanation: access.get.explanation, explanationZh: access.get.explanationZh });
      this.#state = F.failed(this.#state, id, problem);
    }
    this.#touch(id);
  }

  /**
   * A ciphertext came: the loaded key whose fingerprint is the key pair's is its key, or the row
   * says which key it needs.
   * @param {string} id @param {string} ciphertext @param {string} family @param {KeyPair | null} pair
   */
  async #decryptable(id, ciphertext, family, pair) {
    const pick = F.pickKey(this.#state.keys, pair, (info, p) => matchKeyPair(info, p));
    if (pick.keyId === null) {
      const custom = pair ? { key: "fleet.noKeyFor", params: { name: pair.name, expected: pick.expected } } : { key: "fleet.whichKey", params: {} };
      this.#state = F.failed(this.#state, id, { code: "WRONG_KEY", cloudCode: null, requestId: null, custom });
      return;
    }
    // A key the core matched to the key pair decrypts what was encrypted to it: decrypted on
    // reveal or copy. An unverified one (no key pair to compare with) is tried now, in the worker.
    if (!pick.verified) await this.#worker.check(ciphertext, pick.keyId);
    this.#found.set(id, { ciphertext, family });
    this.#state = F.ready(this.#state, id, pick.keyId);
  }

  /**
   * No password: the core's diagnosis says never (the cause), or not yet: then it is waited for
   * apart from the lanes (a wait holds no lane), no longer than the diagnosis' window.
   * @param {string} id @param {KeyPair | null} pair @param {string} family
   */
  async #missing(id, pair, family) {
    const r = this.#state.rows[id];
    const why = diagnoseMissingPassword(r.server, pair, this.#cleared.has(id));
    const seconds = Number(this.getAttribute("poll-interval")) || 30;
    this.#state = F.missing(this.#state, id, why, Date.now() + seconds * 1000);
    this.#touch(id);
    if (!why.canWait || !this.#waits) return;
    this.#ticker ??= setInterval(() => this.#tick(), 1000);
    const signal = this.#waits.signal;
    const limit = why.retryAfterSecs == null ? {} : { limitMs: (why.retryAfterSecs + seconds) * 1000 };
    void (async () => {
      try {
        const ciphertext = await waitForPassword(this.#target(family, id), await this.#auth(), {
          intervalMs: seconds * 1000, signal, ...limit,
          onWait: (/** @type {number} */ ms) => { this.#state = F.waiting(this.#state, id, Date.now() + ms); this.#touch(id); },
        });
        await this.#decryptable(id, ciphertext, family, pair);
      } catch (error) {
        const e = /** @type {any} */ (error);
        if (e?.code === "CANCELLED") return;
        if (e?.code === "PASSWORD_NOT_AVAILABLE") {
          this.#state = F.missing(this.#state, id, { ...diagnoseMissingPassword(r.server, pair, this.#cleared.has(id)), canWait: false });
        } else {
          this.#state = F.failed(this.#state, id, problemOf(e));
        }
      }
      this.#touch(id);
      this.#renderSummary();
    })();
  }

  // ---- reveal, copy -----------------------------------------------------------------------------

  #revealTexts() {
    return { hidden: this.#t("result.hidden"), show: this.#t("result.show"), hide: this.#t("result.hide") };
  }

  /** Decrypts a ready row's password again, in the worker. @param {string} id */
  async #decrypt(id) {
    const found = this.#found.get(id);
    const keyId = this.#state.rows[id]?.keyId;
    if (!found || !keyId) throw failure("PASSWORD_NOT_AVAILABLE");
    return this.#worker.decrypt(found.ciphertext, keyId);
  }

  /** Hides the password on screen (its text node leaves the DOM, the string is dropped). */
  #hide() {
    const shown = this.#shown;
    this.#shown = null;
    if (!shown) return;
    const tr = this.#tr.get(shown.id);
    const output = tr?.querySelector("output");
    const button = tr?.querySelector('button[data-action="reveal"]');
    if (output && button) hidePassword(/** @type {HTMLElement} */ (output), /** @type {HTMLElement} */ (button), this.#revealTexts());
    else if (output) renderMask(/** @type {HTMLElement} */ (output), this.#t("result.hidden"));
  }

  /** @param {string} id */
  async #reveal(id) {
    const open = this.#shown?.id === id;
    this.#hide();
    if (open) return;
    try {
      const password = await this.#decrypt(id);
      const tr = this.#tr.get(id);
      const output = /** @type {HTMLElement | null | undefined} */ (tr?.querySelector("output"));
      const button = /** @type {HTMLElement | null | undefined} */ (tr?.querySelector('button[data-action="reveal"]'));
      if (!output || !button) return;
      this.#hide();
      showPassword(output, button, password, this.#revealTexts());
      this.#shown = { id, password };
    } catch (error) {
      this.#fail(error, "decrypt");
    }
  }

  /** @param {string} id */
  async #copy(id) {
    try {
      const password = await this.#decrypt(id);
      await this.#clipboard.copy(password, () => this.#say("result.clipboardCleared"));
      this.#copied = password;
      this.#say("result.copied");
    } catch (error) {
      const code = /** @type {any} */ (error)?.code;
      this.#fail(code ? error : { code: "CLIPBOARD_FAILED" }, "copy");
    }
  }

  // ---- clear all retrieved --------------------------------------------------------------------

  /** @param {number} count @returns {Promise<boolean>} */
  #confirm(count) {
    const $ = this.#$;
    $.confirmText.textContent = this.#t("fleet.clearAll.text", { count });
    $.confirm.returnValue = "";
    const opener = /** @type {HTMLElement | null} */ (this.#root.activeElement);
    $.confirm.showModal();
    $.confirmCancel.focus();
    return new Promise((resolve) => {
      $.confirm.addEventListener("close", () => {
        opener?.focus?.();
        resolve($.confirm.returnValue === "ok");
      }, { once: true });
    });
  }

  /**
   * "Clear all retrieved": after one confirmation, deletes the stored encrypted password of every
   * server whose password this view retrieved (the cloud keeps no copy: only a reset sets a new
   * one), and forgets them here.
   */
  async #clearAll() {
    const ids = F.retrieved(this.#state);
    if (ids.length === 0 || !(await this.#confirm(ids.length))) return;
    this.#hide();
    const calls = new AbortController();
    this.#calls = calls;
    this.#state = F.busy(this.#state);
    this.#renderControls();
    this.#say("fleet.clearing", { count: ids.length });
    let done = 0;
    try {
      const auth = await this.#auth();
      const queue = [...ids];
      const lane = async () => {
        for (let id = queue.shift(); id !== undefined && !calls.signal.aborted; id = queue.shift()) {
          const found = this.#found.get(id);
          const family = found?.family ?? chooseFamily(this.#requested(), null).family;
          try {
            await send(this.#target(family, id), { kind: "password", operation: "clear" }, auth, calls.signal);
            this.#cleared.add(id);
            this.#found.delete(id);
            const r = this.#state.rows[id];
            const pair = r.server.keyName ? await (this.#keyPairs.get(r.server.keyName) ?? null) : null;
            this.#state = F.cleared(this.#state, id, diagnoseMissingPassword(r.server, pair, true));
            done++;
            this.dispatchEvent(new CustomEvent("ecs-password-cleared", { bubbles: true, composed: true, detail: { server: id, family } }));
          } catch (error) {
            if (/** @type {any} */ (error)?.code === "CANCELLED") return;
            this.#state = F.failed(this.#state, id, problemOf(error));
          }
          this.#touch(id);
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.#parallel(), ids.length) }, lane));
    } catch (error) {
      this.#fail(error, "clear");
    }
    if (this.#calls === calls) this.#calls = null;
    this.#state = F.finished(this.#state);
    this.#renderAll();
    this.#say("fleet.cleared", { count: done });
  }
}
