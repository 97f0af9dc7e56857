/**
 * A titled box on a page, showing its loading, problem or no-data state, or
 * its content. `data-panel`/`data-state` let the browser tests and the bench
 * see when every panel has rendered.
 */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import type { DataProblemKind } from '../data/errors';
import type { PanelData } from './usePanelData';
import { StateMessage } from './StateMessage';

interface Props<T> {
  name: string;
  title: string;
  data: PanelData<T>;
  /** True when the data holds nothing to show ("no data yet"). */
  isEmpty?: (data: T) => boolean;
  /** Why it is empty, when that depends on the data. @defaultValue no-data */
  emptyKind?: (data: T) => DataProblemKind;
  children: (data: T) => React.ReactNode;
  wide?: boolean;
}

export function Panel<T>({ name, title, data, isEmpty, emptyKind, children, wide }: Props<T>) {
  const styles = useStyles2(getStyles);
  const empty = data.state === 'ready' && isEmpty?.(data.data) === true;
  const state = data.state === 'ready' ? (empty ? 'empty' : 'ready') : data.state;
  return (
    <section className={wide ? `${styles.panel} ${styles.wide}` : styles.panel} data-panel={name} data-state={state} aria-label={title}>
      <h3 className={styles.title}>{title}</h3>
      {data.state === 'loading' && <LoadingPlaceholder text="Loading…" />}
      {data.state === 'problem' && <StateMessage kind={data.problem.kind} detail={data.problem.message} compact />}
      {empty && <StateMessage kind={emptyKind?.(data.data) ?? 'no-data'} compact />}
      {data.state === 'ready' && !empty && children(data.data)}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(2),
    minWidth: 0,
  }),
  wide: css({ gridColumn: '1 / -1' }),
  title: css({ fontSize: theme.typography.h5.fontSize, marginBottom: theme.spacing(1.5) }),
});
