// Where the server's own routes are for this page. `ecs-password serve` names them as paths from
// its root (`/_proxy`, `/demo`, the emulated cloud's endpoints, the proxy's prefixes), and its root
// is the page's base, whatever sub-path a deployment puts it under (behind a reverse proxy at
// `/tools/ecs/`, `/_proxy` is `/tools/ecs/_proxy`). Served at the root, nothing changes; on a
// plain static server they answer 404, which the pages and the widget take as "not there".

/**
 * `path`, a path from the server's root, as a URL under the page's base (`document.baseURI`).
 * An absolute URL stays as it is.
 * @param {string} path
 */
export function siteUrl(path) {
  const base = globalThis.document?.baseURI ?? globalThis.location.href;
  // "/x" becomes "./x": relative to the base's directory (for "/", the directory itself).
  return new URL(path.replace(/^\/(?!\/)/, "./"), base);
}

/** The same, as text without a trailing slash (how endpoints are compared and given). @param {string} path */
export const siteHref = (path) => siteUrl(path).href.replace(/\/$/, "");
