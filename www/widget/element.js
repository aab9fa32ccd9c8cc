// <ecs-password>: the element's wiring and rendering. What it knows lives in one state value
// (state.js), what it sends in cloud.js, the key in the decryption worker (worker-client.js);
// the decisions (family, fallback, key pair, OS) are the core's, through the wasm bindings. What
// it shares with the fleet view as an embedded element (`define`, the host's credentials, grants
// and roles, when it loads again) is embedded.js and session.js. Registration is apart
// (../ecs-password-define.js); docs/widget.md has the contract.
import init, {
  waitForPassword, checkNewPassword, generateNewPassword, chooseFamily, familyAfterRefusal, matchKeyPair, guessOs, diagnoseMissingPassword,
  kpsKeyPair, kpsExportRequest, kpsExportError,
} from "../pkg/cloud/ecs_password_cloud.js";
import { t, loadLanguage } from "../i18n/index.js";
import { TEMPLATE } from "./template.js";
import * as S from "./state.js";
import { DecryptWorker, failure } from "./worker-client.js";
import { PasswordClipboard } from "./clipboard.js";
import { askConfirmation } from "./confirm.js";
import { hidePassword, showPassword, renderMask, isShown } from "./reveal.js";
import { keySummary } from "./key-text.js";
import { errorMessage, renderMessage, messagesReady, loadMessages } from "../i18n/messages.js";
import { proxyUpstream, endpointUrl, target, send, explain, kpsTarget, explainHosted } from "./cloud.js";
import { CloudSession, upstreamOf } from "./session.js";
import { EmbeddedElement, mountShadow, translateShadow, LOAD, TRANSLATE } from "./embedded.js";

export { proxyUpstream };

/** @typedef {import("./types.js").WidgetState} WidgetState */
/** @typedef {import("./types.js").Problem} Problem */
/** @typedef {import("../pkg/keys/ecs_password_keys.js").KeyInfo} KeyInfo */
/** @typedef {import("../pkg/cloud/ecs_password_cloud.js").ApiAuth} ApiAuth */
/** @typedef {import("../pkg/cloud/ecs_password_cloud.js").ApiCall} ApiCall */
/** @typedef {import("../pkg/cloud/ecs_password_cloud.js").FamilyChoice} FamilyChoice */

// The module needs WebAssembly SIMD (Chrome and Edge 91, Firefox 89, Safari 16.4 and later):
// an older browser gets a message that says so rather than a compile error.
const wasmReady = init().catch(() => {
  throw failure("BROWSER_UNSUPPORTED");
});
wasmReady.catch(() => {}); // reported where it is awaited
const OPERATIONS = ["get", "clear", "reset"];


/**
 * The message parameters of a "never" diagnosis.
 * @param {import("../../pkg/cloud/ecs_password_cloud.js").PasswordDiagnosis} why
 */
function neverParams(why) {
  /** @type {Record<string, string | number>} */
  const params = {};
  if ("keyType" in why) params.keyType = why.keyType;
  if ("status" in why) params.status = why.status;
  if ("runningSecs" in why) params.minutes = Math.floor(why.runningSecs / 60);
  return params;
}

export class EcsPasswordElement extends EmbeddedElement {
  static tag = "ecs-password";
  static observedAttributes = ["endpoint", "upstream", "project", "server", "family", "lang", "region", "domain-id", "enterprise-project", "poll-interval", "kps-endpoint", "kps-upstream"];
  static liveAttributes = ["poll-interval"];

