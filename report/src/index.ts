/** The performance baseline report: `npm run report`, and the traffic generator's `--report`. */
export { buildReport, writeReport, readBaseline, BaselineError, REPORT_HTML, REPORT_JSON, type ReportOptions } from './generate';
export { NoDataError } from './collect';
export { PrometheusClient, PrometheusError } from './prometheus';
export { compareReports, recommendations, CHANGE_THRESHOLDS, RATE_LIMITED_ADVICE_RATIO, BUDGET_ADVICE_SHARE } from './compare';
export { renderHtml } from './html';
export { schemaErrors, SCHEMA_PATH } from './validate';
export * from './model';
