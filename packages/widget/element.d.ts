// The class alone (widget/element.js): importing it defines nothing.
export { EcsPasswordElement, proxyUpstream } from "./ecs-password-widget.js";
