/**
 * Recording rules of a spec's services: each objective's error ratio and burn
 * rate at every window, its bad events at the burn-rate pairs' long windows,
 * and its error budget left over the SLO period (Sloth's layout); each
 * service's saturation; then every health component's score and the health
 * score. Built from the conventions' query builders only.
 */
import {
  BURN_RATE_LONG_WINDOWS,
  HEALTH_COMPONENT,
  HEALTH_RECORDING_RULE,
  SLI_WINDOWS,
  SLO_LABEL,
  SLO_PERIOD,
  SLO_RECORDING_RULE,
  SATURATION_RECORDING_RULE,
  HEALTH_WINDOW,
  CACHE_HIT_WINDOW,
  BUDGET_RECORDING_RULE,
  ATTRIBUTED_BUDGET_OWNERS,
  ATTRIBUTED_BUDGET_RECORDING_RULE,
  LABEL,
  attributedBudgetQuery,
  budgetQuery,
  cacheHitScoreQuery,
  healthScoreQuery,
  cacheLabels,
  jobLabels,
  jobMatchers,
  objectiveErrorRatio,
  objectiveEventCount,
  objectiveGrouping,
  objectiveLabels,
  objectiveScoreQuery,
  objectiveSeriesMatchers,
  saturationByResource,
  saturationScoreQuery,
  type Objective,
  type SemconvMode,
} from '@modelwatch/conventions';
import type { TimingProfile } from '../profile';
import type { ServiceObjectives } from '../slo-spec/objectives';
import { anomalyRuleGroups } from './anomaly-rules';
import type { RecordingRule, RuleGroup } from './rule-file';

/** 1 − 0.999 is 0.0010000000000000009 in floating point; write it as people do. */
export function errorBudget(objective: Pick<Objective, 'target'>): number {
  return Number((1 - objective.target).toPrecision(12));
}

function recordedRatio(objective: Objective, window: string): string {
  return `${SLO_RECORDING_RULE.errorRatio}{${[...objectiveSeriesMatchers(objective), `${SLO_LABEL.window}="${window}"`].join(',')}}`;
}

/** `mode`: the GenAI semconv names the exporters write, which the AI objectives read. */
export function recordingRuleGroups(services: readonly ServiceObjectives[], timing: TimingProfile, mode: SemconvMode = 'legacy'): RuleGroup[] {
  return ruleGroups(services, timing, mode).map((group) => ({ ...group, rules: group.rules.map(withoutEmptyLabels) }));
}

/** A rule of the defaults has no static labels: leave the key out rather than write `labels: {}`. */
function withoutEmptyLabels(rule: RecordingRule): RecordingRule {
  return rule.labels && Object.keys(rule.labels).length === 0 ? { record: rule.record, expr: rule.expr } : rule;
}

