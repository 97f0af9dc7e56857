import { describe, expect, it } from 'vitest';
import { parseExposition, select } from '@modelwatch/testkit';
import { createModelwatch } from '../modelwatch';
import { resolveServiceInfo } from './service-info';

describe('target_info', () => {
  it('takes the option first, then the OpenTelemetry environment variables', () => {
    const env = { OTEL_SERVICE_NAME: 'checkout', OTEL_RESOURCE_ATTRIBUTES: 'service.name=ignored,service.version=1.4.2%2Bbuild.7,deployment.environment=prod' };
    expect(resolveServiceInfo({}, env)).toEqual({ name: 'checkout', version: '1.4.2+build.7' });
    expect(resolveServiceInfo({ version: '2.0.0' }, env)).toEqual({ name: 'checkout', version: '2.0.0' });
    expect(resolveServiceInfo({}, { OTEL_RESOURCE_ATTRIBUTES: 'service.name=cart' })).toEqual({ name: 'cart' });
    // A bad escape drops that attribute, as the SDK does; the list still reads.
    expect(resolveServiceInfo({}, { OTEL_RESOURCE_ATTRIBUTES: 'service.version=%E0%A4%A,service.name=x' })).toEqual({ name: 'x' });
    expect(resolveServiceInfo({}, {})).toEqual({});
  });

  it('is written at 1 with the service’s name and version, and not at all when neither is known', async () => {
    const known = createModelwatch({ defaultMetrics: false, service: { name: 'demo', version: '0.3.0' } });
    const samples = select(parseExposition(await known.metrics()).samples, 'target_info');
    expect(samples.map((s) => [s.labels, s.value])).toEqual([[{ service_name: 'demo', service_version: '0.3.0' }, 1]]);
    const before = process.env.OTEL_RESOURCE_ATTRIBUTES;
    const beforeName = process.env.OTEL_SERVICE_NAME;
    delete process.env.OTEL_RESOURCE_ATTRIBUTES;
    delete process.env.OTEL_SERVICE_NAME;
    try {
      expect(await createModelwatch({ defaultMetrics: false }).metrics()).not.toContain('target_info{');
    } finally {
      if (before !== undefined) process.env.OTEL_RESOURCE_ATTRIBUTES = before;
      if (beforeName !== undefined) process.env.OTEL_SERVICE_NAME = beforeName;
    }
  });

  it('rejects a version that is not a non-empty string, naming the option', () => {
    expect(() => createModelwatch({ service: { version: '' } })).toThrow('createModelwatch: option "service.version" must be a non-empty string, got the string ""');
  });
});
