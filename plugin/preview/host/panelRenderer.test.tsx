import React from 'react';
import { render, screen, fireEvent, waitFor } from '@testing-library/react';
import { FieldType, LoadingState, ThemeContext, createTheme, dateTime, toDataFrame, type FieldConfigSource, type PanelData } from '@grafana/data';
import { PanelRenderer } from '@grafana/runtime';
import { setPanelRenderer } from '@grafana/runtime/internal';
import { HarnessPanelRenderer } from './panelRenderer';

const theme = createTheme({ colors: { mode: 'dark' } });
const to = Date.UTC(2026, 0, 1, 12, 0, 0);
const from = to - 3600_000;
const timeRange = { from: dateTime(from), to: dateTime(to), raw: { from: 'now-1h', to: 'now' } };

/** A frame as Grafana's Prometheus data source returns it: time field, a number field carrying the series labels. */
function promFrame(labels: Record<string, string>, values: number[]) {
  const times = values.map((_, i) => from + (i + 1) * 60_000);
  return toDataFrame({
    refId: 'A',
    fields: [
      { name: 'Time', type: FieldType.time, values: times, config: { interval: 60_000 } },
      { name: 'Value', type: FieldType.number, values, labels, config: {} },
    ],
  });
}

const panelData = (series: PanelData['series'], annotations?: PanelData['annotations']): PanelData => ({ state: LoadingState.Done, series, annotations, timeRange });

function renderPanel(pluginId: string, data: PanelData, fieldConfig: FieldConfigSource, options: Record<string, unknown> = {}) {
  return render(
    <ThemeContext.Provider value={theme}>
      <PanelRenderer pluginId={pluginId} title="t" data={data} options={options} fieldConfig={fieldConfig} width={400} height={200} timeZone="utc" />
    </ThemeContext.Provider>,
  );
}

/**
 * jsdom has no canvas: a 2D context whose drawing calls do nothing (uPlot still
 * lays out its axes, legend and overlay in the DOM, which is what is checked).
 */
