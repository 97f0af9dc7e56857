import { describe, expect, it } from 'vitest';
import { createModelwatch } from '../modelwatch';
import { histogramOf, parseExposition } from '@modelwatch/testkit';

const DURATION = 'db_client_operation_duration_seconds';

describe('observeDb', () => {
  it('times an operation by system and operation name and returns its result', async () => {
    const mw = createModelwatch({ defaultMetrics: false });
    const rows = await mw.observeDb({ system: 'sqlite', operation: 'SELECT' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return [{ id: 1 }];
    });
    expect(rows).toEqual([{ id: 1 }]);
    const histogram = histogramOf(parseExposition(await mw.metrics()).samples, DURATION, { db_system_name: 'sqlite', db_operation_name: 'SELECT' });
    expect(histogram.count).toBe(1);
    expect(histogram.buckets.get('0.01')).toBe(0);
    expect(histogram.buckets.get('0.05')).toBe(1);
  });

  it('records a failed operation too and passes the error on', async () => {
    const mw = createModelwatch({ defaultMetrics: false });
    const failure = new Error('SQLITE_BUSY');
    await expect(mw.observeDb({ system: 'sqlite', operation: 'INSERT' }, () => { throw failure; })).rejects.toBe(failure);
    const histogram = histogramOf(parseExposition(await mw.metrics()).samples, DURATION, { db_operation_name: 'INSERT' });
    expect(histogram.count).toBe(1);
  });
});
