import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT } from '@modelwatch/conventions';
import { staleFiles } from './cli';
import { REPO_ROOT } from './repo';
import { DEMO_SPEC, OUTPUT, generatedFiles } from './generate';
import { alertRules } from './catalogue/catalogue';
import { loadSpec } from './slo-spec/load';
import { serviceObjectives } from './slo-spec/objectives';

const spec = loadSpec(join(REPO_ROOT, DEMO_SPEC));
const ALERT_RULES = alertRules(serviceObjectives(spec));

describe('generated alerting files', () => {
  it('are committed exactly as the generator writes them (run `npm run alerts` after changing the spec)', () => {
    expect(staleFiles()).toEqual([]);
  });

  it('cover the whole catalogue: every alert name has rules and a runbook, and no runbook outlives its alert', () => {
    const files = generatedFiles(spec);
    for (const name of Object.values(ALERT)) {
      expect(ALERT_RULES.some((rule) => rule.name === name), name).toBe(true);
      expect(files.has(`${OUTPUT.runbooks}/${name}.md`), name).toBe(true);
      expect(existsSync(join(REPO_ROOT, OUTPUT.runbooks, `${name}.md`)), name).toBe(true);
    }
    expect(readdirSync(join(REPO_ROOT, OUTPUT.runbooks)).sort()).toEqual(Object.values(ALERT).map((name) => `${name}.md`).sort());
  });

  it('give each runbook its meaning, causes, first checks with PromQL and mitigation', () => {
    for (const [path, content] of generatedFiles(spec)) {
      if (!path.startsWith(OUTPUT.runbooks)) continue;
      for (const heading of ['## Meaning', '## Likely causes', '## First checks', '## Mitigation']) expect(content, path).toContain(heading);
      expect(content, path).toMatch(/```promql\n.+\n```/);
    }
  });

  it('keep secrets out of the production Alertmanager config', () => {
    const production = generatedFiles(spec).get(OUTPUT.alertmanager)!;
    expect(production).toContain('routing_key_file:');
    expect(production).toContain('api_url_file:');
    expect(production).not.toMatch(/routing_key:|api_url:|127\.0\.0\.1/);
  });
});
