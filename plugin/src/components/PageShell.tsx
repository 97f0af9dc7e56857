/**
 * The frame of every app page: tabs to the other pages, links to the bundled
 * dashboards, the time-range picker and the service (job) selector. The page
 * body gets the resolved range and the selected job; until the job list is
 * known it shows the loading or problem state of that first query.
 */
import React, { useEffect } from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2, type TimeRange } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Combobox, LinkButton, LoadingPlaceholder, Tab, TabsBar, TimeRangePicker, useStyles2 } from '@grafana/ui';
import { APP_PAGES, SERVICE_LABEL, type AppPage } from '@modelwatch/exporter/conventions';
import { useLocation, useNavigate } from 'react-router-dom';
import { jobsTarget } from '../queries/jobs';
import { PAGE_TITLES, dashboardUrl, pageUrl, type PageDashboard } from '../routes';
import { StateMessage } from './StateMessage';
import { usePanelData } from './usePanelData';
import { usePromClient } from './usePromClient';
import { useSelection } from './useSelection';

export interface PageContext {
  range: TimeRange;
  rangeMs: { from: number; to: number };
  job: string;
}

interface Props {
  page: AppPage;
  dashboard?: PageDashboard;
  /** False for pages that do not query per service (Alerts). */
  needsJob?: boolean;
  children: (context: PageContext) => React.ReactNode;
}

export function PageShell({ page, dashboard, needsJob = true, children }: Props) {
  const styles = useStyles2(getStyles);
  const selection = useSelection();
  const navigate = useNavigate();
  const location = useLocation();
  const client = usePromClient();
  const rangeMs = { from: selection.range.from.valueOf(), to: selection.range.to.valueOf() };
  const jobs = usePanelData(
    async () => (needsJob ? (await client.query({ jobs: jobsTarget }, rangeMs)).jobs.map((s) => s.labels[SERVICE_LABEL] ?? '').filter(Boolean).sort() : []),
    [client, needsJob, rangeMs.to],
  );
  const jobList = jobs.state === 'ready' ? jobs.data : [];
  const job = selection.job ?? jobList[0];
  const { setJob } = selection;
  useEffect(() => {
    if (!selection.job && jobList[0]) setJob(jobList[0]);
  }, [selection.job, jobList, setJob]);

  return (
    <PluginPage>
      <div className={styles.page} data-page={page}>
        <TabsBar>
          {Object.values(APP_PAGES).map((p) => (
            <Tab key={p} label={PAGE_TITLES[p]} active={p === page} onChangeTab={() => navigate({ pathname: pageUrl(p), search: location.search })} />
          ))}
        </TabsBar>
        <div className={styles.toolbar}>
          {needsJob && (
            <div className={styles.job} data-testid="job-selector">
              <Combobox
                aria-label="Service"
                prefixIcon="cube"
                width={28}
                placeholder="Service (job)"
                options={jobList.map((j) => ({ label: j, value: j }))}
                value={job ?? null}
                onChange={(option) => option && setJob(option.value)}
              />
            </div>
          )}
          {dashboard && (
            <LinkButton variant="secondary" fill="outline" icon="apps" href={dashboardUrl(dashboard, job)}>
              Dashboard
            </LinkButton>
          )}
          <TimeRangePicker
            value={selection.range}
            onChange={(range) => selection.setRange(range.raw)}
            onChangeTimeZone={() => undefined}
            onMoveBackward={() => shift(selection, -1)}
            onMoveForward={() => shift(selection, 1)}
            onZoom={() => zoomOut(selection)}
          />
        </div>
        {needsJob && jobs.state === 'loading' && <LoadingPlaceholder text="Finding services…" />}
        {needsJob && jobs.state === 'problem' && <StateMessage kind={jobs.problem.kind} detail={jobs.problem.message} />}
        {needsJob && jobs.state === 'ready' && !job && <StateMessage kind="no-data" />}
        {(!needsJob || (jobs.state === 'ready' && job)) && children({ range: selection.range, rangeMs, job: job ?? '' })}
      </div>
    </PluginPage>
  );
}

function shift(selection: ReturnType<typeof useSelection>, direction: -1 | 1) {
  const from = selection.range.from.valueOf();
  const to = selection.range.to.valueOf();
  const span = to - from;
  selection.setRange({ from: String(from + direction * span), to: String(to + direction * span) });
}

function zoomOut(selection: ReturnType<typeof useSelection>) {
  const from = selection.range.from.valueOf();
  const to = selection.range.to.valueOf();
  const span = to - from;
  selection.setRange({ from: String(from - span / 2), to: String(to + span / 2) });
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), padding: theme.spacing(2, 0) }),
  toolbar: css({ display: 'flex', gap: theme.spacing(1), justifyContent: 'flex-end', alignItems: 'center', flexWrap: 'wrap' }),
  job: css({ marginRight: 'auto' }),
});
