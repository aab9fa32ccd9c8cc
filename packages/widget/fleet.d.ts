// ecs-password-widget/fleet (widget/fleet.js): <ecs-password-fleet>, many servers at once.
// Importing it defines nothing; `defineFleet()` (ecs-password-widget/define) loads and registers
// it. docs/widget.md and docs/fleet.md are the contract.
import type { ApiAuth } from "./pkg/cloud/ecs_password_cloud.js";
import type { EcsPasswordErrorDetail } from "./ecs-password-widget.js";

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
 * `poll-interval` (seconds), `parallel`. Credentials and permissions are properties only.
 */
export declare class EcsPasswordFleetElement extends HTMLElement {
  static observedAttributes: string[];
  /** Registers the element as `tag` (default `ecs-password-fleet`); a second call changes nothing. */
  static define(tag?: string, registry?: CustomElementRegistry): CustomElementConstructor | undefined;
  set credentials(value: ApiAuth | null | undefined);
  get credentials(): undefined;
  get hasCredentials(): boolean;
  get getCredentials(): (() => Promise<ApiAuth> | ApiAuth) | null;
  set getCredentials(callback: (() => Promise<ApiAuth> | ApiAuth) | null);
  get grants(): object | null;
  set grants(value: object | null | undefined);
  get novaRoles(): string[] | null;
  set novaRoles(value: string[] | null | undefined);
  get lang(): string;
  set lang(value: string);
  /** Where each server stands. */
  get summary(): FleetSummary;
  /** Stops every request and wait, forgets the keys (the worker wiped and ended) and every password; the list stays. */
  close(options?: { quiet?: boolean }): void;
  connectedCallback(): void;
  disconnectedCallback(): void;
  attributeChangedCallback(name: string, old: string | null, value: string | null): void;
  addEventListener<K extends keyof EcsPasswordFleetEventMap>(type: K, listener: (this: EcsPasswordFleetElement, event: EcsPasswordFleetEventMap[K]) => any, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof EcsPasswordFleetEventMap>(type: K, listener: (this: EcsPasswordFleetElement, event: EcsPasswordFleetEventMap[K]) => any, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}
