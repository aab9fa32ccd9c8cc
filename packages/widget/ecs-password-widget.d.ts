// The public types of <ecs-password>, hand-written for the npm package (the modules carry JSDoc;
// packages/widget/types-check.js has tsc check that they agree). docs/widget.md is the contract.
import type { ApiAuth } from "./pkg/cloud/ecs_password_cloud.js";
import type { EmbeddedElement } from "./embedded.js";

export type { ApiAuth, EmbeddedElement };

/** The API families: `auto` lets the permissions (else v1) decide. */
export type Family = "auto" | "v1" | "v2" | "v2.1" | "nova";

/**
 * `<ecs-password>`: get, clear and reset a Windows server's password with the user's private
 * key, which stays in a Web Worker. Attributes: `endpoint`, `upstream`, `project`, `server`,
 * `family` ({@link Family}), `lang` (`en`, `zh`), `region`, `domain-id`, `enterprise-project`,
 * `poll-interval` (seconds), `kps-endpoint` and `kps-upstream` (keys the cloud holds: Huawei KPS).
 * Credentials and permissions are properties, never attributes (embedded.d.ts, shared with
 * <ecs-password-fleet>); `close()` also empties the inputs. Its tag: `ecs-password`.
 */
export declare class EcsPasswordElement extends EmbeddedElement {
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
