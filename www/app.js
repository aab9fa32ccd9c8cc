// The standalone page: sign in (token or AK/SK; one click on the demo cloud), pick a server, and
// hand both to <ecs-password>. Credentials live in this module's memory only: never in storage,
// cookies or the URL, and the sign-in fields are emptied once read.
import init, { callApi } from "/pkg/cloud/ecs_password_cloud.js";
import { proxyUpstream } from "./ecs-password-widget.js";
import { t, pickLanguage, languages, loadLanguage } from "./i18n/index.js";

/** @param {string} id @returns {any} the page's element (the ids are the page's own) */
const $ = (id) => document.getElementById(id);
const widget = $("widget");
const wasmReady = init();
let lang = pickLanguage();
let theme = "auto";
/** @typedef {import("./page-types.js").Principal} Principal */
/** @typedef {import("./page-types.js").ServerEntry} ServerEntry */
/** @typedef {import("./page-types.js").Demo} Demo */
/** @typedef {import("./page-types.js").Session} Session */
/** @type {Demo | null} */
let demo = null;
/** @type {Session | null} the signed-in user, in this module's memory only */
let session = null;
/** @type {ServerEntry[]} */
let servers = [];

// ---- language and theme ---------------------------------------------------------------------

/** @param {string} next */
async function applyLanguage(next) {
  await loadLanguage(next);
  lang = languages.includes(next) ? next : "en";
  document.documentElement.lang = lang;
  document.title = t(lang, "page.title");
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(lang, /** @type {HTMLElement} */ (el).dataset.t ?? "");
  for (const el of document.querySelectorAll("[data-t-label]")) el.setAttribute("aria-label", t(lang, /** @type {HTMLElement} */ (el).dataset.tLabel ?? ""));
  $("lang-select").value = lang;
  widget.setAttribute("lang", lang);
  renderDemo();
  renderSignedIn();
  renderServers();
}

/** @param {string} next */
function applyTheme(next) {
  theme = next;
  if (theme === "auto") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  const button = $("theme");
  button.dataset.t = `page.theme.${theme}`;
  button.textContent = t(lang, button.dataset.t);
}

$("lang-select").addEventListener("change", (/** @type {Event} */ e) => applyLanguage(/** @type {HTMLSelectElement} */ (e.target).value));
$("theme").addEventListener("click", () => applyTheme(/** @type {Record<string, string>} */ ({ auto: "light", light: "dark", dark: "auto" })[theme]));

// ---- errors ---------------------------------------------------------------------------------

/** @param {any} error */
function describe(error) {
  const code = error?.code ?? "UNKNOWN";
  let text = t(lang, `error.${code}`);
  if (text === `error.${code}`) text = (lang === "zh" && error?.messageZh) || error?.message || t(lang, "error.UNKNOWN");
  if (error?.requestId) text += ` ${t(lang, "error.requestId", { id: error.requestId })}`;
  return { code, text };
}

// ---- demo mode ------------------------------------------------------------------------------

async function loadDemo() {
  try {
    const response = await fetch("/demo", { headers: { accept: "application/json" } });
    if (!response.ok) return;
    demo = await response.json();
  } catch {
    return;
  }
  if (!demo) return;
  $("demo").hidden = false;
  if (!$("endpoint").value) $("endpoint").value = sameOrigin(demo.endpoint);
  if (!$("project").value) $("project").value = demo.project?.id ?? "";
  if (!$("region").value) $("region").value = demo.region ?? "";
  renderDemo();
}

function renderDemo() {
  if (!demo) return;
  const principals = $("demo-principals");
  principals.replaceChildren();
  for (const p of demo.principals ?? []) {
    const item = document.createElement("div");
    item.className = "principal";
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.principal = p.name;
    button.textContent = t(lang, "demo.signin", { name: p.name });
    button.addEventListener("click", () => demoSignIn(p));
    const about = document.createElement("span");
    about.className = "hint";
    about.textContent = p.description ?? "";
    item.append(button, " ", about);
    principals.append(item);
  }
  const keys = $("demo-keys");
  keys.replaceChildren();
  for (const pair of demo.keyPairs ?? []) {
    const li = document.createElement("li");
    const name = document.createElement("strong");
    name.textContent = `${pair.name} (RSA ${pair.bits})`;
    li.append(name);
    if (pair.name === "unrelated") li.append(" ", t(lang, "demo.unrelated"));
    const list = document.createElement("ul");
    for (const d of pair.downloads ?? []) {
      const item = document.createElement("li");
      const a = document.createElement("a");
      a.href = d.href;
      a.download = d.href.split("/").pop() ?? "";
      a.textContent = d.format;
      item.append(a);
      if (d.passphrase) item.append(` (${t(lang, "demo.passphrase", { passphrase: d.passphrase })})`);
      list.append(item);
    }
    li.append(list);
    keys.append(li);
  }
}

/** The demo's endpoint on this page's own origin (the page may be reached under another name). */
const sameOrigin = (/** @type {string | undefined} */ url) => (url ? location.origin + new URL(url, location.href).pathname.replace(/\/$/, "") : location.origin);

/** @param {Principal} principal */
function demoSignIn(principal) {
  if (!demo) return;
  const family = $("family").value;
  signIn({
    credentials: { token: principal.token },
    endpoint: family === "nova" ? sameOrigin(demo.novaEndpoint) : sameOrigin(demo.endpoint),
    project: demo.project.id,
    family,
    grants: principal.grants ?? null,
    novaRoles: principal.novaRoles ?? null,
    who: principal.name,
    region: demo.region ?? null,
    domainId: demo.domainId ?? null,
  });
}

// ---- sign in --------------------------------------------------------------------------------

