/**
 * Exemplar markers on a time series: the `exemplar` frames of
 * `data.annotations` (Grafana's Prometheus data source puts them there), one
 * marker per row at (Time, Value), drawn over the plot with @grafana/ui's
 * `EventsCanvas`; a click shows the exemplar's fields and its data links (the
 * trace id's link to Tempo), as grafana/grafana
 * public/app/plugins/panel/timeseries/plugins/ExemplarsPlugin.tsx and
 * ExemplarMarker.tsx do.
 */
import React, { useCallback, useLayoutEffect, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { FieldType, formattedValueToString, type DataFrame } from '@grafana/data';
import { DataLinkButton, EventsCanvas, useTheme2, type UPlotConfigBuilder } from '@grafana/ui';

export const EXEMPLAR_FRAME_NAME = 'exemplar';

export function isExemplarFrame(frame: DataFrame): boolean {
  return frame.name === EXEMPLAR_FRAME_NAME;
}

export function ExemplarsPlugin({ config, exemplars }: { config: UPlotConfigBuilder; exemplars: DataFrame[] }) {
  const plot = useRef<uPlot | undefined>(undefined);
  useLayoutEffect(() => {
    config.addHook('init', (u) => {
      plot.current = u;
    });
  }, [config]);

  const mapEventToXYCoords = useCallback((frame: DataFrame, rowIndex: number) => {
    const u = plot.current;
    const time = frame.fields.find((f) => f.type === FieldType.time)?.values[rowIndex] as number | undefined;
    const value = frame.fields.find((f) => f.name === 'Value')?.values[rowIndex] as number | undefined;
    // The y scale of the plot's first series: an exemplar has the unit of the series it was sampled from.
    const yScale = u?.series[1]?.scale;
    const x = u?.scales.x;
    if (!u || !yScale || !x || time === undefined || value === undefined || x.min === undefined || x.max === undefined) return undefined;
    if (time < x.min || time > x.max) return undefined;
    return { x: u.valToPos(time, 'x'), y: u.valToPos(value, yScale) };
  }, []);

  const renderEventMarker = useCallback((frame: DataFrame, rowIndex: number) => <ExemplarMarker frame={frame} rowIndex={rowIndex} />, []);
  return <EventsCanvas id="exemplars" config={config} events={exemplars} mapEventToXYCoords={mapEventToXYCoords} renderEventMarker={renderEventMarker} />;
}

function ExemplarMarker({ frame, rowIndex }: { frame: DataFrame; rowIndex: number }) {
  const theme = useTheme2();
  const [open, setOpen] = useState(false);
  const size = 8;
  return (
    <div style={{ position: 'relative', width: size, height: size, transform: 'translate(-50%, -50%)' }}>
      <button
        type="button"
        aria-label="Exemplar"
        data-testid="exemplar-marker"
        onClick={() => setOpen((o) => !o)}
        style={{ width: size, height: size, padding: 0, border: `1px solid ${theme.colors.background.primary}`, background: theme.colors.primary.main, transform: 'rotate(45deg)', cursor: 'pointer' }}
      />
      {open && (
        <div
          role="dialog"
          aria-label="Exemplar details"
          style={{ position: 'absolute', left: size * 2, top: -size, zIndex: theme.zIndex.tooltip, minWidth: 240, padding: theme.spacing(1), background: theme.colors.background.secondary, border: `1px solid ${theme.colors.border.medium}`, borderRadius: theme.shape.radius.default, boxShadow: theme.shadows.z3 }}
        >
          <table style={{ width: '100%', fontSize: theme.typography.bodySmall.fontSize }}>
            <tbody>
              {frame.fields.map((field) => {
                const raw = field.values[rowIndex];
                const shown = field.display ? formattedValueToString(field.display(raw)) : String(raw ?? '');
                return (
                  <tr key={field.name}>
                    <th style={{ textAlign: 'left', paddingRight: theme.spacing(1), fontWeight: theme.typography.fontWeightMedium }}>{field.name}</th>
                    <td>{shown}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {frame.fields.flatMap((field) => field.getLinks?.({ valueRowIndex: rowIndex }) ?? []).map((link, i) => (
            <div key={i} style={{ marginTop: theme.spacing(1) }}>
              <DataLinkButton link={link} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
