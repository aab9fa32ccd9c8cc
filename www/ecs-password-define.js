// Registers <ecs-password>; the class (widget/element.js) stays apart, so that a host can register
// it under another tag or in a scoped registry. <ecs-password-fleet> (widget/fleet.js, many
// servers at once) is registered by defineFleet(), which loads its modules only then: a page that
// shows one server does not download them.
import { EcsPasswordElement } from "./widget/element.js";

/** Registers the element as `tag` (again: harmless). @param {string} [tag] @param {CustomElementRegistry} [registry] */
export function define(tag = "ecs-password", registry = globalThis.customElements) {
  return EcsPasswordElement.define(tag, registry);
}

/**
 * Loads and registers <ecs-password-fleet> as `tag` (again: harmless); resolves to its class.
 * @param {string} [tag] @param {CustomElementRegistry} [registry]
 */
export async function defineFleet(tag = "ecs-password-fleet", registry = globalThis.customElements) {
  const { EcsPasswordFleetElement } = await import("./widget/fleet.js");
  return EcsPasswordFleetElement.define(tag, registry);
}

define();
