/**
 * Dashboard variables every Modelwatch dashboard carries: the Prometheus data
 * source (picked by type, so no datasource id is baked in), the service (`job`)
 * and its processes (`instance`). Queries refer to them as `$job` and
 * `$instance`; the live test substitutes them the way Grafana would.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { LABEL, METRICS, SERVICE_LABEL, genAiMetricNames, samplesOf, selector, type QueryScope, type SemconvMode } from '@modelwatch/conventions';

export const VARIABLE = { datasource: 'datasource', job: 'job', instance: 'instance', model: 'model' } as const;

/** The data source every query and query variable uses. */
export const DATASOURCE_REF = { type: 'prometheus', uid: `\${${VARIABLE.datasource}}` } as const;

/** Selects the series of the chosen services and processes. */
export const SCOPE: QueryScope = {
  matchers: [`${SERVICE_LABEL}=~"$${VARIABLE.job}"`, `instance=~"$${VARIABLE.instance}"`],
  window: '$__rate_interval',
};

/** Recording rules aggregate per service, so they carry `job` but no `instance`. */
export const SERVICE_SCOPE: QueryScope = { matchers: [`${SERVICE_LABEL}=~"$${VARIABLE.job}"`], window: SCOPE.window };

/** Every service that exposes the HTTP metric has a `job`; it is the variable's source. */
const serviceMetric = `${METRICS.httpServerRequestDuration.name}_count`;

export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder(VARIABLE.datasource).label('Data source').type('prometheus');
}

function labelVariable(name: string, label: string, query: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE_REF)
    .query({ qryType: 1, query, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ text: 'All', value: '$__all' });
}

export function jobVariable(): dashboard.QueryVariableBuilder {
  return labelVariable(VARIABLE.job, 'Service', `label_values(${serviceMetric}, ${SERVICE_LABEL})`);
}

export function instanceVariable(): dashboard.QueryVariableBuilder {
  return labelVariable(VARIABLE.instance, 'Instance', `label_values(${serviceMetric}{${SERVICE_LABEL}=~"$${VARIABLE.job}"}, instance)`);
}

/**
 * The AI models dashboard's model filter (`var-model`): the app's model rows
 * open the dashboard with it set; `All` by default.
 */
export function modelVariable(mode: SemconvMode = 'legacy'): dashboard.QueryVariableBuilder {
  const calls = samplesOf(genAiMetricNames(mode).callDuration, '_count');
  return labelVariable(VARIABLE.model, 'Model', `label_values(${selector(calls.metric, { matchers: [`${SERVICE_LABEL}=~"$${VARIABLE.job}"`] }, calls.matchers)}, ${LABEL.genAiRequestModel})`);
}

/** The chosen services, processes and models: the AI models dashboard's queries. */
export const MODEL_SCOPE: QueryScope = { ...SCOPE, matchers: [...(SCOPE.matchers ?? []), `${LABEL.genAiRequestModel}=~"$${VARIABLE.model}"`] };
