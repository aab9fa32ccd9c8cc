// The fleet view's table: one <tr> per listed server, rendered from the state (fleet-state.js's
// stateView says what a row says). No task renders more than a slice of it: a whole-table render
// renders rows until BUDGET_MS has passed and yields to the page before the next slice, and rows
// that changed are re-rendered together at most every FLUSH_MS, within the same budget, so 500
// servers never make one long task (docs/performance.md).
import * as F from "./fleet-state.js";
import { hidePassword } from "./reveal.js";
import { renderMessage, messagesReady } from "../i18n/messages.js";

/** @typedef {import("./types.js").FleetState} FleetState */
/** @typedef {import("./types.js").RowProblem} RowProblem */
/** @typedef {import("./types.js").RevealTexts} RevealTexts */

/** How long one slice of rendering may take (a task over 50 ms is a long task). */
const BUDGET_MS = 10;

/** Lets the page paint and handle input: `scheduler.yield()` where there is one. */
const yieldToPage = () => {
  const scheduler = /** @type {any} */ (globalThis).scheduler;
  return typeof scheduler?.yield === "function" ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
};

/**
 * How often changed rows are rendered at most: each render makes the browser lay out the whole
 * table again, which for 500 rows costs more than the rows' own work.
 */
const FLUSH_MS = 100;

/** Runs `fn` at the first frame after FLUSH_MS (or then, in a hidden page, where frames stop). @param {() => void} fn */
const soon = (fn) => setTimeout(() => (document.hidden ? fn() : requestAnimationFrame(fn)), FLUSH_MS);

/**
 * @typedef {object} TableHost what the table reads from the element
 * @property {() => FleetState} state
 * @property {() => string} lang
 * @property {(key: string, params?: Record<string, unknown>) => string} t
 * @property {(p: RowProblem) => string} problemText an error's text (errorMessage, or its own catalogue key)
 * @property {(p: RowProblem) => string[]} details the cloud's code and the request id
 * @property {() => RevealTexts} revealTexts
 * @property {(id: string) => boolean} visible whether the filter shows the row
 * @property {() => void} flushed after the changed rows were rendered
 */

export class FleetTable {
  /** @type {HTMLTableSectionElement} */
  #body;
  /** @type {TableHost} */
  #host;
  /** @type {Map<string, HTMLTableRowElement>} */
  #tr = new Map();
  /** Rows to re-render at the next frame. @type {Set<string>} */
  #dirty = new Set();
  #frameQueued = false;
  /** Bumped by each whole-table render: an older one stops between slices. */
  #pass = 0;

  /** @param {HTMLTableSectionElement} body @param {TableHost} host */
  constructor(body, host) {
    this.#body = body;
    this.#host = host;
  }

  /** The row of server `id`, once built. @param {string} id */
  row(id) { return this.#tr.get(id); }

  /**
   * Renders every row from the state: built anew (the list or the language changed: `rebuild`) or
   * in place (a password on screen stays). The first slice runs now; resolves true once the last
   * is done, false when a newer render took over.
   * @param {{ rebuild?: boolean }} [options]
   */
  async renderAll({ rebuild = false } = {}) {
    const pass = ++this.#pass;
    const order = this.#host.state().order;
    if (rebuild || this.#tr.size !== order.length || order.some((id) => !this.#tr.has(id))) {
      this.#tr.clear();
      this.#body.replaceChildren();
    }
    let start = performance.now();
    /** @type {HTMLTableRowElement[]} */
    let built = [];
    for (const id of order) {
      if (performance.now() - start > BUDGET_MS) {
        this.#body.append(...built);
        built = [];
        await yieldToPage();
        if (pass !== this.#pass) return false;
        start = performance.now();
      }
      if (!this.#tr.has(id)) built.push(this.#build(id));
      this.#render(id);
    }
    this.#body.append(...built);
    return true;
  }

  /** Marks a row to re-render at the next frame (many changes cost a few frames). @param {string} id */
  touch(id) {
    this.#dirty.add(id);
    if (this.#frameQueued) return;
    this.#frameQueued = true;
    soon(() => this.#flush());
  }

  /** Re-renders dirty rows for one budget; what is left waits for the next frame. */
  #flush() {
    this.#frameQueued = false;
    const start = performance.now();
    for (const id of this.#dirty) {
      this.#dirty.delete(id);
      this.#render(id);
      if (performance.now() - start > BUDGET_MS) break;
    }
    if (this.#dirty.size > 0) {
      this.#frameQueued = true;
      soon(() => this.#flush());
    }
    this.#host.flushed();
  }

  /** Shows only the rows in `shown`. @param {Set<string>} shown */
  filter(shown) {
    for (const [id, tr] of this.#tr) tr.hidden = !shown.has(id);
  }

  /** The checkboxes as chosen (at once: cheap, and what the user just did). */
  syncChosen() {
    const s = this.#host.state();
    const chosen = new Set(s.selected);
    const locked = s.phase === "running";
    for (const [id, tr] of this.#tr) {
      const box = /** @type {HTMLInputElement} */ (tr.querySelector("input"));
      box.checked = chosen.has(id);
      box.disabled = locked;
    }
  }

  /** The row's cells, without its state (the name, the key pair). @param {string} id */
  #build(id) {
    const { t } = this.#host;
    const r = this.#host.state().rows[id];
    const tr = document.createElement("tr");
    tr.dataset.id = id;
    tr.hidden = !this.#host.visible(id);
    const choose = document.createElement("td");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.setAttribute("aria-label", t("fleet.choose", { name: r.server.name || id }));
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
    pair.textContent = r.server.keyName ?? t("server.keyPair.none");
    const state = document.createElement("td");
    state.className = "state";
    const password = document.createElement("td");
    password.className = "password-cell";
    tr.append(choose, name, pair, state, password);
    this.#tr.set(id, tr);
    return tr;
  }

  /** A row as the state says: its state, cause, problem, and reveal/copy once ready. @param {string} id */
  #render(id) {
    const tr = this.#tr.get(id);
    const s = this.#host.state();
    const r = s.rows[id];
    if (!tr || !r) return;
    // A problem's text is a message: the row waits for them (fetched with the first).
    if (r.problem && !messagesReady(this.#host.lang(), () => this.touch(id))) return;
    const { t } = this.#host;
    tr.dataset.state = r.state;
    tr.dataset.cause = r.diagnosis?.cause ?? "";
    const [choose, , , state, password] = tr.children;
    const box = /** @type {HTMLInputElement} */ (choose.firstChild);
    box.checked = s.selected.includes(id);
    box.disabled = s.phase === "running";
    const view = F.stateView(r, Date.now());
    const head = document.createElement("span");
    head.className = "state-text";
    head.textContent = t(view.key, view.params);
    const parts = [];
    if (view.cause) parts.push(t(view.cause.key, view.cause.params));
    if (r.problem) {
      const p = r.problem;
      parts.push(this.#host.problemText(p));
      if (p.cloudMessage) parts.push(`“${p.cloudMessage}”`);
      const why = p.explanation ? renderMessage(this.#host.lang(), p.explanation) ?? "" : "";
      if (why) parts.push(why);
      parts.push(...this.#host.details(p));
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
    copy.textContent = t("result.copy");
    copy.setAttribute("aria-label", t("fleet.copy", { name: r.server.name || id }));
    password.replaceChildren(output, " ", reveal, " ", copy);
    hidePassword(output, reveal, this.#host.revealTexts());
    reveal.setAttribute("aria-label", t("fleet.show", { name: r.server.name || id }));
  }
}
