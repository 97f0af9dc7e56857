import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPrometheusConfig, readYamlFile, writeYamlFile, type ConfigObject } from '@modelwatch/testkit';
import { REPO_PATHS, REPO_ROOT } from './repo';
import { alertmanagerConfigForRun, prometheusConfigForRun, withQuietHours } from './stack-config';

const prometheusTemplate = () => readYamlFile(REPO_PATHS.prometheusConfig);
const alertmanagerTemplate = () => readYamlFile(REPO_PATHS.alertmanagerConfig);
const targetsOf = (config: Record<string, unknown>) =>
  Object.fromEntries((config.scrape_configs as { job_name: string; static_configs: { targets: string[] }[] }[]).map((s) => [s.job_name, s.static_configs[0]?.targets]));

describe('config/prometheus.yml for a run', () => {
  it('keeps the demo-friendly intervals and points every job at this run’s ports', () => {
    const config = prometheusConfigForRun(prometheusTemplate(), REPO_PATHS.prometheusConfig, { demo: 18080, prometheus: 19090, alertmanager: 19093 });
    expect(config.global).toMatchObject({ scrape_interval: '5s', evaluation_interval: '5s' });
    expect(targetsOf(config)).toEqual({ demo: ['127.0.0.1:18080'], prometheus: ['127.0.0.1:19090'], alertmanager: ['127.0.0.1:19093'] });
    expect(config.alerting).toEqual({ alertmanagers: [{ static_configs: [{ targets: ['127.0.0.1:19093'] }] }] });
    expect(config.rule_files).toEqual([join(REPO_ROOT, 'alerting', 'generated', 'prometheus', '*.yml')]);
  });

  it('sends every alert to each node of an HA Alertmanager, and scrapes each', () => {
    const config = prometheusConfigForRun(prometheusTemplate(), REPO_PATHS.prometheusConfig, { prometheus: 19090, alertmanager: [19093, 19095] });
    expect(targetsOf(config).alertmanager).toEqual(['127.0.0.1:19093', '127.0.0.1:19095']);
    expect(config.alerting).toEqual({ alertmanagers: [{ static_configs: [{ targets: ['127.0.0.1:19093', '127.0.0.1:19095'] }] }] });
  });

  it('drops the jobs (and alerting) of parts that do not run', () => {
    const config = prometheusConfigForRun(prometheusTemplate(), REPO_PATHS.prometheusConfig, { prometheus: 19090 });
    expect(Object.keys(targetsOf(config))).toEqual(['prometheus']);
    expect(config).not.toHaveProperty('alerting');
  });

  it('insists on the job names it rewrites', () => {
    const template = { scrape_configs: [{ job_name: 'service', static_configs: [] }] };
    expect(() => prometheusConfigForRun(template, '/x/prometheus.yml', { prometheus: 1 })).toThrow('/x/prometheus.yml: no scrape job "demo"');
  });

  it('passes promtool check config, before and after the rewrite (the rule glob may match nothing)', async () => {
    const repo = await checkPrometheusConfig(REPO_PATHS.prometheusConfig);
    expect(repo.output).toContain('SUCCESS');
    expect(repo.ok).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'stack-config-'));
    try {
      const file = join(dir, 'prometheus.yml');
      writeYamlFile(file, prometheusConfigForRun(prometheusTemplate(), REPO_PATHS.prometheusConfig, { demo: 1, prometheus: 2, alertmanager: 3 }), 'test');
      expect((await checkPrometheusConfig(file)).ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('config/alertmanager.yml for a run', () => {
  it('delivers every receiver to the run’s sink and the demo’s webhook to the run’s demo, and nothing else changes', () => {
    const template = alertmanagerTemplate();
    const config = alertmanagerConfigForRun(template, REPO_PATHS.alertmanagerConfig, 'http://127.0.0.1:40000/', undefined, 'http://127.0.0.1:41000');
    const urls = JSON.stringify(config).match(/http:\/\/127\.0\.0\.1:\d+[^"]*/g);
    expect(urls).toEqual([
      'http://127.0.0.1:40000/pagerduty/v2/enqueue',
      'http://127.0.0.1:40000/slack/modelwatch-alerts',
      'http://127.0.0.1:40000/slack/modelwatch-alerts',
      'http://127.0.0.1:40000/slack/modelwatch-info',
      'http://127.0.0.1:40000/webhook/watchdog',
      'http://127.0.0.1:41000/hooks/alertmanager',
    ]);
    // Template paths become absolute (tested below); nothing else but the sink and demo URLs changes.
    expect(JSON.stringify({ ...config, templates: template.templates }).replaceAll('40000', '9099').replaceAll('41000', '8080')).toBe(JSON.stringify(template));
  });

  it('leaves the demo’s webhook as written when no demo runs', () => {
    const config = alertmanagerConfigForRun(alertmanagerTemplate(), REPO_PATHS.alertmanagerConfig, 'http://127.0.0.1:40000/');
    expect(JSON.stringify(config)).toContain('http://127.0.0.1:8080/hooks/alertmanager');
  });

  it('replaces grouping timers on request, and makes template paths absolute', () => {
    const template = { ...alertmanagerTemplate(), templates: ['templates/*.tmpl'] };
    const config = alertmanagerConfigForRun(template, '/repo/config/alertmanager.yml', 'http://127.0.0.1:1', { group_wait: '1s', group_interval: '2s' });
    expect(config.route).toMatchObject({ group_wait: '1s', group_interval: '2s', repeat_interval: '4h' });
    // A route with timers of its own gets the run's; the others keep inheriting the root's.
    const routes = (config.route as { routes: Record<string, unknown>[] }).routes;
    const ownTimers = ((template as ConfigObject).route as { routes: Record<string, unknown>[] }).routes.map((r) => 'group_wait' in r);
    expect(routes.map((r) => ('group_wait' in r ? r.group_wait : undefined))).toEqual(ownTimers.map((own) => (own ? '1s' : undefined)));
    expect(config.templates).toEqual(['/repo/config/templates/*.tmpl']);
  });
});

describe('quiet hours pinned for a test', () => {
  const mutedRoutes = (config: Record<string, unknown>) =>
    ((config.route as { routes: { receiver: string; mute_time_intervals?: string[] }[] }).routes).filter((r) => r.mute_time_intervals).map((r) => r.receiver);

  it("'never' unmutes every route of config/alertmanager.yml and leaves the template alone", () => {
    const template = alertmanagerTemplate();
    expect(mutedRoutes(template)).toEqual(['slack-low-priority']);
    expect(mutedRoutes(withQuietHours(template, 'never'))).toEqual([]);
    expect(mutedRoutes(template)).toEqual(['slack-low-priority']);
  });

  it("'always' makes the quiet-hours interval match every moment", () => {
    const config = withQuietHours(alertmanagerTemplate(), 'always');
    expect(config.time_intervals).toEqual([{ name: 'low-priority-quiet-hours', time_intervals: [{}] }]);
    expect(mutedRoutes(config)).toEqual(['slack-low-priority']);
  });
});
