// The standalone page: sign in (user name and password with MFA, application credential, AK/SK or
// token; one click on the demo cloud), pick the project and a server, and hand them to
// <ecs-password>. Credentials live in this module's memory only: never in storage, cookies or the
// URL, and the sign-in fields are emptied once read.
import init, { callApi, cloudRegions, projectForRegion } from "./pkg/cloud/ecs_password_cloud.js";
import { proxyInfo, signInStep, sessionOf, projectsOf, expiry } from "./signin.js";
import { totpCode } from "./demo-totp.js";
import { proxyUpstream, defineFleet } from "./ecs-password-widget.js";
import { t, pickLanguage, languages, loadLanguage } from "./i18n/index.js";
import { errorMessage, loadMessages } from "./i18n/messages.js";
import { siteUrl, siteHref } from "./widget/site.js";

/** @param {string} id @returns {any} the page's element (the ids are the page's own) */
const $ = (id) => document.getElementById(id);
const widget = $("widget");
/** <ecs-password-fleet>, registered (its modules loaded) on the first "Many servers". */
const fleet = $("fleet");
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
/** @type {import("./signin.js").ProxyInfo} what serve says about its proxy routes and cloud */
let proxy = { upstreams: [], cloud: null };
/**
 * A sign-in waiting for the user: an MFA code (with the receipt) or a project choice (with the
 * unscoped token). Held in memory only until the next step or "Start again".
 * @type {{ kind: "passcode", receipt: string, user: any, scope: any } | { kind: "project", token: string } | null}
 */
let pending = null;
/** @type {{ authUrl: string, family: string, region: string, who: string } | null} what the pending sign-in asked for */
let asked = null;
/** @type {any} the user of the password factor (answers a receipt), and the scope asked for */
let pendingUser = null;
/** @type {any} */
let pendingScope = null;
/** @type {ReturnType<typeof setInterval> | undefined} */
let expiryTimer;

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
  fleet.setAttribute("lang", lang);
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

/** An error in the page's language, once its messages are loaded (with the first error). @param {any} error */
async function describe(error) {
  await loadMessages(lang);
  const code = error?.code ?? "UNKNOWN";
  let text = errorMessage(lang, { code, messageId: error?.messageId, args: error?.args });
  if (error?.requestId) text += ` ${t(lang, "error.requestId", { id: error.requestId })}`;
  return { code, text };
}

// ---- demo mode ------------------------------------------------------------------------------

async function loadDemo() {
  try {
    const response = await fetch(siteUrl("/demo"), { headers: { accept: "application/json" } });
    if (!response.ok) return;
    demo = await response.json();
  } catch {
    return;
  }
  if (!demo) return;
  $("demo").hidden = false;
  if (!$("auth-url").value && demo.identityEndpoint) $("auth-url").value = sameOrigin(demo.identityEndpoint);
  if (!$("signin-domain").value && demo.domainName) $("signin-domain").value = demo.domainName;
  if (!$("endpoint").value) $("endpoint").value = sameOrigin(demo.endpoint);
  // No project id is filled in: with an access key pair, the region finds it (as Huawei's SDKs do).
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
    if (p.password) {
      const login = document.createElement("span");
      login.className = "hint demo-login";
      login.dataset.user = p.name;
      login.textContent = ` ${t(lang, "demo.login", { user: p.name, password: p.password, domain: demo.domainName ?? "" })}`;
      item.append(login);
      if (p.totpSecret) {
        const code = document.createElement("output");
        code.className = "demo-totp";
        code.dataset.user = p.name;
        item.append(" ", code);
      }
    }
    principals.append(item);
  }
  refreshDemoCodes();
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
      a.href = siteUrl(d.href).href;
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

/** Shows the current MFA code of the demo users who have a device (a new one every 30 s). */
async function refreshDemoCodes() {
  if (!demo) return;
  for (const p of demo.principals ?? []) {
    if (!p.totpSecret) continue;
    const out = document.querySelector(`output.demo-totp[data-user="${CSS.escape(p.name)}"]`);
    if (!out) continue;
    const { code, validFor } = await totpCode(p.totpSecret);
    out.textContent = t(lang, "demo.totp", { code, seconds: validFor });
  }
}
setInterval(refreshDemoCodes, 1000);

