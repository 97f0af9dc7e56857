import { cacheTargets } from './cache';
import { jobScope } from '@modelwatch/conventions';

describe('cache queries', () => {
  it("takes each cache's lowest health component: its success objective or its hit ratio against its reference", () => {
    expect(cacheTargets(jobScope('demo', '3600s'), jobScope('demo', '5m')).score.expr).toBe('min by (cache_name) (modelwatch:health_component:score{cache_name!="",job="demo"})');
  });
});
