// ecs-password-widget/fleet (widget/fleet.js): <ecs-password-fleet>, many servers at once.
// Importing it defines nothing; `defineFleet()` (ecs-password-widget/define) loads and registers
// it. docs/widget.md and docs/fleet.md are the contract.
import type { EcsPasswordErrorDetail } from "./ecs-password-widget.js";
import type { EmbeddedElement } from "./embedded.js";

/** The most servers one view lists. */
export declare const MAX_SERVERS: number;

/** Where the view's servers stand (no password, no ciphertext). */
export interface FleetSummary {
  ready: number;
  notYet: number;
  never: number;
  refused: number;
  error: number;
  /** Queued or being asked. */
  pending: number;
}

/** `detail` of `ecs-password-fleet-done`: the run's counts, how many were asked, how long it took. */
export interface FleetDoneDetail extends FleetSummary {
  servers: number;
  ms: number;
}

/** The view's events (bubbling and composed), with the HTMLElement's. */
export interface EcsPasswordFleetEventMap extends HTMLElementEventMap {
  "ecs-password-fleet-done": CustomEvent<FleetDoneDetail>;
  "ecs-password-cleared": CustomEvent<{ server: string; family: string }>;
  "ecs-password-error": CustomEvent<EcsPasswordErrorDetail>;
}

/**
 * `<ecs-password-fleet>`: lists the project's servers, chooses them (all, a filter by name, tag or
 * enterprise project, by hand), loads one or more keys (each server gets the key whose
 * fingerprint is its key pair's), gets every password with `parallel` (1-16, default 8) in
 * flight, shows each row's state, reveals and copies one, clears all retrieved after one
 * confirmation, exports the ready ones to a KeePass file (or, after a warning, a CSV).
 * Attributes: `endpoint`, `upstream`, `project`, `family`, `lang`, `region`, `domain-id`,
 * `poll-interval` (seconds), `parallel`. Credentials and permissions are properties only
 * (embedded.d.ts); `close()` also stops every request and wait (the list stays). Its tag:
 * `ecs-password-fleet`.
 */
export declare class EcsPasswordFleetElement extends EmbeddedElement {
  /** Where each server stands. */
  get summary(): FleetSummary;
  addEventListener<K extends keyof EcsPasswordFleetEventMap>(type: K, listener: (this: EcsPasswordFleetElement, event: EcsPasswordFleetEventMap[K]) => any, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof EcsPasswordFleetEventMap>(type: K, listener: (this: EcsPasswordFleetElement, event: EcsPasswordFleetEventMap[K]) => any, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}
