/**
 * Shapes of the Alertmanager 0.25 API v2 (api/v2/openapi.yaml) the helpers send
 * and return, typed as far as tests read them.
 */

export type Labels = Record<string, string>;

/** What `POST /api/v2/alerts` takes (Prometheus sends the same). */
export interface PostableAlert {
  labels: Labels;
  annotations?: Labels;
  /** RFC 3339; Alertmanager uses "now" when left out. */
  startsAt?: string;
  /** RFC 3339; a time in the past resolves the alert. Alertmanager uses now + resolve_timeout when left out. */
  endsAt?: string;
  generatorURL?: string;
}

/** An alert as `GET /api/v2/alerts` lists it. */
export interface GettableAlert extends Required<PostableAlert> {
  fingerprint: string;
  updatedAt: string;
  receivers: { name: string }[];
  status: { state: 'unprocessed' | 'active' | 'suppressed'; silencedBy: string[]; inhibitedBy: string[] };
}

export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  /** @defaultValue true */
  isEqual?: boolean;
}

export interface PostableSilence {
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export interface GettableSilence extends PostableSilence {
  id: string;
  status: { state: 'expired' | 'active' | 'pending' };
  updatedAt: string;
}

/** `GET /api/v2/status`. */
export interface AlertmanagerStatus {
  cluster: { status: 'ready' | 'settling' | 'disabled'; name?: string; peers?: unknown[] };
  config: { original: string };
  uptime: string;
  versionInfo: { version: string; revision: string; branch: string; buildUser: string; buildDate: string; goVersion: string };
}
