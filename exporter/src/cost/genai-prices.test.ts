import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// In a fresh process, as an app starts: which modules are loaded after each step.
const exporterDir = join(__dirname, '..', '..');
const STEPS = `
  const loaded = () => Object.keys(require.cache).some((file) => file.includes('@pydantic/genai-prices'));
  const steps = {};
  const { createModelwatch } = require('./src/index.ts');
  steps.imported = loaded();
  const mw = createModelwatch({ defaultMetrics: false, warn: () => {} });
  mw.observeCache('answers');
  mw.recordAiCall({ provider: 'openai', model: 'gpt-4o-mini' }, { durationSeconds: 1 });
  steps.createdAndUnpricedCall = loaded();
  mw.recordAiCall({ provider: 'openai', model: 'gpt-4o-mini' }, { durationSeconds: 1, usage: { prompt_tokens: 100, completion_tokens: 20 } });
  steps.pricedCall = loaded();
  mw.metrics().then((text) => {
    steps.costRecorded = /^modelwatch_gen_ai_cost_usd_total\\{.*\\} [0-9.e-]+$/m.test(text);
    console.log(JSON.stringify(steps));
  });
`;

describe('the bundled price table', () => {
  it('is loaded at the first call that needs a price, not at import or creation, and that call is priced', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', STEPS], { cwd: exporterDir, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ imported: false, createdAndUnpricedCall: false, pricedCall: true, costRecorded: true });
  });
});
