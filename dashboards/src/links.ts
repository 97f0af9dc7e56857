/**
 * Links in every dashboard's header: to the other Modelwatch dashboards
 * (keeping the time range and variables) and to the app plugin's pages.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { APP_PAGES, appPagePath, type AppPage } from '@modelwatch/conventions';

export interface DashboardRef {
  uid: string;
  title: string;
}

const APP_PAGE_TITLES: Record<AppPage, string> = {
  [APP_PAGES.overview]: 'App: Overview',
  [APP_PAGES.aiModels]: 'App: AI models',
  [APP_PAGES.cache]: 'App: Cache',
  [APP_PAGES.alerts]: 'App: Alerts',
};

/** Grafana's URL of a dashboard by uid (the slug is optional). */
export function dashboardUrl(uid: string): string {
  return `/d/${uid}`;
}

export function dashboardLinks(self: string, all: readonly DashboardRef[]): dashboard.DashboardLinkBuilder[] {
  const toDashboards = all
    .filter((ref) => ref.uid !== self)
    .map((ref) => new dashboard.DashboardLinkBuilder(ref.title).type(dashboard.DashboardLinkType.Link).url(dashboardUrl(ref.uid)).icon('dashboard').includeVars(true).keepTime(true).asDropdown(false).targetBlank(false).tags([]));
  const toApp = Object.values(APP_PAGES).map((page) =>
    new dashboard.DashboardLinkBuilder(APP_PAGE_TITLES[page]).type(dashboard.DashboardLinkType.Link).url(appPagePath(page)).icon('apps').includeVars(false).keepTime(true).asDropdown(false).targetBlank(false).tags([]),
  );
  return [...toDashboards, ...toApp];
}
