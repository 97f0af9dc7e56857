/**
 * @modelwatch/testkit — the low-level pieces the tests and the local stack run:
 * child processes that never outlive their parent, free ports and waits, the
 * tools from outside npm (found or installed), Prometheus, Alertmanager,
 * promtool and amtool, VictoriaMetrics, and the notification sink. It knows
 * nothing of Modelwatch's own packages, so every one of them may use it.
 */
export * from './ports';
export * from './loopback-host';
export * from './wait';
export * from './process-table';
export { guardGroup, killGroupsSync, signalGroup } from './orphan-guard';
export * from './prefixed-log';
export * from './process';
export * from './children';
export * from './tools';
export * from './config-file';
export * from './prometheus-api';
export * from './exposition';
export { startPrometheus, buildPrometheusConfig, ALERT_RESEND_DELAY, type PrometheusOptions, type PrometheusInstance } from './prometheus';
export type { AlertmanagerStatus, GettableAlert, GettableSilence, Matcher, PostableAlert, PostableSilence } from './alertmanager-api';
export * from './alertmanager';
export * from './amtool';
export * from './promtool';
export * from './payloads';
export * from './notification-sink';
export * from './victoria-metrics';
export * from './dead-mans-switch';
export * from './vmagent';
export * from './vmalert';
