// <ecs-password-fleet>: many servers at once. Lists the project's servers, lets the user choose
// them (all, Windows only, a filter by name, tag or enterprise project, or by hand), asks for
// every password with a bounded number in flight (fleet-lanes.js), and keeps where each stands:
// ready, not yet (with a countdown; waits hold no lane), never (with the cause), refused (with the
// reason), error (with the request id). This module is the element and its wiring: one server's
// get is fleet-get.js, the table fleet-table.js, the keys fleet-keys.js, the export dialog
// fleet-export.js, what it knows one
// value (fleet-state.js); the decisions (family, fallback, key match, OS, diagnosis) are the
// core's, through the cloud module. A password is decrypted again for each reveal, copy or export
// and kept only while shown. The embedding contract it shares with <ecs-password> is embedded.js
// (over session.js). Registration is apart (../ecs-password-define.js); docs/widget.md has
// the contract.
import init, { chooseFamily, guessOs } from "../pkg/cloud/ecs_password_cloud.js";
import { t, loadLanguage } from "../i18n/index.js";
import { FLEET_TEMPLATE } from "./fleet-template.js";
import * as F from "./fleet-state.js";
import { DecryptWorker, failure } from "./worker-client.js";
import { PasswordClipboard } from "./clipboard.js";
import { askConfirmation } from "./confirm.js";
import { FleetExport } from "./fleet-export.js";
import { FleetTable } from "./fleet-table.js";
import { inLanes, parallelOf } from "./fleet-lanes.js";
import { FleetKeys } from "./fleet-keys.js";
import { FleetGetter, withFallback, problemOf } from "./fleet-get.js";
import { hidePassword, showPassword, renderMask } from "./reveal.js";
import { errorMessage, messagesReady, loadMessages } from "../i18n/messages.js";
import { endpointUrl, target, send, explain } from "./cloud.js";
import { CloudSession, upstreamOf } from "./session.js";
import { EmbeddedElement, mountShadow, translateShadow, LOAD, TRANSLATE } from "./embedded.js";

/** @typedef {import("./types.js").FleetState} FleetState */
/** @typedef {import("./types.js").FleetRow} FleetRow */
/** @typedef {import("./types.js").RowProblem} RowProblem */
/** @typedef {import("../pkg/cloud/ecs_password_cloud.js").ApiAuth} ApiAuth */

const wasmReady = init().catch(() => {
  throw failure("BROWSER_UNSUPPORTED");
});
wasmReady.catch(() => {}); // reported where it is awaited
/** Servers per page of the list (a page stays well under the 4 MiB an answer may have). */
const PAGE = 200;
/** The most servers one view lists. */
export const MAX_SERVERS = 2000;

export class EcsPasswordFleetElement extends EmbeddedElement {
  static tag = "ecs-password-fleet";
  static observedAttributes = ["endpoint", "upstream", "project", "family", "lang", "region", "domain-id", "poll-interval", "parallel"];
  static liveAttributes = ["poll-interval", "parallel"];

  /** What the host gave (embedded.js gives it the properties). @type {CloudSession} */
  #session;
  /** @type {ShadowRoot} */
  #root;
  /** @type {Record<string, any>} the template's elements by id, camelCased */
  #$ = {};
  /** @type {FleetState} */
  #state = F.initial();
  #generation = 0;
  #worker = new DecryptWorker();
  #clipboard = new PasswordClipboard();
  /** @type {string | null} the endpoint behind a proxy path, for AK/SK signatures */
  #upstream = null;
  /** @type {AbortController | null} the list and the run under way */
  #calls = null;
  /** @type {{ id: string, password: string } | null} the one password on screen */
  #shown = null;
  /** @type {string | null} the last password copied, to clear it from the clipboard on close */
  #copied = null;
  /** @type {{ key: string, params?: Record<string, unknown> } | null} */
  #status = null;
  /** @type {RowProblem | null} the view's own error (the list, a key) */
  #problem = null;
  /** @type {FleetTable} */
  #table;
  /** @type {FleetExport} */
  #export;
  /** @type {FleetKeys} */
  #keys;
  /** @type {FleetGetter} */
  #getter;

