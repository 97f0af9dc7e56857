/**
 * @modelwatch/alerting — one typed definition of SLOs, thresholds and routing,
 * generated into Prometheus rules, Alertmanager config and Grafana alerting
 * provisioning.
 */
export { generatedFiles, prometheusRuleFiles, OUTPUT } from './generate';
export { PRODUCTION, FAST, type TimingProfile } from './profile';
export { ALERT_RULES } from './spec/catalogue';
export type { AlertRule } from './spec/alert-rule';
export { RECEIVER, SLACK_CHANNEL } from './spec/routing';