function fakeContext2d(): CanvasRenderingContext2D {
  const state: Record<string | symbol, unknown> = {};
  const stub = (): unknown => new Proxy(() => undefined, { get: () => stub() });
  return new Proxy(state, {
    get: (target, key) => {
      if (key in target) return target[key];
      if (key === 'measureText') return (text: string) => ({ width: String(text).length * 7, actualBoundingBoxAscent: 8, actualBoundingBoxDescent: 2 });
      if (key === 'getLineDash') return () => [];
      return () => stub();
    },
    set: (target, key, value) => {
      target[key] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
}

/** uPlot builds its paths as Path2D objects, which jsdom lacks too. */
class FakePath2D {
  constructor() {
    return new Proxy(this, { get: (target, key) => (key in target ? target[key as keyof FakePath2D] : () => undefined) });
  }
}

/** jsdom has no ResizeObserver either: every element reports the panel's 400 × 200 box, in both forms (TableNG's data grid reads contentBoxSize). */
class FixedResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element) {
    const box = { inlineSize: 400, blockSize: 200 };
    const entry = { target, contentRect: { x: 0, y: 0, top: 0, left: 0, bottom: 200, right: 400, width: 400, height: 200 }, contentBoxSize: [box], borderBoxSize: [box], devicePixelContentBoxSize: [box] };
    this.callback([entry as unknown as ResizeObserverEntry], this as unknown as ResizeObserver);
  }
  unobserve() {}
  disconnect() {}
}

beforeAll(() => {
  HTMLCanvasElement.prototype.getContext = fakeContext2d as never;
  Object.assign(globalThis, { ResizeObserver: FixedResizeObserver });
  Object.assign(globalThis, { Path2D: FakePath2D });
  setPanelRenderer(HarnessPanelRenderer);
});

describe('the harness PanelRenderer', () => {
  it('is what @grafana/runtime renders once registered', () => {
    const { container } = renderPanel('stat', panelData([promFrame({ job: 'demo' }, [1, 2])]), { defaults: {}, overrides: [] });
    expect(container.querySelector('[data-viz="stat"]')).not.toBeNull();
  });

  it('stat: the reduced value through Grafana display processors (unit, decimals)', async () => {
    const { container } = renderPanel('stat', panelData([promFrame({ job: 'demo' }, [0.001, 0.000351])]), { defaults: { unit: 'currencyUSD', decimals: 5 }, overrides: [] }, { graphMode: 'none' });
    expect(container.textContent).toContain('$0.00035');
    await waitFor(() => expect(container.querySelector('[data-viz="stat"]')?.getAttribute('data-viz-ready')).toBe('true'));
  });

  it('stat: an override by field name sets the unit', () => {
    const frame = toDataFrame({ fields: [{ name: 'score', type: FieldType.number, values: [42] }] });
    const fieldConfig: FieldConfigSource = {
      defaults: { thresholds: { mode: 'absolute' as never, steps: [{ value: -Infinity, color: 'red' }, { value: 90, color: 'green' }] } },
      overrides: [{ matcher: { id: 'byName', options: 'score' }, properties: [{ id: 'unit', value: 'percent' }] }],
    };
    const { container } = renderPanel('stat', panelData([frame]), fieldConfig, { graphMode: 'none', colorMode: 'value' });
    expect(container.textContent).toContain('42%');
  });

  it('an unknown panel type says so instead of throwing', () => {
    renderPanel('piechart', panelData([]), { defaults: {}, overrides: [] });
    expect(screen.getByRole('alert').textContent).toContain('piechart');
  });

  it('bargauge and gauge: BarGauge with the value in its unit', () => {
    for (const id of ['bargauge', 'gauge']) {
      const { container, unmount } = renderPanel(id, panelData([promFrame({ job: 'demo' }, [0.5, 0.25])]), { defaults: { unit: 'percentunit', min: 0, max: 1 }, overrides: [] });
      expect(container.querySelector(`[data-viz="${id}"]`)).not.toBeNull();
      expect(container.textContent).toContain('25%');
      unmount();
    }
  });

  it('table: cells in their units, data links clickable with the row interpolated', () => {
    const frame = toDataFrame({
      fields: [
        { name: 'model', type: FieldType.string, values: ['gpt-4o', 'claude sonnet'] },
        { name: 'p95', type: FieldType.number, values: [1.25, 0.5] },
      ],
    });
    const fieldConfig: FieldConfigSource = {
      defaults: {},
      overrides: [
        { matcher: { id: 'byName', options: 'p95' }, properties: [{ id: 'unit', value: 's' }] },
        { matcher: { id: 'byName', options: 'model' }, properties: [{ id: 'links', value: [{ title: 'Open ${__data.fields.model}', url: '/d/models?var-model=${__value.raw}' }] }] },
      ],
    };
    const { container } = renderPanel('table', panelData([frame]), fieldConfig);
    expect(container.textContent).toContain('1.25 s');
    const links = [...container.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).toContain('/d/models?var-model=claude%20sonnet');
  });

  it('timeseries: the legend names the series from its labels (displayName with ${__field.labels.…})', () => {
    const { container } = renderPanel('timeseries', panelData([promFrame({ gen_ai_request_model: 'gpt-4o' }, [0.3, 0.5, 0.4])]), { defaults: { unit: 's', displayName: '${__field.labels.gen_ai_request_model}' }, overrides: [] }, { legend: { showLegend: true, displayMode: 'list', placement: 'bottom', calcs: [] } });
    expect(container.querySelector('[data-testid="data-testid VizLegend series gpt-4o"]')).not.toBeNull();
  });

  it('timeseries: TimeSeries (uPlot) draws its axes, marks the root drawn, and shows exemplar markers whose links are reachable', async () => {
    const exemplar = toDataFrame({
      name: 'exemplar',
      fields: [
        { name: 'Time', type: FieldType.time, values: [from + 90_000] },
        { name: 'Value', type: FieldType.number, values: [0.4] },
        { name: 'trace_id', type: FieldType.string, values: ['abc123'], config: { links: [{ title: 'Trace', url: '/explore?trace=${__value.raw}' }] } },
      ],
    });
    // jsdom measures nothing, and VizLayout draws the plot only once it knows the legend's height: no legend here.
    const { container } = renderPanel('timeseries', panelData([promFrame({ job: 'demo' }, [0.3, 0.5, 0.4])], [exemplar]), { defaults: { unit: 's' }, overrides: [] }, { legend: { showLegend: false, displayMode: 'list', placement: 'bottom', calcs: [] } });
    const root = container.querySelector('[data-viz="timeseries"]');
    await waitFor(() => expect(root?.getAttribute('data-viz-ready')).toBe('true'));
    expect(root?.querySelectorAll('.u-axis').length).toBeGreaterThan(0);
    const marker = await screen.findByTestId('exemplar-marker');
    fireEvent.click(marker);
    const details = screen.getByRole('dialog', { name: 'Exemplar details' });
    expect(details.textContent).toContain('abc123');
    expect(details.querySelector('a')?.getAttribute('href')).toBe('/explore?trace=abc123');
  });

  it('timeseries without data says "No data" and is still marked drawn', () => {
    const { container } = renderPanel('timeseries', panelData([]), { defaults: {}, overrides: [] });
    expect(container.textContent).toContain('No data');
    expect(container.querySelector('[data-viz="timeseries"]')?.getAttribute('data-viz-ready')).toBe('true');
  });

  it("Grafana's own display processor writes values under 1e-6 in scientific notation: pages must pick a unit that avoids them", () => {
    const { container } = renderPanel('stat', panelData([promFrame({ job: 'demo' }, [0.00000035])]), { defaults: { unit: 'currencyUSD', decimals: 7 }, overrides: [] }, { graphMode: 'none' });
    expect(container.textContent).toContain('$4e-7');
  });
});