  constructor() {
    const session = new CloudSession();
    super(session);
    this.#session = session;
    ({ root: this.#root, $: this.#$ } = mountShadow(this, FLEET_TEMPLATE));
    this.#table = new FleetTable(this.#$.rows, {
      state: () => this.#state,
      lang: () => this.lang,
      t: (key, params) => this.#t(key, params),
      problemText: (p) => (p.custom ? this.#t(p.custom.key, p.custom.params) : errorMessage(this.lang, p)),
      details: (p) => this.#details(p),
      revealTexts: () => this.#revealTexts(),
      visible: (id) => F.matches(this.#state.rows[id], this.#filter()),
      flushed: () => {
        this.#renderControls();
        this.#rootSection.dataset.pending = String(F.summary(this.#state).pending);
      },
    });
    this.#keys = new FleetKeys(this.#$, {
      worker: this.#worker,
      state: () => this.#state,
      setState: (state) => { this.#state = state; },
      lang: () => this.lang,
      t: (key, params) => this.#t(key, params),
      say: (key, params) => this.#say(key, params),
      fail: (error, operation) => this.#fail(error, operation),
      clearProblem: () => { this.#problem = null; this.#renderProblem(); },
      changed: () => this.#renderControls(),
      forgotten: (keyId) => this.#keyForgotten(keyId),
    });
    this.#getter = new FleetGetter({
      state: () => this.#state,
      setState: (state) => { this.#state = state; },
      touch: (id) => this.#table.touch(id),
      settled: () => this.#renderSummary(),
      target: (family, server) => this.#target(family, server),
      auth: () => this.#auth(),
      requested: () => this.#requested(),
      explain: (r) => this.#explain(r),
      pollSeconds: () => Number(this.getAttribute("poll-interval")) || 30,
      worker: this.#worker,
    });
    this.#export = new FleetExport(this.#$, this.#root, {
      t: (key, params) => this.#t(key, params),
      rows: () => F.retrieved(this.#state).map((id) => this.#state.rows[id]),
      decrypt: (id) => this.#decrypt(id),
      project: () => this.getAttribute("project") ?? "",
      say: (key, params) => this.#say(key, params),
      fail: (error, operation) => this.#fail(error, operation),
    });
    this.#wire();
  }

