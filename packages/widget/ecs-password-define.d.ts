// The registration module: importing it defines `ecs-password`.
export { define } from "./ecs-password-widget.js";
