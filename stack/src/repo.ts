/**
 * Where things are in the repo. The stack runs the repo's own configs and the
 * demo's built entry points; both dist/ (compiled) and src/ (vitest) sit two
 * levels below the root.
 */
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export const REPO_PATHS = {
  /** Prometheus config of the local stack (scrape jobs, rule files, Alertmanager). */
  prometheusConfig: join(REPO_ROOT, 'config', 'prometheus.yml'),
  /** Alertmanager config of the local stack (routing to the notification sink). */
  alertmanagerConfig: join(REPO_ROOT, 'config', 'alertmanager.yml'),
  /** The demo AI service (`demo/` workspace, built). */
  demoService: join(REPO_ROOT, 'demo', 'dist', 'service', 'main.js'),
  /** The demo's traffic generator CLI (built). */
  trafficCli: join(REPO_ROOT, 'demo', 'dist', 'traffic', 'cli.js'),
} as const;
