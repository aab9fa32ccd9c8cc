// The registration module: importing it defines `ecs-password`; `defineFleet()` loads and defines
// `ecs-password-fleet`.
export { define } from "./ecs-password-widget.js";

/** Loads widget/fleet.js and registers <ecs-password-fleet> as `tag` (again: harmless); resolves to its class. */
export declare function defineFleet(tag?: string, registry?: CustomElementRegistry): Promise<CustomElementConstructor | undefined>;
