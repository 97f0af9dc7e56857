import { nonEmptyString, type Shape } from '../options/schema';

/**
 * The integrations' `tenant` and `feature` options: for a client made for one tenant
 * (its own API key) or one feature. They attribute every call of the client, over the
 * `mw.attribute()` scope the call runs in. Need `createModelwatch({ attribution: true })`.
 */
export interface ClientAttributionOptions {
  /** The tenant every call of this client is for. */
  tenant?: string;
  /** The feature every call of this client serves. */
  feature?: string;
}

export const CLIENT_ATTRIBUTION_OPTIONS: Shape<ClientAttributionOptions> = { tenant: nonEmptyString, feature: nonEmptyString };