  /** What the host gave (embedded.js gives it the properties). @type {CloudSession} */
  #session;
  /** Servers this widget cleared: their empty answers mean "cleared", not "not yet". @type {Set<string>} */
  #cleared = new Set();
  /** @type {ShadowRoot} */
  #root;
  /** @type {Record<string, any>} the template's elements by id, camelCased ("key-file" → keyFile) */
  #$ = {};
  #generation = 0;
  /** @type {AbortController | null} the current server's calls */
  #calls = null;
  /** @type {AbortController | null} the wait for a posted password */
  #waiting = null;
  #worker = new DecryptWorker();
  #clipboard = new PasswordClipboard();
  /** @type {WidgetState} */
  #state = S.initial("widget.noServer");
  /** @type {string | null} the decrypted password, only while the result is shown */
  #password = null;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  #countdown = undefined;
  /** @type {{ key: string, params?: Record<string, unknown> } | null} */
  #status = null;
  /** @type {Problem | null} */
  #problem = null;
  /** @type {string | null} the KPS endpoint behind a proxy `kps-endpoint`, for AK/SK signatures */
  #kpsUpstream = null;

  constructor() {
    const session = new CloudSession();
    super(session);
    this.#session = session;
    ({ root: this.#root, $: this.#$ } = mountShadow(this, TEMPLATE));
    this.#wire();
  }

  /** Forgets the key (worker wiped and terminated), the password, and the inputs. */
  close({ quiet = false } = {}) {
    this.#waiting?.abort();
    this.#waiting = null;
    this.#wipeKey();
    this.#hideResult();
    if (this.#password !== null) void this.#clipboard.clearIfCopied(this.#password);
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
    $.drop.addEventListener("dragover", (/** @type {DragEvent} */ e) => { e.preventDefault(); $.drop.classList.add("over"); });
    $.drop.addEventListener("dragleave", () => $.drop.classList.remove("over"));
    $.drop.addEventListener("drop", (/** @type {DragEvent} */ e) => {
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
    $.passphrase.addEventListener("keydown", (/** @type {KeyboardEvent} */ e) => { if (e.key === "Enter") { e.preventDefault(); this.#unlock(); } });
    $.forgetKey.addEventListener("click", () => { this.#wipeKey(); this.#say("result.closed"); $.keyFile.focus(); });
    $.useHosted.addEventListener("click", () => this.#useHostedKey());
    $.get.addEventListener("click", () => this.#getPassword());
    $.getAnyway.addEventListener("click", () => this.#getPassword());
    $.cancel.addEventListener("click", () => this.#waiting?.abort());
    $.reveal.addEventListener("click", () => (isShown($.password) ? this.#hideResult() : this.#showPassword()));
    $.copy.addEventListener("click", () => this.#copy());
    $.close.addEventListener("click", () => { this.close(); $.keyFile.focus(); });
    $.clear.addEventListener("click", () => this.#clearPassword());
    $.newPassword.addEventListener("input", () => this.#renderRules());
    $.showNew.addEventListener("change", () => { $.newPassword.type = $.showNew.checked ? "text" : "password"; });
    $.generate.addEventListener("click", () => this.#generate());
    $.resetForm.addEventListener("submit", (/** @type {Event} */ e) => { e.preventDefault(); this.#resetPassword(); });
    $.confirmCancel.addEventListener("click", () => $.confirm.close("cancel"));
    $.confirmOk.addEventListener("click", () => $.confirm.close("ok"));
  }

  // ---- text -----------------------------------------------------------------------------------

  /** @param {string} key @param {Record<string, unknown>} [params] */
  #t(key, params) { return t(this.lang, key, params); }

  get #rootSection() { return /** @type {HTMLElement} */ (this.#root.querySelector(".ecs")); }

  [TRANSLATE]() {
    translateShadow(this.#root, this.lang);
    this.#render();
  }

  /** @param {string | null} key @param {Record<string, unknown>} [params] */
  #say(key, params) {
    this.#status = key ? { key, params } : null;
    this.#$.live.textContent = key ? this.#t(key, params) : "";
  }

  /** @param {any} error @param {string} operation */
  #fail(error, operation) {
    const code = error?.code ?? "UNKNOWN";
    this.#problem = { code, operation, status: error?.status, cloudCode: error?.cloudCode ?? null, requestId: error?.requestId ?? null, messageId: error?.messageId, args: error?.args, custom: error?.custom };
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
    // The alert waits for the messages (fetched with the first): never a bare code first.
    if (!messagesReady(this.lang, () => this.#problem === p && this.#renderProblem())) return void (alert.hidden = true);
    alertText.textContent = p.custom ? this.#t(p.custom.key, p.custom.params) : errorMessage(this.lang, p);
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
    $.reveal.textContent = this.#t(isShown($.password) ? "result.hide" : "result.show");
    if (!isShown($.password)) renderMask($.password, this.#t("result.hidden"));
    this.#renderServer();
    this.#renderAccess();
    this.#renderHosted();
    this.#renderKey();
    this.#renderRules();
    this.#renderReset();
    this.#renderButtons();
  }

  #renderServer() {
    const { details, phase } = this.#state;
    const facts = this.#$.serverFacts;
    facts.replaceChildren();
    /** @param {string} label @param {string} value */
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
    } else if (phase !== "error") {
      add("server.name", this.#t("server.loading"));
    }
    const note = this.#$.serverNote;
    const linux = this.#os() === "linux";
    note.hidden = !(details && (linux || !details.keyName));
    note.textContent = linux ? this.#t("server.linux") : this.#t("server.noKey");
  }

  /** The core's guess from the server's os_type metadata. */
  #os() {
    return this.#state.wasm ? guessOs(this.#state.details?.osType ?? null) : "windows";
  }

  #renderAccess() {
    const { access } = this.#state;
    const list = this.#$.accessList;
    list.replaceChildren();
    // The explanations are messages: the list waits for them (fetched with the first).
    if (access && !messagesReady(this.lang, () => this.#renderAccess())) return;
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
        why.textContent = renderMessage(this.lang, a.explanation) ?? "";
        li.append(head, " ", why);
        list.append(li);
      }
    }
    const note = S.familyNote(this.#state);
    this.#$.familyNote.textContent = note ? this.#t(note.key, note.params) : "";
  }

  #renderKey() {
    const { key, keyPair } = this.#state;
    const $ = this.#$;
    $.keyFacts.hidden = !key;
    if (!key) return;
    $.keySummary.textContent = keySummary(this.lang, key.info) + (key.source === "hosted" ? ` · ${this.#t("hosted.source")}` : "");
    $.keyFp.textContent = `${key.info.fingerprintSha256}  ${key.info.fingerprintMd5}`;
    const { match } = key;
    $.keyMatch.dataset.match = match;
    $.keyMatch.className = match === "mismatch" ? "bad" : match === "match" ? "good" : "detail";
    $.keyMatch.textContent = match === "match" && keyPair ? this.#t("key.matches", { name: keyPair.name })
      : match === "mismatch" && keyPair ? this.#t("key.mismatch", { name: keyPair.name, expected: keyPair.fingerprint ?? keyPair.name })
        : this.#t("key.unverified");
  }

  #renderButtons() {
    const $ = this.#$;
    const view = S.buttons(this.#state, Boolean(this.#waiting));
    for (const name of /** @type {const} */ (["get", "getAnyway", "clear"])) {
      $[name].hidden = view[name].hidden;
      $[name].disabled = view[name].disabled;
    }
    const hosted = S.hostedView(this.#state, Boolean(this.#waiting));
    $.useHosted.hidden = hosted.useHidden;
    $.useHosted.disabled = hosted.useDisabled;
  }

  /** The offer of the key the cloud holds: what it needs, and whether the user has it. */
  #renderHosted() {
    const $ = this.#$;
    const view = S.hostedView(this.#state, Boolean(this.#waiting));
    const hosted = this.#state.hosted;
    $.hosted.hidden = view.hidden;
    if (!hosted || !view.accessKey) return;
    if (hosted.decision && !messagesReady(this.lang, () => this.#renderHosted())) return void ($.hostedAccess.textContent = "");
    $.hostedText.textContent = this.#t("hosted.available", { name: hosted.keyPair });
    const needs = this.#t("hosted.needs", { actions: "kps:domainKeypairs:exportpk, kms:cmk:decryptDataKey" });
    const why = hosted.decision ? renderMessage(this.lang, hosted.decision.explanation) ?? "" : "";
    $.hostedAccess.textContent = [needs, this.#t(view.accessKey), why].filter(Boolean).join(" ");
    $.hostedAccess.dataset.decision = view.decision;
  }

  #renderReset() {
    const $ = this.#$;
    const view = S.resetView(this.#state);
    $.resetSection.hidden = view.sectionHidden;
    $.resetForm.hidden = view.formHidden;
    $.resetNote.hidden = view.noteHidden;
    $.resetNote.textContent = this.#t(view.noteKey);
  }

  /** @returns {import("../pkg/cloud/ecs_password_cloud.js").PasswordRuleOptions} */
  #resetRules() {
    return { api: this.#state.choice?.resetApi ?? "v1", os: this.#os() };
  }

  #renderRules() {
    const $ = this.#$;
    const value = $.newPassword.value;
    $.rules.replaceChildren();
    if (!value || !this.#state.wasm) return;
    const broken = checkNewPassword(value, this.#resetRules());
    // A broken rule is a message: the feedback waits for them (fetched with the first).
    if (broken.length > 0 && !messagesReady(this.lang, () => this.#renderRules())) return;
    const list = document.createElement("ul");
    for (const rule of broken) {
      const li = document.createElement("li");
      li.dataset.rule = rule.rule;
      li.textContent = renderMessage(this.lang, rule.message) ?? rule.rule;
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

  #requested() { return this.getAttribute("family") || "auto"; }

  /** @param {string} [family] */
  #target(family = this.#state.choice?.family ?? "v1") {
    return target({
      endpoint: endpointUrl(this.getAttribute("endpoint")), family, server: this.getAttribute("server") ?? "",
      project: this.getAttribute("project") ?? "", upstream: this.#state.upstream,
    });
  }

  #auth() { return this.#session.auth(); }

  #kpsTarget() {
    return kpsTarget({ endpoint: endpointUrl(this.getAttribute("kps-endpoint")), project: this.getAttribute("project") ?? "", upstream: this.#kpsUpstream });
  }

  /**
   * @param {ApiCall} call
   * @param {string} [family]
   * @param {AbortSignal} [signal]
   */
  async #call(call, family = this.#state.choice?.family, signal = this.#calls?.signal) {
    return send(this.#target(family), call, await this.#auth(), signal);
  }

  #explain() {
    return explain({
      requested: this.#requested(), project: this.getAttribute("project") ?? "", server: this.getAttribute("server") ?? "",
      grants: this.#session.grants, novaRoles: this.#session.novaRoles,
      enterpriseProject: this.getAttribute("enterprise-project") ?? this.#state.details?.enterpriseProjectId,
      region: this.getAttribute("region"), domainId: this.getAttribute("domain-id"),
    });
  }

  /** @param {import("./types.js").Access | null} access @returns {FamilyChoice} */
  #choose(access) {
    return chooseFamily(this.#requested(), S.recommended(access));
  }

  async [LOAD]() {
    const generation = ++this.#generation;
    await loadLanguage(this.lang);
    if (generation !== this.#generation) return;
    this[TRANSLATE]();
    this.#calls?.abort();
    this.#calls = new AbortController();
    this.close({ quiet: true });
    const server = this.getAttribute("server");
    const idle = !server ? "widget.noServer" : !this.hasCredentials ? "widget.noCredentials" : null;
    this.#state = S.initial(idle);
    this.#clearProblem();
    this.#say(null);
    const $ = this.#$;
    $.idle.hidden = !idle;
    $.idle.textContent = idle ? this.#t(idle) : "";
    $.body.hidden = Boolean(idle);
    const root = this.#rootSection;
    root.dataset.ready = this.#state.phase;
    this.#render();
    if (idle) return;
    const stale = () => generation !== this.#generation;
    try {
      await wasmReady;
      const upstream = await upstreamOf(this, "endpoint", "upstream");
      this.#kpsUpstream = this.getAttribute("kps-endpoint") ? await upstreamOf(this, "kps-endpoint", "kps-upstream") : null;
      if (stale()) return;
      const access = this.#explain();
      this.#state = S.started(this.#state, { upstream, access, choice: this.#choose(access) });
      this.#render();
      this.#say("server.loading");
      const details = await this.#withFallback(() => this.#call({ kind: "serverDetails" }));
      if (stale()) return;
      this.#state = S.withDetails(this.#state, details);
      if (this.#session.grants && details.enterpriseProjectId && !this.getAttribute("enterprise-project")) {
        const access = this.#explain();
        this.#state = S.explained(this.#state, access);
        if (this.#state.choice?.reason !== "fallback") this.#state = S.chosen(this.#state, this.#choose(access));
      }
      this.#say(null);
      this.#render();
      await Promise.all([this.#loadKeyPair(stale), this.#loadResetFlag(stale), this.#loadHosted(stale)]);
      // Ready once the explanations on screen are (their messages load with the first).
      if (this.#state.access || this.#state.hosted) await loadMessages(this.lang);
      if (!stale()) root.dataset.ready = (this.#state = S.ready(this.#state)).phase;
    } catch (error) {
      if (stale()) return;
      this.#state = S.failed(this.#state);
      this.#render();
      if (/** @type {any} */ (error)?.code !== "CANCELLED") this.#fail(error, "serverDetails");
      root.dataset.ready = this.#state.phase;
    }
  }

  /**
   * Runs `attempt`; when the core says a refusal is worth another family (v1 refused while the
   * permissions are unknown: v2.1), switches to it and runs `attempt` once more.
   * @template T
   * @param {() => Promise<T>} attempt
   * @returns {Promise<T>}
   */
  async #withFallback(attempt) {
    try {
      return await attempt();
    } catch (error) {
      const choice = this.#state.choice;
      const code = /** @type {any} */ (error)?.code;
      const next = choice && typeof code === "string" ? familyAfterRefusal(choice, code) : null;
      if (!next) throw error;
      this.#state = S.chosen(this.#state, next);
      this.#render();
      return attempt();
    }
  }

  /** @param {KeyInfo} info */
  #match(info) {
    const pair = this.#state.keyPair;
    return pair ? matchKeyPair(info, pair) : "unverified";
  }

  /** @param {() => boolean} stale */
  async #loadKeyPair(stale) {
    const name = this.#state.details?.keyName;
    if (!name) return;
    try {
      const keyPair = await this.#call({ kind: "keyPair", name });
      if (stale()) return;
      this.#state = S.withKeyPair(this.#state, keyPair, (info) => matchKeyPair(info, keyPair));
      this.#render();
    } catch {
      // No key pair to check against (deleted, or not readable): the key stays unverified.
    }
  }

  /**
   * Whether KPS hosts the key pair's private key (with a `kps-endpoint`, on the Huawei families),
   * and what the permission engine says about exporting it. Nothing is offered when KPS cannot be
   * read.
   * @param {() => boolean} stale
   */
  async #loadHosted(stale) {
    const name = this.#state.details?.keyName;
    if (!name || !this.getAttribute("kps-endpoint") || this.#state.choice?.family === "nova" || this.#os() === "linux") return;
    try {
      const pair = await kpsKeyPair(this.#kpsTarget(), name, await this.#auth(), { signal: this.#calls?.signal });
      if (stale() || !pair.hosted) return;
      const decision = explainHosted({
        grants: this.#session.grants, project: this.getAttribute("project") ?? "", keyPair: name,
        region: this.getAttribute("region"), domainId: this.getAttribute("domain-id"),
      });
      this.#state = S.withHosted(this.#state, { keyPair: name, decision });
      this.#render();
    } catch {
      // Not readable (no permission, no KPS there): only key files are offered.
    }
  }

  /** @param {() => boolean} stale */
  async #loadResetFlag(stale) {
    if (!S.wantsResetFlag(this.#state)) return;
    try {
      const answer = await this.#call({ kind: "password", operation: "reset-flag" }, "v1");
      if (stale()) return;
      this.#state = S.withResetFlag(this.#state, answer.supported);
    } catch (error) {
      if (stale() || /** @type {any} */ (error)?.code === "CANCELLED") return;
      this.#state = S.withResetFlag(this.#state, null);
    }
    this.#render();
  }

  // ---- the key --------------------------------------------------------------------------------

  #wipeKey() {
    this.#worker.wipe();
    this.#state = S.keyForgotten(this.#state);
    this.#$.passphraseBox.hidden = true;
    this.#$.passphrase.value = "";
    this.#$.keyFile.value = "";
    this.#renderKey();
    this.#renderButtons();
  }

  /** @param {File} file */
  async #loadKeyFile(file) {
    const bytes = await file.arrayBuffer();
    this.#$.keyFile.value = "";
    return this.#loadKey(bytes);
  }

  /** @param {ArrayBuffer} buffer */
  async #loadKey(buffer) {
    this.#wipeKey();
    this.#clearProblem();
    this.#say("key.reading");
    await this.#keyStep(() => this.#worker.load(buffer), "key");
  }

  async #unlock() {
    const $ = this.#$;
    const passphrase = $.passphrase.value;
    $.passphrase.value = "";
    if (!passphrase) return $.passphrase.focus();
    this.#clearProblem();
    await this.#keyStep(() => this.#worker.unlock(passphrase), "passphrase");
  }

  /**
   * Runs a worker step that ends in key facts, with progress for slow unlocks (bcrypt, scrypt, Argon2).
   * @param {() => Promise<KeyInfo>} step
   * @param {string} operation
   */
  async #keyStep(step, operation) {
    const $ = this.#$;
    const started = Date.now();
    const tick = () => {
      $.keyProgress.hidden = false;
      $.keyProgressText.textContent = this.#t("key.unlocking", { seconds: Math.floor((Date.now() - started) / 1000) });
    };
    const timer = setInterval(tick, 250);
    this.#state = S.busy(this.#state, "key");
    this.#renderButtons();
    /** @type {KeyInfo} */
    let info;
    try {
      info = await step();
    } catch (error) {
      const code = /** @type {any} */ (error)?.code;
      if (code === "CANCELLED") return;
      this.#say(null);
      if (code === "PASSPHRASE_REQUIRED" || code === "WRONG_PASSPHRASE") {
        $.passphraseBox.hidden = false;
        if (code === "WRONG_PASSPHRASE") this.#fail(error, operation);
        else this.#say("key.passphraseNeeded");
        $.passphrase.focus();
      } else {
        this.#fail(error, operation);
      }
      return;
    } finally {
      clearInterval(timer);
      $.keyProgress.hidden = true;
      this.#state = S.busy(this.#state, null);
      this.#renderButtons();
    }
    this.#state = S.keyLoaded(this.#state, info, this.#match(info));
    $.passphraseBox.hidden = true;
    this.#render();
    const pair = this.#state.keyPair;
    if (this.#state.key?.match === "mismatch" && pair) {
      const { name, fingerprint } = pair;
      this.#fail({ code: "WRONG_KEY", custom: { key: "key.mismatch", params: { name, expected: fingerprint ?? name } } }, operation);
      $.keyFile.focus();
    } else {
      this.#say("key.loaded");
      ($.get.hidden ? $.getAnyway : $.get).focus();
    }
  }

  /**
   * Uses the private key the cloud holds: says what crosses the network and asks first; then the
   * worker fetches the export (the cloud module only builds the request), the key is checked
   * against the key pair, the password is fetched and decrypted, and the key is forgotten.
   */
  async #useHostedKey() {
    const hosted = this.#state.hosted;
    if (!hosted) return;
    const name = hosted.keyPair;
    if (!(await this.#confirm("hosted.confirmTitle", "hosted.confirmText", "hosted.confirm", { name }))) return;
    this.#wipeKey();
    this.#clearProblem();
    this.#say("hosted.exporting");
    this.#state = S.busy(this.#state, "hosted");
    this.#renderButtons();
    /** @type {KeyInfo} */
    let info;
    try {
      const request = kpsExportRequest(this.#kpsTarget(), name, await this.#auth());
      info = await this.#worker.exportKey(request, name);
    } catch (error) {
      const e = /** @type {any} */ (error);
      if (e?.code === "CANCELLED") return;
      this.#say(null);
      const failed = e?.code === "KPS_REFUSED" && e.answer ? kpsExportError(name, e.answer) : e;
      // A refusal says what the export needs (the cloud's code and request id come with it).
      const custom = failed?.code === "FORBIDDEN" ? { key: "hosted.refused", params: { actions: "kps:domainKeypairs:exportpk, kms:cmk:decryptDataKey" } } : undefined;
      this.#fail(custom ? Object.assign(failed, { custom }) : failed, "export");
      return;
    } finally {
      this.#state = S.busy(this.#state, null);
      this.#renderButtons();
    }
    this.#state = S.keyLoaded(this.#state, info, this.#match(info), "hosted");
    this.#render();
    const pair = this.#state.keyPair;
    if (this.#state.key?.match === "mismatch" && pair) {
      this.#wipeKey();
      this.#fail({ code: "WRONG_KEY", custom: { key: "key.mismatch", params: { name: pair.name, expected: pair.fingerprint ?? pair.name } } }, "export");
      return;
    }
    try {
      await this.#getPassword();
    } finally {
      this.#wipeKey();
    }
    if (this.#password !== null) this.#say("hosted.done");
  }

  // ---- getting the password -------------------------------------------------------------------

  async #getPassword() {
    const $ = this.#$;
    this.#clearProblem();
    this.#hideResult();
    this.#password = null;
    $.result.hidden = true;
    const waiting = new AbortController();
    this.#waiting = waiting;
    this.#renderButtons();
    const signal = waiting.signal;
    let operation = "get";
    try {
      this.#say("get.fetching");
      let ciphertext;
      try {
        const answer = await this.#withFallback(() => this.#call({ kind: "password", operation: "get" }, this.#state.choice?.family, signal));
        ciphertext = answer.ciphertext;
      } catch (error) {
        if (/** @type {any} */ (error)?.code !== "PASSWORD_NOT_AVAILABLE") throw error;
        const why = this.#whyNoPassword();
        // "Never": say why and do not poll; "not yet": poll, but no longer than the window.
        if (why && !why.canWait) throw { code: "PASSWORD_NOT_AVAILABLE", custom: { key: `get.never.${why.cause}`, params: neverParams(why) } };
        ciphertext = await this.#waitForPosting(signal, why?.retryAfterSecs ?? null);
      }
      operation = "decrypt";
      this.#say("get.decrypting");
      this.#password = await this.#worker.decrypt(ciphertext);
      $.result.hidden = false;
      this.#hideResult();
      this.#say("get.done");
      $.reveal.focus();
      this.dispatchEvent(new CustomEvent("ecs-password-retrieved", {
        bubbles: true, composed: true, detail: { server: this.getAttribute("server"), family: this.#state.choice?.family },
      }));
    } catch (error) {
      if (/** @type {any} */ (error)?.code === "CANCELLED" && signal.aborted) this.#say("get.cancelled");
      else this.#fail(error, operation);
    } finally {
      this.#stopCountdown();
      this.#waiting = null;
      this.#renderButtons();
    }
  }

  /** Why the server has no password (the core's diagnosis), from what the widget knows; null before its details are read. */
  #whyNoPassword() {
    const { details, keyPair } = this.#state;
    if (!details || !this.#state.wasm) return null;
    return diagnoseMissingPassword(details, keyPair ?? null, this.#cleared.has(details.id ?? ""));
  }

  /**
   * Polls until the guest posts its password, for at most the rest of its documented window (plus
   * one ask) when that is known.
   * @param {AbortSignal} signal @param {number | null} windowSecs @returns {Promise<string>}
   */
  async #waitForPosting(signal, windowSecs) {
    const $ = this.#$;
    const seconds = Number(this.getAttribute("poll-interval")) || 30;
    $.wait.hidden = false;
    $.cancel.focus();
    const onWait = (/** @type {number} */ ms) => this.#startCountdown(ms);
    this.#startCountdown(seconds * 1000);
    const limit = windowSecs == null ? {} : { limitMs: (windowSecs + seconds) * 1000 };
    return waitForPassword(this.#target(), await this.#auth(), { intervalMs: seconds * 1000, signal, onWait, ...limit });
  }

  /** @param {number} ms */
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
    this.#countdown = undefined;
    this.#$.wait.hidden = true;
  }

  // ---- the result -----------------------------------------------------------------------------

  #revealTexts() {
    return { hidden: this.#t("result.hidden"), show: this.#t("result.show"), hide: this.#t("result.hide") };
  }

  /** Hides the password: its text node leaves the DOM. */
  #hideResult() {
    hidePassword(this.#$.password, this.#$.reveal, this.#revealTexts());
  }

  #showPassword() {
    if (this.#password === null) return;
    showPassword(this.#$.password, this.#$.reveal, this.#password, this.#revealTexts());
  }

  async #copy() {
    if (this.#password === null) return;
    try {
      await this.#clipboard.copy(this.#password, () => this.#say("result.clipboardCleared"));
    } catch {
      return this.#fail({ code: "CLIPBOARD_FAILED" }, "copy");
    }
    this.#say("result.copied");
  }

  // ---- clear and reset ------------------------------------------------------------------------

  /** @param {string} titleKey @param {string} textKey @param {string} okKey @param {Record<string, unknown>} [params] @returns {Promise<boolean>} */
  #confirm(titleKey, textKey, okKey, params = {}) {
    const $ = this.#$;
    const server = this.#state.details?.name ?? this.getAttribute("server");
    $.confirmTitle.textContent = this.#t(titleKey, { server, ...params });
    $.confirmText.textContent = this.#t(textKey, { server, ...params });
    $.confirmOk.textContent = this.#t(okKey);
    return askConfirmation($.confirm, $.confirmCancel, this.#root);
  }

  async #clearPassword() {
    if (!(await this.#confirm("clear.confirmTitle", "clear.confirmText", "clear.confirm"))) return;
    this.#clearProblem();
    this.#state = S.busy(this.#state, "clear");
    this.#renderButtons();
    try {
      await this.#withFallback(() => this.#call({ kind: "password", operation: "clear" }));
      if (this.#state.details?.id) this.#cleared.add(this.#state.details.id);
      this.#say("clear.done");
      this.dispatchEvent(new CustomEvent("ecs-password-cleared", {
        bubbles: true, composed: true, detail: { server: this.getAttribute("server"), family: this.#state.choice?.family },
      }));
    } catch (error) {
      this.#fail(error, "clear");
    } finally {
      this.#state = S.busy(this.#state, null);
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
    const resetApi = this.#state.choice?.resetApi ?? "v1";
    this.#state = S.busy(this.#state, "reset");
    try {
      await this.#call({ kind: "password", operation: "reset", newPassword }, resetApi);
      $.newPassword.value = "";
      $.showNew.checked = false;
      $.newPassword.type = "password";
      this.#renderRules();
      this.#say("reset.done");
      this.dispatchEvent(new CustomEvent("ecs-password-reset", {
        bubbles: true, composed: true, detail: { server: this.getAttribute("server"), family: resetApi },
      }));
    } catch (error) {
      this.#fail(error, "reset");
      $.newPassword.focus();
    } finally {
      this.#state = S.busy(this.#state, null);
    }
  }
}
