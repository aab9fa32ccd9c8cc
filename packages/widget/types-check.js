// For tsc only (tsconfig.json; never shipped, never run): the package's hand-written declarations
// agree with the modules. Each real module must be assignable to what its .d.ts declares, so a
// renamed or retyped export, property or method fails the type check.

/** @type {typeof import("./ecs-password-widget.js")} */
export const entry = /** @type {typeof import("../../www/ecs-password-widget.js")} */ (/** @type {unknown} */ (null));
/** @type {typeof import("./ecs-password-define.js")} */
export const defineModule = /** @type {typeof import("../../www/ecs-password-define.js")} */ (/** @type {unknown} */ (null));
/** @type {typeof import("./element.js")} */
export const element = /** @type {typeof import("../../www/widget/element.js")} */ (/** @type {unknown} */ (null));
/** @type {import("./ecs-password-widget.js").EcsPasswordElement} */
export const instance = /** @type {import("../../www/widget/element.js").EcsPasswordElement} */ (/** @type {unknown} */ (null));
/** @type {typeof import("./export-client.js")} */
export const exportClient = /** @type {typeof import("../../www/widget/export-client.js")} */ (/** @type {unknown} */ (null));
/** @type {import("./embedded.js").EmbeddedElement} the base class is not constructed by hosts: its instances only */
export const embedded = /** @type {import("../../www/widget/embedded.js").EmbeddedElement} */ (/** @type {unknown} */ (null));
/** @type {typeof import("./fleet.js")} */
export const fleet = /** @type {typeof import("../../www/widget/fleet.js")} */ (/** @type {unknown} */ (null));
/** @type {import("./fleet.js").EcsPasswordFleetElement} */
export const fleetInstance = /** @type {import("../../www/widget/fleet.js").EcsPasswordFleetElement} */ (/** @type {unknown} */ (null));
