/**
 * A PanelRenderer for jsdom tests, set through the runtime's own hook as
 * Grafana sets its renderer: it records what each panel asked for (plugin,
 * options, field config, frames) and prints the frames' values, so tests can
 * check both the request and what a reader would see.
 */
import React from 'react';
import type { PanelRendererProps } from '@grafana/runtime';
import { setPanelRenderer } from '@grafana/runtime/internal';

export const renderedPanels: PanelRendererProps[] = [];

function SpyPanelRenderer(props: PanelRendererProps) {
  renderedPanels.push(props);
  const frames = props.data?.series ?? [];
  return (
    <div data-testid="panel-renderer" data-plugin={props.pluginId}>
      {frames.map((frame, i) => (
        <div key={i}>{frame.fields.map((field) => `${field.config.displayNameFromDS ?? field.name}: ${field.values.join(', ')}`).join(' | ')}</div>
      ))}
    </div>
  );
}

export function spyOnPanels(): PanelRendererProps[] {
  renderedPanels.length = 0;
  setPanelRenderer(SpyPanelRenderer as Parameters<typeof setPanelRenderer>[0]);
  return renderedPanels;
}
