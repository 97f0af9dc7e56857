/**
 * The Modelwatch contract: metric and label names, bucket layouts, caps, the
 * objectives and the health score. Dependency-free so dashboards, rules and
 * the browser plugin can import it.
 */
export * from './labels';
export * from './buckets';
export * from './limits';
export * from './metrics';
export * from './semconv';
export * from './slo';
export * from './slo-spec';
export * from './health';
export * from './grafana';
export * from './promql';
export * from './queries';
export * from './slo-queries';
export * from './report-queries';
export * from './anomaly';
export * from './alerts';
export * from './duration';