/**
 * One of the demo's endpoints (a path from serve's root) as this page reaches it: on its own
 * origin (it may be reached under another name) and under its base.
 */
const sameOrigin = (/** @type {string | undefined} */ url) => siteHref(url ? new URL(url, "http://x").pathname : "/");

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
    projectName: "",
    authUrl: null,
    expiresUnix: null,
    user: principal.name,
  });
}

// ---- sign in --------------------------------------------------------------------------------

/** @returns {"password" | "appcred" | "aksk" | "token"} */
const checkedMethod = () => /** @type {any} */ (/** @type {HTMLInputElement} */ (document.querySelector('input[name="method"]:checked')).value);

function showMethodFields() {
  const method = checkedMethod();
  $("identity-fields").hidden = !(method === "password" || method === "appcred");
  $("password-fields").hidden = method !== "password";
  $("appcred-fields").hidden = method !== "appcred";
  $("token-fields").hidden = method !== "token";
  $("aksk-fields").hidden = method !== "aksk";
  $("endpoint-fields").hidden = !(method === "token" || method === "aksk");
  $("project-field").hidden = !(method === "token" || method === "aksk");
}
for (const radio of document.querySelectorAll('input[name="method"]')) radio.addEventListener("change", showMethodFields);

/** @param {unknown} error */
async function showSignInError(error) {
  const { code, text } = await describe(error);
  $("signin-error").textContent = text;
  $("signin-error").dataset.code = code;
  $("signin-error").hidden = false;
}

/** @param {string} key */
function showMissing(key) {
  $("signin-error").textContent = t(lang, key);
  $("signin-error").dataset.code = "";
  $("signin-error").hidden = false;
}

/** Back to the first step: the pending receipt or unscoped token is dropped. */
function resetSteps() {
  pending = null;
  asked = null;
  $("mfa-step").hidden = true;
  $("choose-step").hidden = true;
  $("signin-cancel").hidden = true;
  $("mfa-code").value = "";
  $("signin-status").textContent = "";
  for (const el of $("signin-form").querySelectorAll("fieldset, #identity-fields, #password-fields, #appcred-fields, .grid")) /** @type {HTMLElement} */ (el).hidden = false;
  showMethodFields();
}
$("signin-cancel").addEventListener("click", () => { resetSteps(); $("signin-error").hidden = true; });

/** Shows only the step that waits for the user (the MFA code, or the project list). @param {"mfa" | "choose"} step */
function showStep(step) {
  for (const el of $("signin-form").querySelectorAll("fieldset, #identity-fields, #password-fields, #appcred-fields, #token-fields, #aksk-fields, #endpoint-fields, .grid")) /** @type {HTMLElement} */ (el).hidden = true;
  $("mfa-step").hidden = step !== "mfa";
  $("choose-step").hidden = step !== "choose";
  $("signin-cancel").hidden = false;
  $(step === "mfa" ? "mfa-code" : "choose-project").focus();
}

/** Huawei Cloud or OTC (IAM), as chosen or as `serve --cloud` says. */
const iamCloud = () => $("cloud").value !== "openstack";

/** The scope to ask for: Huawei Cloud and OTC name a region's project after the region. */
function scopeFor(/** @type {string} */ region) {
  return iamCloud() && region ? { projectName: region } : null;
}

/** @type {Array<{ cloud: string, region: string, ecs: string, iam: string }>} the region table */
let regionTable = [];

/** The regions of the chosen cloud in the region list. */
function showRegions() {
  const cloud = $("cloud").value;
  $("region-list").replaceChildren(...regionTable.filter((r) => r.cloud === cloud).map((r) => new Option(r.region, r.region)));
}

/** Where the region's IAM is: serve's identity route, the demo's IAM, or the region table's. */
function iamFor(/** @type {string} */ region) {
  if (proxy.cloud && proxy.cloud.kind !== "openstack") return { url: siteHref(proxy.cloud.identity), upstream: proxy.cloud.identityUpstream };
  if (demo?.iamEndpoint) return { url: sameOrigin(demo.iamEndpoint), upstream: "" };
  const known = regionTable.find((r) => r.cloud === $("cloud").value && r.region === region);
  return known ? { url: known.iam, upstream: "" } : null;
}

