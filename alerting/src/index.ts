/**
 * @modelwatch/alerting — an SLO spec (YAML) and one typed alert catalogue,
 * generated into Prometheus rules, Alertmanager config, Grafana alerting
 * provisioning and runbooks.
 */
export { generatedFiles, prometheusRuleFiles, OUTPUT, DEMO_SPEC } from './generate';
export { PRODUCTION, FAST, type TimingProfile } from './profile';
export { alertRules } from './catalogue/catalogue';
export type { AlertRule } from './catalogue/alert-rule';
export { RECEIVER, SLACK_CHANNEL } from './catalogue/routing';
export { loadSpec, parseSpec, SpecError } from './slo-spec/load';
export { serviceObjectives, type ServiceObjectives } from './slo-spec/objectives';
