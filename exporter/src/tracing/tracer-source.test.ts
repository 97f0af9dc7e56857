import { execFileSync } from 'node:child_process';
import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createModelwatch } from '../modelwatch';
import { registerTestSdk } from './__fixtures__/otel-sdk';
import { otelApiInUse } from './otel-api-global';
import { TRACER_NAME, TracerSource } from './tracer-source';

describe('otelApiInUse', () => {
  it('is false after the API is only imported, and true once an SDK registers with it (the key the API itself uses)', async () => {
    // A fresh process: this one's API may have had registrations from other tests.
    const script = "require('@opentelemetry/api'); process.stdout.write(String(globalThis[Symbol.for('opentelemetry.js.api.1')] === undefined))";
    expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })).toBe('true');
    const sdk = registerTestSdk();
    try {
      expect(otelApiInUse()).toBe(true);
    } finally {
      await sdk.shutdown();
    }
  });
});

describe('TracerSource', () => {
  it('gives no tracer while no SDK is registered, the SDK’s once one is, and none again after it is removed', async () => {
    const source = new TracerSource(undefined);
    expect(source.current()).toBeUndefined();

    const sdk = registerTestSdk();
    try {
      const tracer = source.current();
      expect(tracer).toBeDefined();
      expect(source.current()).toBe(tracer);
      const span = tracer!.startSpan('x');
      expect(span.isRecording()).toBe(true);
      span.end();
      expect(sdk.spans()[0]!.instrumentationScope.name).toBe(TRACER_NAME);
    } finally {
      await sdk.shutdown();
    }
    expect(source.current()).toBeUndefined();
  });

  it('leaves the caller’s context alone without an SDK: the call runs as it would without Modelwatch', async () => {
    const mw = createModelwatch({ defaultMetrics: false });
    let active: unknown = 'not read';
    await mw.observeAiCall({ provider: 'openai', model: 'm' }, async () => {
      active = trace.getActiveSpan();
    });
    expect(active).toBeUndefined();
  });
});
