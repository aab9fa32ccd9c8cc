// The public types of <ecs-password>, hand-written for the npm package (the modules carry JSDoc;
// packages/widget/types-check.js has tsc check that they agree). docs/widget.md is the contract.
import type { ApiAuth } from "./pkg/cloud/ecs_password_cloud.js";

export type { ApiAuth };

/** The API families: `auto` lets the permissions (else v1) decide. */
export type Family = "auto" | "v1" | "v2" | "v2.1" | "nova";

/**
 * `<ecs-password>`: get, clear and reset a Windows server's password with the user's private
 * key, which stays in a Web Worker. Attributes: `endpoint`, `upstream`, `project`, `server`,
 * `family` ({@link Family}), `lang` (`en`, `zh`), `region`, `domain-id`, `enterprise-project`,
 * `poll-interval` (seconds), `kps-endpoint` and `kps-upstream` (keys the cloud holds: Huawei KPS).
 * Credentials and permissions are properties, never attributes.
 */
export declare class EcsPasswordElement extends HTMLElement {
  static observedAttributes: string[];
  /** Registers the element as `tag` (default `ecs-password`); a second call changes nothing. */
  static define(tag?: string, registry?: CustomElementRegistry): CustomElementConstructor | undefined;
  /** The credentials (write-only: reading gives `undefined`); `getCredentials` wins when both are set. */
  set credentials(value: ApiAuth | null | undefined);
  get credentials(): undefined;
  /** Whether credentials or a callback are set. */
  get hasCredentials(): boolean;
  /** Called before each request, so that the host can refresh its token. */
  get getCredentials(): (() => Promise<ApiAuth> | ApiAuth) | null;
  set getCredentials(callback: (() => Promise<ApiAuth> | ApiAuth) | null);
  /** The user's IAM grants (`{grants: [...]}`, docs/permissions.md), to explain access before calling. */
  get grants(): object | null;
  set grants(value: object | null | undefined);
  /** The user's Keystone roles (the Nova family), to decide access before calling. */
  get novaRoles(): string[] | null;
  set novaRoles(value: string[] | null | undefined);
  /** The `lang` attribute, else the nearest `lang` or the browser's language (`en` or `zh`). */
  get lang(): string;
  set lang(value: string);
  /** Forgets the key (the worker wiped and ended), the password and the inputs. */
  close(options?: { quiet?: boolean }): void;
  connectedCallback(): void;
  disconnectedCallback(): void;
  attributeChangedCallback(name: string, old: string | null, value: string | null): void;
  addEventListener<K extends keyof EcsPasswordEventMap>(type: K, listener: (this: EcsPasswordElement, event: EcsPasswordEventMap[K]) => any, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof EcsPasswordEventMap>(type: K, listener: (this: EcsPasswordElement, event: EcsPasswordEventMap[K]) => any, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/** Registers the element as `tag` (default `ecs-password`; again: harmless). */
export declare function define(tag?: string, registry?: CustomElementRegistry): CustomElementConstructor | undefined;

/**
 * The cloud endpoint behind a same-origin proxy path of `ecs-password serve` (its `GET /_proxy`
 * under the page's base), which AK/SK requests are signed for; null when there is none.
 */
export declare function proxyUpstream(endpoint: string): Promise<string | null>;

/** `detail` of `ecs-password-retrieved`, `-cleared` and `-reset` (never a secret). */
export interface EcsPasswordDetail {
  server: string | null;
  family: string | undefined;
}

/** `detail` of `ecs-password-error`. */
export interface EcsPasswordErrorDetail {
  code: string;
  operation: string;
  server: string | null;
  status: number | null;
  cloudCode: string | null;
  requestId: string | null;
}

/** The element's events (bubbling and composed), with the HTMLElement's. */
export interface EcsPasswordEventMap extends HTMLElementEventMap {
  "ecs-password-retrieved": CustomEvent<EcsPasswordDetail>;
  "ecs-password-cleared": CustomEvent<EcsPasswordDetail>;
  "ecs-password-reset": CustomEvent<EcsPasswordDetail>;
  "ecs-password-error": CustomEvent<EcsPasswordErrorDetail>;
}

declare global {
  interface HTMLElementTagNameMap {
    "ecs-password": EcsPasswordElement;
  }
}
