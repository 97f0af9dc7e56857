/**
 * Recording rules: the SLOs' error ratios and burn rates per job at every
 * window, then each health component's score and the weighted health score.
 * Built from the conventions' query builders, so the plugin's inline queries
 * and the dashboards compute the same numbers.
 */
import {
  HEALTH_COMPONENTS,
  HEALTH_RECORDING_RULE,
  HEALTH_WINDOW,
  SLI_WINDOWS,
  SLO,
  SLO_RECORDING_RULE,
  componentScoreInline,
  componentScoreRecorded,
  healthScoreFrom,
  httpErrorRatio,
  httpFastRatio,
  selector,
  type QueryScope,
  type SloId,
} from '@modelwatch/exporter/conventions';
import type { TimingProfile } from '../profile';
import type { RuleGroup } from './rule-file';

const SLO_ERROR_RATIO: Record<SloId, (scope: QueryScope) => string> = {
  availability: (scope) => httpErrorRatio(scope),
  latency: (scope) => `1 - (${httpFastRatio(scope, SLO.latency.thresholdSeconds)})`,
};

export function recordingRuleGroups(timing: TimingProfile): RuleGroup[] {
  const slos = Object.keys(SLO) as SloId[];
  const sloLabels = (slo: SloId, window: string) => ({ [SLO_RECORDING_RULE.sloLabel]: slo, [SLO_RECORDING_RULE.windowLabel]: window });
  return [
    {
      name: 'modelwatch-slo-error-ratios',
      rules: slos.flatMap((slo) =>
        SLI_WINDOWS.map((window) => ({ record: SLO_RECORDING_RULE.errorRatio, expr: SLO_ERROR_RATIO[slo]({ window: timing.window(window) }), labels: sloLabels(slo, window) })),
      ),
    },
    {
      // A separate group evaluated after the ratios: burn rate = error ratio / error budget.
      name: 'modelwatch-slo-burn-rates',
      rules: slos.flatMap((slo) =>
        SLI_WINDOWS.map((window) => ({
          record: SLO_RECORDING_RULE.burnRate,
          expr: `${selector(SLO_RECORDING_RULE.errorRatio, {}, [`${SLO_RECORDING_RULE.sloLabel}="${slo}"`, `${SLO_RECORDING_RULE.windowLabel}="${window}"`])} / ${round(1 - SLO[slo].target)}`,
          labels: sloLabels(slo, window),
        })),
      ),
    },
    {
      name: 'modelwatch-health-score',
      rules: [
        // The expression already carries the component label; the static label tells the rules apart for promtool's lint.
        ...HEALTH_COMPONENTS.map((c) => ({
          record: HEALTH_RECORDING_RULE.componentScore,
          expr: componentScoreInline(c.id, { window: timing.window(HEALTH_WINDOW) }),
          labels: { [HEALTH_RECORDING_RULE.componentLabel]: c.id },
        })),
        // Rules of a group run in order: the score reads the component scores recorded just above.
        { record: HEALTH_RECORDING_RULE.score, expr: healthScoreFrom((id) => componentScoreRecorded(id)) },
      ],
    },
  ];
}

/** 1 − 0.999 is 0.0010000000000000009 in floating point; write it as people do. */
function round(value: number): number {
  return Number(value.toPrecision(12));
}
