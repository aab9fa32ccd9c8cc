// What both elements share (widget/embedded.js): registration, the host's credentials, grants
// and Nova roles (properties, never attributes), the language, and forgetting. <ecs-password>
// (ecs-password-widget.d.ts) and <ecs-password-fleet> (fleet.d.ts) extend it.
import type { ApiAuth } from "./pkg/cloud/ecs_password_cloud.js";

export declare class EmbeddedElement extends HTMLElement {
  /** The tag `define()` registers by default. */
  static tag: string;
  static observedAttributes: string[];
  /** Observed attributes that take effect without loading again. */
  static liveAttributes: readonly string[];
  /** Registers the element as `tag` (default: its `tag`); a second call changes nothing. */
  static define(tag?: string, registry?: CustomElementRegistry): CustomElementConstructor | undefined;
  /** The credentials (write-only: reading gives `undefined`); `getCredentials` wins when both are set. */
  set credentials(value: ApiAuth | null | undefined);
  get credentials(): undefined;
  /** Whether credentials or a callback are set. */
  get hasCredentials(): boolean;
  /** Called before each request, so that the host can refresh its token. */
  get getCredentials(): (() => Promise<ApiAuth> | ApiAuth) | null;
  set getCredentials(callback: (() => Promise<ApiAuth> | ApiAuth) | null);
  /** The user's IAM grants (`{grants: [...]}`, docs/permissions.md), to choose the family and explain access before calling. */
  get grants(): object | null;
  set grants(value: object | null | undefined);
  /** The user's Keystone roles (the Nova family), to decide access before calling. */
  get novaRoles(): string[] | null;
  set novaRoles(value: string[] | null | undefined);
  /** The `lang` attribute, else the nearest `lang` or the browser's language (`en` or `zh`). */
  get lang(): string;
  set lang(value: string);
  /** Forgets what the element holds: the key or keys (the worker wiped and ended) and every password. */
  close(options?: { quiet?: boolean }): void;
  connectedCallback(): void;
  disconnectedCallback(): void;
  attributeChangedCallback(name: string, old: string | null, value: string | null): void;
}
