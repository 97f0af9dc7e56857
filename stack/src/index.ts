/**
 * @modelwatch/stack — the one way to bring the local Modelwatch stack (or a part
 * of it) up: `npm start` and the live tests of every workspace use it.
 */
export * from './ports';
export * from './loopback-host';
export * from './wait';
export * from './duration';
export * from './proc';
export { guardGroup, killGroupsSync, signalGroup } from './orphan-guard';
export * from './prefixed-log';
export * from './process';
export * from './tools';
export * from './config-file';
export * from './prometheus-api';
export { startPrometheus, buildPrometheusConfig, ALERT_RESEND_DELAY, type PrometheusOptions, type PrometheusInstance } from './prometheus';
export type { AlertmanagerStatus, GettableAlert, GettableSilence, Matcher, PostableAlert, PostableSilence } from './alertmanager-api';
export * from './alertmanager';
export * from './amtool';
export * from './promtool';
export * from './payloads';
export * from './notification-sink';
export * from './repo';
export * from './demo';
export * from './traffic';
export * from './stack-config';
export * from './stack';
export * from './status';
export * from './victoria-metrics';
export * from './preview';
