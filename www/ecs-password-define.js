// Registers <ecs-password>; the class (widget/element.js) stays apart, so that a host can register
// it under another tag or in a scoped registry.
import { EcsPasswordElement } from "./widget/element.js";

/** Registers the element as `tag` (again: harmless). @param {string} [tag] @param {CustomElementRegistry} [registry] */
export function define(tag = "ecs-password", registry = globalThis.customElements) {
  return EcsPasswordElement.define(tag, registry);
}

define();
