// The standalone page's types (app.js), for the type check only: no page fetches this file.
import type { ApiAuth } from "./pkg/cloud/ecs_password_cloud.js";

/** A user of the demo cloud. */
export interface Principal {
  name: string;
  token: string;
  grants?: object;
  novaRoles?: string[];
  description?: string;
  /** The demo user's password, for signing in by name (public demo credentials). */
  password?: string | null;
  /** The demo user's virtual MFA secret (base32), to show its current code. */
  totpSecret?: string | null;
}

/** A server of the picker, from any family's list. */
export interface ServerEntry {
  id: string;
  name: string;
  os: string;
  enterpriseProject: string | null;
}

/** What GET /demo answers (ecs-password serve's emulated cloud). */
export interface Demo {
  endpoint: string;
  novaEndpoint: string;
  project: { id: string };
  region?: string;
  domainId?: string;
  domainName?: string;
  /** The emulated Keystone's path on this origin (e.g. /identity). */
  identityEndpoint?: string;
  /** The emulated Huawei IAM's path on this origin (e.g. /v3). */
  iamEndpoint?: string;
  /** The emulated Key Pair Service's path on this origin (e.g. /kms). */
  kpsEndpoint?: string;
  principals?: Principal[];
  keyPairs?: Array<{ name: string; bits: number; downloads?: Array<{ href: string; format: string; passphrase?: string }> }>;
  servers: Array<{ id: string; name: string; os: string; enterpriseProjectId?: string }>;
}

/** The signed-in user, in the page module's memory only. */
export interface Session {
  credentials: ApiAuth;
  endpoint: string;
  project: string;
  family: string;
  grants: object | null;
  novaRoles: string[] | null;
  who: string;
  region: string | null;
  domainId: string | null;
  /** The project's name, when signed in by name. */
  projectName: string;
  /** The identity service signed in to (null for a typed token or AK/SK). */
  authUrl: string | null;
  /** When the token ends (Unix seconds; null when unknown). */
  expiresUnix: number | null;
  /** The user name typed (for the switcher's new session). */
  user: string;
}
