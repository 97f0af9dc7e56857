/**
 * A panel on a page, in Grafana's own panel frame (`PanelChrome`): its
 * title, its loading state, or what is wrong and what to do, or its content
 * sized to the frame. `data-panel`/`data-state` let the browser tests and
 * the bench see when every panel has rendered. A panel that fails to render
 * says so in its frame instead of reaching Grafana's error boundary.
 */
import React from 'react';
import { css } from '@emotion/css';
import { LoadingState, type GrafanaTheme2 } from '@grafana/data';
import { ErrorBoundaryAlert, PanelChrome, useStyles2 } from '@grafana/ui';
import { useMeasure } from 'react-use';
import type { DataProblemKind } from '../data/errors';
import type { Loaded } from './useLoaded';
import { StateMessage } from './StateMessage';

export interface PanelSize {
  width: number;
  height: number;
}

interface Props<T> {
  name: string;
  title: string;
  /** Grafana's info icon by the title: what the panel shows and how to read it. */
  description?: string;
  data: Loaded<T>;
  /** Height of the frame, in pixels; a function of the data for tables. */
  height: number | ((data: T) => number);
  /** True when the data holds nothing to show ("no data yet"). */
  isEmpty?: (data: T) => boolean;
  /** Why it is empty, when that depends on the data. @defaultValue no-data */
  emptyKind?: (data: T) => DataProblemKind;
  children: (data: T, size: PanelSize) => React.ReactNode;
  wide?: boolean;
  /** Extra attributes for tests (`data-*`), from the data. */
  attributes?: (data: T) => Record<string, string | number | undefined>;
}

const MESSAGE_HEIGHT = 150;

export function Panel<T>({ name, title, description, data, height, isEmpty, emptyKind, children, wide, attributes }: Props<T>) {
  const styles = useStyles2(getStyles);
  const [ref, { width }] = useMeasure<HTMLDivElement>();
  const ready = data.state === 'ready' ? data.data : undefined;
  const empty = data.state === 'ready' && isEmpty?.(data.data) === true;
  const state = data.state === 'ready' ? (empty ? 'empty' : 'ready') : data.state;
  const frameHeight = ready !== undefined && !empty ? (typeof height === 'function' ? height(ready) : height) : Math.min(MESSAGE_HEIGHT, typeof height === 'number' ? height : MESSAGE_HEIGHT);
  return (
    <section ref={ref} className={wide ? styles.wide : undefined} data-panel={name} data-state={state} aria-label={title} {...(ready !== undefined && attributes ? dataAttributes(attributes(ready)) : {})}>
      {width > 0 && (
        <PanelChrome
          title={title}
          description={description}
          width={width}
          height={frameHeight}
          loadingState={data.state === 'loading' ? LoadingState.Loading : data.state === 'problem' ? LoadingState.Error : LoadingState.Done}
        >
          {(innerWidth, innerHeight) => (
            <ErrorBoundaryAlert style="alertbox">
              {data.state === 'problem' && <StateMessage kind={data.problem.kind} detail={data.problem.message} compact />}
              {empty && <StateMessage kind={emptyKind?.(data.data) ?? 'no-data'} compact />}
              {data.state === 'ready' && !empty && children(data.data, { width: innerWidth, height: innerHeight })}
            </ErrorBoundaryAlert>
          )}
        </PanelChrome>
      )}
    </section>
  );
}

function dataAttributes(values: Record<string, string | number | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).flatMap(([key, value]) => (value === undefined ? [] : [[`data-${key}`, String(value)]])));
}

const getStyles = (_theme: GrafanaTheme2) => ({
  wide: css({ gridColumn: '1 / -1' }),
});