$("cloud").addEventListener("change", showRegions);
$("region").addEventListener("change", () => {
  // Outside a serve preset and the demo, a known region fills in its endpoints.
  if (proxy.cloud || demo) return;
  const known = regionTable.find((r) => r.cloud === $("cloud").value && r.region === $("region").value.trim());
  if (!known) return;
  $("auth-url").value = known.iam;
  $("endpoint").value = known.ecs;
});

/**
 * Takes a sign-in answer: signed in, an MFA code wanted, or a project to pick.
 * @param {import("./signin.js").SignInResult} result
 */
async function afterSignInStep(result) {
  if (!asked) return;
  if (result.kind === "needPasscode") {
    pending = { kind: "passcode", receipt: result.receipt, user: pendingUser, scope: pendingScope };
    $("signin-status").textContent = t(lang, "signin.mfa.asked");
    showStep("mfa");
    return;
  }
  if (result.kind === "chooseProject") {
    pending = { kind: "project", token: result.token };
    const select = $("choose-project");
    select.replaceChildren(...result.projects.map((p) => new Option(p.name || p.id, p.id)));
    $("signin-status").textContent = t(lang, "signin.chooseProject.asked");
    showStep("choose");
    return;
  }
  // A proxy for an OpenStack cloud learns its compute routes from the catalog just signed in with.
  proxy = await proxyInfo();
  const next = sessionOf(result, asked, proxy);
  const current = asked;
  resetSteps();
  signIn(next);
  // The projects this token may use, for switching without signing in again.
  try {
    const projects = await projectsOf(current.authUrl, next.credentials.token);
    if (session?.credentials === next.credentials) renderProjects(projects);
  } catch {
    // The list is a convenience: the session works without it.
  }
}

/** Sends one sign-in step; the form stays as typed on an error (only secrets are cleared). @param {() => Promise<any>} step */
async function runStep(step) {
  $("signin-error").hidden = true;
  $("signin-submit").disabled = true;
  $("signin-status").textContent = t(lang, "signin.working");
  try {
    await wasmReady;
    await afterSignInStep(await step());
  } catch (error) {
    $("signin-status").textContent = "";
    void showSignInError(error);
  } finally {
    $("signin-submit").disabled = false;
  }
}

$("signin-form").addEventListener("submit", (/** @type {Event} */ event) => {
  event.preventDefault();
  if (pending?.kind === "passcode") {
    const code = $("mfa-code").value.trim();
    if (!code) return showMissing("signin.missing.mfa");
    const { receipt, user, scope } = pending;
    $("mfa-code").value = "";
    const authUrl = asked?.authUrl ?? "";
    runStep(() => signInStep(authUrl, { method: "totp", user, passcode: code }, scope, { receipt }));
    return;
  }
  if (pending?.kind === "project") {
    const { token } = pending;
    const projectId = $("choose-project").value;
    const authUrl = asked?.authUrl ?? "";
    runStep(() => signInStep(authUrl, { method: "token", token }, { projectId }));
    return;
  }
  const method = checkedMethod();
  const region = $("region").value.trim();
  const family = $("family").value;
  if (method === "password" || method === "appcred") {
    const authUrl = $("auth-url").value.trim();
    if (!authUrl) return showMissing("signin.missing.authUrl");
    const domain = $("signin-domain").value.trim();
    /** @type {any} */
    let credentials;
    if (method === "password") {
      const name = $("signin-username").value.trim();
      const password = $("signin-password").value;
      if (!name || !password) return showMissing("signin.missing.password");
      const passcode = $("signin-passcode").value.trim();
      pendingUser = { name, ...(domain ? { domainName: domain } : {}) };
      const passcodeUserId = $("signin-user-id").value.trim();
      credentials = { method: "password", user: pendingUser, password, ...(passcode ? { passcode } : {}), ...(passcode && passcodeUserId ? { passcodeUserId } : {}) };
      $("signin-password").value = "";
      $("signin-passcode").value = "";
    } else {
      const id = $("appcred-id").value.trim();
      const secret = $("appcred-secret").value;
      if (!id || !secret) return showMissing("signin.missing.appcred");
      pendingUser = null;
      credentials = { method: "applicationCredential", id, secret };
      $("appcred-secret").value = "";
    }
    pendingScope = scopeFor(region);
    asked = { authUrl, family, region, who: pendingUser?.name ?? credentials.id };
    runStep(() => signInStep(authUrl, credentials, pendingScope));
    return;
  }
  const aksk = method === "aksk";
  /** @type {any} */
  const credentials = aksk
    ? { accessKey: $("ak").value.trim(), secretKey: $("sk").value.trim(), ...($("security-token").value.trim() ? { securityToken: $("security-token").value.trim() } : {}) }
    : { token: $("token").value.trim() };
  const known = regionTable.find((r) => r.cloud === $("cloud").value && r.region === region);
  const endpoint = $("endpoint").value.trim() || known?.ecs || "";
  const project = $("project").value.trim();
  const iam = aksk && !project && family !== "nova" && region ? iamFor(region) : null;
  const complete = (aksk ? credentials.accessKey && credentials.secretKey : credentials.token) && endpoint && (project || family === "nova" || iam);
  if (!complete) return showMissing("signin.missing");
  for (const id of ["token", "sk", "security-token"]) $(id).value = "";
  const who = aksk ? credentials.accessKey : "token";
  /** @param {string} id */
  const start = (id) => signIn({ credentials, endpoint, project: id, projectName: "", family, grants: null, novaRoles: null, who, region, domainId: null, authUrl: null, expiresUnix: null, user: "" });
  if (!iam) return start(project);
  // As Huawei's SDKs do: the project named after the region, listed with the access key pair.
  $("signin-status").textContent = t(lang, "signin.working");
  wasmReady
    .then(() => projectForRegion(iam.url, region, credentials, iam.upstream ? { upstream: iam.upstream } : {}))
    .then((id) => { $("signin-status").textContent = ""; start(id); })
    .catch((error) => { $("signin-status").textContent = ""; void showSignInError(error); });
});

