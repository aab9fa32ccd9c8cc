// <ecs-password>: get, clear and reset a Windows server's password, embeddable in any console.
// This entry point registers the element and re-exports it. docs/widget.md has the attributes,
// properties and events, and what each module in widget/ owns.
export { EcsPasswordElement, proxyUpstream } from "./widget/element.js";
export { define, defineFleet } from "./ecs-password-define.js";
