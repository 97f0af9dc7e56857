import { describe, expect, it } from 'vitest';
import { LABEL } from '@modelwatch/conventions';
import { Counter } from './counter';
import { Gauge } from './gauge';
import { Histogram } from './histogram';
import type { MetricHooks } from './labelled-metric';
import { MetricRegistry } from './registry';

const hooks: MetricHooks = { onFold: () => undefined, onInvalidValue: () => undefined };
const trace = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };

function sampleRegistry() {
  const registry = new MetricRegistry();
  const latency = registry.register(
    new Histogram(
      { name: 'test_latency_seconds', type: 'histogram', help: 'Latency.', labels: [LABEL.httpRoute], buckets: [0.1, 1] },
      hooks,
      { cap: 10 },
    ),
  );
  const spend = registry.register(
    new Counter({ name: 'test_spend_usd_total', type: 'counter', help: 'Spend\nin "USD".', labels: [LABEL.genAiRequestModel] }, hooks, { cap: 10 }),
  );
  const active = registry.register(new Gauge({ name: 'test_active', type: 'gauge', help: 'Active.', labels: [] }, hooks, { cap: 10 }));
  const route = latency.series(['/a"b']);
  latency.observe(route, 0.05);
  latency.observe(route, 0.5, trace);
  latency.observe(route, 3);
  spend.inc(spend.series(['gpt-4o']), 0.25);
  active.set(active.series([]), 2);
  return { registry };
}

