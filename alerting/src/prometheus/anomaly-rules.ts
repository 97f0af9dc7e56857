/**
 * Recording rules of the anomaly and deploy-regression alerts: each AI
 * signal's last hour, its baseline over the same hour of the last week (mean,
 * standard deviation, days with a value), and each service's HTTP p95 and 5xx
 * share per deployed version. Service-agnostic, like the AI alerts: every job
 * reporting the metrics gets them.
 */
import { ANOMALY_BASELINE, ANOMALY_SIGNAL, ANOMALY_SIGNAL_LABEL, DEPLOY_RECORDING_RULE, anomalyRecords, deploySignalQuery, seasonalBaseline, type AnomalySignal, type BaselineStat, type DeploySignal, type SemconvMode } from '@modelwatch/conventions';
import type { TimingProfile } from '../profile';
import type { RecordingRule } from './rule-file';

const STATS: readonly BaselineStat[] = ['mean', 'stddev', 'days'];

export function anomalyRuleGroups(timing: TimingProfile, mode: SemconvMode): { name: string; rules: RecordingRule[] }[] {
  const signals: AnomalySignal[] = Object.values(ANOMALY_SIGNAL);
  const labels = (signal: AnomalySignal) => ({ [ANOMALY_SIGNAL_LABEL]: signal.name });
  return [
    {
      // One group: the baselines read the values recorded a day or more ago, never this evaluation's, so their
      // order does not matter; the values come first for the reader.
      name: 'modelwatch-anomaly',
      rules: [
        ...signals.map((signal) => ({ record: anomalyRecords(signal).value, expr: signal.value(timing.window(ANOMALY_BASELINE.window), mode), labels: labels(signal) })),
        ...signals.flatMap((signal) =>
          STATS.map((stat) => ({ record: anomalyRecords(signal)[stat], expr: seasonalBaseline(signal, stat, (day) => timing.window(`${day}d`)), labels: labels(signal) })),
        ),
      ],
    },
    {
      name: 'modelwatch-deploy-versions',
      rules: (Object.keys(DEPLOY_RECORDING_RULE) as DeploySignal[]).map((signal) => ({ record: DEPLOY_RECORDING_RULE[signal], expr: deploySignalQuery(signal, timing.window('1h')) })),
    },
  ];
}