$("signout").addEventListener("click", () => signOut());

/** @param {Session} next */
function signIn(next) {
  session = next;
  $("signin-error").hidden = true;
  widget.close();
  widget.removeAttribute("server");
  widget.credentials = session.credentials;
  widget.grants = session.grants;
  widget.novaRoles = session.novaRoles;
  if (!fleet.hidden) openFleet();
  renderSignedIn();
  renderProjects([]);
  watchExpiry();
  $("picker").hidden = false;
  loadServers();
}

/** @param {string} [why] a message key to show on the sign-in form */
function signOut(why) {
  session = null;
  servers = [];
  // The last user's servers must not stay in the (hidden) list for the next one.
  renderServers();
  $("picker-status").textContent = "";
  clearInterval(expiryTimer);
  widget.close();
  widget.credentials = null;
  widget.grants = null;
  widget.novaRoles = null;
  widget.removeAttribute("server");
  widget.hidden = true;
  // Before its first opening it is not upgraded: a property set now would hide its setters.
  if (customElements.get("ecs-password-fleet")) {
    fleet.close();
    fleet.credentials = null;
    fleet.grants = null;
    fleet.novaRoles = null;
  }
  fleet.hidden = true;
  $("picker").hidden = true;
  renderSignedIn();
  if (why) showMissing(why);
  $("signin-submit").focus();
}

function renderSignedIn() {
  $("signin-form").hidden = Boolean(session);
  $("signed-in").hidden = !session;
  if (session) $("signed-in-text").textContent = t(lang, "signin.signedIn", { who: session.who, project: session.projectName || session.project || "-" });
  renderExpiry();
}

/** The project switcher: the token's projects, the current one chosen. @param {import("./signin.js").SignInProject[]} projects */
function renderProjects(projects) {
  const select = $("project-select");
  select.replaceChildren(...projects.map((p) => new Option(p.name || p.id, p.id)));
  if (session) select.value = session.project;
  $("project-switch").hidden = !session?.authUrl || projects.length === 0;
}

