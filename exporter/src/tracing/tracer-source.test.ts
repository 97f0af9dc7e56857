import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createModelwatch } from '../modelwatch';
import { registerTestSdk } from './__fixtures__/otel-sdk';
import { TRACER_NAME, TracerSource } from './tracer-source';

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