  /** Where each server stands, for hosts and tests (no password, no ciphertext). */
  get summary() { return F.summary(this.#state); }

  /**
   * Stops every request and wait, forgets the keys (worker wiped and ended), every password and
   * ciphertext; the list and the selection stay.
   */
  close({ quiet = false } = {}) {
    this.#calls?.abort();
    this.#calls = null;
    this.#getter.forget();
    this.#worker.wipe();
    this.#hide();
    if (this.#copied !== null) void this.#clipboard.clearIfCopied(this.#copied);
    this.#copied = null;
    this.#state = F.keysForgotten(F.forgotten(this.#state));
    this.#keys.clearInputs();
    this.#renderAll();
    if (!quiet) this.#say("fleet.closed");
  }

  // ---- wiring ---------------------------------------------------------------------------------

  #wire() {
    const $ = this.#$;
    $.filter.addEventListener("input", () => this.#renderFilter());
    $.windowsOnly.addEventListener("change", () => this.#renderFilter());
    $.selectShown.addEventListener("click", () => this.#select(F.shown(this.#state, this.#filter()), true));
    $.selectNone.addEventListener("click", () => this.#select(this.#state.order, false));
    $.reload.addEventListener("click", () => this[LOAD]());
    $.get.addEventListener("click", () => this.#run());
    $.stop.addEventListener("click", () => { this.#calls?.abort(); this.#getter.stopWaits(); });
    $.clearAll.addEventListener("click", () => this.#clearAll());
    $.exportOpen.addEventListener("click", () => this.#export.open());
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

  [TRANSLATE]() {
    translateShadow(this.#root, this.lang);
    this.#hide();
    this.#renderAll({ rebuild: true });
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
    // The alert waits for the messages (fetched with the first): never a bare code first.
    if (!messagesReady(this.lang, () => this.#problem === p && this.#renderProblem())) return void (alert.hidden = true);
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

  /**
   * Re-renders everything (the rows in place, a password on screen stays, unless `rebuild`). The
   * table renders in slices: the summary (and the phase hosts and tests wait for) follows the last.
   * @param {{ rebuild?: boolean }} [options]
   */
  #renderAll({ rebuild = false } = {}) {
    if (this.#status) this.#$.live.textContent = this.#t(this.#status.key, this.#status.params);
    this.#renderProblem();
    this.#keys.render();
    this.#renderControls();
    void this.#table.renderAll({ rebuild }).then((done) => {
      if (!done) return;
      this.#renderFilter();
      this.#renderSummary();
    });
  }

  #filter() {
    return { text: this.#$.filter.value, windowsOnly: this.#$.windowsOnly.checked };
  }

  #renderFilter() {
    this.#table.filter(new Set(F.shown(this.#state, this.#filter())));
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
    $.stop.hidden = !running && !this.#getter.waiting;
    $.clearAll.hidden = F.retrieved(s).length === 0;
    $.clearAll.disabled = running;
    $.exportOpen.hidden = $.clearAll.hidden;
    $.exportOpen.disabled = running;
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

  /** @param {string} id */
  #touch(id) { this.#table.touch(id); }

  /** @param {readonly string[]} ids @param {boolean} on */
  #select(ids, on) {
    this.#state = F.select(this.#state, ids, on);
    this.#table.syncChosen();
    this.#renderControls();
  }

  // ---- listing --------------------------------------------------------------------------------

  #requested() { return this.getAttribute("family") || "auto"; }

  /** @param {string} family @param {string} [server] */
  #target(family, server = "") {
    return target({ endpoint: endpointUrl(this.getAttribute("endpoint")), family, server, project: this.getAttribute("project") ?? "", upstream: this.#upstream });
  }

  #auth() { return this.#session.auth(); }

  async [LOAD]() {
    const generation = ++this.#generation;
    await loadLanguage(this.lang);
    if (generation !== this.#generation) return;
    this.close({ quiet: true });
    this.#getter.reset();
    this.#problem = null;
    this.#say(null);
    const idle = !this.hasCredentials ? "widget.noCredentials" : null;
    const $ = this.#$;
    $.idle.hidden = !idle;
    $.idle.textContent = idle ? this.#t(idle) : "";
    $.body.hidden = Boolean(idle);
    this.#state = idle ? F.initial() : F.listing(this.#state);
    this[TRANSLATE]();
    if (idle) return;
    const calls = new AbortController();
    this.#calls = calls;
    const stale = () => generation !== this.#generation;
    try {
      await wasmReady;
      this.#upstream = await upstreamOf(this, "endpoint", "upstream");
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
      const { value: page, choice: used } = await withFallback(choice, (c) => send(this.#target(c.family), /** @type {any} */ (call), auth, signal));
      choice = used;
      servers.push(...page.servers);
      if (!page.next || page.servers.length === 0) break;
      cursor = page.next;
    }
    return servers.slice(0, MAX_SERVERS);
  }

  /** The passwords that only the forgotten key `keyId` decrypts cannot be shown any more. @param {string} keyId */
  #keyForgotten(keyId) {
    for (const id of this.#state.order) {
      if (this.#state.rows[id].keyId !== keyId) continue;
      if (this.#shown?.id === id) this.#hide();
      this.#getter.drop(id);
      this.#state = F.failed(this.#state, id, { code: "WRONG_KEY", cloudCode: null, requestId: null, custom: { key: "fleet.keyForgotten", params: {} } });
      this.#touch(id);
    }
  }

  // ---- getting the passwords ------------------------------------------------------------------

  /** The permission engine's view of one server, or null without the user's permissions. @param {FleetRow} r */
  #explain(r) {
    return explain({
      requested: this.#requested(), project: this.getAttribute("project") ?? "", server: r.id, grants: this.#session.grants, novaRoles: this.#session.novaRoles,
      enterpriseProject: r.server.enterpriseProjectId, region: this.getAttribute("region"), domainId: this.getAttribute("domain-id"),
    });
  }

  async #run() {
    const ids = [...this.#state.selected];
    if (ids.length === 0 || this.#state.keys.length === 0 || this.#state.phase === "running") return;
    this.#hide();
    this.#getter.started(ids);
    const calls = new AbortController();
    this.#calls?.abort();
    this.#calls = calls;
    this.#problem = null;
    this.#state = F.started(this.#state);
    this.#renderAll();
    this.#say("fleet.running", { count: ids.length });
    const started = performance.now();
    try {
      const auth = await this.#auth();
      await inLanes(ids, parallelOf(this.getAttribute("parallel")), calls.signal, (id) => this.#getter.get(id, auth, calls.signal));
    } catch (error) {
      this.#fail(error, "get");
    }
    if (this.#calls === calls) this.#calls = null;
    // The rows' problems are messages: loaded (with the first) before the last render.
    if (ids.some((id) => this.#state.rows[id]?.problem)) await loadMessages(this.lang);
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

  // ---- reveal, copy -----------------------------------------------------------------------------

  #revealTexts() {
    return { hidden: this.#t("result.hidden"), show: this.#t("result.show"), hide: this.#t("result.hide") };
  }

  /** Decrypts a ready row's password again, in the worker. @param {string} id */
  async #decrypt(id) {
    const found = this.#getter.found(id);
    const keyId = this.#state.rows[id]?.keyId;
    if (!found || !keyId) throw failure("PASSWORD_NOT_AVAILABLE");
    return this.#worker.decrypt(found.ciphertext, keyId);
  }

  /** Hides the password on screen (its text node leaves the DOM, the string is dropped). */
  #hide() {
    const shown = this.#shown;
    this.#shown = null;
    if (!shown) return;
    const tr = this.#table.row(shown.id);
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
      const tr = this.#table.row(id);
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
    return askConfirmation($.confirm, $.confirmCancel, this.#root);
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
      await inLanes(ids, parallelOf(this.getAttribute("parallel")), calls.signal, async (id) => {
        try {
          const family = await this.#getter.clear(id, auth, calls.signal);
          done++;
          this.dispatchEvent(new CustomEvent("ecs-password-cleared", { bubbles: true, composed: true, detail: { server: id, family } }));
        } catch (error) {
          if (/** @type {any} */ (error)?.code === "CANCELLED") return false;
          this.#state = F.failed(this.#state, id, problemOf(error));
        }
        this.#touch(id);
        return true;
      });
    } catch (error) {
      this.#fail(error, "clear");
    }
    if (this.#calls === calls) this.#calls = null;
    if (ids.some((id) => this.#state.rows[id]?.problem)) await loadMessages(this.lang);
    this.#state = F.finished(this.#state);
    this.#renderAll();
    this.#say("fleet.cleared", { count: done });
  }
}