$("project-select").addEventListener("change", (/** @type {Event} */ e) => {
  const current = session;
  const projectId = /** @type {HTMLSelectElement} */ (e.target).value;
  if (!current?.authUrl || !("token" in current.credentials) || projectId === current.project) return;
  const options = [...$("project-select").options].map((o) => ({ id: o.value, name: o.text, enabled: true }));
  asked = { authUrl: current.authUrl, family: $("family").value, region: current.region ?? "", who: current.user || current.who };
  signInStep(current.authUrl, { method: "token", token: current.credentials.token }, { projectId })
    .then((result) => {
      if (session !== current || result.kind !== "signedIn" || !asked) return;
      const next = sessionOf(result, asked, proxy);
      asked = null;
      signIn(next);
      renderProjects(options);
    })
    .catch(async (error) => {
      $("picker-status").textContent = (await describe(error)).text;
      $("project-select").value = current.project;
    });
});

/** Asks for a new sign-in five minutes before the token ends, and signs out when it has. */
function watchExpiry() {
  clearInterval(expiryTimer);
  if (!session?.expiresUnix) return;
  expiryTimer = setInterval(renderExpiry, 15000);
}

function renderExpiry() {
  const note = $("expiry");
  if (!session?.expiresUnix) { note.hidden = true; return; }
  const { left, renew, over } = expiry(session.expiresUnix);
  if (over) { signOut("signin.expired"); return; }
  note.hidden = !renew;
  note.textContent = renew ? t(lang, "signin.expiring", { minutes: Math.max(1, Math.ceil(left / 60)) }) : "";
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
  /** @type {import("./pkg/cloud/ecs_password_cloud.js").ApiTarget} */
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
    const { text } = await describe(error);
    if (session !== current) return;
    status.textContent = text;
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
  // The Key Pair Service (keys the cloud holds): on the demo cloud, on this origin too; with
  // `serve --cloud huaweicloud:REGION`, the proxy's /proxy/kms route to the region's KPS (the
  // widget finds the upstream to sign for in GET /_proxy, as for the ECS route).
  const kps = family === "nova" ? null : demo?.kpsEndpoint ? sameOrigin(demo.kpsEndpoint) : proxy?.cloud?.kps ? siteHref(proxy.cloud.kps) : null;
  for (const [name, value] of [["region", session.region], ["domain-id", session.domainId], ["enterprise-project", known?.enterpriseProject], ["kps-endpoint", kps]]) {
    if (value) widget.setAttribute(name, value);
    else widget.removeAttribute(name);
  }
  widget.setAttribute("server", id);
  widget.hidden = false;
  if (!fleet.hidden) fleet.close();
  fleet.hidden = true;
}

/** Opens <ecs-password-fleet> with the signed-in session: it lists the project's servers itself. */
async function openFleet() {
  const current = session;
  if (!current) return;
  await defineFleet();
  if (session !== current) return;
  for (const [name, value] of [["endpoint", current.endpoint], ["project", current.project], ["family", current.family], ["region", current.region], ["domain-id", current.domainId]]) {
    if (value) fleet.setAttribute(name, value);
    else fleet.removeAttribute(name);
  }
  fleet.credentials = current.credentials;
  fleet.grants = current.grants;
  fleet.novaRoles = current.novaRoles;
  widget.close();
  widget.removeAttribute("server");
  widget.hidden = true;
  $("server-select").value = "";
  fleet.hidden = false;
}

$("fleet-open").addEventListener("click", () => openFleet());

$("server-select").addEventListener("change", (/** @type {Event} */ e) => openServer(/** @type {HTMLSelectElement} */ (e.target).value));
$("server-open").addEventListener("click", () => openServer($("server-id").value.trim()));

// ---- start ----------------------------------------------------------------------------------

$("endpoint").value = "";
showMethodFields();
await applyLanguage(lang);
applyTheme("auto");
loadDemo();
loadCloud();

/** The cloud `serve --cloud` presets (its identity service and region), and the region list. */
async function loadCloud() {
  proxy = await proxyInfo();
  const cloud = proxy.cloud;
  if (cloud) {
    $("cloud").value = cloud.kind;
    $("cloud").disabled = true;
    $("auth-url").value = siteHref(cloud.identity);
    if (cloud.region) $("region").value = cloud.region;
    if (cloud.kind === "openstack") $("signin-domain").value ||= "Default";
    if (cloud.compute) $("endpoint").value = siteHref(cloud.compute);
  }
  await wasmReady;
  regionTable = /** @type {typeof regionTable} */ (cloudRegions());
  showRegions();
}
