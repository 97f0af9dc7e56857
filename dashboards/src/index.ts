/** @modelwatch/dashboards — the Modelwatch Grafana dashboards as code. */
export * from './dashboards';
export * from './define-dashboard';
export * from './render';
export * from './inspect';
export * from './variables';
export * from './query-sweep';
