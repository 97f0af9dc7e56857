import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVictoriaMetrics, type VictoriaMetricsInstance } from './victoria-metrics';

describe('startVictoriaMetrics', () => {
  let vm: VictoriaMetricsInstance;
  beforeAll(async () => {
    vm = await startVictoriaMetrics();
  });
  afterAll(() => vm?.stop());

  it('answers queries but refuses series deletion, snapshots and forced merges to whoever reaches it', async () => {
    expect(await vm.query('vector(1)')).toHaveLength(1);
    for (const path of ['/api/v1/admin/tsdb/delete_series?match[]={__name__=~".+"}', '/snapshot/create', '/snapshot/delete_all', '/internal/force_merge']) {
      const response = await fetch(`${vm.url}${path}`, { method: 'POST' });
      // 400 from the Debian build, 401 from newer ones: either way, refused for want of the key.
      expect(response.ok, path).toBe(false);
      expect(await response.text(), path).toMatch(/authKey/);
    }
  });
});
