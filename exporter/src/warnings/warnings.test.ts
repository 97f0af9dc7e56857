import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { beforeEach, describe, expect, it } from 'vitest';
import { instrumentAnthropic } from '../integrations/anthropic';
import { instrumentOpenAI } from '../integrations/openai';
import { createModelwatch } from '../modelwatch';
import { WARNING_CODE, Warnings, type ModelwatchWarning } from './warnings';

function collector() {
  const warnings: ModelwatchWarning[] = [];
  return { warnings, warn: (warning: ModelwatchWarning) => void warnings.push(warning) };
}

describe('a second instance in one process', () => {
  beforeEach(() => {
    // The count is process-wide by design; each test starts from a process without instances.
    delete (globalThis as Record<symbol, unknown>)[Symbol.for('modelwatch.instances')];
  });

  it('is reported once, by the second instance, with how to share one', () => {
    const first = collector();
    const second = collector();
    const third = collector();
    createModelwatch({ defaultMetrics: false, warn: first.warn });
    createModelwatch({ defaultMetrics: false, warn: second.warn });
    createModelwatch({ defaultMetrics: false, warn: third.warn });
    expect(first.warnings).toEqual([]);
    expect(second.warnings).toEqual([{ code: WARNING_CODE.secondInstance, message: expect.stringContaining('Create one with createModelwatch() in a module of its own and import it') }]);
    expect(third.warnings).toEqual([]);
  });

  it('becomes a process warning with its code when no warn hook is given', async () => {
    createModelwatch({ defaultMetrics: false });
    const emitted = new Promise<Error & { code?: string }>((resolve) => process.once('warning', resolve));
    createModelwatch({ defaultMetrics: false });
    const warning = await emitted;
    expect({ name: warning.name, code: warning.code }).toEqual({ name: 'ModelwatchWarning', code: 'MODELWATCH_SECOND_INSTANCE' });
  });
});

describe('a client instrumented twice', () => {
  it.each([
    ['instrumentOpenAI', (mw: Parameters<typeof instrumentOpenAI>[1]) => instrumentOpenAI(openai, mw)],
    ['instrumentAnthropic', (mw: Parameters<typeof instrumentAnthropic>[1]) => instrumentAnthropic(anthropic, mw)],
  ])('%s: is reported once by the instance of the second call, which changes nothing', (name, instrument) => {
    const first = collector();
    const second = collector();
    const mw1 = createModelwatch({ defaultMetrics: false, warn: first.warn });
    const mw2 = createModelwatch({ defaultMetrics: false, warn: second.warn });
    instrument(mw1);
    instrument(mw2);
    instrument(mw2);
    expect(first.warnings.filter((w) => w.code === WARNING_CODE.clientInstrumentedTwice)).toEqual([]);
    expect(second.warnings.filter((w) => w.code === WARNING_CODE.clientInstrumentedTwice)).toEqual([
      { code: WARNING_CODE.clientInstrumentedTwice, message: expect.stringContaining(`${name}() was called on a client it had already instrumented`) },
    ]);
  });
});

const openai = new OpenAI({ apiKey: 'test-key', baseURL: 'http://127.0.0.1:9/v1' });
const anthropic = new Anthropic({ apiKey: 'test-key', baseURL: 'http://127.0.0.1:9' });

describe('Warnings', () => {
  it('reports each code once, and never lets a throwing handler reach the app', () => {
    let calls = 0;
    const warnings = new Warnings(() => {
      calls++;
      throw new Error('broken log transport');
    });
    expect(() => warnings.once(WARNING_CODE.secondInstance, 'a')).not.toThrow();
    expect(() => warnings.once(WARNING_CODE.secondInstance, 'b')).not.toThrow();
    warnings.once(WARNING_CODE.clientInstrumentedTwice, 'c');
    expect(calls).toBe(2);
  });
});
