export { runTraffic, type TrafficSummary } from './runner';
export { HARD_LIMITS, type Progress, type TrafficOptions } from './options';
export { SCENARIOS, SCENARIO_NAMES, type Scenario, type ScenarioName } from './scenarios';
export { REQUEST_MIX, type RequestKind } from './mix';
export { progressLine, progressPrinter, summaryTable } from './report';
