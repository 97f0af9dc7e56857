import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ALERT, APP_PLUGIN_ID, DASHBOARD_UID, DATASOURCE_UID } from '@modelwatch/conventions';
import { REPO_ROOT } from '../repo';
import { OUTPUT } from '../generate';
import { PROMETHEUS_GRAFANA_BASE } from '../annotations';
import { RECEIVER } from '../catalogue/routing';
import { EXPRESSION_DATASOURCE_UID, RULES_PAUSED_ENV } from './provisioning';

// Checked against the file-provisioning format of Grafana's alerting
// (pkg/services/provisioning/alerting types): required keys, their types and
// the references between files, since no Grafana server can run here.
type Json = Record<string, unknown>;
const read = (path: string): Json => parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as Json;
const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringMap = (v: unknown) => isObject(v) && Object.values(v).every((x) => typeof x === 'string');
const DURATION = /^\d+[smhd]$/;
const array = (v: unknown): Json[] => {
  expect(Array.isArray(v)).toBe(true);
  return v as Json[];
};

/** Datasource uids provisioned by provisioning/datasources/*.yaml. */
function provisionedDatasourceUids(): string[] {
  const dir = join(REPO_ROOT, 'provisioning', 'datasources');
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .flatMap((f) => array((parse(readFileSync(join(dir, f), 'utf8')) as Json).datasources).map((d) => String(d.uid)));
}

const files = {
  rules: read(OUTPUT.grafanaRules),
  contactPoints: read(OUTPUT.grafanaContactPoints),
  policies: read(OUTPUT.grafanaPolicies),
  templates: read(OUTPUT.grafanaTemplates),
  muteTimings: read(OUTPUT.grafanaMuteTimings),
};