/** @returns {string} "token" or "aksk" */
const checkedMethod = () => /** @type {HTMLInputElement} */ (document.querySelector('input[name="method"]:checked')).value;

for (const radio of document.querySelectorAll('input[name="method"]')) {
  radio.addEventListener("change", () => {
    const aksk = checkedMethod() === "aksk";
    $("token-fields").hidden = aksk;
    $("aksk-fields").hidden = !aksk;
  });
}

$("signin-form").addEventListener("submit", (/** @type {Event} */ event) => {
  event.preventDefault();
  const aksk = checkedMethod() === "aksk";
  /** @type {any} */
  const credentials = aksk
    ? { accessKey: $("ak").value.trim(), secretKey: $("sk").value.trim(), ...($("security-token").value.trim() ? { securityToken: $("security-token").value.trim() } : {}) }
    : { token: $("token").value.trim() };
  const region = $("region").value.trim();
  const endpoint = $("endpoint").value.trim() || (region ? `https://ecs.${region}.myhuaweicloud.com` : "");
  const project = $("project").value.trim();
  const family = $("family").value;
  const complete = (aksk ? credentials.accessKey && credentials.secretKey : credentials.token) && endpoint && (project || family === "nova");
  if (!complete) {
    $("signin-error").textContent = t(lang, "signin.missing");
    $("signin-error").hidden = false;
    return;
  }
  for (const id of ["token", "sk", "security-token"]) $(id).value = "";
  signIn({ credentials, endpoint, project, family, grants: null, novaRoles: null, who: aksk ? credentials.accessKey : "token", region, domainId: null });
});

$("signout").addEventListener("click", signOut);

/** @param {Session} next */
function signIn(next) {
  session = next;
  $("signin-error").hidden = true;
  widget.close();
  widget.removeAttribute("server");
  widget.credentials = session.credentials;
  widget.grants = session.grants;
  widget.novaRoles = session.novaRoles;
  renderSignedIn();
  $("picker").hidden = false;
  loadServers();
}

function signOut() {
  session = null;
  servers = [];
  widget.close();
  widget.credentials = null;
  widget.grants = null;
  widget.novaRoles = null;
  widget.removeAttribute("server");
  widget.hidden = true;
  $("picker").hidden = true;
  renderSignedIn();
  $("signin-submit").focus();
}

function renderSignedIn() {
  $("signin-form").hidden = Boolean(session);
  $("signed-in").hidden = !session;
  if (session) $("signed-in-text").textContent = t(lang, "signin.signedIn", { who: session.who, project: session.project || "-" });
}

// ---- servers --------------------------------------------------------------------------------

/** Normalises a server of any family's list: {id, name, os, enterpriseProject}. */
/** @param {any} s @returns {ServerEntry} */
function normalise(s) {
  return {
    id: s.id,
    name: s.name ?? s.id,
    os: s.osType ?? s.metadata?.os_type ?? s.os ?? "",
    enterpriseProject: s.enterprise_project_id ?? s.enterpriseProjectId ?? null,
  };
}

async function loadServers() {
  const current = session;
  if (!current) return;
  const status = $("picker-status");
  status.textContent = t(lang, "picker.loading");
  servers = [];
  renderServers();
  const listFamily = current.family === "auto" ? "v1" : current.family;
  /** @type {import("/pkg/cloud/ecs_password_cloud.js").ApiTarget} */
  const target = { endpoint: new URL(current.endpoint, location.href).href.replace(/\/$/, ""), family: /** @type {any} */ (listFamily) };
  if (listFamily !== "nova") target.projectId = current.project;
  try {
    await wasmReady;
    const upstream = listFamily !== "nova" && await proxyUpstream(target.endpoint);
    if (upstream) target.upstream = upstream;
    const answer = /** @type {{ servers: object[] }} */ (await callApi(target, { kind: "listServers", limit: 100 }, current.credentials));
    if (session !== current) return;
    servers = answer.servers.map(normalise);
    status.textContent = servers.length ? "" : t(lang, "picker.none");
  } catch (error) {
    if (session !== current) return;
    status.textContent = describe(error).text;
    status.dataset.code = /** @type {any} */ (error)?.code ?? "";
    // On the demo cloud, a user who may not list servers can still pick one of the demo servers.
    if (demo) servers = demo.servers.map((s) => ({ id: s.id, name: s.name, os: s.os, enterpriseProject: s.enterpriseProjectId ?? null }));
  }
  renderServers();
}

function renderServers() {
  const select = $("server-select");
  const chosen = select.value;
  select.replaceChildren(new Option("—", ""));
  for (const s of servers) select.append(new Option(t(lang, "picker.option", { name: s.name, os: s.os || "?", id: s.id }), s.id));
  select.value = servers.some((s) => s.id === chosen) ? chosen : "";
}

/** @param {string} id */
function openServer(id) {
  if (!session || !id) return;
  const known = servers.find((s) => s.id === id);
  const family = session.family;
  widget.setAttribute("endpoint", session.endpoint);
  if (session.project) widget.setAttribute("project", session.project);
  widget.setAttribute("family", family);
  for (const [name, value] of [["region", session.region], ["domain-id", session.domainId], ["enterprise-project", known?.enterpriseProject]]) {
    if (value) widget.setAttribute(name, value);
    else widget.removeAttribute(name);
  }
  widget.setAttribute("server", id);
  widget.hidden = false;
}

$("server-select").addEventListener("change", (/** @type {Event} */ e) => openServer(/** @type {HTMLSelectElement} */ (e.target).value));
$("server-open").addEventListener("click", () => openServer($("server-id").value.trim()));

// ---- start ----------------------------------------------------------------------------------

$("endpoint").value = "";
await applyLanguage(lang);
applyTheme("auto");
loadDemo();
