/** Page paths and titles. */
import { APP_PAGES, appPagePath, type AppPage } from '@modelwatch/conventions';

export const PAGE_TITLES: Record<AppPage, string> = {
  [APP_PAGES.overview]: 'Overview',
  [APP_PAGES.aiModels]: 'AI models',
  [APP_PAGES.cache]: 'Cache',
  [APP_PAGES.alerts]: 'Alerts',
};

export function pageUrl(page: AppPage): string {
  return appPagePath(page);
}
