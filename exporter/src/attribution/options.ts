import { DEFAULT_ATTRIBUTED_FEATURES, DEFAULT_ATTRIBUTED_TENANTS } from '@modelwatch/conventions';
import { arrayOf, boolean, nonEmptyString, objectOf, oneOf, positiveInteger, type Shape } from '../options/schema';

export interface AttributionOptions {
  /**
   * Tenants whose spend keeps series of their own: the top spenders of the last hours.
   * The others are counted under `tenant="_other"`. @defaultValue 50
   */
  topTenants?: number;
  /** Tenants always kept, whatever they spend: give those with a budget in the SLO spec. @defaultValue `[]` */
  pinnedTenants?: readonly string[];
  /** Distinct features kept; later ones are counted under `feature="_other"`. @defaultValue 20 */
  features?: number;
  /**
   * Tenant ids are personal data: label and log a keyed hash instead (the first 16 hex digits of
   * SHA-256 over `salt` and the id). Pinned tenants are hashed too; the SLO spec names them by hash.
   * @defaultValue false
   */
  hashTenants?: boolean | { salt: string };
}

export const ATTRIBUTION_OPTIONS: Shape<AttributionOptions> = {
  topTenants: positiveInteger,
  pinnedTenants: arrayOf(nonEmptyString),
  features: positiveInteger,
  hashTenants: oneOf(boolean, objectOf<{ salt: string }>({ salt: nonEmptyString }, ['salt'])),
};

export interface ResolvedAttributionOptions {
  readonly topTenants: number;
  readonly pinnedTenants: readonly string[];
  readonly features: number;
  /** The salt, or undefined when tenants are not hashed. */
  readonly salt: string | undefined;
}

export function resolveAttributionOptions(options: AttributionOptions = {}): ResolvedAttributionOptions {
  const hash = options.hashTenants ?? false;
  return {
    topTenants: options.topTenants ?? DEFAULT_ATTRIBUTED_TENANTS,
    pinnedTenants: options.pinnedTenants ?? [],
    features: options.features ?? DEFAULT_ATTRIBUTED_FEATURES,
    salt: hash === false ? undefined : hash === true ? '' : hash.salt,
  };
}

/** Series the attributed counters may need: every kept tenant (and `_other`, `_none`) by every kept feature (and `_other`, `_none`). */
export function attributedSeriesBound(options: ResolvedAttributionOptions): number {
  return (options.topTenants + options.pinnedTenants.length + 2) * (options.features + 2);
}