describe('exposition', () => {
  it('writes the Prometheus text format', async () => {
    expect(await sampleRegistry().registry.text('text')).toBe(
      [
        '# HELP test_latency_seconds Latency.',
        '# TYPE test_latency_seconds histogram',
        'test_latency_seconds_bucket{http_route="/a\\"b",le="0.1"} 1',
        'test_latency_seconds_bucket{http_route="/a\\"b",le="1"} 2',
        'test_latency_seconds_bucket{http_route="/a\\"b",le="+Inf"} 3',
        'test_latency_seconds_sum{http_route="/a\\"b"} 3.55',
        'test_latency_seconds_count{http_route="/a\\"b"} 3',
        '# HELP test_spend_usd_total Spend\\nin "USD".',
        '# TYPE test_spend_usd_total counter',
        'test_spend_usd_total{gen_ai_request_model="gpt-4o"} 0.25',
        '# HELP test_active Active.',
        '# TYPE test_active gauge',
        'test_active 2',
        '',
      ].join('\n'),
    );
  });

  it('writes OpenMetrics with exemplars, counter families without _total, and # EOF', async () => {
    const text = await sampleRegistry().registry.text('openmetrics');
    const lines = text.split('\n');
    expect(lines).toContain('# TYPE test_spend_usd counter');
    expect(lines).toContain('test_spend_usd_total{gen_ai_request_model="gpt-4o"} 0.25');
    const bucket = lines.find((l) => l.startsWith('test_latency_seconds_bucket{http_route="/a\\"b",le="1"}'));
    expect(bucket).toMatch(/^test_latency_seconds_bucket\{http_route="\/a\\"b",le="1"\} 2 # \{trace_id="0af7651916cd43dd8448eb211c80319c",span_id="b7ad6b7169203331"\} 0\.5 \d+\.\d{3}$/);
    expect(text.endsWith('# EOF\n')).toBe(true);
  });

  it('writes a histogram without labels with le as its only label', async () => {
    const registry = new MetricRegistry();
    const wait = registry.register(new Histogram({ name: 'test_wait_seconds', type: 'histogram', help: 'Wait.', labels: [], buckets: [0.1] }, hooks, { cap: 10 }));
    wait.observe(wait.series([]), 0.05);
    wait.observe(wait.series([]), 2);
    expect(await registry.text('text')).toBe(
      [
        '# HELP test_wait_seconds Wait.',
        '# TYPE test_wait_seconds histogram',
        'test_wait_seconds_bucket{le="0.1"} 1',
        'test_wait_seconds_bucket{le="+Inf"} 2',
        'test_wait_seconds_sum 2.05',
        'test_wait_seconds_count 2',
        '',
      ].join('\n'),
    );
  });

  it('leaves out metrics that have no series yet', async () => {
    const registry = new MetricRegistry();
    registry.register(new Counter({ name: 'test_unused_total', type: 'counter', help: 'Unused.', labels: [LABEL.reason] }, hooks, { cap: 10 }));
    expect(await registry.text('text')).toBe('');
  });

  it('refuses two metrics with one name', () => {
    const registry = new MetricRegistry();
    const make = () => new Gauge({ name: 'test_twice', type: 'gauge', help: 'Twice.', labels: [] }, hooks, { cap: 1 });
    registry.register(make());
    expect(() => registry.register(make())).toThrowError('Metric test_twice is already registered');
  });
});

describe('sliced serialisation', () => {
  it('gives the same output when cut into many slices and chunks', async () => {
    const { registry } = sampleRegistry();
    const calls = registry.register(new Counter({ name: 'test_calls_total', type: 'counter', help: 'Calls.', labels: [LABEL.genAiRequestModel] }, hooks, { cap: 1000 }));
    for (let i = 0; i < 500; i++) calls.inc(calls.series([`model-${i}`]));
    const whole = await registry.text('text');
    const chunks: Buffer[] = [];
    for await (const chunk of registry.chunks('text', { sliceMs: 0, chunkBytes: 100 })) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(whole);
  });

  it('gives, byte for byte, the same text as a plain formatter, at 100k series with multi-byte label values', async () => {
    const registry = new MetricRegistry();
    const calls = registry.register(new Counter({ name: 'test_calls_total', type: 'counter', help: 'Calls.', labels: [LABEL.genAiRequestModel] }, hooks, { cap: 100_000 }));
    const latency = registry.register(
      new Histogram({ name: 'test_latency_seconds', type: 'histogram', help: 'Latency.', labels: [LABEL.httpRoute], buckets: [0.1, 1] }, hooks, { cap: 5000 }),
    );
    const models = Array.from({ length: 100_000 }, (_, i) => (i % 7 === 0 ? `modèle-🤖-${i}` : `model-${i}`));
    models.forEach((model, i) => calls.inc(calls.series([model]), i));
    const routes = Array.from({ length: 5000 }, (_, i) => `/é/${i}`);
    routes.forEach((route, i) => latency.observe(latency.series([route]), i / 1000, i % 3 === 0 ? trace : undefined));

    for (const format of ['text', 'openmetrics'] as const) {
      // The same exposition written the simplest way: one line at a time.
      const lines = ['# HELP test_calls_total Calls.', '# TYPE test_calls_total counter'];
      if (format === 'openmetrics') lines.splice(0, 2, '# HELP test_calls Calls.', '# TYPE test_calls counter');
      models.forEach((model, i) => lines.push(`test_calls_total{gen_ai_request_model="${model}"} ${i}`));
      lines.push('# HELP test_latency_seconds Latency.', '# TYPE test_latency_seconds histogram');
      routes.forEach((route, i) => {
        const value = i / 1000;
        const exemplar = format === 'openmetrics' && i % 3 === 0 ? ` # {trace_id="${trace.traceId}",span_id="${trace.spanId}"} ${value} ` : undefined;
        const bucket = value <= 0.1 ? 0 : value <= 1 ? 1 : 2;
        ['0.1', '1', '+Inf'].forEach((le, b) => {
          const line = `test_latency_seconds_bucket{http_route="${route}",le="${le}"} ${b >= bucket ? 1 : 0}`;
          lines.push(exemplar && b === bucket ? line + exemplar : line);
        });
        lines.push(`test_latency_seconds_sum{http_route="${route}"} ${value}`, `test_latency_seconds_count{http_route="${route}"} 1`);
      });
      if (format === 'openmetrics') lines.push('# EOF');
      // Exemplar timestamps are the clock's: compare everything up to them.
      const withoutTimestamps = (text: string) => text.replace(/(span_id="[0-9a-f]+"\} [0-9.]+ )\d+\.\d{3}/g, '$1');
      const expected = `${lines.join('\n')}\n`;

      const chunks: Buffer[] = [];
      for await (const chunk of registry.chunks(format, { sliceMs: 1, chunkBytes: 4096 })) chunks.push(chunk);
      expect(chunks.length).toBeGreaterThan(100);
      expect(withoutTimestamps(Buffer.concat(chunks).toString('utf8'))).toBe(expected);
      expect(withoutTimestamps(await registry.text(format, { sliceMs: 1 }))).toBe(expected);
    }
  });

  it('keeps every histogram series self-consistent while observations land during a scrape', async () => {
    const registry = new MetricRegistry();
    const histogram = registry.register(
      new Histogram({ name: 'test_busy_seconds', type: 'histogram', help: 'Busy.', labels: [LABEL.httpRoute], buckets: [0.1, 1] }, hooks, { cap: 5000 }),
    );
    for (let i = 0; i < 3000; i++) histogram.observe(histogram.series([`/r${i}`]), 0.5);
    let writing = true;
    const writer = (async () => {
      let n = 0;
      while (writing) {
        histogram.observe(histogram.series([`/r${n++ % 3000}`]), n % 2 ? 0.05 : 2);
        if (n % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const text = await registry.text('text', { sliceMs: 0 });
    writing = false;
    await writer;
    const infBuckets = new Map<string, number>();
    const counts = new Map<string, number>();
    for (const line of text.split('\n')) {
      const inf = /^test_busy_seconds_bucket\{http_route="([^"]+)",le="\+Inf"\} (\d+)$/.exec(line);
      if (inf) infBuckets.set(inf[1]!, Number(inf[2]));
      const count = /^test_busy_seconds_count\{http_route="([^"]+)"\} (\d+)$/.exec(line);
      if (count) counts.set(count[1]!, Number(count[2]));
    }
    expect(counts.size).toBe(3000);
    expect(infBuckets).toEqual(counts);
  });
});
