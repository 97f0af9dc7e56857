/** Page paths, titles and links to the bundled dashboards. */
import { APP_PAGES, DASHBOARD_UID, appPagePath, type AppPage } from '@modelwatch/exporter/conventions';

export const PAGE_TITLES: Record<AppPage, string> = {
  [APP_PAGES.overview]: 'Overview',
  [APP_PAGES.aiModels]: 'AI models',
  [APP_PAGES.cache]: 'Cache',
  [APP_PAGES.alerts]: 'Alerts',
};

export type PageDashboard = (typeof DASHBOARD_UID)[keyof typeof DASHBOARD_UID];

export function pageUrl(page: AppPage): string {
  return appPagePath(page);
}

/** A bundled dashboard (plugin.json `includes`) with the page's service selected. */
export function dashboardUrl(uid: PageDashboard, job?: string): string {
  return `/d/${uid}${job ? `?var-job=${encodeURIComponent(job)}` : ''}`;
}