describe('Grafana alerting provisioning', () => {
  it('every file is apiVersion 1', () => {
    for (const file of Object.values(files)) expect(file.apiVersion).toBe(1);
  });

  it('rule groups have the required keys and types, unique uids, and conditions that name a query', () => {
    const uids = new Set<string>();
    const datasources = [...provisionedDatasourceUids(), EXPRESSION_DATASOURCE_UID];
    expect(datasources).toContain(DATASOURCE_UID.prometheus);
    for (const group of array(files.rules.groups)) {
      expect(group.orgId).toBe(1);
      expect(isString(group.name) && isString(group.folder)).toBe(true);
      expect(group.interval).toMatch(DURATION);
      for (const rule of array(group.rules)) {
        expect(rule.uid).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
        expect(uids.has(String(rule.uid)), `duplicate uid ${String(rule.uid)}`).toBe(false);
        uids.add(String(rule.uid));
        // Grafana refuses an empty title or one over 190 characters (pkg/services/ngalert/api/validation/api_ruler_validation.go, AlertRuleMaxTitleLength).
        expect(isString(rule.title) && rule.title.length > 0 && rule.title.length <= 190, String(rule.title)).toBe(true);
        const data = array(rule.data);
        const refIds = data.map((d) => d.refId);
        expect(refIds).toContain(rule.condition);
        for (const query of data) {
          expect(datasources).toContain(query.datasourceUid);
          expect(isObject(query.relativeTimeRange) && typeof query.relativeTimeRange.from === 'number' && typeof query.relativeTimeRange.to === 'number').toBe(true);
          const model = query.model as Json;
          expect(model.refId).toBe(query.refId);
          if (query.datasourceUid === EXPRESSION_DATASOURCE_UID) {
            expect(model.type).toBe('threshold');
            expect(refIds).toContain(model.expression);
            const evaluator = (array(model.conditions)[0] as { evaluator: { type: string; params: unknown[] } }).evaluator;
            expect(['gt', 'lt']).toContain(evaluator.type);
            expect(typeof evaluator.params[0]).toBe('number');
          } else {
            expect(isString(model.expr)).toBe(true);
          }
        }
        expect(['Alerting', 'NoData', 'OK', 'KeepLast']).toContain(rule.noDataState);
        expect(['Alerting', 'Error', 'OK', 'KeepLast']).toContain(rule.execErrState);
        expect(rule.for).toMatch(DURATION);
        expect(isStringMap(rule.annotations) && isStringMap(rule.labels)).toBe(true);
        for (const key of ['summary', 'description', 'runbook_url', 'dashboard_url', 'plugin_url']) expect(isString((rule.annotations as Json)[key]), key).toBe(true);
        // Grafana's name for the query value, not Prometheus' $value.
        expect(String((rule.annotations as Json).description)).toContain('$values.A.Value');
      }
    }
  });

  it("titles every rule with its alertname label, which Grafana overwrites with the title (so the watchdog's route matches)", () => {
    // pkg/services/ngalert/state/state.go, GetRuleExtraLabels: alertname = rule.Title. Repeated titles are allowed since grafana/grafana#102067.
    const rules = array(files.rules.groups).flatMap((group) => array(group.rules));
    for (const rule of rules) expect(rule.title).toBe((rule.labels as Json).alertname);
    const [policy] = array(files.policies.policies);
    const watchdogRoute = array(policy!.routes).find((route) => route.receiver === RECEIVER.watchdog)!;
    const watchdogRules = rules.filter((rule) => (watchdogRoute.object_matchers as unknown as [string, string, string][]).every(([name, , value]) => (name === 'alertname' ? rule.title : (rule.labels as Json)[String(name)]) === value));
    expect(watchdogRules.map((rule) => rule.title)).toEqual([ALERT.watchdog]);
  });

  it("links to Grafana through its own root URL, never a fixed host", () => {
    const text = readFileSync(join(REPO_ROOT, OUTPUT.grafanaRules), 'utf8');
    expect(text).not.toMatch(/https?:\/\/(localhost|127\.0\.0\.1)/);
    for (const rule of array(files.rules.groups).flatMap((group) => array(group.rules))) {
      const annotations = rule.annotations as Json;
      // Grafana's root_url always ends with / (pkg/setting/setting.go, parseAppUrlAndSubUrl); rule templates print it with externalURL.
      expect(annotations.dashboard_url).toMatch(new RegExp(`^\\{\\{ externalURL \\}\\}d/(${Object.values(DASHBOARD_UID).join('|')})\\?`));
      expect(annotations.plugin_url).toMatch(new RegExp(`^\\{\\{ externalURL \\}\\}a/${APP_PLUGIN_ID}/`));
    }
  });

  it("links Prometheus' rules to the Grafana URL docker-compose's Prometheus renders them with", () => {
    const renderer = readFileSync(join(REPO_ROOT, 'provisioning/compose/prometheus/render-config.sh'), 'utf8');
    expect(renderer).toContain(`from = "${PROMETHEUS_GRAFANA_BASE}"`);
    expect(readFileSync(join(REPO_ROOT, OUTPUT.alertRules), 'utf8')).toContain(`dashboard_url: ${PROMETHEUS_GRAFANA_BASE}d/`);
  });

  it('pauses or runs every rule through one environment variable (one notification path at a time)', () => {
    // Grafana expands ${VAR} in isPaused, then parses a boolean (pkg/services/provisioning/values/values.go, BoolValue).
    for (const rule of array(files.rules.groups).flatMap((group) => array(group.rules))) expect(rule.isPaused).toBe(`\${${RULES_PAUSED_ENV}}`);
  });

  it('contact points take their secrets from environment variables, with the settings each integration requires', () => {
    const required: Record<string, string> = { pagerduty: 'integrationKey', slack: 'url', webhook: 'url' };
    for (const point of array(files.contactPoints.contactPoints)) {
      expect(isString(point.name)).toBe(true);
      for (const receiver of array(point.receivers)) {
        expect(isString(receiver.uid)).toBe(true);
        const key = required[String(receiver.type)];
        expect(key, `type ${String(receiver.type)}`).toBeDefined();
        expect((receiver.settings as Json)[key!]).toMatch(/^\$\{[A-Z_]+\}$/);
      }
    }
  });

  it('the policy tree routes to provisioned contact points and mute timings, and templates used are defined', () => {
    const contactPoints = array(files.contactPoints.contactPoints).map((p) => p.name);
    const muteTimings = array(files.muteTimings.muteTimes).map((m) => m.name);
    const [policy] = array(files.policies.policies);
    expect(contactPoints).toContain(policy!.receiver);
    for (const route of array(policy!.routes)) {
      expect(contactPoints).toContain(route.receiver);
      for (const matcher of array(route.object_matchers)) expect(matcher).toEqual([expect.any(String), '=', expect.any(String)]);
      for (const name of (route.mute_time_intervals as string[] | undefined) ?? []) expect(muteTimings).toContain(name);
    }
    const defined = array(files.templates.templates).flatMap((t) => [...String(t.template).matchAll(/\{\{ define "([^"]+)"/g)].map((m) => m[1]));
    const used = [...JSON.stringify(files.contactPoints).matchAll(/template \\"([^\\]+)\\"/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(defined).toContain(name);
  });
});
