// The example console: it owns the sign-in, so it gives <ecs-password> a credentials callback
// and listens to the widget's events (which never carry a secret).
import { define } from "./ecs-password-widget.js";
import { siteUrl, siteHref } from "./widget/site.js";

define(); // a second registration is harmless
const widget = /** @type {import("./widget/element.js").EcsPasswordElement} */ (document.getElementById("ecs"));
const events = /** @type {HTMLElement} */ (document.getElementById("events"));

for (const name of ["ecs-password-retrieved", "ecs-password-cleared", "ecs-password-reset", "ecs-password-error"]) {
  document.addEventListener(name, (event) => {
    const li = document.createElement("li");
    li.dataset.event = name;
    li.textContent = `${name} ${JSON.stringify(/** @type {CustomEvent} */ (event).detail)}`;
    events.append(li);
  });
}

async function start() {
  const response = await fetch(siteUrl("/demo"));
  if (!response.ok) {
    events.textContent = "This example needs the demo cloud (ecs-password serve without --state).";
    return;
  }
  /** @type {{ principals: Array<{ name: string, token: string, grants: object }>, endpoint?: string, project: { id: string }, region: string, domainId?: string, servers: Array<{ id: string, name: string, enterpriseProjectId?: string }> }} */
  const demo = await response.json();
  const admin = demo.principals.find((p) => p.name === "admin") ?? demo.principals[0];
  // A real console would return its session's token here (and refresh it when it expires).
  widget.getCredentials = async () => ({ token: admin.token });
  widget.grants = admin.grants;
  widget.setAttribute("endpoint", siteHref(new URL(demo.endpoint ?? "/", "http://x").pathname));
  widget.setAttribute("project", demo.project.id);
  widget.setAttribute("region", demo.region);
  if (demo.domainId) widget.setAttribute("domain-id", demo.domainId);
  const select = /** @type {HTMLSelectElement} */ (document.getElementById("server"));
  for (const s of demo.servers) select.append(new Option(`${s.name} (${s.id})`, s.id));
  const open = () => {
    const server = demo.servers.find((s) => s.id === select.value);
    if (!server) return;
    widget.setAttribute("enterprise-project", server.enterpriseProjectId ?? "0");
    widget.setAttribute("server", server.id);
  };
  select.addEventListener("change", open);
  open();
}

start();
