/**
 * The frame of every app page: tabs to the other pages, the service (job)
 * selector, a link to the page's bundled dashboard, Grafana's time-range and
 * refresh pickers, all kept in the URL. The page body gets the resolved range
 * and the selected service; until they are known it shows what is missing:
 * a range the URL cannot give, the job list loading or failing, a service
 * Prometheus does not know.
 */
import React, { useEffect } from 'react';
import { css } from '@emotion/css';
import { dateTime, type AbsoluteTimeRange, type GrafanaTheme2, type TimeRange } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Combobox, LinkButton, LoadingPlaceholder, RefreshPicker, Tab, TabsBar, TimeRangePicker, useStyles2 } from '@grafana/ui';
import { APP_PAGES, SERVICE_LABEL, type AppPage } from '@modelwatch/conventions';
import { useLocation, useNavigate } from 'react-router-dom';
import { dashboardUrl, type PageDashboard } from '../panels/links';
import { jobsTarget } from '../queries/jobs';
import { PAGE_TITLES, pageUrl } from '../routes';
import { StateMessage } from './StateMessage';
import { useLoaded } from './useLoaded';
import { usePromClient } from './usePromClient';
import { DEFAULT_RANGE, REFRESH_INTERVALS, readRange, useSelection, type Selection } from './useSelection';

export interface PageContext {
  range: TimeRange;
  rangeMs: { from: number; to: number };
  job: string;
  /** Sets an absolute range: a drag on a chart zooms the page. */
  zoomTo: (range: AbsoluteTimeRange) => void;
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
  const { reading } = selection;
  const range = reading.ok ? reading.range : fallbackRange();
  const rangeMs = { from: range.from.valueOf(), to: range.to.valueOf() };
  const jobs = useLoaded(
    async () => (needsJob && reading.ok ? (await client.query({ jobs: jobsTarget }, rangeMs)).jobs.map((s) => s.labels[SERVICE_LABEL] ?? '').filter(Boolean).sort() : []),
    [client, needsJob, reading.ok, rangeMs.from, rangeMs.to],
  );
  const jobList = jobs.state === 'ready' ? jobs.data : [];
  const job = selection.job ?? jobList[0];
  const { setJob } = selection;
  useEffect(() => {
    if (!selection.job && jobList[0]) setJob(jobList[0], true);
  }, [selection.job, jobList, setJob]);
  const unknownJob = jobs.state === 'ready' && job !== undefined && !jobList.includes(job);
  const zoomTo = (absolute: AbsoluteTimeRange) => selection.setRange({ from: String(Math.round(absolute.from)), to: String(Math.round(absolute.to)) });

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
            <LinkButton variant="secondary" fill="outline" icon="apps" href={dashboardUrl(dashboard, selection.raw, job)} data-testid="dashboard-link">
              Dashboard
            </LinkButton>
          )}
          <TimeRangePicker
            value={range}
            onChange={(next) => selection.setRange(next.raw)}
            onChangeTimeZone={() => undefined}
            onMoveBackward={() => shift(selection, range, -1)}
            onMoveForward={() => shift(selection, range, 1)}
            onZoom={() => zoomOut(selection, range)}
          />
          <RefreshPicker
            value={selection.refresh}
            intervals={REFRESH_INTERVALS}
            onIntervalChanged={(interval) => selection.setRefresh(interval)}
            onRefresh={selection.refreshNow}
            tooltip="Refresh the page's panels"
          />
        </div>
        {!reading.ok && (
          <Alert title="The time range in the URL cannot be used" severity="warning" data-testid="state-bad-range">
            {reading.problem} Pick a range with the time picker above (the page then shows it), or open the page without from and to for the last hour.
          </Alert>
        )}
        {reading.ok && needsJob && jobs.state === 'loading' && <LoadingPlaceholder text="Finding services…" />}
        {reading.ok && needsJob && jobs.state === 'problem' && <StateMessage kind={jobs.problem.kind} detail={jobs.problem.message} />}
        {reading.ok && needsJob && jobs.state === 'ready' && !job && <StateMessage kind="no-data" />}
        {reading.ok && unknownJob && (
          <Alert title={`No service "${job}" in Prometheus`} severity="warning" data-testid="state-unknown-job">
            Prometheus has no Modelwatch metrics from a job named "{job}" in this time range. Pick a service in the selector above
            {jobList.length > 0 ? ` (${jobList.join(', ')})` : ''}, or widen the time range.
          </Alert>
        )}
        {reading.ok && (!needsJob || (jobs.state === 'ready' && job && !unknownJob)) && children({ range, rangeMs, job: job ?? '', zoomTo })}
      </div>
    </PluginPage>
  );
}

/** What the time picker shows while the URL's range cannot be read. */
function fallbackRange(): TimeRange {
  const reading = readRange(DEFAULT_RANGE);
  return reading.ok ? reading.range : { from: dateTime(), to: dateTime(), raw: DEFAULT_RANGE };
}

function shift(selection: Selection, range: TimeRange, direction: -1 | 1) {
  const span = range.to.valueOf() - range.from.valueOf();
  selection.setRange({ from: String(range.from.valueOf() + direction * span), to: String(range.to.valueOf() + direction * span) });
}

function zoomOut(selection: Selection, range: TimeRange) {
  const span = range.to.valueOf() - range.from.valueOf();
  selection.setRange({ from: String(range.from.valueOf() - span / 2), to: String(range.to.valueOf() + span / 2) });
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), padding: theme.spacing(2, 0) }),
  toolbar: css({ display: 'flex', gap: theme.spacing(1), justifyContent: 'flex-end', alignItems: 'center', flexWrap: 'wrap' }),
  job: css({ marginRight: 'auto' }),
});