function ruleGroups(services: readonly ServiceObjectives[], timing: TimingProfile, mode: SemconvMode): { name: string; rules: RecordingRule[] }[] {
  const objectives = services.flatMap((service) => service.objectives);
  const labelsOf = (objective: Objective) => ({ ...jobLabels(objective.jobs), ...objectiveLabels(objective) });
  const perWindow = (rule: (objective: Objective, window: string) => RecordingRule) => objectives.flatMap((objective) => SLI_WINDOWS.map((window) => rule(objective, window)));
  return [
    {
      // One group, so the burn rates read the ratios of the same evaluation (rules of a group run in order;
      // separate groups run at their own offsets and would add an interval to every alert's delay).
      name: 'modelwatch-slo-burn-rates',
      rules: [
        ...perWindow((objective, window) => ({
          record: SLO_RECORDING_RULE.errorRatio,
          expr: objectiveErrorRatio(objective, timing.window(window), mode),
          labels: { ...labelsOf(objective), [SLO_LABEL.window]: window },
        })),
        // Bad events at each pair's long window = error ratio × events: what a pair's burn rate rests on (SLO_MIN_BAD_EVENTS).
        ...objectives.flatMap((objective) =>
          BURN_RATE_LONG_WINDOWS.map((window) => ({
            record: SLO_RECORDING_RULE.badEvents,
            expr: `${recordedRatio(objective, window)} * on (${objectiveGrouping(objective).join(', ')}) ${objectiveEventCount(objective, timing.window(window), mode)}`,
            labels: { ...labelsOf(objective), [SLO_LABEL.window]: window },
          })),
        ),
        // Burn rate = error ratio / error budget.
        ...perWindow((objective, window) => ({
          record: SLO_RECORDING_RULE.burnRate,
          expr: `${recordedRatio(objective, window)} / ${errorBudget(objective)}`,
          labels: { ...labelsOf(objective), [SLO_LABEL.window]: window },
        })),
      ],
    },
    {
      // Over the whole period from the 5-minute ratios (one sample per evaluation), as Sloth does.
      name: 'modelwatch-slo-error-budget',
      rules: objectives.map((objective) => ({
        record: SLO_RECORDING_RULE.budgetRemaining,
        expr: `1 - avg without (${SLO_LABEL.window}) (avg_over_time(${recordedRatio(objective, '5m')}[${timing.window(SLO_PERIOD)}])) / ${errorBudget(objective)}`,
        labels: labelsOf(objective),
      })),
    },
    {
      name: 'modelwatch-ai-budget',
      rules: [
        ...services.map((service) => ({ record: BUDGET_RECORDING_RULE, expr: budgetQuery(service.jobs, service.monthlyBudgetUsd), labels: jobLabels(service.jobs) })),
        ...services.flatMap((service) =>
          ATTRIBUTED_BUDGET_OWNERS.flatMap((owner) =>
            Object.entries(service.budgets[owner]).map(([name, monthlyUsd]) => ({
              record: ATTRIBUTED_BUDGET_RECORDING_RULE[owner],
              expr: attributedBudgetQuery(service.jobs, owner, name, monthlyUsd),
              labels: { ...jobLabels(service.jobs), [LABEL[owner]]: name },
            })),
          ),
        ),
      ],
    },
    {
      name: 'modelwatch-saturation',
      rules: services.map((service) => ({
        record: SATURATION_RECORDING_RULE,
        expr: saturationByResource({ matchers: jobMatchers(service.jobs), window: timing.window(HEALTH_WINDOW) }, service.saturation),
        labels: jobLabels(service.jobs),
      })),
    },
    {
      name: 'modelwatch-health-score',
      rules: [
        // Each expression carries its component label; the static one tells the rules apart for promtool's lint.
        ...objectives.map((objective) => ({
          record: HEALTH_RECORDING_RULE.componentScore,
          expr: objectiveScoreQuery(objective),
          labels: { ...jobLabels(objective.jobs), [HEALTH_RECORDING_RULE.componentLabel]: objective.name },
        })),
        ...services.map((service) => ({ record: HEALTH_RECORDING_RULE.componentScore, expr: saturationScoreQuery(service.jobs), labels: { ...jobLabels(service.jobs), [HEALTH_RECORDING_RULE.componentLabel]: HEALTH_COMPONENT.saturation } })),
        ...services.flatMap((service) =>
          service.caches.map(({ scope, expectedHitRatio }) => ({
            record: HEALTH_RECORDING_RULE.componentScore,
            expr: cacheHitScoreQuery(scope, expectedHitRatio, { recent: timing.window(CACHE_HIT_WINDOW.recent), baseline: timing.window(CACHE_HIT_WINDOW.baseline) }),
            labels: { ...jobLabels(service.jobs), [HEALTH_RECORDING_RULE.componentLabel]: HEALTH_COMPONENT.cacheHitRatio, ...cacheLabels(scope.include) },
          })),
        ),
        // Rules of a group run in order: the score reads the component scores recorded just above.
        { record: HEALTH_RECORDING_RULE.score, expr: healthScoreQuery() },
      ],
    },
    ...anomalyRuleGroups(timing, mode),
  ];
}
