/**
 * Drill-down URLs that keep the page's time range and service: Explore with
 * a query, a bundled dashboard with its variables set. Both are Grafana's own
 * URL shapes, so the same link works from a panel's data link or a button.
 */
import { toURLRange, urlUtil, type DataLink, type RawTimeRange } from '@grafana/data';
import { DASHBOARD_UID } from '@modelwatch/conventions';

export type PageDashboard = (typeof DASHBOARD_UID)[keyof typeof DASHBOARD_UID];

/** The range as Grafana writes it in URLs: relative (`now-1h`) or epoch milliseconds. */
function urlRange(range: RawTimeRange): { from: string; to: string } {
  const { from, to } = toURLRange(range);
  return { from: String(from), to: String(to) };
}

/**
 * Explore with one Prometheus query over `range`: the `panes` JSON and
 * `schemaVersion=1` of Grafana's own `getExploreUrl` (public/app/core/utils/explore.ts).
 */
export function exploreUrl(datasourceUid: string, expr: string, range: RawTimeRange): string {
  const panes = JSON.stringify({
    modelwatch: {
      datasource: datasourceUid,
      queries: [{ refId: 'A', expr, datasource: { type: 'prometheus', uid: datasourceUid } }],
      range: urlRange(range),
    },
  });
  return urlUtil.renderUrl('/explore', { schemaVersion: 1, panes, orgId: 1 });
}

/** A bundled dashboard with the page's service and range, plus any other variables (`model`…). */
export function dashboardUrl(uid: PageDashboard, range: RawTimeRange, job: string | undefined, variables: Record<string, string> = {}): string {
  const vars = Object.fromEntries(Object.entries({ job, ...variables }).flatMap(([name, value]) => (value ? [[`var-${name}`, value]] : [])));
  return urlUtil.renderUrl(`/d/${uid}`, { ...urlRange(range), ...vars });
}

/**
 * A data link whose URL holds values of the clicked row. `build` gets a
 * function standing for a field's value; the link's URL is built (and
 * encoded) once, then each stand-in becomes `${__data.fields.<name>}`, which
 * Grafana fills with the row's value URI-encoded (`getLinksSupplier` in
 * @grafana/data interpolates link URLs with `VariableFormatID.UriEncode`).
 * Field names used here must be single words.
 */
export function rowLink(title: string, build: (field: (name: string) => string) => string): DataLink {
  const names: string[] = [];
  let url = build((name) => `mwrowfield${names.push(name) - 1}x`);
  names.forEach((name, i) => {
    url = url.split(`mwrowfield${i}x`).join(`\${__data.fields.${name}}`);
  });
  return { title, url };
}
