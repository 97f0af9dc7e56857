/**
 * The demo's customers (tenants): the traffic sends each request for one, in the
 * header an API gateway would set, and the service attributes its AI spend to it.
 * Three large customers, with budgets in demo/slos.yaml, and a long tail of small
 * ones: more than the exporter keeps series for, so the smallest fold into `_other`.
 */

/** The request header that names the tenant. */
export const TENANT_HEADER = 'x-tenant-id';

/** The large customers and their share of the requests. */
export const LARGE_TENANTS = [
  ['acme', 0.4],
  ['globex', 0.25],
  ['initech', 0.1],
] as const;

/** The small customers (`tenant-01` …) share the rest of the requests evenly. */
export const SMALL_TENANT_COUNT = 60;

/** The tenant of a request, from a uniform draw in [0, 1). */
export function tenantAt(draw: number): string {
  let left = draw;
  for (const [tenant, share] of LARGE_TENANTS) {
    if (left < share) return tenant;
    left -= share;
  }
  const smallShare = 1 - LARGE_TENANTS.reduce((sum, [, share]) => sum + share, 0);
  const index = Math.min(SMALL_TENANT_COUNT - 1, Math.floor((left / smallShare) * SMALL_TENANT_COUNT));
  return `tenant-${String(index + 1).padStart(2, '0')}`;
}
